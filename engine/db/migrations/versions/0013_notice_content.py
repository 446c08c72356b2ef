"""notice content: what the public is asked to judge (plan, member list, project, announcement), BR15

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("notices", sa.Column("content", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("notices", "content")
