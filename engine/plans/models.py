"""Tables of project planning (十一): calls for specification needs, the needs submitted, the committees' annual and
medium/long-term plans with their items, and each adjustment of a plan during its term."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now

PLAN_KINDS = {"annual": "年度计划", "medium_long": "中长期计划"}
PLAN_STATUSES = {"draft": "草案", "submitted": "报批中", "returned": "退回修改", "published": "已批准发布"}
ITEM_STATUSES = {"planned": "计划中", "proposed": "已提出立项", "postponed": "推迟", "dropped": "取消"}
NEED_STATUSES = {"submitted": "待筛选", "accepted": "纳入计划", "declined": "不予采纳"}
ADJUSTMENTS = {"add": "增补", "postpone": "推迟", "drop": "取消"}
ADJUSTMENT_STATUSES = {"pending": "待批准", "approved": "已批准", "rejected": "不予批准"}


class _Scoped:
    """What a grant's scope is checked against (committee, level, jurisdiction); never a specification."""

    specification = None


class NeedCall(_Scoped, Base):
    """A call for specification needs (需求征集), opened by a committee's secretariat or by an authority."""

    __tablename__ = "plan_need_calls"
    __table_args__ = (Index("ix_plan_need_calls_scope", "level", "jurisdiction", "committee"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str | None] = mapped_column(String(30))  # None: the authority's own call
    level: Mapped[str | None] = mapped_column(String(20))
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    opened_by: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(default=_now)
    closes_at: Mapped[datetime] = mapped_column()


class Need(Base):
    """One need (需求): from the public board without login, or from a registered unit's account."""

    __tablename__ = "plan_needs"
    __table_args__ = (Index("ix_plan_needs_call_status", "call_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("plan_need_calls.id"))
    title: Mapped[str] = mapped_column(String(300))
    field: Mapped[str] = mapped_column(String(200))  # 专业领域
    reason: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))  # personal data: staff only
    submitted_by: Mapped[str | None] = mapped_column(String(200))  # the account, None from the public board
    submitted_at: Mapped[datetime] = mapped_column(default=_now)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    screened_by: Mapped[str | None] = mapped_column(String(200))
    screened_at: Mapped[datetime | None] = mapped_column()
    screen_reason: Mapped[str | None] = mapped_column(Text)


class Plan(_Scoped, Base):
    """A committee's project plan (项目计划): annual, or medium/long-term over several years."""

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_committee_status", "committee", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee: Mapped[str] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(20))
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # annual | medium_long
    title: Mapped[str] = mapped_column(String(300))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    instance_id: Mapped[str | None] = mapped_column(String(36))  # its approval instance
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    decision: Mapped[dict | None] = mapped_column(JSON)  # the authority's last decision (by, at, opinion)
    published_at: Mapped[datetime | None] = mapped_column()


class PlanItem(Base):
    """A planned item: a need (or the committee's own idea) turned into a proposed project."""

    __tablename__ = "plan_items"
    __table_args__ = (Index("ix_plan_items_plan", "plan_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    spec_type: Mapped[str] = mapped_column(String(20))
    project_kind: Mapped[str] = mapped_column(String(10), default="new")
    field: Mapped[str | None] = mapped_column(String(200))
    planned_year: Mapped[int] = mapped_column(Integer)
    need_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    spec_id: Mapped[str | None] = mapped_column(String(40))  # the P6 project that proposes it
    adjustment_id: Mapped[int | None] = mapped_column(Integer)  # the adjustment that added it, if any


class PlanAdjustment(Base):
    """One adjustment during the plan's term (add, postpone, drop), with its reason and the authority's decision."""

    __tablename__ = "plan_adjustments"
    __table_args__ = (Index("ix_plan_adjustments_plan", "plan_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    item_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))  # add | postpone | drop
    reason: Mapped[str] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)  # add: the new item; postpone: the new year
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_by: Mapped[str | None] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(default=_now)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column()
    opinion: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[str | None] = mapped_column(String(36))
