"""login failures per account name, for growing delays after failed logins

Revision ID: 0010_harden_login_failures
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

import engine.models

revision = "0010_harden_login_failures"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = engine.models.UTCDateTime(timezone=True)


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
