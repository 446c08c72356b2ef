"""Who may see and do what, checked inside the action's transaction, against the grants as they are now.

Order of every check: visibility (an instance outside all of the caller's scopes answers 404, as if it
did not exist) → the task is open (409) → auditors change nothing → lane role within scope (``lane-role``,
``scope``, ``BR7``, ``BR11``) → duty rules (engine.access.duties) → the holder of a claimed task (409).
"""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import Boolean, ColumnElement, Select, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.visitors import InternalTraversal

from engine.access import accounts as users
from engine.access import duties, scopes
from engine.access.actors import ADMIN_ROLES, AUDITOR, Actor, Grant
from engine.access.models import User
from engine.errors import Conflict, Forbidden, NotFound, Unauthorized
from engine.runtime.models import Definition, Instance, Task

OPEN = ("ready", "claimed")
ASSIGN_ROLES = frozenset({"authority", "secretariat", "secretary_general"})
CANCEL_ROLES = ASSIGN_ROLES


def current(session: Session, actor: Actor) -> Actor:
    """The actor as the database knows it at this moment: a grant revoked after the request (or after a
    claim) no longer counts. Actors that are not stored users (embedded scripts) are taken as given."""
    if actor.is_system:
        return actor
    user, stored = users.user_and_actor(session, actor.username)
    if user is None:
        return actor
    if not user.active:
        raise Unauthorized("The account is deactivated.")
    return stored


# ----- visibility --------------------------------------------------------------------------------------
def can_see(session: Session, actor: Actor, instance: Instance) -> bool:
    """Auditors see everything; others see instances their business grants cover, that they started, or in
    which a task was given to them (a completed task keeps its assignee: completing is for the holder).
    Admin roles alone see no business data."""
    if actor.is_system or actor.is_auditor:
        return True
    if any(scopes.covers(g, instance) for g in actor.business_grants) or instance.started_by == actor.username:
        return True
    return session.scalar(select(Task.id).where(Task.instance_id == instance.id, Task.assignee == actor.username)
                          .limit(1)) is not None


class _InSubquery(ColumnElement):
    """``column IN (subquery)``, written ``column = ANY(ARRAY(subquery))`` on PostgreSQL: evaluated once and
    answered from the column's index even as one branch of an OR (a plain IN subquery there becomes a
    filter, and the whole OR a scan of every instance)."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: no "= 1" around it on SQLite
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("query", InternalTraversal.dp_clauseelement)]

    def __init__(self, column, query):
        self.column, self.query = column, query


@compiles(_InSubquery)
def _in_subquery(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} IN ({compiler.process(element.query, **kw)})"


@compiles(_InSubquery, "postgresql")
def _any_array(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY({compiler.process(element.query, **kw)}))"


def visible_instances(actor: Actor):
    """:func:`can_see` as an SQL condition on Instance, for lists and searches; every branch of the OR is
    answered from an index."""
    if actor.is_system or actor.is_auditor:
        return true()
    me = actor.username
    clauses = [scopes.cover_clause(g, Instance) for g in set(actor.business_grants)]
    clauses.append(Instance.started_by == me)
    clauses.append(_InSubquery(Instance.id, select(Task.instance_id).where(Task.assignee == me).correlate(None)))
    return or_(*clauses)


INSTANCE_FILTERS = ("process_key", "state", "business_key", "committee", "specification", "level", "jurisdiction")


def search_instances(actor: Actor, **filters) -> Select:
    """The instances the actor may see, newest first; each filter in :data:`INSTANCE_FILTERS` that is set must
    match exactly."""
    query = select(Instance).where(visible_instances(actor)).order_by(Instance.created_at.desc(), Instance.id)
    for name in INSTANCE_FILTERS:
        if filters.get(name):
            query = query.where(getattr(Instance, name) == filters[name])
    if filters.get("q"):
        query = query.where(_matches(filters["q"].strip()))
    return query


def _matches(text: str) -> ColumnElement[bool]:
    """Part of the business key, committee, specification or process key, or of the process's name (中文名)."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    named = select(Definition.key).where(Definition.name.ilike(pattern, escape="\\")).correlate(None)
    return or_(*(column.ilike(pattern, escape="\\") for column in (
        Instance.business_key, Instance.committee, Instance.specification, Instance.process_key)),
        Instance.process_key.in_(named))


