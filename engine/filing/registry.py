"""Filings as the national authority sees them (every filed specification, its text, its consistency finding and
objections), and the national authority's acts on a filing: object (协调一致性异议) or accept."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import assignment, scopes
from engine.access.actors import AUDITOR, SYSTEM_ACTOR, Actor
from engine.consistency import findings
from engine.consistency.models import Finding
from engine.errors import Conflict, Forbidden, NotFound
from engine.filing.models import STATUSES, Filing, FilingObjection
from engine.specifications import registry as spec_registry

OPEN = ("filed", "answered")  # the national authority may object or accept


def is_national_authority(actor: Actor) -> bool:
    return any(g.role == "authority" and g.scope == "level/national" for g in actor.grants)


def _reads(actor: Actor, filing: Filing) -> bool:
    """The national authority and auditors read every filing; the issuing authority its own."""
    if is_national_authority(actor) or actor.has_role(AUDITOR):
        return True
    target = SimpleNamespace(level=filing.level, jurisdiction=filing.jurisdiction, committee=None,
                             specification=filing.spec_id)
    return any(g.role == "authority" and g.scope and scopes.covers(g, target) for g in actor.grants)


def visible(session: Session, actor: Actor, status: str | None = None) -> list[dict]:
    query = select(Filing).order_by(Filing.id.desc())
    if status:
        query = query.where(Filing.status == status)
    return [summary(f) for f in session.scalars(query) if _reads(actor, f)]


def get(session: Session, actor: Actor, filing_id: int, lock: bool = False) -> Filing:
    filing = session.get(Filing, filing_id, with_for_update=lock or None)
    if filing is None or not _reads(actor, filing):
        raise NotFound(f"No filing {filing_id}.")
    return filing


def summary(filing: Filing) -> dict:
    return {"id": filing.id, "spec_id": filing.spec_id, "number": filing.number, "title": filing.title,
            "level": filing.level, "jurisdiction": filing.jurisdiction,
            "issuing_authority": filing.issuing_authority, "status": filing.status,
            "status_label": STATUSES[filing.status], "filed_by": filing.filed_by,
            "filed_at": filing.filed_at.isoformat(), "closed_at": filing.closed_at.isoformat()
            if filing.closed_at else None, "instance_id": filing.instance_id}


def detail(session: Session, filing: Filing) -> dict:
    finding = session.get(Finding, filing.finding_id) if filing.finding_id else None
    objections = session.scalars(select(FilingObjection).where(FilingObjection.filing_id == filing.id)
                                 .order_by(FilingObjection.id))
    spec = spec_registry.find(session, filing.spec_id)
    return {**summary(filing), "text": filing.text, "note": filing.note,
            "spec_stage": spec.stage if spec else None,
            "finding": findings.as_dict(finding) if finding else None,
            "objections": [_objection(o) for o in objections]}


def _objection(o: FilingObjection) -> dict:
    return {"id": o.id, "opinion": o.opinion, "conflicts_with": o.conflicts_with, "raised_by": o.raised_by,
            "raised_at": o.raised_at.isoformat(), "answer": o.answer, "resolution": o.resolution,
            "answered_by": o.answered_by, "answered_at": o.answered_at.isoformat() if o.answered_at else None}


def _require_national(session: Session, actor: Actor) -> Actor:
    actor = assignment.current(session, actor)
    assignment.require_writer(actor)
    if not is_national_authority(actor):
        raise Forbidden("Only the national authority (市场监管总局, authority:level/national) reviews filings.",
                        rule="filing-national")
    return actor


def _open(filing: Filing) -> None:
    if filing.status not in OPEN:
        raise Conflict(f"Filing {filing.id} is {STATUSES[filing.status]}: "
                       + ("its objection awaits the issuing authority's answer." if filing.status == "objected"
                          else "it is closed."))


def raise_objection(runtime, session: Session, actor: Actor, filing_id: int, opinion: str,
                    conflicts_with: str | None = None) -> dict:
    """The national authority's consistency objection; the filing process hands it to the issuing authority."""
    actor = _require_national(session, actor)
    filing = get(session, actor, filing_id, lock=True)
    _open(filing)
    objection = FilingObjection(filing_id=filing.id, raised_by=actor.username, raised_at=clock.now(),
                                opinion=opinion.strip(), conflicts_with=(conflicts_with or "").strip() or None)
    session.add(objection)
    filing.status = "objected"
    session.flush()
    spec = spec_registry.get(session, filing.spec_id)
    runtime.send_message(session, SYSTEM_ACTOR, "filing_objection",
                         {"objection_id": objection.id, "objection_opinion": objection.opinion,
                          "objection_conflicts_with": objection.conflicts_with, "objection_by": actor.username},
                         instance_id=filing.instance_id)
    spec_registry.record(session, spec, "filing_objection", actor.username, None, filing_id=filing.id,
                         objection_id=objection.id, opinion=objection.opinion)
    return _objection(objection)


def accept(runtime, session: Session, actor: Actor, filing_id: int) -> dict:
    """The national authority closes the filing without (further) objection."""
    actor = _require_national(session, actor)
    filing = get(session, actor, filing_id, lock=True)
    _open(filing)
    runtime.send_message(session, SYSTEM_ACTOR, "filing_accepted", {"accepted_by": actor.username},
                         instance_id=filing.instance_id)
    session.flush()
    return summary(filing)
