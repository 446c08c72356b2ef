"""Filing (备案) of ministry and provincial specifications with SAMR, and the national authority's consistency
objections with the issuing authority's reasoned answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now

STATUSES = {"filed": "已备案", "objected": "有协调一致性异议", "answered": "已答复", "accepted": "备案无异议"}


class Filing(Base):
    """A specification approved at ministry or provincial level, filed with the national authority."""

    __tablename__ = "filings"
    __table_args__ = (Index("ix_filings_status", "status", "id"), Index("ix_filings_spec", "spec_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec_id: Mapped[str] = mapped_column(String(40))
    number: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(20))
    jurisdiction: Mapped[str] = mapped_column(String(100))
    issuing_authority: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # the approved text as filed
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="filed")
    filed_by: Mapped[str | None] = mapped_column(String(200))
    filed_at: Mapped[datetime] = mapped_column(default=_now)
    closed_at: Mapped[datetime | None] = mapped_column()
    instance_id: Mapped[str | None] = mapped_column(String(36))
    finding_id: Mapped[int | None] = mapped_column(Integer)


class FilingObjection(Base):
    """A consistency objection (协调一致性异议) by the national authority and the issuing authority's answer."""

    __tablename__ = "filing_objections"
    __table_args__ = (Index("ix_filing_objections_filing", "filing_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(Integer)
    raised_by: Mapped[str | None] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(default=_now)
    opinion: Mapped[str] = mapped_column(Text)
    conflicts_with: Mapped[str | None] = mapped_column(String(60))  # the national specification concerned
    answer: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(String(20))  # keep | revise | abolish
    answered_by: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None] = mapped_column()
