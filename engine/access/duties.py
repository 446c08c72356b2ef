"""Separation of duties, in one place: BR3, BR4, BR7, BR11 and BR14 of domain.md, plus one ballot per voter.

A user task takes part in a review through ``mtc:duty`` on the BPMN element: ``vote`` (a ballot),
``chief_review`` (主审) or ``observe`` (an observer's opinion, recorded without vote). The rules read
the specification facts (engine.access.facts), declared conflicts (engine.access.conflicts), the acting user's unit,
and numbers from the rule profile of the instance's approval level.

BR3 as implemented (domain.md says both "anyone from a drafting unit does not vote" and "the drafting
unit holds ≤ 1/4 of the voters"): a drafter never votes nor chief-reviews their specification; a
colleague from a drafting unit never chief-reviews it and may vote only while drafting-unit voters stay
within ``max_drafting_unit_voter_share`` of that ballot's voters (a profile set to 0 bars them entirely).
"""
from __future__ import annotations

from fractions import Fraction

from sqlalchemy import and_, exists, func, not_, or_, select, true
from sqlalchemy.orm import Session, aliased

from engine.access import conflicts, facts, scopes
from engine.access.actors import Actor, Grant
from engine.access.models import ConflictDeclaration, InstanceFact, User
from engine.errors import Forbidden
from engine.rules import profiles
from engine.runtime.models import Task

VOTE, CHIEF_REVIEW, OBSERVE = "vote", "chief_review", "observe"
DUTIES = (VOTE, CHIEF_REVIEW, OBSERVE)
NON_VOTING_ROLES = frozenset({"corresponding_member", "observer"})  # BR7
LEVEL_BOUND_ROLES = frozenset({"authority"})  # BR11: an authority acts for its level and jurisdiction only

VOTER_SHARE = "max_drafting_unit_voter_share"
DEFAULTS = {VOTER_SHARE: Fraction(1, 4)}  # domain.md section 3, when no profile sets it


# ----- profile numbers --------------------------------------------------------------------------------
def profile_value(key: str, level: str | None, jurisdiction: str | None = None) -> Fraction:
    """A ratio from the rule profile of the instance's approval level (engine.rules.profiles); the domain default
    when the profile does not set it."""
    profile, _ = profiles.current().for_level(level, jurisdiction)
    return Fraction(str(profile.value(key))) if key in profile else DEFAULTS[key]


# ----- BR11: supervision routes to the approving authority ---------------------------------------------
def routes_to(grant: Grant, target) -> bool:
    """A level-bound role acts on an instance with an approval level only through a grant of that level
    (and jurisdiction); an unscoped authority grant reaches only instances that have no level yet."""
    return not (grant.role in LEVEL_BOUND_ROLES and grant.scope is None and target.level is not None)


def routing_clause(grant: Grant, table):
    """:func:`routes_to` as an SQL condition on Task or Instance."""
    if grant.role in LEVEL_BOUND_ROLES and grant.scope is None:
        return table.level.is_(None)
    return true()


# ----- the checks at the moment of an action -----------------------------------------------------------
def check(session: Session, actor: Actor, task: Task, instance) -> None:
    """Raise Forbidden naming the rule when ``actor`` may not take ``task`` because of its duty."""
    duty = task.duty
    if duty is None:
        return
    spec = instance.specification
    if conflicts.has(session, actor.username, spec):
        raise Forbidden(f"You declared a conflict of interest with specification {spec}: you are excluded "
                        "from its review (回避).", rule="BR4")
    known = facts.of(session, instance.id)
    if duty in (VOTE, CHIEF_REVIEW) and actor.username in known.drafters:
        raise Forbidden("A drafter of this specification cannot be its chief reviewer and does not vote on it.",
                        rule="BR3")
    in_drafting_unit = actor.unit is not None and actor.unit in known.drafting_units
    if duty == CHIEF_REVIEW and in_drafting_unit:
        raise Forbidden("Nobody from a drafting unit of this specification can be its chief reviewer.", rule="BR3")
    if duty == CHIEF_REVIEW and known.chief is not None and actor.username not in known.chief:
        raise Forbidden("The chief review is for the chief reviewer the secretariat designated from the committee's "
                        "register (主审人), not for any holder of a chief_reviewer grant.", rule="designation")
    if duty == OBSERVE and known.livelihood is not True:
        raise Forbidden("Observers take part only in the review of livelihood (民生) specifications.", rule="BR7")
    if duty == VOTE and known.voters is not None and actor.username not in known.voters:
        raise Forbidden("Only the committee's appointed voting members named when the vote opened cast a ballot; "
                        "a grant that no appointment backs does not vote.", rule="BR14")
    if duty == VOTE:
        _one_ballot(session, actor, task)
        if in_drafting_unit:
            _drafting_unit_share(session, task, instance, known.drafting_units)


def _ballot(task: Task):
    """The tasks of one ballot: the same voting element, created by the same step (one multi-instance)."""
    return and_(Task.instance_id == task.instance_id, Task.element_id == task.element_id,
                Task.created_at == task.created_at, Task.state != "cancelled")


def _one_ballot(session: Session, actor: Actor, task: Task) -> None:
    me = actor.username
    other = session.scalar(select(Task.id).where(_ballot(task), Task.id != task.id,
                                                 or_(Task.assignee == me, Task.completed_by == me)).limit(1))
    if other is not None:
        raise Forbidden("You already hold or cast a ballot in this vote.", rule="one-ballot")


