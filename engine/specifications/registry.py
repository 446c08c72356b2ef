"""The specification registry: what the processes P6–P12 decided about each specification, kept true in
the transaction of the action that decided it, with a change log per specification.

Other parts call two functions here: ``reassign_committee`` (the committee exit process, when a committee
is revoked) and ``effective_subjects`` (the scheduled starts of effect evaluation and re-review).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING

from sqlalchemy import exists, or_, select, true
from sqlalchemy.orm import Session, aliased, object_session

from engine import clock
from engine.access import duties, facts, scopes
from engine.access.actors import Actor
from engine.errors import NotFound
from engine.history import log as history
from engine.rules.workdays import BEIJING
from engine.runtime.models import Instance
from engine.specifications.models import CLOSED_STAGES, STAGES, SpecChange, Specification

if TYPE_CHECKING:
    from engine.runtime.actions import Runtime

PUBLIC_HIDDEN_STAGES = ("proposed", "evaluated")  # not yet published for comment (BR12)
ENDED_INSTANCE_STATES = ("completed", "cancelled")


def today() -> date:
    """The date in Beijing: dates in the registry are Chinese calendar dates."""
    return clock.now().astimezone(BEIJING).date()


def get(session: Session, spec_id: str, lock: bool = False) -> Specification:
    spec = session.get(Specification, spec_id, with_for_update=True) if lock else session.get(Specification, spec_id)
    if spec is None:
        raise NotFound(f"No specification '{spec_id}' in the registry.")
    return spec


def find(session: Session, spec_id: str | None) -> Specification | None:
    return session.get(Specification, spec_id) if spec_id else None


def by_number(session: Session, number: str) -> Specification | None:
    return session.scalar(select(Specification).where(Specification.number == number))


def record(session: Session, spec: Specification, action: str, actor: str | None, instance: Instance | None,
           stage: str | None = None, **data) -> SpecChange:
    """Apply a stage change (if any) and log it in the registry and in the instance's history."""
    now = clock.now()
    if stage is not None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}")
        spec.stage = stage
    spec.updated_at = now
    payload = {k: _plain(v) for k, v in data.items()}
    change = SpecChange(spec_id=spec.id, at=now, actor=actor, instance_id=instance.id if instance else None,
                        action=action, stage=spec.stage, data=payload or None)
    session.add(change)
    if instance is not None:
        history.record(session, instance, "registry_changed", actor=actor, process_key=instance.process_key,
                       process_version=instance.process_version,
                       data={"specification": spec.id, "action": action, "stage": spec.stage, **payload})
    session.flush()
    return change


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def sync_facts(session: Session, instance: Instance, spec: Specification) -> None:
    """The duty rules (BR3, BR7) read the instance's facts: write them from the registry, so a phase
    started on its own, or called from another process, knows its drafters and livelihood flag."""
    facts.project(session, instance.id, {"drafters": list(spec.drafters or []),
                                         "drafting_units": list(spec.drafting_units or []),
                                         "livelihood": bool(spec.livelihood)})


def changes(session: Session, spec_id: str) -> list[SpecChange]:
    return list(session.scalars(select(SpecChange).where(SpecChange.spec_id == spec_id).order_by(SpecChange.id)))


# ----- reassignment when a committee is revoked ------------------------------------------------------------
def reassign_committee(runtime: Runtime, session: Session, old_code: str, new_code: str,
                       actor: str = "system") -> list[str]:
    """Move every specification the committee ``old_code`` is responsible for (归口) and that is not closed
    to ``new_code``, with the running instances about them (and their open tasks), so none is lost.

    Called inside the action that revokes the committee; returns the ids moved. Instances move through a
    recorded engine step (``committee_reassigned``), so replay and audit still hold."""
    from engine.specifications.reassign import move_instances

    specs = list(session.scalars(select(Specification).where(Specification.committee == old_code,
                                                             Specification.stage.not_in(CLOSED_STAGES))
                                 .order_by(Specification.id).with_for_update()))
    for spec in specs:
        spec.committee = new_code
        record(session, spec, "committee_reassigned", actor, None, previous=old_code, committee=new_code)
    ids = [spec.id for spec in specs]
    if ids:
        instances = list(session.scalars(select(Instance).where(Instance.committee == old_code,
                                                                Instance.specification.in_(ids),
                                                                Instance.state.not_in(ENDED_INSTANCE_STATES))
                                          .order_by(Instance.created_at)))
        move_instances(runtime, session, instances, old_code, new_code, actor)
    return ids


# ----- what the API shows -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SpecFilter:
    committee: str | None = None
    type: str | None = None
    stage: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    livelihood: bool | None = None
    kind: str | None = None
    number: str | None = None
    q: str | None = None
    in_force: bool | None = None


def query(filters: SpecFilter, actor: Actor | None = None):
    """The registry query with filters, limited to what the caller may find (:func:`visible_clause`)."""
    stmt = select(Specification).where(visible_clause(actor))
    for name in ("committee", "type", "stage", "level", "jurisdiction", "kind", "number"):
        value = getattr(filters, name)
        if value:
            stmt = stmt.where(getattr(Specification, name) == value)
    if filters.livelihood is not None:
        stmt = stmt.where(Specification.livelihood.is_(filters.livelihood))
    if filters.q:
        pattern = f"%{filters.q}%"
        stmt = stmt.where(or_(Specification.title.like(pattern), Specification.number.like(pattern),
                              Specification.id.like(pattern)))
    if filters.in_force is not None:
        stmt = stmt.where(in_force_clause() if filters.in_force else ~in_force_clause())
    return stmt.order_by(Specification.created_at.desc(), Specification.id.desc())


