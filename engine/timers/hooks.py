"""What the runtime's projection step asks about timers (did one fire, a task's due date, what to record
when a new timer carries a calendar warning), and the commit hook that wakes the alarm clock when a
transaction stored a new timer or schedule. Kept apart so runtime.py stays small."""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import text
from sqlalchemy.orm import Session

from engine import clock
from engine.mail.models import MailOutbox
from engine.rules.expressions import TIMER_NOTE, TimerExpressionError, resolve
from engine.rules.profiles import selector
from engine.runtime.models import Timer
from engine.timers.models import Schedule

log = logging.getLogger("mtcflow.timers")
FIRED_STATES = (TaskState.READY, TaskState.STARTED, TaskState.COMPLETED)


def timer_definition(definition) -> TimerEventDefinition | None:
    """The timer of an event definition: itself, or the one inside an event-based gateway's multiple event
    (SpiffWorkflow keeps that timer's due time on the gateway task)."""
    if isinstance(definition, TimerEventDefinition):
        return definition
    if isinstance(definition, MultipleEventDefinition):
        return next((d for d in definition.event_definitions if isinstance(d, TimerEventDefinition)), None)
    return None


def timer_element(spiff_task, definition: TimerEventDefinition) -> tuple[str, str | None]:
    """The element id and name to show for a timer: for an event-based gateway, its timer catch event."""
    spec = spiff_task.task_spec
    if isinstance(getattr(spec, "event_definition", None), MultipleEventDefinition):
        for output in spec.outputs:
            if output.bpmn_name and output.bpmn_name == definition.name:
                return output.bpmn_id, output.bpmn_name
    return spec.bpmn_id or spec.name, spec.bpmn_name


def has_fired(spiff_task) -> bool:
    """A projected timer that left its (task, due) slot fired if the engine ran its task (or, for a cycle,
    moved on to the next occurrence); a cancelled or vanished task did not fire."""
    if spiff_task is None or spiff_task.state not in FIRED_STATES + (TaskState.WAITING,):
        return False
    if isinstance(getattr(spiff_task.task_spec, "event_definition", None), MultipleEventDefinition):
        # an event-based gateway completes whichever event won: the timer fired only if it was seen
        return any(isinstance(getattr(event, "event_definition", None), TimerEventDefinition)
                   for event in spiff_task.internal_data.get("seen_events", []))
    return True


def note(spiff_task) -> dict:
    """What the engine resolved for a timer task (rule, profile, due, warnings), for the timer row."""
    found = spiff_task.internal_data.get(TIMER_NOTE) or {}
    warnings = found.get("warnings") or []
    rule = f"{found['expression']} ({found['profile']})" if found.get("expression") else None
    return {"rule": rule, "warning": "; ".join(warnings) or None}


def bounded_dues(workflow, waiting) -> dict[str, datetime]:
    """The deadline each ready human task really has, by task id: the earliest interrupting boundary timer on
    it or on an activity around it (the 表决期限 on a vote's ballots), which its own ``mtc:due`` may not say."""
    dues: dict[str, datetime] = {}
    for timer_id, due in waiting:
        timer = workflow.get_task_from_id(UUID(timer_id))
        split = timer.parent if timer is not None else None
        if split is None or not isinstance(split.task_spec, BoundaryEventSplit) \
                or not getattr(timer.task_spec, "cancel_activity", False):
            continue
        for main in split.children:
            if isinstance(main.task_spec, BoundaryEvent):
                continue
            for task in workflow.get_tasks(first_task=main):
                if task.state == TaskState.READY and task.task_spec.manual:
                    key = str(task.id)
                    dues[key] = min(due, dues.get(key, due))
    return dues


def timer_created(runtime, session: Session, instance, timer_row, actor) -> None:
    """A new timer whose due date rests on a guessed calendar is recorded in the history, not just logged."""
    if timer_row.warning:
        runtime.record_event(session, instance, "calendar_warning", actor, element_id=timer_row.element_id,
                             task_id=timer_row.task_id,
                             data={"warning": timer_row.warning, "due_at": timer_row.due_at.isoformat()})


def task_due(runtime, session: Session, instance, row, expression: str | None, actor) -> datetime | None:
    """The due date of a new user task from its ``mtc:due`` (a profile key, duration or date)."""
    if not expression:
        return None
    try:
        level = selector(instance.level, getattr(instance, "jurisdiction", None))
        resolved = resolve(expression, "due", level, clock.now())
    except (TimerExpressionError, ValueError) as err:
        log.warning("task %s (%s): due date %r not resolved: %s", row.id, row.element_id, expression, err)
        warnings = [f"due date {expression!r} not resolved: {err}"]
        resolved = None
    else:
        warnings = resolved.warnings if resolved else []
    if warnings:
        runtime.record_event(session, instance, "calendar_warning", actor, task=row,
                             data={"warning": "; ".join(warnings), "due": expression})
    return resolved.due if resolved else None


# ----- waking the alarm clock when a transaction adds a timer or a schedule ------------------------------
NEW_DUE = "mtcflow.new_due"
CHANNEL = "mtcflow_timers"


class CommitWakers:
    """``callback(due)`` runs after every commit of one engine's sessions that stored a new timer, schedule or mail
    (the engine attaches this to its own Database, so another engine's commits never reach its workers)."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[[datetime], object]] = []

    def add(self, callback: Callable[[datetime], object]) -> None:
        self._callbacks.append(callback)

    def remove(self, callback: Callable[[datetime], object]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def attach(self, db) -> None:
        """Listen on ``db``'s sessions (an engine.db.session Database)."""
        db.listen("after_flush", _remember_new)
        db.listen("before_commit", _announce)
        db.listen("after_commit", self._wake)
        db.listen("after_rollback", _forget)

    def _wake(self, session: Session) -> None:
        due = session.info.pop(NEW_DUE, None)
        if due is not None:
            for callback in list(self._callbacks):
                callback(due)


def _remember(session: Session, due: datetime) -> None:
    known = session.info.get(NEW_DUE)
    session.info[NEW_DUE] = due if known is None or due < known else known


def _remember_new(session: Session, _flush_context) -> None:
    """Timers and schedules this flush inserted (``session.new`` still lists them in ``after_flush``)."""
    for target in session.new:
        if isinstance(target, Timer):
            _remember(session, target.due_at)
        elif isinstance(target, Schedule):
            _remember(session, clock.now())
        elif isinstance(target, MailOutbox):  # the worker drains the outbox too
            _remember(session, target.send_after)


def _announce(session: Session) -> None:
    """On PostgreSQL, tell workers in other processes too (delivered at commit, dropped on rollback)."""
    due = session.info.get(NEW_DUE)
    if due is not None and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :due)"), {"channel": CHANNEL, "due": due.isoformat()})


def _forget(session: Session) -> None:
    session.info.pop(NEW_DUE, None)
