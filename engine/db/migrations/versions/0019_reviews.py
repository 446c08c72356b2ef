"""chief reviewers: the register of qualified chief reviewers (主审人) per committee

Revision ID: 0019
Revises: 0018 (0019 once 0016–0019 are merged)
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chief_reviewers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("committee", sa.String(30), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("qualification", sa.Text(), nullable=False),
        sa.Column("granted_by_body", sa.String(20), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(150), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(150), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_chief_reviewers_committee", "chief_reviewers", ["committee", "revoked_at"])


def downgrade() -> None:
    op.drop_index("ix_chief_reviewers_committee", table_name="chief_reviewers")
    op.drop_table("chief_reviewers")
