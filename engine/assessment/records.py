"""Who reads a committee's scorecard, and the member assessment the secretary-general records (62号 九): kept
with the participation figures it was based on and entered in the history, so renewal (P2) and member changes
read a decision with its evidence."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import duties, scopes
from engine.access.actors import Actor
from engine.assessment import participation
from engine.assessment.models import MemberAssessment
from engine.committees import registry
from engine.errors import Forbidden, InvalidInput, NotFound
from engine.history import log as history
from engine.rules import profiles

RECORDER = "secretary_general"


def _target(committee) -> SimpleNamespace:
    return SimpleNamespace(committee=committee.code, specification=None, level=committee.level,
                           jurisdiction=committee.jurisdiction)


def readable(session: Session, actor: Actor, code: str):
    """The committee, for auditors and the business roles whose scope covers it (its own people, its
    authority); 404 for everyone else, as if it had no scorecard."""
    committee = registry.get(session, code)
    if committee is not None and (actor.is_system or actor.is_auditor or any(
            scopes.covers(g, _target(committee)) and duties.routes_to(g, _target(committee))
            for g in actor.business_grants)):
        return committee
    raise NotFound(f"No scorecard of committee '{code}'.")


def grades(committee) -> list[str]:
    rules, _ = profiles.current().for_level(committee.level, committee.jurisdiction)
    return list(rules.value("member_assessment_grades"))


def record(session: Session, actor: Actor, code: str, year: int, username: str, grade: str,
           comment: str | None) -> MemberAssessment:
    """The secretary-general of the committee records one member's assessment of ``year`` (again: replaced)."""
    committee = readable(session, actor, code)
    if not any(g.role == RECORDER and scopes.covers(g, _target(committee)) for g in actor.business_grants):
        raise Forbidden("Only the committee's secretary-general records member assessments.", rule="role")
    allowed = grades(committee)
    if grade not in allowed:
        raise InvalidInput(f"grade must be one of {'、'.join(allowed)}.", [{"field": "grade"}])
    figures = participation.compute(session, code, year, username)["members"]
    if not figures:
        raise InvalidInput(f"'{username}' is not an appointed member of {code}.", [{"field": "username"}])
    member = figures[0]
    row = session.scalar(select(MemberAssessment).where(MemberAssessment.committee_code == code,
                                                        MemberAssessment.year == year,
                                                        MemberAssessment.username == username).with_for_update())
    if row is None:
        row = MemberAssessment(committee_code=code, year=year, username=username)
        session.add(row)
    row.member_name, row.grade, row.comment = member["name"], grade, comment
    row.participation, row.recorded_by, row.recorded_at = member["figures"], actor.username, clock.now()
    event = history.append(session, history.GLOBAL_STREAM, "member_assessed", actor=actor.username,
                           data={"committee": code, "year": year, "member": username, "grade": grade,
                                 "figures": {k: v["value"] for k, v in member["figures"].items()}})
    row.event_id = event.id
    session.flush()
    return row


def of_committee(session: Session, actor: Actor, code: str, year: int | None = None) -> list[MemberAssessment]:
    readable(session, actor, code)
    query = select(MemberAssessment).where(MemberAssessment.committee_code == code)
    if year is not None:
        query = query.where(MemberAssessment.year == year)
    return list(session.scalars(query.order_by(MemberAssessment.year.desc(), MemberAssessment.username)))


def latest_for(session: Session, usernames: list[str]) -> dict[str, MemberAssessment]:
    """The latest assessment of each person (any committee): what renewal and member changes show."""
    rows = session.scalars(select(MemberAssessment).where(MemberAssessment.username.in_(usernames))
                           .order_by(MemberAssessment.year, MemberAssessment.recorded_at))
    return {row.username: row for row in rows}


def view(row: MemberAssessment) -> dict:
    return {"committee": row.committee_code, "year": row.year, "username": row.username, "name": row.member_name,
            "grade": row.grade, "comment": row.comment, "participation": row.participation,
            "recorded_by": row.recorded_by, "recorded_at": row.recorded_at, "event_id": row.event_id}
