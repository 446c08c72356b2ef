"""Official holiday schedules a process admin entered for years the calendar package does not know yet."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


class HolidayYear(Base):
    """One year's 放假安排: days off and 调休 make-up working days, as the State Council notice gives them."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list] = mapped_column(JSON)
    workdays: Mapped[list] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(500))
    entered_by: Mapped[str] = mapped_column(String(150))
    entered_at: Mapped[datetime] = mapped_column(default=_now)
