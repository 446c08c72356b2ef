"""One clock for the engine and for SpiffWorkflow's timer module.

SpiffWorkflow reads ``datetime.now(timezone.utc)`` inside its timer module; we
replace that module's ``datetime`` name with a subclass whose ``now`` asks the
installed clock, so tests move time instead of sleeping.
"""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer


class Clock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock(Clock):
    """A clock that only moves when told to (tests, replays)."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta | None = None, **kwargs) -> datetime:
        with self._lock:
            self._now += delta or timedelta(**kwargs)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


_current: Clock = Clock()


def current() -> Clock:
    return _current


def install(clock: Clock) -> Clock:
    """Make ``clock`` the time source of the engine and of SpiffWorkflow; returns the previous one."""
    global _current
    previous, _current = _current, clock
    return previous


def now() -> datetime:
    return _current.now()


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        moment = _current.now()
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


_spiff_timer.datetime = _ClockedDatetime
