"""Helpers for timer tests: run the worker once (no scheduler, no sleeping) and read what it did."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from engine.history.models import Event
from engine.runtime.models import Timer
from engine.timers import schedules
from engine.timers.service import TimerService

CST_OFFSET_HOURS = 8


def run_worker(engine, batch_size: int = 10):
    """One wake of a worker: every due timer, then every due scheduled start."""
    report = TimerService(engine.db, engine.runtime, batch_size=batch_size).run_pending()
    started, _ = schedules.run_due(engine.db, engine.runtime, engine.schedules)
    return report, started


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def events(engine, instance_id: str, type_: str | None = None) -> list[Event]:
    with engine.db.transaction() as session:
        query = select(Event).where(Event.stream == instance_id).order_by(Event.seq)
        if type_:
            query = query.where(Event.type == type_)
        return list(session.scalars(query))


def timers(engine, instance_id: str) -> list[Timer]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(Timer).where(Timer.instance_id == instance_id).order_by(Timer.id)))
