"""specification registry: specifications, their change log, id and number counters

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "specifications",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("replaces", sa.String(length=40), nullable=True),
        sa.Column("committee", sa.String(length=30), nullable=True),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("jurisdiction", sa.String(length=100), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("livelihood", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("drafting_units", sa.JSON(), nullable=False),
        sa.Column("drafters", sa.JSON(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=True),
        sa.Column("plan_decision", sa.JSON(), nullable=True),
        sa.Column("drafting_due", UTC, nullable=True),
        sa.Column("drafting_flags", sa.Integer(), nullable=False),
        sa.Column("extensions", sa.JSON(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("comment_notice_id", sa.Integer(), nullable=True),
        sa.Column("comment_closed_at", UTC, nullable=True),
        sa.Column("comments_total", sa.Integer(), nullable=False),
        sa.Column("comments_answered", sa.Integer(), nullable=False),
        sa.Column("comment_handling", sa.JSON(), nullable=True),
        sa.Column("consent", sa.JSON(), nullable=True),
        sa.Column("papers_sent_at", UTC, nullable=True),
        sa.Column("review_round", sa.Integer(), nullable=False),
        sa.Column("review_failures", sa.Integer(), nullable=False),
        sa.Column("review", sa.JSON(), nullable=True),
        sa.Column("review_passed", sa.Boolean(), nullable=False),
        sa.Column("review_conclusion", sa.String(length=30), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("approved_at", UTC, nullable=True),
        sa.Column("publication_date", sa.Date(), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("superseded_by", sa.String(length=40), nullable=True),
        sa.Column("abolished_on", sa.Date(), nullable=True),
        sa.Column("evaluation", sa.JSON(), nullable=True),
        sa.Column("last_rereview_on", sa.Date(), nullable=True),
        sa.Column("rereview_outcome", sa.String(length=20), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", name="uq_specifications_number"),
    )
    op.create_index("ix_specifications_stage", "specifications", ["stage"])
    op.create_index("ix_specifications_committee_stage", "specifications", ["committee", "stage"])
    op.create_index("ix_specifications_level", "specifications", ["level", "jurisdiction"])
    op.create_index("ix_specifications_type_stage", "specifications", ["type", "stage"])
    op.create_table(
        "specification_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spec_id", sa.String(length=40), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_specification_changes_spec", "specification_changes", ["spec_id", "id"])
    op.create_table(
        "specification_counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "series", "year", name="uq_specification_counter"),
    )


def downgrade() -> None:
    op.drop_table("specification_counters")
    op.drop_index("ix_specification_changes_spec", table_name="specification_changes")
    op.drop_table("specification_changes")
    op.drop_index("ix_specifications_type_stage", table_name="specifications")
    op.drop_index("ix_specifications_level", table_name="specifications")
    op.drop_index("ix_specifications_committee_stage", table_name="specifications")
    op.drop_index("ix_specifications_stage", table_name="specifications")
    op.drop_table("specifications")
