"""P9 technical review (审定): consent, papers, the gate before the vote (BR2, BR13), the meeting (会审) or the
correspondence ballot (函审), the tally (BR1, BR2, BR7, BR14: quorum of the appointed voting members as the vote
opened, non-voters recorded apart), minutes whatever the outcome, and failing twice.

A meeting review counts attendance against the quorum and the pass share over the voting members present (those
present vote); a correspondence review counts the ballots returned within ``review_vote_window`` for both.
Who may vote or chief-review is the engine's duty rules (BR3, BR4, BR7) at claim time."""
from __future__ import annotations

from fractions import Fraction
from math import ceil

from sqlalchemy import func, select

from engine.access import accounts as users
from engine.access import conflicts
from engine.access.actors import Grant
from engine.access.models import RoleAssignment, User
from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees import appointments, reviewers
from engine.committees import registry as committee_registry
from engine.errors import Conflict, Forbidden, InvalidInput
from engine.history.models import Event
from engine.rules.workdays import BEIJING
from engine.runtime.models import Task
from engine.runtime.notifications import role_holders
from engine.specifications import documents as spec_documents
from engine.specifications import registry as spec_registry
from engine.specifications.common import (
    actor_name,
    after,
    change,
    committee_state,
    iso,
    now,
    parse_date,
    profile,
    ratio,
    spec_of,
    spec_variables,
)

CHOICES = ("yes", "no", "abstain")
MEETING, CORRESPONDENCE = "meeting", "correspondence"


@service("review_open")
def review_open(ctx: ServiceContext, data: dict) -> dict:
    """A review round starts: consent, papers and ballots of an earlier round no longer count."""
    spec = spec_of(ctx, data)
    spec.review_round = (spec.review_round or 0) + 1
    spec.consent, spec.papers_sent_at, spec.review_passed, spec.review_conclusion = None, None, False, None
    change(ctx, spec, "review_round_started", stage="review", round=spec.review_round)
    spec_registry.sync_facts(ctx.session, ctx.instance, spec)
    return {**spec_variables(spec), "review_round": spec.review_round, "review_outcome": "open"}


@service("review_consent")
def review_consent(ctx: ServiceContext, data: dict) -> dict:
    """The chair's or vice-chair's consent to put the draft to review (BR2)."""
    spec = spec_of(ctx, data)
    consented = data.get("consent") is True
    spec.consent = {"consent": consented, "by": actor_name(ctx), "role": data.get("consent_by"), "at": iso(now()),
                    "opinion": data.get("consent_opinion")}
    change(ctx, spec, "review_consented" if consented else "review_consent_refused", by=actor_name(ctx),
           role=data.get("consent_by"), opinion=data.get("consent_opinion"))
    return {"review_consented": consented}


@service("review_papers_sent")
def review_papers_sent(ctx: ServiceContext, data: dict) -> dict:
    """The papers go to the reviewers now; the vote opens no sooner than ``papers_before_review`` later."""
    spec = spec_of(ctx, data)
    spec.papers_sent_at = now()
    earliest = after(ctx, "papers_before_review", spec.papers_sent_at)
    change(ctx, spec, "review_papers_sent", mode=data.get("review_mode"), earliest_vote=earliest)
    return {"papers_sent_at": iso(spec.papers_sent_at), "earliest_vote_at": iso(earliest)}


@service("review_designate_chief")
def review_designate_chief(ctx: ServiceContext, data: dict) -> dict:
    """The secretariat designates the chief reviewer (主审人) from the committee's register of qualified reviewers;
    a drafter or drafting-unit colleague (BR3) or a declared conflict (BR4) is refused here, not only at claim.
    The designation grants ``chief_reviewer`` for this specification and only the designated reviewer takes the
    chief review and the confirmation of changes."""
    spec = spec_of(ctx, data)
    name = str(data.get("chief_reviewer") or "").strip()
    entry = reviewers.active(ctx.session, ctx.instance.committee, name)
    if entry is None:
        raise Forbidden(f"{name} is not in the chief-reviewer register (主审人名录) of {ctx.instance.committee}; "
                        "register the qualification first.", rule="chief-reviewer-register")
    user = ctx.session.scalar(select(User).where(User.username == name))
    if name in (spec.drafters or []) or (user.unit and user.unit in (spec.drafting_units or [])):
        raise Forbidden(f"{name} drafts {spec.id} or works in a drafting unit: not its chief reviewer.", rule="BR3")
    if conflicts.has(ctx.session, name, spec.id):
        raise Forbidden(f"{name} declared a conflict of interest with {spec.id} (回避).", rule="BR4")
    grant = Grant("chief_reviewer", f"spec/{spec.id}")
    held = ctx.session.scalar(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == grant.role, RoleAssignment.scope == grant.scope,
        RoleAssignment.revoked_at.is_(None)))
    if held is None:
        users.grant_role(ctx.session, user, grant, actor=actor_name(ctx),
                         reason=f"指定为 {spec.id} 主审人（名录 #{entry.id}）")
    change(ctx, spec, "chief_reviewer_designated", chief_reviewer=name, register_entry=entry.id,
           field=entry.field, reason=data.get("designation_reason"))
    return {"chief_reviewer": name, "chief_reviewer_field": entry.field}


