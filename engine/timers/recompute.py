"""Waiting timers whose due date was counted on the weekday fallback, counted again once the year's official
schedule is entered: the due date moves, the row says why, and the history records both dates."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.history.models import Event
from engine.rules import workdays
from engine.rules.expressions import TIMER_NOTE, TimerExpressionError, resolve
from engine.rules.profiles import selector
from engine.runtime.models import Instance, Task, Timer
from engine.timers.hooks import timer_definition

ENDED = ("completed", "cancelled")


def fallback_marker(year: int) -> str:
    """The words every fallback warning for ``year`` carries (see WorkCalendar.missing_year_warning)."""
    return f"no official holiday schedule for {year}"


def recompute_year(runtime, session: Session, actor, year: int) -> list[Timer]:
    """Every waiting timer computed without ``year``'s schedule, counted again from the moment it started."""
    rows = session.scalars(select(Timer).where(Timer.state == "waiting",
                                               Timer.warning.contains(fallback_marker(year)))
                           .order_by(Timer.instance_id, Timer.id))
    by_instance: dict[str, list[Timer]] = defaultdict(list)
    for row in rows:
        by_instance[row.instance_id].append(row)
    moved: list[Timer] = []
    for instance_id, timers in by_instance.items():
        instance = runtime.lock_instance(session, instance_id)
        if instance.state in ENDED:
            continue
        workflow, definition = runtime._workflow(session, instance)
        changed = [row for row in timers if _recount(runtime, session, instance, workflow, row, year, actor)]
        if changed:
            runtime._advance(session, instance, workflow, definition, actor)
            moved.extend(changed)
    return moved


def _recount(runtime, session: Session, instance: Instance, workflow, row: Timer, year: int, actor) -> bool:
    spiff_task = workflow.get_task_from_id(UUID(row.task_id))
    if spiff_task is None or spiff_task.state != TaskState.WAITING:
        return False
    definition = timer_definition(getattr(spiff_task.task_spec, "event_definition", None))
    note = spiff_task.internal_data.get(TIMER_NOTE) or {}
    if definition is None or isinstance(definition, CycleTimerEventDefinition) or not note.get("expression"):
        return False
    started = _started(session, row, note)
    kind = "timeDuration" if isinstance(definition, DurationTimerEventDefinition) else "timeDate"
    try:
        resolved = resolve(note["expression"], kind, selector(instance.level, instance.jurisdiction), started)
    except (TimerExpressionError, ValueError):
        return False
    if resolved is None or resolved.due is None:
        return False
    was, due = row.due_at, _millis(resolved.due)
    spiff_task.internal_data["event_value"] = due.isoformat()
    spiff_task.internal_data[TIMER_NOTE] = {**resolved.note, "from": started.isoformat()}
    source = workdays.current().source(year)
    row.due_at, row.warning = due, "; ".join(resolved.warnings) or None
    row.note = (f"{clock.now().date().isoformat()} 按 {year} 年法定节假日安排（{source}）重新计算："
                f"原 {_local(was)}，现 {_local(due)}")
    for task in session.scalars(select(Task).where(Task.instance_id == instance.id, Task.due_at == was)):
        task.due_at = due  # a task bounded by this timer (a vote's ballots) is due when it is
    runtime.record_event(session, instance, "timer_recomputed", actor, element_id=row.element_id,
                         task_id=row.task_id, data={"timer_id": row.id, "year": year, "source": source,
                                                    "was": was.isoformat(), "due_at": due.isoformat()})
    return True


def _started(session: Session, row: Timer, note: dict) -> datetime:
    """When the timer began counting: kept in its note since issue 16, else the calendar warning recorded then."""
    if note.get("from"):
        return datetime.fromisoformat(note["from"])
    at = session.scalar(select(Event.at).where(Event.stream == row.instance_id, Event.task_id == row.task_id,
                                               Event.type == "calendar_warning").order_by(Event.seq).limit(1))
    return at if at is not None else clock.now()


def _millis(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(microsecond=(moment.microsecond // 1000) * 1000)


def _local(moment: datetime) -> str:
    return moment.astimezone(workdays.BEIJING).strftime("%Y-%m-%d %H:%M")
