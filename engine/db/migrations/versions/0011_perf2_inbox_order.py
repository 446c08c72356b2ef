"""open tasks in inbox order, so the first page of a huge pool is read from an index, not sorted

Revision ID: 0011
Revises: 0010

A partial index on open tasks only (ready/claimed: a small share of the table once history grows) whose
keys are the default inbox sort, ``(due_at IS NULL), due_at, created_at, id``: SQLite and PostgreSQL both
index the expression, so auditors and nation-wide roles get their first page by walking the index.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OPEN = sa.text("state IN ('ready', 'claimed')")


def upgrade() -> None:
    op.create_index("ix_tasks_open_due_order", "tasks", [sa.text("(due_at IS NULL)"), "due_at", "created_at", "id"],
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_tasks_open_due_order", table_name="tasks")
