"""Firing due timers: claim atomically, fire inside the instance's transaction, never twice, never lost.

A claim is one statement that locks due timer rows *and* their instance rows, skipping rows another
worker (or a user action) holds: ``SELECT … FOR UPDATE OF timers, instances SKIP LOCKED`` on
PostgreSQL; on SQLite the transaction is ``BEGIN IMMEDIATE``, the single writer. The claiming
transaction then fires each claimed instance (``Runtime.fire_timers``: ``refresh_timers`` and engine
steps, projections, history) and commits: a crash anywhere rolls all of it back, so the timers are
still due for the next worker. Exactly once comes from the instance lock plus the row's state — a
second worker either skips the locked row or, after the first commits, no longer sees it waiting.
A batch whose fire raises is retried one instance per transaction, so one bad instance cannot block
others; after ``MAX_ATTEMPTS`` failures the timer is no longer claimed (it still waits in the workflow;
``GET /timers?state=failed`` lists it, and an operator fires it by hand once the cause is fixed).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.actors import SYSTEM_ACTOR, Actor
from engine.errors import Conflict, EngineError, NotFound
from engine.runtime.models import Incident, Instance, Timer

log = logging.getLogger("mtcflow.timers")
ENDED = ("completed", "cancelled")
PAUSED = ENDED + ("suspended",)  # timers of suspended instances wait for resume
MAX_ATTEMPTS = 5
_EPSILON = timedelta(milliseconds=1)


@dataclass
class FireReport:
    """What one pass did; ``lateness`` holds seconds between due and fire for each fired timer."""

    claimed: int = 0
    fired: int = 0
    failed: int = 0
    lateness: list[float] = field(default_factory=list)

    def add(self, other: FireReport) -> None:
        self.claimed += other.claimed
        self.fired += other.fired
        self.failed += other.failed
        self.lateness += other.lateness


def claim(session: Session, now: datetime, limit: int, skip: Iterable[int] = (),
          only: int | None = None) -> list[Timer]:
    """Due waiting timers of live instances, locked together with their instances; locked ones skipped."""
    query = (select(Timer).join(Instance, Instance.id == Timer.instance_id)
             .where(Timer.state == "waiting", Timer.due_at <= now, Timer.attempts < MAX_ATTEMPTS,
                    Instance.state.not_in(PAUSED))
             .order_by(Timer.due_at, Timer.id).limit(limit)
             .with_for_update(skip_locked=True, of=[Timer.__table__, Instance.__table__]))
    skip = list(skip)
    if skip:
        query = query.where(Timer.id.not_in(skip))
    if only is not None:
        query = query.where(Timer.id == only)
    return list(session.scalars(query))


def next_due(session: Session) -> datetime | None:
    """When the earliest waiting timer of a live instance falls due (the alarm clock's next wake)."""
    return session.scalar(select(func.min(Timer.due_at)).join(Instance, Instance.id == Timer.instance_id)
                          .where(Timer.state == "waiting", Timer.attempts < MAX_ATTEMPTS,
                                 Instance.state.not_in(PAUSED)))


class TimerService:
    """Fires due timers through the runtime; any number of these may run against one database."""

    def __init__(self, db, runtime, actor: Actor = SYSTEM_ACTOR, batch_size: int = 10):
        self.db, self.runtime, self.actor, self.batch_size = db, runtime, actor, batch_size

    def _fire(self, session: Session, timers: list[Timer], now: datetime, report: FireReport) -> list[int]:
        """Fire each claimed instance once; returns the ids of claimed timers that did not fire (not yet due
        to the engine, whose due time has sub-millisecond precision)."""
        for instance_id in dict.fromkeys(t.instance_id for t in timers):
            self.runtime.fire_timers(session, self.actor, instance_id)
        unfired = []
        for timer in timers:  # the same objects the projection step updated (one identity map)
            if timer.state == "fired":
                report.fired += 1
                report.lateness.append(((timer.fired_at or now) - timer.due_at).total_seconds())
            elif timer.state == "waiting":
                unfired.append(timer.id)
        return unfired

    def run_once(self, skip: set[int] | None = None) -> FireReport:
        """One claim-and-fire transaction of up to ``batch_size`` timers."""
        skip = skip if skip is not None else set()
        report = FireReport()
        ids: list[int] = []
        try:
            with self.db.transaction() as session:
                now = clock.now()
                timers = claim(session, now, self.batch_size, skip)
                ids = [t.id for t in timers]
                report.claimed = len(timers)
                skip.update(self._fire(session, timers, now, report))
        except Exception as err:  # one bad instance must not stop the others: retry them one by one
            if not ids:
                raise  # the claim itself failed (database away): the caller logs and tries again later
            if len(ids) == 1:
                self._failed(ids, err, skip)
                report.failed += len(ids)
                report.fired = 0
                report.lateness.clear()
                return report
            log.warning("timer batch %s failed (%s); retrying one by one", ids, err)
            report = FireReport()
            for timer_id in ids:
                report.add(self._run_single(timer_id, skip))
        return report

    def _run_single(self, timer_id: int, skip: set[int]) -> FireReport:
        report = FireReport()
        try:
            with self.db.transaction() as session:
                now = clock.now()
                timers = claim(session, now, 1, only=timer_id)
                report.claimed = len(timers)
                skip.update(self._fire(session, timers, now, report))
        except Exception as err:
            self._failed([timer_id], err, skip)
            report = FireReport(claimed=1, failed=1)
        return report

    def _failed(self, ids: list[int], err: Exception, skip: set[int]) -> None:
        skip.update(ids)
        if isinstance(err, Conflict):
            return  # a concurrent action won the instance; the timer is still due and will be claimed again
        log.error("timer(s) %s failed to fire: %s", ids, err, exc_info=not isinstance(err, EngineError))
        try:
            with self.db.transaction() as session:
                for timer in session.scalars(select(Timer).where(Timer.id.in_(ids), Timer.state == "waiting")):
                    timer.attempts = (timer.attempts or 0) + 1
                    timer.last_error = f"{type(err).__name__}: {err}"[:2000]
                    if timer.attempts >= MAX_ATTEMPTS:
                        timer_gave_up(session, timer)
                        log.error("timer %s failed %s times; no longer claimed until fired by hand",
                                  timer.id, timer.attempts)
        except EngineError as record_err:
            log.error("could not record the failure of timers %s: %s", ids, record_err)

    def run_pending(self, max_batches: int | None = None) -> FireReport:
        """Fire everything due now (catch-up after downtime included), batch after batch."""
        report, skip, batches = FireReport(), set(), 0
        while max_batches is None or batches < max_batches:
            batch = self.run_once(skip)
            report.add(batch)
            batches += 1
            if batch.claimed == 0:
                break
        return report

    def next_due(self) -> datetime | None:
        with self.db.transaction() as session:
            return next_due(session)


def fire_now(runtime, session: Session, actor: Actor, timer_id: int, reason: str) -> Timer:
    """An operator fires a waiting timer before its time, with a reason kept in the history."""
    timer = session.get(Timer, timer_id)
    if timer is None:
        raise NotFound(f"No timer {timer_id}.")
    instance = runtime.lock_instance(session, timer.instance_id)
    session.refresh(timer)
    if timer.state != "waiting" or instance.state in PAUSED:
        raise Conflict(f"Timer {timer_id} is {timer.state} (instance {instance.state}); only a waiting timer of a "
                       "live, unsuspended instance can fire.")
    workflow, definition = runtime._workflow(session, instance)
    spiff_task = workflow.get_task_from_id(UUID(timer.task_id))
    if spiff_task is None or spiff_task.state != TaskState.WAITING:
        raise Conflict(f"Timer {timer_id} no longer waits in the workflow.")
    past = (clock.now() - _EPSILON).isoformat()
    value = spiff_task.internal_data.get("event_value")
    if isinstance(spiff_task.task_spec.event_definition, CycleTimerEventDefinition) and isinstance(value, dict):
        spiff_task.internal_data["event_value"] = {**value, "next": past}
    else:
        spiff_task.internal_data["event_value"] = past
    runtime.record_event(session, instance, "timer_fire_requested", actor, element_id=timer.element_id,
                         task_id=timer.task_id, data={"timer_id": timer.id, "due_at": timer.due_at.isoformat(),
                                                      "reason": reason})
    runtime._advance(session, instance, workflow, definition, actor)
    session.refresh(timer)
    return timer


def timer_gave_up(session: Session, timer: Timer) -> Incident:
    """A poison timer: the worker stopped claiming it; the operator's retry fires it by hand."""
    now = clock.now()
    instance = session.get(Instance, timer.instance_id)
    incident = Incident(instance_id=timer.instance_id, process_key=instance.process_key,
                        process_version=instance.process_version, element_id=timer.element_id,
                        task_id=timer.task_id, timer_id=timer.id, kind="timer", error=timer.last_error or "",
                        attempts=timer.attempts, opened_at=now, updated_at=now)
    session.add(incident)
    return incident
