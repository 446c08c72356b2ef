"""committee registry: committees, members per term, reports owed, assessments

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "committees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("jurisdiction", sa.String(length=100), nullable=True),
        sa.Column("authority", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("status_changed_at", UTC, nullable=True),
        sa.Column("parent_code", sa.String(length=30), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("secretariat_host", sa.String(length=200), nullable=True),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=True),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("established_at", UTC, nullable=True),
        sa.Column("approval_document", sa.String(length=200), nullable=True),
        sa.Column("rectification_until", UTC, nullable=True),
        sa.Column("last_grade", sa.String(length=10), nullable=True),
        sa.Column("last_assessed_at", UTC, nullable=True),
        sa.Column("assessment_flag", sa.Text(), nullable=True),
        sa.Column("flagged_at", UTC, nullable=True),
        sa.Column("successor_code", sa.String(length=30), nullable=True),
        sa.Column("application", sa.JSON(), nullable=True),
        sa.Column("charter", sa.Text(), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_committees_status_level", "committees", ["status", "level", "jurisdiction"])
    op.create_table(
        "committee_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("term_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("unit", sa.String(length=200), nullable=False),
        sa.Column("stakeholder_category", sa.String(length=30), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("title_level", sa.String(length=20), nullable=True),
        sa.Column("username", sa.String(length=150), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("joined_at", UTC, nullable=False),
        sa.Column("left_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["committee_id"], ["committees.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_committee_members_committee", "committee_members", ["committee_id", "active"])
    op.create_index("ix_committee_members_person", "committee_members", ["username", "active"])
    op.create_index("ix_committee_members_name", "committee_members", ["name", "unit", "active"])
    op.create_table(
        "committee_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_code", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period", sa.String(length=30), nullable=False),
        sa.Column("missed", sa.Boolean(), nullable=False),
        sa.Column("missed_at", UTC, nullable=True),
        sa.Column("accepted_at", UTC, nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("committee_code", "kind", "period", name="uq_committee_report_period"),
    )
    op.create_index("ix_committee_reports_committee_code", "committee_reports", ["committee_code"])
    op.create_table(
        "committee_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("grade", sa.String(length=10), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("assessed_at", UTC, nullable=False),
        sa.Column("assessed_by", sa.String(length=150), nullable=True),
        sa.Column("rectification_until", UTC, nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["committee_id"], ["committees.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_committee_assessments_committee_id", "committee_assessments", ["committee_id"])


def downgrade() -> None:
    op.drop_index("ix_committee_assessments_committee_id", table_name="committee_assessments")
    op.drop_table("committee_assessments")
    op.drop_index("ix_committee_reports_committee_code", table_name="committee_reports")
    op.drop_table("committee_reports")
    op.drop_index("ix_committee_members_name", table_name="committee_members")
    op.drop_index("ix_committee_members_person", table_name="committee_members")
    op.drop_index("ix_committee_members_committee", table_name="committee_members")
    op.drop_table("committee_members")
    op.drop_index("ix_committees_status_level", table_name="committees")
    op.drop_table("committees")