def _voting_base(ctx: ServiceContext, spec) -> appointments.VotingBase:
    """The appointed voting members of the committee as the vote opens (BR14), less its drafters (BR3) and
    those who declared a conflict (BR4): the registry decides, a leftover grant does not."""
    return appointments.voting_base(ctx.session, ctx.instance.committee, set(spec.drafters or []), spec.id)


def _appointed(ctx: ServiceContext, role: str) -> list[str]:
    """Accounts of the committee's appointed members in ``role`` (corresponding members: opinions, no vote)."""
    committee = committee_registry.get(ctx.session, ctx.instance.committee)
    if committee is None:
        return []
    names = set(ctx.session.scalars(select(User.username).where(User.active.is_(True), User.id.in_(
        [row.user_id for row in appointments.current(ctx.session, committee) if row.role == role and row.user_id]))))
    return sorted(names)


@service("review_gate")
def review_gate(ctx: ServiceContext, data: dict) -> dict:
    """BR2: the comment window closed, every comment answered, the chair (or a vice-chair) consented and the
    papers went out at least ``papers_before_review`` ago; BR13: the committee's term has not expired.
    Returns the voters (a parallel multi-instance ballot each) and the non-voters whose opinions are recorded."""
    spec = spec_of(ctx, data)
    reasons = []
    if spec.comment_closed_at is None:
        reasons.append("the comment window (征求意见) has not closed")
    if (spec.comments_answered or 0) < (spec.comments_total or 0):
        reasons.append(f"{spec.comments_total - spec.comments_answered} comments have no answer in the handling table")
    if not (spec.consent or {}).get("consent"):
        reasons.append("the chair or a vice-chair has not consented")
    if spec.papers_sent_at is None:
        reasons.append("the review papers have not been sent")
    else:
        earliest = after(ctx, "papers_before_review", spec.papers_sent_at)
        if now() < earliest:
            sent, opens = (m.astimezone(BEIJING).date().isoformat() for m in (spec.papers_sent_at, earliest))
            reasons.append(f"the papers went out on {sent}; the review may open from {opens} (papers_before_review)")
    if reasons:
        raise Forbidden("The review cannot open yet: " + "; ".join(reasons) + ".", rule="BR2", reasons=reasons)
    state = committee_state(ctx.session, ctx.instance.committee)
    refusal = state.review_refusal() if state is not None else None
    if refusal is not None:
        raise Forbidden(refusal[1], rule=refusal[0])
    base = _voting_base(ctx, spec)
    minimum = int(profile(ctx).value("review_min_voters"))
    if len(base.members) < minimum:
        raise Conflict(f"Only {len(base.members)} appointed members of {ctx.instance.committee} may vote on "
                       f"{spec.id}; a review needs at least {minimum} (profile review_min_voters).",
                       rule="review_min_voters")
    mode = MEETING if data.get("review_mode") == MEETING else CORRESPONDENCE
    if mode == MEETING:
        meeting = _meeting(ctx, data, spec, base)
        voters = meeting["present_voters"]
    else:
        meeting = None
        voters = base.voters
    corresponding = _appointed(ctx, "corresponding_member")
    observers = role_holders(ctx.session, "observer", ctx.instance) if spec.livelihood else []
    voting_base = {**base.record(), "opened_at": iso(now())}
    window = {"opened_at": iso(now()), "closes_at": iso(after(ctx, "review_vote_window", now()))}
    change(ctx, spec, "review_opened", mode=mode, voting_members=len(base.members), voters=len(voters),
           voting_base=voting_base["member_ids"], corresponding=len(corresponding), observers=len(observers),
           meeting=meeting, ballot_window=window)
    return {"voters": voters, "voting_member_count": len(base.members), "voting_base": voting_base,
            "review_mode": mode, "meeting": meeting, "ballot_window": window,
            "corresponding_members": corresponding, "observers": observers, "livelihood": bool(spec.livelihood),
            "ballots": [], "opinions": [], "observations": []}


