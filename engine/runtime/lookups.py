"""What readers ask of one instance: the tasks still open and the timers still waiting, in display order."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.runtime.models import Task, Timer

OPEN = ("ready", "claimed")


def open_tasks(session: Session, instance_id: str) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.instance_id == instance_id, Task.state.in_(OPEN))
                                .order_by(Task.created_at, Task.id)))


def waiting_timers(session: Session, instance_id: str) -> list[Timer]:
    return list(session.scalars(select(Timer).where(Timer.instance_id == instance_id, Timer.state == "waiting")
                                .order_by(Timer.due_at)))


def held_tasks(session: Session, username: str) -> list[str]:
    """Ids of the open tasks a user holds, so a deactivation can name what to reassign."""
    return list(session.scalars(select(Task.id).where(Task.assignee == username, Task.state.in_(OPEN))))
