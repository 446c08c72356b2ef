"""The chief-reviewer (主审人) register of each committee (62号 十, 主审人资格制度): who is qualified, in which field,
granted by the committee (its secretariat or secretary-general) or by its approving authority (BR11); P9's
secretariat designates the chief reviewer of a specification from it (BR3, BR4 checked at designation)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import duties, scopes
from engine.access.actors import Actor
from engine.access.models import User
from engine.committees import registry
from engine.committees.models import ChiefReviewer
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound

BODIES = {"committee": ("secretariat", "secretary_general"), "authority": ("authority",)}


class _Target:
    """The committee as a scope target (committee, level, jurisdiction)."""

    def __init__(self, committee) -> None:
        self.committee, self.specification = committee.code, None
        self.level, self.jurisdiction = committee.level, committee.jurisdiction


def _require_body(actor: Actor, committee, body: str) -> None:
    target = _Target(committee)
    roles = BODIES[body]
    if not any(g.role in roles and scopes.covers(g, target) and duties.routes_to(g, target) for g in actor.grants):
        who = "its secretariat or secretary-general" if body == "committee" else "its approving authority"
        raise Forbidden(f"Only {who} keeps the chief-reviewer register of {committee.code} as granted by the "
                        f"{body}.", rule="chief-reviewer-register")


def view(row: ChiefReviewer) -> dict:
    return {"id": row.id, "committee": row.committee, "username": row.username, "field": row.field,
            "qualification": row.qualification, "granted_by_body": row.granted_by_body, "granted_at": row.granted_at,
            "granted_by": row.granted_by, "reason": row.reason, "active": row.revoked_at is None,
            "revoked_at": row.revoked_at, "revoked_by": row.revoked_by, "revoke_reason": row.revoke_reason}


def register(session: Session, actor: Actor, code: str, username: str, field: str, qualification: str,
             body: str, reason: str | None) -> ChiefReviewer:
    committee = registry.get(session, code)
    if committee is None:
        raise NotFound(f"No committee {code}.")
    if body not in BODIES:
        raise InvalidInput("granted_by_body is committee or authority.", [{"field": "granted_by_body",
                                                                          "message": "committee | authority"}])
    _require_body(actor, committee, body)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise InvalidInput(f"No active account {username}.", [{"field": "username", "message": "unknown"}])
    if active(session, code, username) is not None:
        raise Conflict(f"{username} is already in the chief-reviewer register of {code}.")
    row = ChiefReviewer(committee=code, username=username, field=field, qualification=qualification,
                        granted_by_body=body, granted_at=clock.now(), granted_by=actor.username, reason=reason)
    session.add(row)
    session.flush()
    return row


def revoke(session: Session, actor: Actor, entry_id: int, reason: str) -> ChiefReviewer:
    row = session.get(ChiefReviewer, entry_id)
    committee = registry.get(session, row.committee) if row is not None else None
    if row is None or committee is None:
        raise NotFound(f"No chief-reviewer register entry {entry_id}.")
    _require_body(actor, committee, row.granted_by_body)
    if row.revoked_at is not None:
        raise Conflict(f"Entry {entry_id} was revoked on {row.revoked_at:%Y-%m-%d}.")
    row.revoked_at, row.revoked_by, row.revoke_reason = clock.now(), actor.username, reason
    session.flush()
    return row


def listing(session: Session, code: str | None, include_revoked: bool) -> list[ChiefReviewer]:
    query = select(ChiefReviewer).order_by(ChiefReviewer.committee, ChiefReviewer.id)
    if code:
        query = query.where(ChiefReviewer.committee == code)
    if not include_revoked:
        query = query.where(ChiefReviewer.revoked_at.is_(None))
    return list(session.scalars(query))


def active(session: Session, code: str | None, username: str) -> ChiefReviewer | None:
    return session.scalar(select(ChiefReviewer).where(ChiefReviewer.committee == code,
                                                      ChiefReviewer.username == username,
                                                      ChiefReviewer.revoked_at.is_(None)))