def _meeting(ctx: ServiceContext, data: dict, spec, base: appointments.VotingBase) -> dict:
    """The review meeting as the secretariat records it when it opens the vote: date, place and who attended.
    Appointed voting members present count towards the quorum and vote; anyone else attends without counting
    (drafters BR3, declared conflicts BR4, corresponding members, observers, guests)."""
    missing = [f for f in ("meeting_held_on", "meeting_place", "attendees") if not data.get(f)]
    if missing:
        raise InvalidInput("A meeting review (会审) records the meeting: " + ", ".join(missing) + " required.",
                           [{"field": f, "message": "required for a meeting review"} for f in missing])
    held = parse_date(data.get("meeting_held_on"), "meeting_held_on")
    today = now().astimezone(BEIJING).date()
    earliest = after(ctx, "papers_before_review", spec.papers_sent_at).astimezone(BEIJING).date()
    if held > today:
        raise InvalidInput(f"The meeting is recorded when it is held: {held} is after today ({today}).",
                           [{"field": "meeting_held_on", "message": "in the future"}])
    if held < earliest:
        raise Forbidden(f"The meeting of {held} was before the papers period ended ({earliest}, "
                        "papers_before_review).", rule="BR2", reasons=["papers_before_review"])
    attendees = [str(a) for a in data.get("attendees") or []]
    voting = set(base.voters)
    excluded = {e["username"]: e["rule"] for e in base.excluded}
    present = sorted(a for a in attendees if a in voting)
    others = [{"username": a, "counted": False, "why": excluded.get(a, "not an appointed voting member")}
              for a in attendees if a not in voting]
    members = len(base.members)
    quorum = ratio(ctx, "review_quorum")
    return {"date": held.isoformat(), "place": str(data.get("meeting_place")).strip(),
            "present_voters": present, "attendance": len(present), "voting_members": members,
            "quorum_required": ceil(members * quorum),
            "quorate": members > 0 and Fraction(len(present), members) >= quorum,
            "absent": sorted(voting - set(present)) + [m["name"] for m in base.members if not m["has_account"]],
            "not_counted": others, "other_attendees": data.get("other_attendees"),
            "recorded_by": actor_name(ctx), "recorded_at": iso(now())}


def _round_tasks(ctx: ServiceContext, clause) -> list[Task]:
    """Completed tasks of the latest batch matching ``clause`` (one multi-instance: one creation time)."""
    latest = ctx.session.scalar(select(func.max(Task.created_at)).where(Task.instance_id == ctx.instance.id, clause))
    if latest is None:
        return []
    return list(ctx.session.scalars(select(Task).where(Task.instance_id == ctx.instance.id, clause,
                                                       Task.created_at == latest, Task.state == "completed")
                                    .order_by(Task.completed_at, Task.id)))


def _submitted(ctx: ServiceContext, tasks: list[Task], field: str) -> list[dict]:
    """What each task's completer submitted under ``field``, with who and when (from the event log)."""
    if not tasks:
        return []
    events = {e.task_id: e for e in ctx.session.scalars(select(Event).where(
        Event.stream == ctx.instance.id, Event.type == "task_completed", Event.task_id.in_([t.id for t in tasks])))}
    units = dict(ctx.session.execute(select(User.username, User.unit).where(
        User.username.in_([t.completed_by for t in tasks]))).all())
    found = []
    for task in tasks:
        event = events.get(task.id)
        value = ((event.data or {}).get("data") or {}).get(field) if event else None
        found.append({"by": task.completed_by, "unit": units.get(task.completed_by), "at": iso(task.completed_at),
                      "task_id": task.id, **(value if isinstance(value, dict) else {"value": value})})
    return found


