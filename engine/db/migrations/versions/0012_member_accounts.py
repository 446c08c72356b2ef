"""committee members linked to user accounts, with the grants their appointment made (BR14)

Revision ID: 0012
Revises: 0011

An appointment links a registry member to the account that acts for them and records the role assignments it
granted for the term, so ending the appointment revokes exactly those, and the review counts appointed
members rather than whoever holds a grant.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("committee_members") as batch:
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("grant_ids", sa.JSON(), nullable=True))
        batch.create_foreign_key("fk_committee_members_user_id", "users", ["user_id"], ["id"])
        batch.create_index("ix_committee_members_user_id", ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("committee_members") as batch:
        batch.drop_index("ix_committee_members_user_id")
        batch.drop_constraint("fk_committee_members_user_id", type_="foreignkey")
        batch.drop_column("grant_ids")
        batch.drop_column("user_id")
