"""login failures per account name, for growing delays after failed logins

Revision ID: 0010
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(length=150), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", UTC, nullable=False),
        sa.Column("locked_until", UTC, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
