"""notices and documents: public notices, their comments, documents and their blobs

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=100), nullable=True),
        sa.Column("jurisdiction", sa.String(length=100), nullable=True),
        sa.Column("committee", sa.String(length=100), nullable=True),
        sa.Column("specification", sa.String(length=100), nullable=True),
        sa.Column("instance_id", sa.String(length=36), sa.ForeignKey("instances.id"), nullable=True),
        sa.Column("process_key", sa.String(length=200), nullable=True),
        sa.Column("window_key", sa.String(length=200), nullable=False),
        sa.Column("window_rule", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opens_at", UTC, nullable=False),
        sa.Column("closes_at", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notices_instance_id", "notices", ["instance_id"])
    op.create_index("ix_notices_status_closes", "notices", ["status", "closes_at"])
    op.create_index("ix_notices_level_jurisdiction", "notices", ["level", "jurisdiction"])
    op.create_index("ix_notices_kind_ref", "notices", ["kind", "ref"])

    op.create_table(
        "notice_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("notices.id"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notice_comments_notice_at", "notice_comments", ["notice_id", "at"])

    op.create_table(
        "document_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=36), sa.ForeignKey("instances.id"), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), sa.ForeignKey("document_blobs.sha256"), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("uploaded_by", sa.String(length=200), nullable=True),
        sa.Column("uploaded_at", UTC, nullable=False),
        sa.Column("published_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_documents_instance_id", "documents", ["instance_id"])
    op.create_index("ix_documents_sha256", "documents", ["sha256"])

    op.create_table(
        "notice_documents",
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("notices.id"), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False),
        sa.PrimaryKeyConstraint("notice_id", "document_id"),
    )
    op.create_index("ix_notice_documents_document_id", "notice_documents", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_notice_documents_document_id", table_name="notice_documents")
    op.drop_table("notice_documents")
    op.drop_index("ix_documents_sha256", table_name="documents")
    op.drop_index("ix_documents_instance_id", table_name="documents")
    op.drop_table("documents")
    op.drop_table("document_blobs")
    op.drop_index("ix_notice_comments_notice_at", table_name="notice_comments")
    op.drop_table("notice_comments")
    op.drop_index("ix_notices_kind_ref", table_name="notices")
    op.drop_index("ix_notices_level_jurisdiction", table_name="notices")
    op.drop_index("ix_notices_status_closes", table_name="notices")
    op.drop_index("ix_notices_instance_id", table_name="notices")
    op.drop_table("notices")