def _drafting_unit_share(session: Session, task: Task, instance, units: frozenset[str]) -> None:
    rows = session.execute(select(Task.id, func.coalesce(Task.completed_by, Task.assignee)).where(_ballot(task))).all()
    takers = {who for task_id, who in rows if task_id != task.id and who}
    taken = session.scalar(select(func.count()).select_from(User).where(User.username.in_(takers),
                                                                       User.unit.in_(units))) if takers else 0
    share = profile_value(VOTER_SHARE, instance.level, instance.jurisdiction)
    if taken + 1 > share * len(rows):
        raise Forbidden(f"Voters from the drafting units may hold at most {share} of this vote's {len(rows)} "
                        f"ballots; {taken} already do.", rule="BR3")


def refused_vote(actor: Actor, target) -> bool:
    """BR7: the actor's only standing here is as a corresponding member or observer."""
    return any(g.role in NON_VOTING_ROLES and scopes.covers(g, target) for g in actor.grants)


# ----- the same rules as an SQL filter, for the inbox ------------------------------------------------
def inbox_clause(actor: Actor):
    """Tasks ``actor`` may take as far as BR3 (drafter, unit as chief reviewer), BR4 and BR7 (livelihood)
    decide, as one SQL condition of a fixed shape; the per-ballot rules (one ballot, the drafting-unit
    share) are checked only on claim."""
    def fact(kind: str, value):
        return exists(select(InstanceFact.instance_id).where(InstanceFact.instance_id == Task.instance_id,
                                                             InstanceFact.kind == kind, InstanceFact.value == value))

    declared = exists(select(ConflictDeclaration.id).join(User, User.id == ConflictDeclaration.user_id).where(
        User.username == actor.username, ConflictDeclaration.specification == Task.specification))
    def any_fact(kind: str):
        return exists(select(InstanceFact.instance_id).where(InstanceFact.instance_id == Task.instance_id,
                                                             InstanceFact.kind == kind))

    any_voter = any_fact(facts.VOTER)
    refused = [and_(Task.duty.in_((VOTE, CHIEF_REVIEW)), fact(facts.DRAFTER, actor.username)),
               and_(Task.duty == VOTE, any_voter, not_(fact(facts.VOTER, actor.username))),
               and_(Task.duty == OBSERVE, not_(fact(facts.LIVELIHOOD, "true"))),
               and_(Task.duty == CHIEF_REVIEW, fact(facts.DRAFTING_UNIT, actor.unit or "")),
               and_(Task.duty == CHIEF_REVIEW, any_fact(facts.CHIEF), not_(fact(facts.CHIEF, actor.username))),
               and_(Task.specification.is_not(None), declared)]
    return or_(Task.duty.is_(None), not_(or_(*refused)))


def ballot_taken_clause(actor: Actor):
    """Ballots of a vote in which ``actor`` already holds or cast one (:func:`_one_ballot` as SQL): the
    others of that vote are no longer theirs to take."""
    other = aliased(Task)
    me = actor.username
    return and_(Task.duty == VOTE, exists(select(other.id).where(
        other.instance_id == Task.instance_id, other.element_id == Task.element_id,
        other.created_at == Task.created_at, other.id != Task.id, other.state != "cancelled",
        or_(other.assignee == me, other.completed_by == me))))


# ----- checks when a diagram is deployed or a role granted ----------------------------------------
def definition_errors(meta: dict) -> list[dict]:
    """Duties a diagram declares that the rules could never allow, named by element."""
    errors = []
    for process in meta.get("processes", {}).values():
        for element_id, info in process.get("elements", {}).items():
            duty, role = info.get("duty"), info.get("role")
            if duty is None:
                continue
            if duty not in DUTIES:
                errors.append({"element_id": element_id, "line": None,
                               "message": f"mtc:duty '{duty}' is not one of {', '.join(DUTIES)}"})
            elif duty == VOTE and role in NON_VOTING_ROLES:
                errors.append({"element_id": element_id, "line": None,
                               "message": f"BR7: a vote cannot be in the lane of role '{role}'"})
            elif duty in (VOTE, CHIEF_REVIEW) and role == "drafter":
                errors.append({"element_id": element_id, "line": None,
                               "message": f"BR3: a {duty} task cannot be in the drafters' lane"})
    return errors


def grant_refusal(session: Session, grant: Grant) -> Forbidden | None:
    """BR11 and BR7 on a new role assignment (the strict policy of the admin API and CLI)."""
    scope = scopes.parse(grant.scope)
    if grant.role in LEVEL_BOUND_ROLES and (scope is None or scope.kind != "level"
                                            or (scope.value != "national" and scope.jurisdiction is None)):
        return Forbidden("An authority acts for its approval level and jurisdiction (谁审批、谁监管): grant "
                         "authority:level/national or authority:level/<level>/<jurisdiction>.", rule="BR11")
    if grant.role == "observer":
        if scope is None or scope.kind != "spec":
            return Forbidden("Observers register for one livelihood specification: observer:spec/<id>.", rule="BR7")
        from engine.runtime.models import Instance

        flags = set(session.scalars(select(InstanceFact.value).join(Instance, Instance.id == InstanceFact.instance_id)
                                    .where(Instance.specification == scope.value,
                                           InstanceFact.kind == facts.LIVELIHOOD)))
        if flags == {"false"}:
            return Forbidden(f"Specification {scope.value} is not a livelihood (民生) specification; observer "
                             "registration is closed.", rule="BR7")
    return None

