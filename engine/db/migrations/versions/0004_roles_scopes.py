"""roles and scopes: jurisdictions, task duties and scope columns, user units, conflicts, instance facts

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=200), nullable=True))
    with op.batch_alter_table("role_assignments") as batch:
        batch.add_column(sa.Column("revoked_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("instances") as batch:
        batch.add_column(sa.Column("jurisdiction", sa.String(length=100), nullable=True))
        batch.create_index("ix_instances_level", ["level", "jurisdiction"], unique=False)
        batch.create_index("ix_instances_started_by", ["started_by"], unique=False)
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("level", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("jurisdiction", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("duty", sa.String(length=30), nullable=True))
        batch.create_index("ix_tasks_role_committee", ["role", "committee", "state"], unique=False)
        batch.create_index("ix_tasks_role_spec", ["role", "specification", "state"], unique=False)
        batch.create_index("ix_tasks_role_level", ["role", "level", "jurisdiction", "state"], unique=False)

    op.create_table(
        "conflict_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("specification", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "specification", name="uq_conflict_user_spec"),
    )
    op.create_index("ix_conflict_declarations_specification", "conflict_declarations", ["specification"])
    op.create_table(
        "instance_facts",
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["instances.id"]),
        sa.PrimaryKeyConstraint("instance_id", "kind", "value"),
    )


def downgrade() -> None:
    op.drop_table("instance_facts")
    op.drop_index("ix_conflict_declarations_specification", table_name="conflict_declarations")
    op.drop_table("conflict_declarations")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_index("ix_tasks_role_level")
        batch.drop_index("ix_tasks_role_spec")
        batch.drop_index("ix_tasks_role_committee")
        batch.drop_column("duty")
        batch.drop_column("jurisdiction")
        batch.drop_column("level")
    with op.batch_alter_table("instances") as batch:
        batch.drop_index("ix_instances_started_by")
        batch.drop_index("ix_instances_level")
        batch.drop_column("jurisdiction")
    with op.batch_alter_table("role_assignments") as batch:
        batch.drop_column("revoked_reason")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("unit")
