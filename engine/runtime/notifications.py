"""Reminders, overdue warnings and escalation notices: records for the people a notify event names.

Diagram convention (README "Writing processes"): an end event or intermediate throw event carrying
``mtc:notify="reminder"`` (any kind word) notifies, each time a token reaches it, the holders of the
task whose boundary timer leads there (its assignee, else the users holding its role in the instance's
scope), or the holders of ``mtc:notifyRole`` when given. A cycle reminder that fires three times
notifies three times. Each notify event reached is one set of rows (unique per recipient), recorded in
the instance history as ``notification_sent``.
"""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine import clock
from engine.access import scopes
from engine.access.actors import Grant
from engine.access.models import RoleAssignment, User
from engine.errors import NotFound
from engine.runtime.models import Definition, Instance, Notification, Task

OPEN = ("ready", "claimed")


def notify_specs(definition: Definition) -> dict[str, dict]:
    """Notify events of every process the definition runs (its own and called ones), by element id."""
    found: dict[str, dict] = {}
    for process in (definition.meta or {}).get("processes", {}).values():
        found.update(process.get("notify") or {})
    return found


def role_holders(session: Session, role: str, instance: Instance) -> list[str]:
    """Active users whose grant of ``role`` covers the instance's scope."""
    rows = session.execute(select(User.username, RoleAssignment.scope).join(User, User.id == RoleAssignment.user_id)
                           .where(RoleAssignment.role == role, RoleAssignment.revoked_at.is_(None),
                                  User.active.is_(True)).order_by(User.username))
    return sorted({name for name, scope in rows if scopes.covers(Grant(role, scope), instance)})


def _about(session: Session, instance: Instance, element_id: str | None) -> list[Task]:
    if not element_id:
        return []
    rows = list(session.scalars(select(Task).where(Task.instance_id == instance.id, Task.element_id == element_id)
                                .order_by(Task.created_at.desc(), Task.id)))
    open_rows = [row for row in rows if row.state in OPEN]
    return open_rows or rows[:1]


def _recipients(session: Session, instance: Instance, info: dict, about: list[Task]) -> list[tuple[str | None, str]]:
    if info.get("role"):
        role = info["role"]
        return [(name, role) for name in role_holders(session, role, instance)] or [(None, role)]
    found: dict[str | None, str] = {}
    for task in about:
        if task.assignee:
            found.setdefault(task.assignee, task.role)
        else:
            for name in role_holders(session, task.role, instance) if task.role else []:
                found.setdefault(name, task.role)
    return list(found.items()) or [(None, about[0].role if about else None)]


def sync(runtime, session: Session, instance: Instance, workflow, actor, definition: Definition | None = None) -> int:
    """After an action: every notify event reached since the last one becomes notifications; returns how many
    events were new. Called from the runtime's projection step, inside the action's transaction."""
    definition = definition or session.get(Definition, instance.definition_id)
    specs = notify_specs(definition)
    if not specs:
        return 0
    # (a state filter on get_tasks prunes the walk below non-matching tasks and misses boundary paths)
    reached = [t for t in workflow.get_tasks() if t.state == TaskState.COMPLETED and t.task_spec.bpmn_id in specs]
    if not reached:
        return 0
    done = set(session.scalars(select(Notification.source_task_id).where(Notification.instance_id == instance.id)))
    now, new = clock.now(), 0
    for spiff_task in reached:
        if str(spiff_task.id) in done:
            continue
        info = specs[spiff_task.task_spec.bpmn_id]
        about = _about(session, instance, info.get("about"))
        task = about[0] if about else None
        recipients = _recipients(session, instance, info, about)
        subject = (task.name or task.element_id) if task else instance.process_key
        message = info.get("name") or f"{info['kind']}: {subject}"
        for recipient, role in recipients:
            session.add(Notification(recipient=recipient, role=role, kind=info["kind"], message=message,
                                     instance_id=instance.id, process_key=instance.process_key,
                                     element_id=spiff_task.task_spec.bpmn_id, source_task_id=str(spiff_task.id),
                                     task_id=task.id if task else None, task_name=task.name if task else None,
                                     due_at=task.due_at if task else None, created_at=now))
        runtime.record_event(session, instance, "notification_sent", actor, element_id=spiff_task.task_spec.bpmn_id,
                             task_id=task.id if task else None,
                             data={"kind": info["kind"], "message": message,
                                   "recipients": [r for r, _ in recipients if r], "role": recipients[0][1]})
        new += 1
    return new


def for_user(session: Session, username: str, unread: bool = False):
    """The query of a user's own notifications, newest first."""
    query = select(Notification).where(Notification.recipient == username)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def unread_count(session: Session, username: str) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.recipient == username, Notification.read_at.is_(None)))


def mark_read(session: Session, username: str, notification_id: int) -> Notification:
    """Only the recipient can mark a notification; anyone else gets 404, as if it did not exist."""
    row = session.get(Notification, notification_id)
    if row is None or row.recipient != username:
        raise NotFound(f"No notification {notification_id} for you.")
    if row.read_at is None:
        row.read_at = clock.now()
    return row


def mark_all_read(session: Session, username: str) -> int:
    result = session.execute(update(Notification).where(Notification.recipient == username,
                                                        Notification.read_at.is_(None)).values(read_at=clock.now()))
    return result.rowcount or 0
