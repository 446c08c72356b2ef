"""Needs collection (需求征集, 十一 广泛征集需求): a committee or an authority opens a call; anyone submits a need
on the public board, or a registered unit through its account; the secretariat screens each one."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.actors import Actor
from engine.committees import registry as committees
from engine.errors import Conflict, InvalidInput, NotFound
from engine.notices import board
from engine.plans import access
from engine.plans.models import Need, NeedCall

NEED_FIELDS = ("title", "field", "reason", "unit", "contact")
DECISIONS = ("accept", "decline")


def open_call(session: Session, actor: Actor, title: str, description: str | None, committee: str | None,
              level: str | None, jurisdiction: str | None, closes_at: datetime | None) -> NeedCall:
    """A committee's call takes its level from the registry; an authority's own call names its level."""
    if committee:
        row = committees.require(session, committee)
        level, jurisdiction = row.level, row.jurisdiction
    elif not level:
        raise InvalidInput("A call names its committee, or (an authority's call) its level.",
                           [{"field": "level", "message": "required without committee"}])
    call = NeedCall(title=title.strip(), description=(description or "").strip() or None, committee=committee,
                    level=level, jurisdiction=jurisdiction if level != "national" else None,
                    opened_by=actor.username, opened_at=clock.now())
    access.require(actor, call)
    if closes_at is None:
        closes_at, _ = board.window_end("need_call_window", call.level, call.jurisdiction, call.opened_at)
    elif closes_at <= call.opened_at:
        raise InvalidInput("A call closes after it opens.", [{"field": "closes_at", "message": "in the past"}])
    call.closes_at = closes_at
    session.add(call)
    session.flush()
    return call


def get_call(session: Session, call_id: int) -> NeedCall:
    call = session.get(NeedCall, call_id)
    if call is None:
        raise NotFound(f"No call for needs {call_id}.")
    return call


def calls(session: Session, open_only: bool = False) -> list[NeedCall]:
    query = select(NeedCall).order_by(NeedCall.id.desc())
    if open_only:
        query = query.where(NeedCall.closes_at > clock.now())
    return list(session.scalars(query))


def submit(session: Session, call_id: int, fields: dict, username: str | None) -> Need:
    """A need while the call is open: from the board (``username`` None) or from an account."""
    call = get_call(session, call_id)
    if clock.now() >= call.closes_at:
        raise Conflict(f"The call closed at {call.closes_at.isoformat()}.", closes_at=call.closes_at.isoformat())
    values = {k: str(fields.get(k) or "").strip() for k in NEED_FIELDS}
    missing = [k for k, v in values.items() if not v]
    if missing:
        raise InvalidInput("A need gives title, field, reason, unit and contact.",
                           [{"field": k, "message": "required"} for k in missing])
    need = Need(call_id=call.id, submitted_by=username, submitted_at=clock.now(), status="submitted", **values)
    session.add(need)
    session.flush()
    return need


def needs_of(session: Session, call_id: int) -> list[Need]:
    return list(session.scalars(select(Need).where(Need.call_id == call_id).order_by(Need.id)))


def get_need(session: Session, need_id: int) -> tuple[Need, NeedCall]:
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound(f"No need {need_id}.")
    return need, get_call(session, need.call_id)


def screen(session: Session, actor: Actor, need_id: int, decision: str, reason: str | None) -> Need:
    """Accept into the plan, or decline with a reason (the submitter is owed one)."""
    need, call = get_need(session, need_id)
    access.require(actor, call)
    if decision not in DECISIONS:
        raise InvalidInput("decision is accept or decline.", [{"field": "decision"}])
    reason = (reason or "").strip() or None
    if decision == "decline" and not reason:
        raise InvalidInput("A declined need states why.", [{"field": "reason", "message": "required to decline"}])
    if need.status != "submitted":
        raise Conflict(f"Need {need_id} was already screened ({need.status}).")
    need.status = "accepted" if decision == "accept" else "declined"
    need.screened_by, need.screened_at, need.screen_reason = actor.username, clock.now(), reason
    return need
