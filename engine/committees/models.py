"""Tables of the committee registry: committees, their members per term, the reports they file (annual,
end-of-term, chair) and the assessments the authority records. The processes keep them true."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now

STATUSES = ("preparing", "active", "rectification", "suspended", "revoked")
MEMBER_ROLES = ("chair", "vice_chair", "secretary_general", "member", "corresponding_member", "observer")
VOTING_ROLES = ("chair", "vice_chair", "secretary_general", "member")


class Committee(Base):
    """One committee (计量技术委员会) or subcommittee (分技术委员会), code ``MTC12`` / ``MTC12/SC3``."""

    __tablename__ = "committees"
    __table_args__ = (Index("ix_committees_status_level", "status", "level", "jurisdiction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # national | ministry | provincial (BR11)
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    authority: Mapped[str | None] = mapped_column(String(200))  # 批准机关
    status: Mapped[str] = mapped_column(String(20))
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column()
    parent_code: Mapped[str | None] = mapped_column(String(30))  # a subcommittee's committee
    scope: Mapped[str | None] = mapped_column(Text)  # 业务范围
    secretariat_host: Mapped[str | None] = mapped_column(String(200))  # 秘书处承担单位 (挂靠单位)
    term_number: Mapped[int] = mapped_column(Integer, default=0)  # 届次; 0 while preparing
    term_start: Mapped[date | None] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)  # last day of the term (inclusive)
    established_at: Mapped[datetime | None] = mapped_column()
    approval_document: Mapped[str | None] = mapped_column(String(200))  # 批准文号
    rectification_until: Mapped[datetime | None] = mapped_column()
    last_grade: Mapped[str | None] = mapped_column(String(10))
    last_assessed_at: Mapped[datetime | None] = mapped_column()
    assessment_flag: Mapped[str | None] = mapped_column(Text)  # why it must be assessed (BR8)
    flagged_at: Mapped[datetime | None] = mapped_column()
    successor_code: Mapped[str | None] = mapped_column(String(30))  # after revocation
    application: Mapped[dict | None] = mapped_column(JSON)  # the 筹建申请 as submitted
    charter: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[str | None] = mapped_column(String(36))  # the establishing instance
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now)


class CommitteeMember(Base):
    """A member of one term; ``active`` rows are the current composition. The appointment links the member to
    a user account (``user_id``) and holds the committee grants it made (``grant_ids``), revoked when it ends
    (BR14): the registry, not a grant, decides who votes."""

    __tablename__ = "committee_members"
    __table_args__ = (
        Index("ix_committee_members_committee", "committee_id", "active"),
        Index("ix_committee_members_person", "username", "active"),
        Index("ix_committee_members_name", "name", "unit", "active"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"))
    term_number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(200))
    stakeholder_category: Mapped[str | None] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(String(100))  # 职称
    title_level: Mapped[str | None] = mapped_column(String(20))
    username: Mapped[str | None] = mapped_column(String(150))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    grant_ids: Mapped[list | None] = mapped_column(JSON)  # role_assignments.id the appointment made
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_at: Mapped[datetime] = mapped_column(default=_now)
    left_at: Mapped[datetime | None] = mapped_column()


class CommitteeReport(Base):
    """A report a committee owes: annual (P3a, BR8), end-of-term (P3b) or the chair's (P4), per period.

    Keyed by code, not by row, so a report of a committee not (yet) in the registry is still counted."""

    __tablename__ = "committee_reports"
    __table_args__ = (UniqueConstraint("committee_code", "kind", "period", name="uq_committee_report_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_code: Mapped[str] = mapped_column(String(30), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # annual | term | chair
    period: Mapped[str] = mapped_column(String(30))
    missed: Mapped[bool] = mapped_column(Boolean, default=False)  # the deadline passed without a report
    missed_at: Mapped[datetime | None] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column()
    grade: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[dict | None] = mapped_column(JSON)
    instance_id: Mapped[str | None] = mapped_column(String(36))


class CommitteeAssessment(Base):
    """A grade the authority gave (P5): 一级 / 二级 / 三级 / 不合格, and what followed."""

    __tablename__ = "committee_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # assessment | reassessment
    grade: Mapped[str] = mapped_column(String(10))
    passed: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    assessed_at: Mapped[datetime] = mapped_column(default=_now)
    assessed_by: Mapped[str | None] = mapped_column(String(150))
    rectification_until: Mapped[datetime | None] = mapped_column()
    outcome: Mapped[str | None] = mapped_column(String(30))  # reorganise | replace_host | suspend | revoke
    instance_id: Mapped[str | None] = mapped_column(String(36))


class ChiefReviewer(Base):
    """An entry of the chief-reviewer (主审人) register of a committee: who is qualified, in which field, granted by
    the committee or by its approving authority (62号 十, 主审人资格制度); revoked entries stay on record."""

    __tablename__ = "chief_reviewers"
    __table_args__ = (Index("ix_chief_reviewers_committee", "committee", "revoked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee: Mapped[str] = mapped_column(String(30))
    username: Mapped[str] = mapped_column(String(150))
    field: Mapped[str] = mapped_column(String(200))  # 专业领域
    qualification: Mapped[str] = mapped_column(Text)  # 资格依据: title, experience, training
    granted_by_body: Mapped[str] = mapped_column(String(20))  # committee | authority
    granted_at: Mapped[datetime] = mapped_column(default=_now)
    granted_by: Mapped[str | None] = mapped_column(String(150))
    reason: Mapped[str | None] = mapped_column(Text)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by: Mapped[str | None] = mapped_column(String(150))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