def sees_specification(session: Session, actor: Actor, specification: str) -> bool:
    """Whether the actor sees at least one instance about the specification (its secretariat, say)."""
    return session.scalar(select(Instance.id).where(Instance.specification == specification,
                                                    visible_instances(actor)).limit(1)) is not None


def visible_instance(session: Session, actor: Actor, instance_id: str) -> Instance:
    """The instance, or the same 404 as for an unknown id when it lies outside the actor's scopes."""
    instance = session.get(Instance, instance_id)
    if instance is None or not can_see(session, actor, instance):
        raise NotFound(f"No instance with id '{instance_id}'.")
    return instance


def visible_task(session: Session, actor: Actor, task_id: str) -> Task:
    """The task, or the same 404 as for an unknown id when its instance lies outside the actor's scopes."""
    task = session.get(Task, task_id)
    if task is None or not can_see(session, actor, session.get(Instance, task.instance_id)):
        raise NotFound(f"No task with id '{task_id}'.")
    return task


# ----- who may act ---------------------------------------------------------------------------------
def require_writer(actor: Actor) -> None:
    """Auditors read everything and change nothing."""
    if actor.roles and actor.roles <= {AUDITOR}:
        raise Forbidden("Auditors have read-only access.", rule="auditor-read-only")


def acting_grants(actor: Actor, role: str | None, target) -> list[Grant]:
    """Grants through which ``actor`` works a task of ``role`` on ``target``: the role (any business role for
    a task outside lanes), a scope that covers the target, and BR11 routing."""
    return [g for g in actor.grants if g.role != AUDITOR and (g.role == role if role else g.is_business)
            and scopes.covers(g, target) and duties.routes_to(g, target)]


def require_can_work(session: Session, actor: Actor, task: Task, instance: Instance) -> None:
    """Lane role within scope, then the duty rules; a Forbidden names the rule that refused."""
    if not acting_grants(actor, task.role, instance):
        raise _refusal(actor, task, instance)
    duties.check(session, actor, task, instance)


def _refusal(actor: Actor, task: Task, instance: Instance) -> Forbidden:
    label, role = task.name or task.element_id, task.role
    if task.duty == duties.VOTE and duties.refused_vote(actor, instance):
        return Forbidden("Corresponding members and observers do not vote; their opinions are recorded "
                         "separately.", rule="BR7")
    holding = [g for g in actor.grants if g.role == role] if role else list(actor.business_grants)
    if holding and role in duties.LEVEL_BOUND_ROLES:
        return Forbidden(f"Task '{label}' is for the authority that approved this {instance.level or ''} "
                         "instance (谁审批、谁监管); your authority assignment is for another level or "
                         "jurisdiction.", rule="BR11")
    if holding:
        return Forbidden(f"You hold role '{role or holding[0].role}', but not for this instance's scope.",
                         rule="scope")
    if actor.roles and actor.roles <= ADMIN_ROLES:
        return Forbidden(f"Task '{label}' is a business decision for role '{role}'; administrators take none.",
                         rule="lane-role")
    return Forbidden(f"Task '{label}' is for role '{role}'; your role assignments do not include it for this "
                     "instance.", rule="lane-role")


def require_holder(actor: Actor, task: Task) -> None:
    """Completing or releasing a claimed task is for its assignee only."""
    if task.assignee and task.assignee != actor.username:
        raise Conflict(f"Task '{task.name or task.element_id}' is claimed by another user.")


