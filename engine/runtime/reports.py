"""Figures for the supervision dashboard, computed from the task table (no Flask here)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import assignment
from engine.access.actors import Actor
from engine.runtime.models import Definition, Instance, Task

RECENT_TASKS = 5000  # enough for a trend, bounded so the dashboard stays cheap on a large log


def cycle_times(session: Session, actor: Actor | None = None, limit: int = RECENT_TASKS) -> list[dict]:
    """Average and longest time from a task's creation to its completion, per process (lifecycle phase),
    over the most recently completed tasks; portable across SQLite and PostgreSQL by averaging in Python.
    An authority or secretary-general gets the figures of the instances it may see only (谁审批、谁监管: no
    counts or durations of another jurisdiction's work); auditors and process admins get every instance's."""
    query = (select(Task.process_key, Task.created_at, Task.completed_at)
             .where(Task.state == "completed", Task.completed_at.is_not(None)))
    if actor is not None and not (actor.has_role("process_admin") or actor.has_role("auditor")):
        query = query.join(Instance, Instance.id == Task.instance_id).where(assignment.visible_instances(actor))
    rows = session.execute(query.order_by(Task.completed_at.desc()).limit(limit))
    hours: dict[str, list[float]] = defaultdict(list)
    for key, created, completed in rows:
        hours[key].append((completed - created).total_seconds() / 3600)
    names = dict(session.execute(select(Definition.key, Definition.name).where(Definition.key.in_(list(hours)))
                                 .order_by(Definition.version)).all())
    return [{"process_key": key, "name": names.get(key), "tasks": len(values),
             "avg_hours": round(sum(values) / len(values), 2), "max_hours": round(max(values), 2)}
            for key, values in sorted(hours.items())]


def overdue_tasks(actor: Actor, committee: str | None = None, process_key: str | None = None) -> Select:
    """Open tasks past their due date in every instance the caller may see, most overdue first: the supervising
    authority watches all work under it (谁审批、谁监管), not only the tasks it may take itself."""
    query = (select(Task).join(Instance, Instance.id == Task.instance_id)
             .where(Task.state.in_(("ready", "claimed")), Task.due_at < clock.now(),
                    assignment.visible_instances(actor)))
    if committee:
        query = query.where(Task.committee == committee)
    if process_key:
        query = query.where(Task.process_key == process_key)
    return query.order_by(Task.due_at, Task.id)
