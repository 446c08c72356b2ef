"""委员履职情况: what each appointed member did in a year — ballots cast, opinions given, drafting and review
work, attendance at the votes they were called to — counted from the completed tasks in the history."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.assessment.evidence import Indicator, in_year, item, year_bounds
from engine.committees import registry
from engine.committees.models import Committee, CommitteeMember
from engine.errors import NotFound
from engine.history.models import Event
from engine.runtime.models import Instance, Task

NAMES = {"ballots_cast": "审定投票", "opinions_given": "提出意见", "drafting_work": "起草工作",
         "review_work": "主审工作", "attendance": "表决出席"}


def _kind(task: Task) -> str | None:
    if task.duty == "vote":
        return "ballots_cast"
    if task.duty == "chief_review":
        return "review_work"
    if task.role == "drafter":
        return "drafting_work"
    if task.role in ("corresponding_member", "observer") or task.duty == "observe":
        return "opinions_given"
    return None


def _opened(session: Session, code: str, year: int) -> list[Event]:
    """The review votes opened in the year, with the member ids their voting base held (BR14)."""
    start, end = year_bounds(year)
    events = session.scalars(select(Event).join(Instance, Instance.id == Event.stream).where(
        Instance.committee == code, Event.type == "registry_changed", Event.at >= start, Event.at < end)
        .order_by(Event.at, Event.id))
    return [e for e in events if (e.data or {}).get("action") == "review_opened"]


def member_figures(session: Session, committee: Committee, member: CommitteeMember, year: int,
                   completed: list[tuple[Event, Task]], opened: list[Event]) -> dict:
    figures = {key: Indicator(key, name) for key, name in NAMES.items()}
    voted_in: set[str] = set()
    for event, task in completed:
        if task.completed_by != member.username:
            continue
        kind = _kind(task)
        if kind is None:
            continue
        figures[kind].count(True, item(event, task_id=task.id, element_id=task.element_id,
                                       specification=task.specification))
        if kind == "ballots_cast":
            voted_in.add(event.stream)
    attendance = figures["attendance"]
    for event in opened:
        if member.id in ((event.data or {}).get("voting_base") or []):
            attended = event.stream in voted_in
            attendance.count(attended, item(event, ok=attended, specification=(event.data or {}).get("specification")))
    views = {key: indicator.view() for key, indicator in figures.items()}
    return {"member_id": member.id, "username": member.username, "name": member.name, "role": member.role,
            "unit": member.unit, "figures": {k: {x: v[x] for x in ("value", "total", "rate", "event_ids",
                                                                    "instance_ids")} for k, v in views.items()},
            "evidence": {k: v["items"] for k, v in views.items()}}


def compute(session: Session, code: str, year: int, username: str | None = None) -> dict:
    """Every member of the current composition (or one), with the figures of ``year``."""
    committee = registry.get(session, code)
    if committee is None:
        raise NotFound(f"No committee '{code}'.")
    start, end = year_bounds(year)
    completed = [(e, t) for e, t in session.execute(
        select(Event, Task).join(Task, Task.id == Event.task_id).where(
            Task.committee == code, Event.type == "task_completed", Event.at >= start, Event.at < end)
        .order_by(Event.at, Event.id)).all() if in_year(e.at, year)]
    opened = _opened(session, code, year)
    members = [m for m in registry.members(session, committee) if username is None or m.username == username]
    return {"committee": code, "year": year,
            "members": [member_figures(session, committee, m, year, completed, opened) for m in members]}