_COLUMNS = SimpleNamespace(committee=Specification.committee, specification=Specification.id,
                           level=Specification.level, jurisdiction=Specification.jurisdiction)


def visible(session: Session, spec_id: str, actor: Actor | None) -> Specification:
    """One entry as :func:`query` would find it; :class:`NotFound` also when the caller may not find it."""
    spec = session.scalar(select(Specification).where(Specification.id == spec_id, visible_clause(actor)))
    if spec is None:
        raise NotFound(f"No specification '{spec_id}' in the registry.")
    return spec


def _target(spec: Specification) -> SimpleNamespace:
    return SimpleNamespace(committee=spec.committee, specification=spec.id, level=spec.level,
                           jurisdiction=spec.jurisdiction)


def sees_all(actor: Actor | None, spec: Specification) -> bool:
    """Who sees a specification's internal record (drafters, ballots, minutes…): auditors, and the business
    roles whose scope covers it (its committee, its own grants, its authority); everyone else gets the
    public view (BR12)."""
    if actor is None:
        return False
    if actor.is_system or actor.is_auditor:
        return True
    target = _target(spec)
    return any(scopes.covers(g, target) and duties.routes_to(g, target) for g in actor.business_grants)


def visible_clause(actor: Actor | None):
    """What a caller may find in the registry: what BR12 publishes, plus what :func:`sees_all` covers."""
    public = Specification.confidential.is_(False) & Specification.stage.not_in(PUBLIC_HIDDEN_STAGES)
    if actor is None:
        return public
    if actor.is_system or actor.is_auditor:
        return true()
    covered = [scopes.cover_clause(g, _COLUMNS) & duties.routing_clause(g, _COLUMNS) for g in actor.business_grants]
    return or_(public, *covered)


IN_FORCE_STAGES = ("published", "rereview")


def in_force_clause():
    """现行有效: effective, and either not superseded or its successor not yet effective — the superseded one stays
    in force until its revision's effective date, so there is never a gap between approval and that date."""
    successor = aliased(Specification)
    waiting = exists().where(successor.id == Specification.superseded_by, successor.effective_date > today())
    effective = Specification.effective_date.is_not(None) & (Specification.effective_date <= today())
    return effective & (Specification.stage.in_(IN_FORCE_STAGES) | ((Specification.stage == "superseded") & waiting))


def in_force(spec: Specification) -> bool:
    if spec.effective_date is None or spec.effective_date > today():
        return False
    if spec.stage in IN_FORCE_STAGES:
        return True
    session = object_session(spec)
    successor = session.get(Specification, spec.superseded_by) if session and spec.superseded_by else None
    return spec.stage == "superseded" and successor is not None and successor.effective_date is not None \
        and successor.effective_date > today()


PUBLIC_FIELDS = ("id", "type", "title", "kind", "replaces", "committee", "level", "jurisdiction", "stage",
                 "livelihood", "number", "publication_date", "effective_date", "superseded_by", "abolished_on",
                 "drafting_units", "drafting_due", "last_rereview_on", "field", "adoption_degree", "adopted_document")


def _number_of(spec: Specification, spec_id: str | None) -> str | None:
    session = object_session(spec)
    other = session.get(Specification, spec_id) if session is not None and spec_id else None
    return other.number if other is not None else None


def view(spec: Specification, full: bool = True) -> dict:
    result = {name: getattr(spec, name) for name in PUBLIC_FIELDS}
    result.update(stage_name=STAGES.get(spec.stage), in_force=in_force(spec), full=full,
                  replaces_number=_number_of(spec, spec.replaces))  # 代替 JJG 41—1990, as printed
    if full:
        result.update(
            drafters=spec.drafters, confidential=spec.confidential, proposal=spec.proposal,
            plan_decision=spec.plan_decision, drafting_flags=spec.drafting_flags, extensions=spec.extensions,
            documents=spec.documents, comment_notice_id=spec.comment_notice_id,
            comment_closed_at=spec.comment_closed_at, comments_total=spec.comments_total,
            comments_answered=spec.comments_answered, comment_handling=spec.comment_handling,
            consent=spec.consent, papers_sent_at=spec.papers_sent_at, review_round=spec.review_round,
            review_failures=spec.review_failures, review=spec.review, review_passed=spec.review_passed,
            review_conclusion=spec.review_conclusion, minutes=spec.minutes, approved_at=spec.approved_at,
            evaluation=spec.evaluation, rereview_outcome=spec.rereview_outcome, instance_id=spec.instance_id,
            created_at=spec.created_at, updated_at=spec.updated_at)
    return result


def change_view(change: SpecChange) -> dict:
    return {"at": change.at, "actor": change.actor, "instance_id": change.instance_id, "action": change.action,
            "stage": change.stage, "data": change.data}


# ----- scheduled starts: effect evaluation and re-review after a specification takes effect -----------------
def effective_subjects(session: Session) -> list[dict]:
    """Every published specification with its effective date (or its last re-review) as the anchor of
    ``{"kind": "after", "duration": "rereview_interval"}`` schedules (and of effect evaluation)."""
    rows = session.scalars(select(Specification).where(Specification.stage == "published",
                                                       Specification.effective_date.is_not(None))
                           .order_by(Specification.id))
    subjects = []
    for spec in rows:
        anchor = max(d for d in (spec.effective_date, spec.last_rereview_on) if d is not None)
        subject = {"specification": spec.id, "level": spec.level or "national", "anchor": anchor.isoformat()}
        if spec.committee:
            subject["committee"] = spec.committee
        if spec.jurisdiction:
            subject["jurisdiction"] = spec.jurisdiction
        subjects.append(subject)
    return subjects
