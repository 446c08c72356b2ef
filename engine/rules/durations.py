"""Typed time values and their arithmetic: calendar durations, working days, yearly dates, fixed instants.

Conventions (README "Writing processes"): a calendar duration moves the instant as SpiffWorkflow does
(``P1M`` from 31 Jan is 28/29 Feb…); a working-day period starts the day after the start day and ends
at 24:00 Beijing time of its last working day (民法典 art. 201 counts days that way); a yearly date
such as ``01-31`` is the end of that day in Beijing, its next occurrence after the start.
"""
from __future__ import annotations

import calendar as _stdlib_calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.rules.workdays import BEIJING, WorkCalendar

WORKDAYS = re.compile(r"^P(\d+)WD$", re.IGNORECASE)
_UNITS = (("years", "Y"), ("months", "M"), ("weeks", "W"), ("days", "D"))
_TIME_UNITS = (("hours", "H"), ("minutes", "M"), ("seconds", "S"))


class TimeValueError(ValueError):
    pass


def end_of_day(day) -> datetime:
    """24:00 Beijing time of ``day``, in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), BEIJING).astimezone(UTC)


@dataclass(frozen=True)
class Amount:
    """A span: an ISO 8601 calendar duration, or a number of working days."""

    iso: str | None = None
    workdays: int | None = None

    @property
    def text(self) -> str:
        return self.iso if self.iso else f"P{self.workdays}WD"

    def after(self, start: datetime, calendar: WorkCalendar) -> tuple[datetime, list[str]]:
        if self.iso:
            parsed = TimerEventDefinition.parse_iso_duration(self.iso)
            return start + TimerEventDefinition.get_timedelta_from_start(parsed, start), []
        day, warnings = calendar.shift(start.astimezone(BEIJING).date(), self.workdays)
        return end_of_day(day), warnings

    def before(self, end: datetime, calendar: WorkCalendar) -> tuple[datetime, list[str]]:
        """``end`` minus the span; for working days, 00:00 of the day from which ``workdays`` working days
        remain until ``end``."""
        if self.iso:
            parsed = TimerEventDefinition.parse_iso_duration(self.iso)
            return end - TimerEventDefinition.get_timedelta_from_end(parsed, end), []
        last = (end - timedelta(microseconds=1)).astimezone(BEIJING).date()
        day, warnings = calendar.shift(last + timedelta(days=1), -self.workdays)
        return datetime.combine(day, time(0), BEIJING).astimezone(UTC), warnings


@dataclass(frozen=True)
class Yearly:
    """A date that recurs every year (``01-31``): the end of that day, next occurrence after the start."""

    month: int
    day: int

    def at(self, start: datetime) -> datetime:
        year = start.astimezone(BEIJING).year
        for candidate_year in (year - 1, year, year + 1):
            last = _stdlib_calendar.monthrange(candidate_year, self.month)[1]
            moment = end_of_day(datetime(candidate_year, self.month, min(self.day, last)).date())
            if moment > start:
                return moment
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Instant:
    moment: datetime


TimeValue = Amount | Yearly | Instant


def parse_amount(text: str) -> Amount | None:
    """``P20WD`` (working days) or an ISO 8601 duration; None when it is neither."""
    text = text.strip()
    match = WORKDAYS.match(text)
    if match:
        return Amount(workdays=int(match.group(1)))
    if not text.upper().startswith("P"):
        return None
    try:
        TimerEventDefinition.parse_iso_duration(text)
    except Exception:  # the library raises bare Exception for bad values
        return None
    return Amount(iso=text.upper())


def from_rule(key: str, rule) -> TimeValue:
    """A profile rule as a time value: ``{"days": 20, "unit": "working"}``, ``{"months": 6}``,
    ``{"yearly": "01-31"}``, or a string such as ``"P30D"`` / ``"P20WD"``."""
    if isinstance(rule, str):
        amount = parse_amount(rule)
        if amount is None:
            raise TimeValueError(f"rule '{key}' = {rule!r} is not an ISO 8601 duration or working days (P20WD)")
        return amount
    if not isinstance(rule, dict):
        raise TimeValueError(f"rule '{key}' is not a time rule")
    if "yearly" in rule:
        match = re.fullmatch(r"(\d{2})-(\d{2})", str(rule["yearly"]))
        if not match or not 1 <= int(match.group(1)) <= 12 or not 1 <= int(match.group(2)) <= 31:
            raise TimeValueError(f"rule '{key}': yearly must be 'MM-DD', not {rule['yearly']!r}")
        return Yearly(int(match.group(1)), int(match.group(2)))
    present = {name: rule[name] for name, _ in _UNITS + _TIME_UNITS if name in rule}
    if not present:
        raise TimeValueError(f"rule '{key}' is not a time rule (it has no days, weeks, months, years or yearly)")
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in present.values()):
        raise TimeValueError(f"rule '{key}': durations are whole non-negative numbers")
    unit = rule.get("unit", "calendar")
    if unit == "working":
        if set(present) != {"days"}:
            raise TimeValueError(f"rule '{key}': working-day rules give days only")
        return Amount(workdays=present["days"])
    if unit != "calendar":
        raise TimeValueError(f"rule '{key}': unit must be 'calendar' or 'working', not {unit!r}")
    date_part = "".join(f"{present[n]}{s}" for n, s in _UNITS if n in present)
    time_part = "".join(f"{present[n]}{s}" for n, s in _TIME_UNITS if n in present)
    amount = parse_amount(f"P{date_part}" + (f"T{time_part}" if time_part else ""))
    if amount is None:
        raise TimeValueError(f"rule '{key}': {present} is not a valid duration (weeks cannot mix with other units)")
    return amount
