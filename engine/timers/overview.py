"""Timers as operators see them: listed by due time across instances, with the state the worker gave them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine.access import assignment
from engine.access.actors import Actor
from engine.errors import NotFound
from engine.runtime.models import Instance, Timer
from engine.timers.service import MAX_ATTEMPTS


def state_of(timer: Timer) -> str:
    """``failed``: still waiting in the workflow, but firing failed too often; the worker leaves it alone."""
    if timer.state == "waiting" and (timer.attempts or 0) >= MAX_ATTEMPTS:
        return "failed"
    return timer.state


def _scoped(query: Select, actor: Actor) -> Select:
    """Process admins and auditors see every timer (operational data); an authority those of its scopes."""
    if actor.has_role("process_admin") or actor.has_role("auditor"):
        return query
    return query.where(assignment.visible_instances(actor))


def listing(actor: Actor, now: datetime, *, state: str = "waiting", overdue: bool = False,
            due_before: datetime | None = None, due_after: datetime | None = None, with_warning: bool = False,
            process_key: str | None = None, instance_id: str | None = None, element_id: str | None = None,
            committee: str | None = None) -> Select:
    """Timers the actor may see, by due time; ``state`` is a stored state, ``failed`` or ``all``."""
    query = select(Timer).join(Instance, Instance.id == Timer.instance_id)
    if state == "failed":
        query = query.where(Timer.state == "waiting", Timer.attempts >= MAX_ATTEMPTS)
    elif state != "all":
        query = query.where(Timer.state == state)
    if overdue:
        query = query.where(Timer.state == "waiting", Timer.due_at < now)
    if due_before:
        query = query.where(Timer.due_at < due_before)
    if due_after:
        query = query.where(Timer.due_at >= due_after)
    for value, column in ((process_key, Instance.process_key), (instance_id, Timer.instance_id),
                          (element_id, Timer.element_id), (committee, Instance.committee)):
        if value:
            query = query.where(column == value)
    if with_warning:
        query = query.where(Timer.warning.is_not(None))
    return _scoped(query, actor).order_by(Timer.due_at, Timer.id)


def visible(session: Session, actor: Actor, timer_id: int) -> Timer:
    """The timer, or the same 404 as for an unknown id when the actor may not see its instance."""
    timer = session.get(Timer, timer_id)
    if timer is None or not session.scalar(_scoped(select(Instance.id).where(Instance.id == timer.instance_id),
                                                   actor)):
        raise NotFound(f"No timer {timer_id}.")
    return timer
