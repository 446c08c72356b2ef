"""Who may take a task: the lane's role within the instance's scope."""
from __future__ import annotations

from .actors import Actor, Grant
from .errors import Conflict, Forbidden
from .models import Task


def scope_matches(grant: Grant, task: Task) -> bool:
    """A grant without scope is global; ``committee/X`` and ``spec/X`` match the task's instance scope."""
    if grant.scope is None:
        return True
    kind, _, value = grant.scope.partition("/")
    if kind == "committee":
        return task.committee == value
    if kind == "spec":
        return task.specification == value
    return False


def can_work(actor: Actor, task: Task) -> bool:
    if task.role is None:
        return True
    return any(g.role == task.role and scope_matches(g, task) for g in actor.grants)


def require_can_work(actor: Actor, task: Task) -> None:
    if not can_work(actor, task):
        raise Forbidden(f"Task '{task.name or task.element_id}' is for role '{task.role}'; your role "
                        "assignments do not include it for this instance.", rule="lane-role")


def require_holder(actor: Actor, task: Task) -> None:
    """Completing a claimed task is for its assignee only."""
    if task.assignee and task.assignee != actor.username:
        raise Conflict(f"Task '{task.name or task.element_id}' is claimed by another user.")


CANCEL_ROLES = {"authority", "secretariat", "secretary_general"}


def require_can_cancel(actor: Actor, started_by: str | None) -> None:
    if actor.username == started_by or actor.roles & CANCEL_ROLES:
        return
    raise Forbidden("Only the starter, the secretariat or the authority may cancel an instance.",
                    rule="cancel")


def grant_filter(actor: Actor, task_table):
    """SQL condition: tasks whose role and scope one of the actor's grants covers."""
    from sqlalchemy import and_, false, or_

    clauses = []
    for grant in actor.grants:
        condition = task_table.role == grant.role
        if grant.scope:
            kind, _, value = grant.scope.partition("/")
            if kind == "committee":
                condition = and_(condition, task_table.committee == value)
            elif kind == "spec":
                condition = and_(condition, task_table.specification == value)
            else:
                continue
        clauses.append(condition)
    clauses.append(task_table.role.is_(None))
    return or_(*clauses) if clauses else false()


ASSIGN_ROLES = {"authority", "secretariat", "secretary_general"}


def require_can_assign(actor: Actor, task: Task) -> None:
    if any(g.role in ASSIGN_ROLES and scope_matches(g, task) for g in actor.grants):
        return
    raise Forbidden("Only the secretariat or the authority of this instance's scope may reassign tasks.",
                    rule="assign")
