"""incidents: failed elements and poison timers kept for operators to fix and retry (issue 19)

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("instance_id", sa.String(36), sa.ForeignKey("instances.id"), nullable=False),
        sa.Column("process_key", sa.String(200), nullable=False),
        sa.Column("process_version", sa.Integer(), nullable=False),
        sa.Column("element_id", sa.String(200)),
        sa.Column("task_id", sa.String(36)),
        sa.Column("timer_id", sa.Integer()),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON()),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolved_by", sa.String(200)),
    )
    op.create_index("ix_incidents_instance_id", "incidents", ["instance_id"])
    op.create_index("ix_incidents_state_opened", "incidents", ["state", "opened_at"])
    op.create_index("ix_incidents_process", "incidents", ["process_key", "element_id"])


def downgrade() -> None:
    op.drop_table("incidents")
