"""plans: calls for specification needs, needs, annual and medium/long-term plans, items and adjustments (issue 15)

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plan_need_calls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("committee", sa.String(30)),
        sa.Column("level", sa.String(20)),
        sa.Column("jurisdiction", sa.String(100)),
        sa.Column("opened_by", sa.String(200)),
        sa.Column("opened_at", UTC, nullable=False),
        sa.Column("closes_at", UTC, nullable=False),
    )
    op.create_index("ix_plan_need_calls_scope", "plan_need_calls", ["level", "jurisdiction", "committee"])
    op.create_table(
        "plan_needs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("call_id", sa.Integer(), sa.ForeignKey("plan_need_calls.id"), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("submitted_by", sa.String(200)),
        sa.Column("submitted_at", UTC, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("screened_by", sa.String(200)),
        sa.Column("screened_at", UTC),
        sa.Column("screen_reason", sa.Text()),
    )
    op.create_index("ix_plan_needs_call_status", "plan_needs", ["call_id", "status"])
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("committee", sa.String(30), nullable=False),
        sa.Column("level", sa.String(20)),
        sa.Column("jurisdiction", sa.String(100)),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("instance_id", sa.String(36)),
        sa.Column("created_by", sa.String(200)),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("decision", sa.JSON()),
        sa.Column("published_at", UTC),
    )
    op.create_index("ix_plans_committee_status", "plans", ["committee", "status"])
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("spec_type", sa.String(20), nullable=False),
        sa.Column("project_kind", sa.String(10), nullable=False),
        sa.Column("field", sa.String(200)),
        sa.Column("planned_year", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("spec_id", sa.String(40)),
        sa.Column("adjustment_id", sa.Integer()),
    )
    op.create_index("ix_plan_items_plan", "plan_items", ["plan_id", "seq"])
    op.create_table(
        "plan_adjustments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("item_id", sa.Integer()),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("requested_by", sa.String(200)),
        sa.Column("requested_at", UTC, nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", UTC),
        sa.Column("opinion", sa.Text()),
        sa.Column("instance_id", sa.String(36)),
    )
    op.create_index("ix_plan_adjustments_plan", "plan_adjustments", ["plan_id", "id"])


def downgrade() -> None:
    for table in ("plan_adjustments", "plan_items", "plans", "plan_needs", "plan_need_calls"):
        op.drop_table(table)
