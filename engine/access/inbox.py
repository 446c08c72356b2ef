"""The task inbox as one SQL query: tasks assigned to me, and open tasks my grants let me take.

"Claimable" applies the same rules as a claim (lane role within scope, BR11 routing, BR3/BR4/BR7 duty
exclusions) so the inbox shows what a claim would allow; only the per-ballot rules (one ballot per
voter, the drafting-unit share of a vote) wait for the claim itself. Each grant becomes one OR branch
that an index on (role, <scope column>, state) answers, so the cost follows the caller's tasks, not
the table.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, bindparam, false, not_, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import duties, scopes
from engine.access.actors import AUDITOR, Actor
from engine.runtime.models import Task

OPEN = ("ready", "claimed")
# Open states as SQL literals (not parameters): the query planners may then prove the partial index
# ix_tasks_open_due_order (migration 0011) applies, which they cannot for a bound parameter.
OPEN_STATES = Task.state.in_(bindparam("open_states", OPEN, expanding=True, literal_execute=True))
TOTAL_CAP = 10_000  # GET /tasks counts at most this many (+1) rows; past it the total is reported as capped
SORTS = {
    "due_at": (Task.due_at.is_(None), Task.due_at, Task.created_at, Task.id),
    "-due_at": (Task.due_at.is_(None), Task.due_at.desc(), Task.created_at, Task.id),
    "created_at": (Task.created_at, Task.id),
    "-created_at": (Task.created_at.desc(), Task.id),
    "-completed_at": (Task.completed_at.desc(), Task.id),
}
FILTERS = ("process_key", "instance_id", "committee", "specification", "level", "jurisdiction", "duty")


def _order(grant) -> tuple:
    """Grants of the same kinds give the same SQL shape, so SQLAlchemy's statement cache hits."""
    scope = scopes.parse(grant.scope)
    return (scope.kind if scope else "", scope.jurisdiction is not None if scope else False, str(grant))


def workable(actor: Actor) -> list:
    """Tasks ``actor`` may take by lane role and scope, as OR branches each fully conjunctive (so SQLite's
    multi-index OR and PostgreSQL's BitmapOr answer each from an index on (role, <scope column>, state)):
    a lane role held with a covering scope (any business role for tasks outside lanes), routed to the right
    authority (BR11), ready (so unclaimed). The duty rules apply on top (:func:`query`)."""
    grants = sorted({g for g in actor.grants if g.role != AUDITOR}, key=_order)
    takeable = (Task.state == "ready",)  # ready ⇔ unassigned (claim/assign make it "claimed")
    branches = [and_(Task.role == g.role, scopes.cover_clause(g, Task), duties.routing_clause(g, Task), *takeable)
                for g in grants]
    branches += [and_(Task.role.is_(None), scopes.cover_clause(g, Task), *takeable) for g in grants if g.is_business]
    return branches


def query(session: Session, actor: Actor, *, mine: bool = False, claimable: bool = False, actionable: bool = False,
          state: str = "open", due_before: datetime | None = None, overdue: bool = False, q: str | None = None,
          sort: str = "due_at", **filters) -> Select:
    """Without ``mine``/``claimable``: both (auditors: every task, read-only). ``actionable`` keeps only what
    the caller can work now: no auditor's read-all, no other ballot of a vote they already hold or cast.
    Sorted by due date by default (no due date last)."""
    query = select(Task).where(OPEN_STATES if state == "open" else Task.state == state)
    assigned = [Task.assignee == actor.username] if mine or not claimable else []
    takeable = workable(actor) if claimable or not mine else []
    if actor.is_auditor and not (mine or claimable or actionable):
        assigned = takeable = []
    elif not assigned + takeable:
        query = query.where(false())
    else:
        query = query.where(or_(*assigned, *takeable))
    if takeable:
        query = query.where(or_(*assigned, duties.inbox_clause(actor)))
        if actionable:
            query = query.where(or_(*assigned, not_(duties.ballot_taken_clause(actor))))
    for name in FILTERS:
        if filters.get(name):
            query = query.where(getattr(Task, name) == filters[name])
    if q:
        query = query.where(or_(*(column.icontains(q, autoescape=True) for column in
                                  (Task.name, Task.process_key, Task.committee, Task.specification))))
    if due_before:
        query = query.where(Task.due_at < due_before)
    if overdue:
        query = query.where(Task.due_at < clock.now(), Task.state.in_(OPEN))
    return query.order_by(*SORTS[sort])