def authorize(session: Session, actor: Actor, task: Task, instance: Instance, action: str) -> Actor:
    """Check ``action`` (claim, unclaim, assign, complete) on ``task``; returns the current actor."""
    actor = current(session, actor)
    if not can_see(session, actor, instance):
        raise NotFound(f"No task with id '{task.id}'.")
    if task.state not in OPEN:
        raise Conflict(f"Task '{task.name or task.element_id}' is {task.state}, not open.")
    if actor.is_system:
        return actor
    require_writer(actor)
    if action == "unclaim":
        if task.assignee is None:
            raise Conflict("The task is not claimed.")
        require_holder(actor, task)
    elif action == "assign":
        if not any(g.role in ASSIGN_ROLES for g in acting_any(actor, instance)):
            raise Forbidden("Only the secretariat or the approving authority of this instance's scope may "
                            "reassign its tasks.", rule="assign")
    else:
        require_can_work(session, actor, task, instance)
        if action == "complete":
            require_holder(actor, task)
    return actor


def acting_any(actor: Actor, target) -> list[Grant]:
    """Grants of any role that reach ``target`` (scope and BR11 routing): who may reassign, cancel, signal."""
    return [g for g in actor.grants if scopes.covers(g, target) and duties.routes_to(g, target)]


def require_assignable(session: Session, username: str, task: Task, instance: Instance) -> None:
    """The new assignee must be an active user who could claim the task themselves. No such account, a
    deactivated one and one without the lane role here get one answer, so assigning reveals neither who exists
    nor what roles they hold; the duty rules of this task (BR3, BR4, BR7) still say which one refused."""
    user = session.scalar(select(User).where(User.username == username))
    target = users.actor_for(session, user) if user is not None and user.active else None
    if target is None or not acting_grants(target, task.role, instance):
        raise Forbidden(f"'{username}' cannot take this task: no active account of that name holds its role for "
                        "this instance.", rule="assign")
    try:
        duties.check(session, target, task, instance)
    except Forbidden as err:
        raise Forbidden(f"'{username}' cannot take this task: {err.detail}", rule=err.rule) from err


def require_can_start(session: Session, actor: Actor, definition: Definition, scope: dict) -> None:
    """Starting is for the role of the start event's lane (any business role when it has none), within
    the new instance's scope."""
    actor = current(session, actor)
    if actor.is_system:
        return
    require_writer(actor)
    target = SimpleNamespace(**scope)
    roles = definition.meta.get("processes", {}).get(definition.key, {}).get("start_roles") or []
    candidates = [g for g in actor.business_grants if not roles or g.role in roles]
    if any(scopes.covers(g, target) and duties.routes_to(g, target) for g in candidates):
        return
    if not candidates:
        who = f"role {', '.join(roles)}" if roles else "a business role"
        raise Forbidden(f"Process '{definition.key}' is started by {who}.", rule="lane-role")
    rule = "BR11" if all(g.role in duties.LEVEL_BOUND_ROLES for g in candidates) else "scope"
    raise Forbidden("Your role assignments do not cover the scope of the new instance.", rule=rule)


def require_can_cancel(session: Session, actor: Actor, instance: Instance) -> None:
    """The starter (still holding a role there), the secretariat or the approving authority of its scope."""
    actor = current(session, actor)
    if actor.is_system:
        return
    if not can_see(session, actor, instance):
        raise NotFound(f"No instance with id '{instance.id}'.")
    require_writer(actor)
    grants = [g for g in acting_any(actor, instance) if g.is_business]
    if any(g.role in CANCEL_ROLES for g in grants) or (grants and instance.started_by == actor.username):
        return
    raise Forbidden("Only the starter, the secretariat or the approving authority of this instance may "
                    "cancel it.", rule="cancel")


def can_signal(session: Session, actor: Actor, instance: Instance) -> bool:
    """Messages reach only instances the sender acts on through a business role; others stay unseen."""
    actor = current(session, actor)
    return actor.is_system or any(g.is_business for g in acting_any(actor, instance))
