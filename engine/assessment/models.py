"""Tables of assessment from the record: the member assessments the secretary-general records per year, with the
participation figures they were based on (what renewal and member changes read)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


class MemberAssessment(Base):
    """秘书长记录的委员年度考核: one per committee, year and member; ``event_id`` is its entry in the history."""

    __tablename__ = "member_assessments"
    __table_args__ = (UniqueConstraint("committee_code", "year", "username", name="uq_member_assessment_year"),
                      Index("ix_member_assessments_person", "username", "year"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    committee_code: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(150))
    member_name: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    participation: Mapped[dict | None] = mapped_column(JSON)  # the computed figures, as shown when recorded
    recorded_by: Mapped[str | None] = mapped_column(String(150))
    recorded_at: Mapped[datetime] = mapped_column(default=_now)
    event_id: Mapped[int | None] = mapped_column(Integer)
