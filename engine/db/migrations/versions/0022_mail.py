"""mail: e-mail preferences per user and the outbox of notifications to send (issue 20)

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_preferences",
        sa.Column("username", sa.String(150), primary_key=True),
        sa.Column("address", sa.String(320), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(1000), nullable=True),
        sa.Column("instance_id", sa.String(36), nullable=True),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_mail_outbox_username", "mail_outbox", ["username"])
    op.create_index("ix_mail_outbox_state_send_after", "mail_outbox", ["state", "send_after"])


def downgrade() -> None:
    op.drop_index("ix_mail_outbox_state_send_after", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_username", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_table("mail_preferences")
