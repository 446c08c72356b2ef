"""Working days (工作日) on the official Chinese calendar, including make-up working days (调休).

Sources, per year, in this order:

1. a holidays file an administrator maintains (``processes/profiles/holidays/<year>.json``): the State
   Council publishes each year's schedule late in the year before, sooner than a package release;
2. the ``chinesecalendar`` package (it knows 2004–2026 in version 1.11);
3. a year a process admin entered on the holidays page or the API (``engine.rules.holidays``, stored in the
   database; ``lookup`` asks for it, so every process sees it without a restart);
4. none of these: Monday–Friday count as working days except the fixed-date statutory holidays (元旦 1 Jan,
   劳动节 1–2 May, 国庆 1–3 Oct, 《全国年节及纪念日放假办法》 as amended in 2024); the lunar holidays and
   make-up days cannot be known, so every answer carries a warning that is logged and recorded with the
   timer: a date is never silently wrong and a timer never crashes.

(Named ``workdays`` rather than ``calendar`` so it can never shadow the standard library module.)
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from pathlib import Path

import chinese_calendar

from engine.rules.installed import Installed

log = logging.getLogger("mtcflow.calendar")
BEIJING = timezone(timedelta(hours=8), "CST")  # China keeps UTC+8 all year (no DST since 1991)
MAX_WORKDAYS = 3660
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


class HolidayFileError(ValueError):
    pass


@dataclass(frozen=True)
class YearSchedule:
    """One year's official arrangement: days off on weekdays and working days on weekends."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _days(entries: list, year: int, path: Path) -> set[date]:
    """``YYYY-MM-DD`` or an inclusive range ``YYYY-MM-DD/YYYY-MM-DD``."""
    found: set[date] = set()
    for entry in entries:
        try:
            first, _, last = str(entry).partition("/")
            start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        except ValueError as err:
            raise HolidayFileError(f"{path}: '{entry}' is not a date or a date range: {err}") from err
        if start.year != year or end.year != year or end < start:
            raise HolidayFileError(f"{path}: '{entry}' is not a range inside {year}")
        found.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return found


def parse_schedule(document: dict, path: Path | str) -> YearSchedule:
    """One year's schedule from its document (``year``, ``holidays``, ``workdays``, ``source``), checked."""
    return _schedule(document, path)


def _schedule(document: dict, path: Path) -> YearSchedule:
    try:
        year = int(document["year"])
    except (KeyError, TypeError, ValueError) as err:
        raise HolidayFileError(f"{path}: each entry needs a 'year'") from err
    holidays = _days(document.get("holidays", []), year, path)
    workdays = _days(document.get("workdays", []), year, path)
    if holidays & workdays:
        raise HolidayFileError(f"{path}: {sorted(holidays & workdays)[0]} is both a holiday and a working day")
    weekday_workdays = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_workdays:
        raise HolidayFileError(f"{path}: make-up working days must fall on a weekend; {weekday_workdays[0]} "
                               "is a weekday")
    source = document.get("source") or str(path)
    return YearSchedule(year, frozenset(holidays), frozenset(workdays), source)


def load_holiday_files(directory: Path | None) -> dict[int, YearSchedule]:
    """Every year entered in ``*.json`` files of ``directory`` (an object or a list of objects per file)."""
    years: dict[int, YearSchedule] = {}
    if directory is None or not Path(directory).is_dir():
        return years
    for path in sorted(Path(directory).glob("*.json")):
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise HolidayFileError(f"cannot read holidays file {path}: {err}") from err
        for document in content if isinstance(content, list) else [content]:
            schedule = _schedule(document, path)
            if schedule.year in years:
                raise HolidayFileError(f"{path}: year {schedule.year} is entered twice")
            years[schedule.year] = schedule
    return years


def _package_years() -> range:
    known = chinese_calendar.holidays.keys()
    return range(min(known).year, max(known).year + 1)


class WorkCalendar:
    """Answers "is this a working day" and counts working days, with a warning when it had to guess."""

    RECHECK_SECONDS = 60.0  # how long "nobody entered this year" is believed before asking the lookup again

    def __init__(self, holidays_dir: Path | None = None,
                 lookup: Callable[[int], YearSchedule | None] | None = None):
        self.holidays_dir = holidays_dir
        self.files = load_holiday_files(holidays_dir)
        self.package_years = _package_years()
        self.lookup = lookup
        self.entered: dict[int, YearSchedule] = {}
        self._missing_since: dict[int, float] = {}

    def enter(self, schedule: YearSchedule) -> None:
        """A year just entered in this process: known at once, without waiting for the recheck."""
        self.entered[schedule.year] = schedule
        self._missing_since.pop(schedule.year, None)

    def _entered(self, year: int) -> YearSchedule | None:
        if year in self.entered or self.lookup is None:
            return self.entered.get(year)
        checked = self._missing_since.get(year)
        if checked is not None and time.monotonic() - checked < self.RECHECK_SECONDS:
            return None
        found = self.lookup(year)
        if found is None:
            self._missing_since[year] = time.monotonic()
        else:
            self.enter(found)
        return found

    def source(self, year: int) -> str | None:
        """Where ``year``'s schedule comes from, or None when nobody has entered it."""
        if year in self.files:
            return self.files[year].source
        if year in self.package_years:
            return f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
        entered = self._entered(year)
        return entered.source if entered else None

    def missing_year_warning(self, year: int) -> str:
        where = self.holidays_dir or "the holidays directory"
        return (f"no official holiday schedule for {year}: counted Monday–Friday as working days except "
                f"1 Jan, 1–2 May and 1–3 Oct, without the lunar holidays and make-up days; a process admin "
                f"enters {year} on the holidays page (/admin/holidays), or put it in {where}/{year}.json")

    def is_workday(self, day: date) -> tuple[bool, str | None]:
        if day.year in self.files:
            return self.files[day.year].is_workday(day), None
        if day.year in self.package_years:
            return chinese_calendar.is_workday(day), None
        entered = self._entered(day.year)
        if entered is not None:
            return entered.is_workday(day), None
        working = day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS
        return working, self.missing_year_warning(day.year)

    def shift(self, start: date, count: int) -> tuple[date, list[str]]:
        """The ``count``-th working day after ``start`` (before it, for a negative count); ``start`` itself
        is not counted (a period starts the day after, as 民法典 art. 201 counts days)."""
        if abs(count) > MAX_WORKDAYS:
            raise ValueError(f"{count} working days is more than the {MAX_WORKDAYS} this calendar counts")
        step = timedelta(days=1 if count >= 0 else -1)
        day, remaining, warnings = start, abs(count), []
        while remaining:
            day += step
            working, warning = self.is_workday(day)
            if warning and warning not in warnings:
                warnings.append(warning)
            remaining -= working
        for warning in warnings:
            log.warning("working-day count from %s by %+d: %s", start, count, warning)
        return day, warnings


def _default_calendar() -> WorkCalendar:
    """The package plus the holidays next to the default profiles."""
    from engine.rules.profiles import default_directory

    return WorkCalendar(default_directory() / "holidays")


_installed: Installed[WorkCalendar] = Installed("calendar", _default_calendar)
install = _installed.install
bound = _installed.bound
current = _installed.current
