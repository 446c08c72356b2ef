"""scorecards and disclosure: member assessments, published full texts, adoption degree and field (issue 15)

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_assessments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("committee_code", sa.String(30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(150), nullable=False),
        sa.Column("member_name", sa.String(100)),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("participation", sa.JSON()),
        sa.Column("recorded_by", sa.String(150)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.Integer()),
        sa.UniqueConstraint("committee_code", "year", "username", name="uq_member_assessment_year"),
    )
    op.create_index("ix_member_assessments_person", "member_assessments", ["username", "year"])
    op.create_table(
        "published_texts",
        sa.Column("spec_id", sa.String(40), primary_key=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100)),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("announcement_notice_id", sa.Integer()),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("specifications") as batch:
        batch.add_column(sa.Column("field", sa.String(100)))
        batch.add_column(sa.Column("adoption_degree", sa.String(10)))
        batch.add_column(sa.Column("adopted_document", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("specifications") as batch:
        batch.drop_column("adopted_document")
        batch.drop_column("adoption_degree")
        batch.drop_column("field")
    op.drop_table("published_texts")
    op.drop_index("ix_member_assessments_person", table_name="member_assessments")
    op.drop_table("member_assessments")
