"""Tables of scheduled starts: schedules per subject and each occurrence's run."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


class Schedule(Base):
    """Starts a process per subject when its rule comes due: yearly on a date, N after or N before a date."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(300))
    process_key: Mapped[str] = mapped_column(String(200), index=True)
    rule: Mapped[dict] = mapped_column(JSON)
    subjects: Mapped[list] = mapped_column(JSON)
    variables: Mapped[dict] = mapped_column(JSON, default=dict)
    level: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime] = mapped_column(default=_now)
    created_by: Mapped[str | None] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(default=_now)


class ScheduleRun(Base):
    """One occurrence of a schedule for one subject; the unique key makes every occurrence start once."""

    __tablename__ = "schedule_runs"
    __table_args__ = (UniqueConstraint("schedule_id", "subject", "period", name="uq_schedule_run_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(50))
    due_at: Mapped[datetime] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(default=_now)
    instance_id: Mapped[str | None] = mapped_column(String(36))
    error: Mapped[str | None] = mapped_column(Text)