@service("review_tally")
def review_tally(ctx: ServiceContext, data: dict) -> dict:
    """Count the ballots of this round: quorum ≥ ``review_quorum`` of the voting members, pass ≥
    ``review_pass`` yes of those voting; corresponding members' and observers' opinions recorded, not counted."""
    spec = spec_of(ctx, data)
    voters = list(data.get("voters") or [])
    members = int(data.get("voting_member_count") or 0)
    ballots, excluded = [], []
    for entry in _submitted(ctx, _round_tasks(ctx, Task.duty == "vote"), "ballot"):
        entry = {"voter": entry.pop("by"), **entry}
        (ballots if entry["voter"] in voters and entry.get("choice") in CHOICES else excluded).append(entry)
    counts = {choice: sum(1 for b in ballots if b["choice"] == choice) for choice in CHOICES}
    cast = len(ballots)
    quorum, share = ratio(ctx, "review_quorum"), ratio(ctx, "review_pass")
    meeting = data.get("meeting") if data.get("review_mode") == MEETING else None
    # 会审: attendance makes the quorum, the members present the pass base; 函审: the ballots returned, both
    present = int(meeting["attendance"]) if meeting else cast
    quorum_met = members > 0 and Fraction(present, members) >= quorum
    passed = quorum_met and present > 0 and Fraction(counts["yes"], present) >= share
    opinions = _submitted(ctx, _round_tasks(ctx, Task.role == "corresponding_member"), "opinion")
    observations = _submitted(ctx, _round_tasks(ctx, Task.duty == "observe"), "observation")
    result = {"round": spec.review_round, "mode": MEETING if meeting else CORRESPONDENCE, "meeting": meeting,
              "ballot_window": data.get("ballot_window"), "voting_members": members,
              "voting_base": data.get("voting_base"), "present": present, "cast": cast, **counts,
              "quorum": str(quorum), "quorum_required": ceil(members * quorum), "quorum_met": quorum_met,
              "pass_share": str(share), "pass_required": ceil(present * share), "passed": passed,
              "ballots": ballots, "excluded_ballots": excluded, "corresponding_opinions": opinions,
              "observer_opinions": observations, "tallied_at": iso(now()), "tallied_by": actor_name(ctx)}
    spec.review, spec.review_passed = result, passed
    change(ctx, spec, "review_tallied", cast=cast, yes=counts["yes"], quorum_met=quorum_met, passed=passed)
    return {"review_result": result, "review_passed": passed}


@service("review_minutes")
def review_minutes(ctx: ServiceContext, data: dict) -> dict:
    """The conclusion and minutes of every round, passed or not (BR1 needs them at submission); the conclusion
    follows the tally: a failed vote concludes ``fail``, a passed one ``pass`` or ``pass_with_changes``."""
    spec = spec_of(ctx, data)
    conclusion = data.get("review_conclusion")
    if spec.review_passed and conclusion == "fail":
        raise Conflict("The vote passed: the conclusion is pass or pass with changes, not fail.",
                       rule="review_conclusion")
    if not spec.review_passed and conclusion != "fail":
        raise Conflict("The vote did not pass (quorum or pass share): the conclusion is fail.",
                       rule="review_conclusion")
    minutes = str(data.get("minutes") or "").strip()
    if not minutes:
        raise InvalidInput("The review minutes (会议纪要) are required.", [{"field": "minutes", "message": "required"}])
    documents = spec_documents.check(ctx.session, ctx.instance, spec, data.get("minutes_document_id"),
                                     "minutes_document_id")
    spec.minutes, spec.review_conclusion = minutes, conclusion
    spec.review = {**(spec.review or {}), "minutes": minutes, "conclusion": conclusion,
                   "minutes_documents": [d["sha256"] for d in documents]}
    if documents:
        spec_documents.attach(spec, "review", {"审定会议纪要": documents})
    change(ctx, spec, "review_minutes", round=spec.review_round, conclusion=conclusion, minutes=minutes,
           required_changes=data.get("required_changes"), minutes_sha256=[d["sha256"] for d in documents])
    return {}


@service("review_passed")
def review_passed(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "review_passed", conclusion=spec.review_conclusion,
           changes_confirmed=data.get("changes_confirmed"))
    return {"review_outcome": "passed"}


@service("review_failed")
def review_failed(ctx: ServiceContext, data: dict) -> dict:
    """A failed round; failing ``review_failures_to_cancel`` times cancels the project."""
    spec = spec_of(ctx, data)
    spec.review_failures = (spec.review_failures or 0) + 1
    limit = int(profile(ctx).value("review_failures_to_cancel"))
    cancel = spec.review_failures >= limit
    change(ctx, spec, "review_failed", failures=spec.review_failures, limit=limit)
    return {"review_failures": spec.review_failures, "review_cancel": cancel}


@service("review_cancel")
def review_cancel(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "cancelled_after_failed_reviews", stage="cancelled", failures=spec.review_failures)
    return {"review_outcome": "cancelled"}
