"""history: state snapshots, audit anchors, chain heads on instances, append-only events on PostgreSQL

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION mtcflow_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PROTECTED = ("events", "audit_anchors", "anchor_heads")


def upgrade() -> None:
    op.create_table(
        "state_snapshots",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_index("ix_state_snapshots_instance_id", "state_snapshots", ["instance_id"])
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("heads", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "anchor_heads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("anchor_id", sa.Integer(), sa.ForeignKey("audit_anchors.id"), nullable=False),
        sa.Column("stream", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_anchor_heads_anchor_id", "anchor_heads", ["anchor_id"])
    op.create_index("ix_anchor_heads_stream", "anchor_heads", ["stream", "seq"])
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("state_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("event_count", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("head_hash", sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
        for table in PROTECTED:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION mtcflow_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PROTECTED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS mtcflow_append_only()")
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("head_hash")
        batch.drop_column("event_count")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("state_sha256")
    op.drop_table("anchor_heads")
    op.drop_table("audit_anchors")
    op.drop_table("state_snapshots")
