"""keyed anchors: the key id and HMAC-SHA256 of each audit anchor (the key itself is never stored)

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_anchors", sa.Column("key_id", sa.String(64), nullable=True))
    op.add_column("audit_anchors", sa.Column("mac", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_anchors") as batch:
        batch.drop_column("mac")
        batch.drop_column("key_id")
