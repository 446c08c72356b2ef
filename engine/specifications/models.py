"""Tables of the specification registry: one row per specification project (立项 → 发布 → 复审/废止), its
change log, and the counters that hand out project ids and specification numbers without duplicates."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now

TYPES = ("JJG", "JJF", "型式评价大纲", "检定系统表", "测量方法", "测量程序", "标准参考数据", "算法溯源技术方法")
ADOPTION_DEGREES = {"IDT": "等同采用", "MOD": "修改采用", "NEQ": "非等效采用"}
KINDS = ("new", "revision")
STAGES = {
    "proposed": "立项申请",
    "evaluated": "立项评估通过",
    "project_notice": "立项公示",
    "planned": "列入计划",
    "rejected": "不予立项",
    "drafting": "起草",
    "comment": "征求意见",
    "review": "审定",
    "approval": "报批",
    "published": "已发布",
    "rereview": "复审",
    "superseded": "被代替",
    "abolished": "已废止",
    "cancelled": "项目撤销",
}
CLOSED_STAGES = ("rejected", "cancelled", "superseded", "abolished")


class Specification(Base):
    """A specification (计量技术规范) from its project proposal on: what the processes have decided about it."""

    __tablename__ = "specifications"
    __table_args__ = (
        Index("ix_specifications_committee_stage", "committee", "stage"),
        Index("ix_specifications_level", "level", "jurisdiction"),
        Index("ix_specifications_type_stage", "type", "stage"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # project id, e.g. JJF-2026-001
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10), default="new")  # new | revision
    replaces: Mapped[str | None] = mapped_column(String(40))  # the specification a revision replaces
    committee: Mapped[str | None] = mapped_column(String(30))  # 归口 committee
    level: Mapped[str | None] = mapped_column(String(20))
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    stage: Mapped[str] = mapped_column(String(20), index=True)
    field: Mapped[str | None] = mapped_column(String(100))  # 专业领域
    adoption_degree: Mapped[str | None] = mapped_column(String(10))  # IDT | MOD | NEQ of an adopted document
    adopted_document: Mapped[str | None] = mapped_column(String(200))  # e.g. OIML R 76-1:2006
    livelihood: Mapped[bool] = mapped_column(Boolean, default=False)  # 民生
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    drafting_units: Mapped[list] = mapped_column(JSON, default=list)
    drafters: Mapped[list] = mapped_column(JSON, default=list)  # usernames
    proposal: Mapped[dict | None] = mapped_column(JSON)  # the 立项申请 as last submitted
    plan_decision: Mapped[dict | None] = mapped_column(JSON)
    drafting_due: Mapped[datetime | None] = mapped_column()
    drafting_flags: Mapped[int] = mapped_column(Integer, default=0)  # BR10: overdue without extension
    extensions: Mapped[list] = mapped_column(JSON, default=list)
    documents: Mapped[dict] = mapped_column(JSON, default=dict)  # phase -> what was submitted
    comment_notice_id: Mapped[int | None] = mapped_column(Integer)
    comment_closed_at: Mapped[datetime | None] = mapped_column()
    comments_total: Mapped[int] = mapped_column(Integer, default=0)
    comments_answered: Mapped[int] = mapped_column(Integer, default=0)
    comment_handling: Mapped[list | None] = mapped_column(JSON)  # 征求意见汇总处理表
    consent: Mapped[dict | None] = mapped_column(JSON)  # chair / vice-chair consent to review
    papers_sent_at: Mapped[datetime | None] = mapped_column()
    review_round: Mapped[int] = mapped_column(Integer, default=0)
    review_failures: Mapped[int] = mapped_column(Integer, default=0)
    review: Mapped[dict | None] = mapped_column(JSON)  # the last tally
    review_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    review_conclusion: Mapped[str | None] = mapped_column(String(30))
    minutes: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    approved_at: Mapped[datetime | None] = mapped_column()
    publication_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    superseded_by: Mapped[str | None] = mapped_column(String(40))
    abolished_on: Mapped[date | None] = mapped_column(Date)
    evaluation: Mapped[dict | None] = mapped_column(JSON)  # the latest effect evaluation (P11)
    last_rereview_on: Mapped[date | None] = mapped_column(Date)
    rereview_outcome: Mapped[str | None] = mapped_column(String(20))
    instance_id: Mapped[str | None] = mapped_column(String(36))  # the project's instance
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now)


class SpecChange(Base):
    """What changed in the registry, when, by whom and in which instance: the registry's own audit trail."""

    __tablename__ = "specification_changes"
    __table_args__ = (Index("ix_specification_changes_spec", "spec_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec_id: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=_now)
    actor: Mapped[str | None] = mapped_column(String(200))
    instance_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict | None] = mapped_column(JSON)


class SpecCounter(Base):
    """The last number handed out per (kind, series, year): project ids and specification numbers."""

    __tablename__ = "specification_counters"
    __table_args__ = (UniqueConstraint("kind", "series", "year", name="uq_specification_counter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # project | number
    series: Mapped[str] = mapped_column(String(40))  # JJF, JJG, JJG(苏) …
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)
