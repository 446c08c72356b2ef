"""A year's official holiday schedule entered by a process admin: stored, recorded in the history, and known to
the working-day calendar of every process (``lookup``), for the years the package and the files do not know."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput
from engine.history import log as history
from engine.rules import workdays
from engine.rules.models import HolidayYear

FIRST_YEAR = 2004


def schedule_of(row: HolidayYear) -> workdays.YearSchedule:
    return workdays.parse_schedule({"year": row.year, "holidays": row.holidays, "workdays": row.workdays,
                                    "source": row.source}, f"holiday_years/{row.year}")


def lookup(db) -> Callable[[int], workdays.YearSchedule | None]:
    """For :class:`~engine.rules.workdays.WorkCalendar`: a year's entered schedule, read in the transaction the
    calendar is asked from (else in one of its own)."""
    def find(year: int) -> workdays.YearSchedule | None:
        session = db.active_session()
        if session is None:
            with db.transaction() as own:
                return _find(own, year)
        with session.no_autoflush:
            return _find(session, year)
    return find


def _find(session: Session, year: int) -> workdays.YearSchedule | None:
    row = session.get(HolidayYear, year)
    return schedule_of(row) if row is not None else None


def years(session: Session, calendar: workdays.WorkCalendar, around: int) -> list[dict]:
    """Every year from 2004 to two after ``around``, with where its schedule comes from (None: nobody entered it)."""
    entered = {row.year: row for row in session.scalars(select(HolidayYear))}
    last = max([around + 2, *entered])
    return [year_view(year, calendar, entered.get(year)) for year in range(FIRST_YEAR, last + 1)]


def year_view(year: int, calendar: workdays.WorkCalendar, row: HolidayYear | None) -> dict:
    kind = "file" if year in calendar.files else "package" if year in calendar.package_years else \
        "entered" if row else "missing"
    view = {"year": year, "kind": kind, "source": calendar.source(year) if kind != "missing" else None,
            "holidays": [], "workdays": [], "entered_by": None, "entered_at": None}
    if row is not None:
        view.update(holidays=row.holidays, workdays=row.workdays, source=row.source, entered_by=row.entered_by,
                    entered_at=row.entered_at)
    return view


def get(session: Session, calendar: workdays.WorkCalendar, year: int) -> dict:
    return year_view(year, calendar, session.get(HolidayYear, year))


def enter(session: Session, calendar: workdays.WorkCalendar, year: int, holidays: list[str], workdays_: list[str],
          source: str, actor: str) -> HolidayYear:
    """Store (or correct) ``year``'s schedule. The years the package or a holidays file give are theirs: those are
    corrected where they come from, not overridden here."""
    if year in calendar.files or year in calendar.package_years:
        raise Conflict(f"{year} comes from {calendar.source(year)}; only a year it does not know is entered here.")
    if not holidays:
        raise InvalidInput("An official schedule has days off; none were given.",
                           [{"field": "holidays", "message": "at least one day or range"}])
    try:
        schedule = workdays.parse_schedule({"year": year, "holidays": holidays, "workdays": workdays_,
                                            "source": source}, f"{year}")
    except workdays.HolidayFileError as err:
        field = "workdays" if "make-up" in str(err) or "both" in str(err) else "holidays"
        raise InvalidInput(str(err), [{"field": field, "message": str(err)}]) from err
    row = session.get(HolidayYear, year)
    was = None if row is None else {"holidays": row.holidays, "workdays": row.workdays, "source": row.source}
    if row is None:
        row = HolidayYear(year=year)
        session.add(row)
    row.holidays, row.workdays, row.source, row.entered_by = list(holidays), list(workdays_), source, actor
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "holidays_entered", actor=actor, data={
        "year": year, "source": source, "holidays": row.holidays, "workdays": row.workdays,
        "days_off": len(schedule.holidays), "make_up_days": len(schedule.workdays), "was": was})
    calendar.enter(schedule)
    return row
