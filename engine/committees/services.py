"""Services of establishment (P1), renewal (P2) and reorganisation: they check and write the registry; the
diagrams' gateways route on what they return.

- ``committee_register`` (the 筹建申请 fields, instance scope) → ``committee_status`` "preparing"
- ``member_eligibility`` (``candidates``) → ``eligibility_report``, ``eligible_count``, ``eligible_needed``,
  ``eligible_enough`` (BR6)
- ``composition_check`` (``composition``, ``eligibility_report``, ``emerging_field``) → ``composition_ok``,
  ``composition_report``, ``composition_members`` (BR5/BR6)
- ``committee_establish`` (``composition_members``, ``approval_document``, ``charter``) → the term
- ``committee_renew`` (``composition_members``, ``approval_document``) → the next term (from the day after
  the current one ends)
- ``committee_reorganise`` (``composition_members``) and ``committee_dissolve`` (not established)
- ``term_check`` → ``term_expired``, ``term_end``, ``term_end_at``, ``renewal_allowed`` (BR13)
- ``committee_status`` → status, term, ``annual_report_misses`` since the last assessment, ``assessment_flag``
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees import registry, rules
from engine.committees.models import Committee, CommitteeAssessment
from engine.errors import Conflict, InvalidInput
from engine.history import log as history
from engine.rules import profiles
from engine.rules.workdays import BEIJING

AUTHORITIES = {"national": "国家市场监督管理总局"}
APPLICATION_FIELDS = ("committee_name", "committee_scope", "justification", "spec_framework", "overlap_analysis",
                      "secretariat_host", "resources", "work_plan", "approving_authority", "parent_code",
                      "emerging_field")


def profile_of(ctx: ServiceContext) -> profiles.Profile:
    return profiles.current().for_level(ctx.instance.level, ctx.instance.jurisdiction)[0]


def actor_name(ctx: ServiceContext) -> str | None:
    return getattr(ctx.actor, "username", None)


def record(ctx: ServiceContext, type_: str, data: dict) -> None:
    """A registry change, in the history of the instance that made it."""
    history.record(ctx.session, ctx.instance, type_, actor=actor_name(ctx),
                   process_key=ctx.instance.process_key, process_version=ctx.instance.process_version, data=data)


def set_status(ctx: ServiceContext, committee: Committee, status: str, reason: str) -> None:
    previous = committee.status
    committee.status, committee.status_reason = status, reason
    committee.status_changed_at = committee.updated_at = clock.now()
    record(ctx, "committee_status_changed", {"committee": committee.code, "from": previous, "to": status,
                                             "reason": reason})


def assessment_outcome(ctx: ServiceContext, outcome: str) -> None:
    """What followed the assessment this instance recorded last (reorganise, replace_host, suspend, revoke)."""
    latest = ctx.session.scalar(select(CommitteeAssessment).where(CommitteeAssessment.instance_id == ctx.instance.id)
                                .order_by(CommitteeAssessment.id.desc()).limit(1))
    if latest is not None:
        latest.outcome = outcome


def committee_of(ctx: ServiceContext, lock: bool = True) -> Committee:
    if not ctx.instance.committee:
        raise InvalidInput("This process needs a committee: start it with the committee code as scope.",
                           [{"field": "committee_code", "message": "required"}])
    return registry.require(ctx.session, ctx.instance.committee, lock=lock)


def _authority(level: str, jurisdiction: str | None, given: str | None) -> str:
    if given:
        return given
    if level == "provincial":
        return f"{jurisdiction}市场监督管理局"
    return AUTHORITIES.get(level) or jurisdiction or level


@service("committee_register")
def committee_register(ctx: ServiceContext, data: dict) -> dict:
    """The authority approved preparation (批准筹建): the committee enters the registry as ``preparing``."""
    instance = ctx.instance
    code = registry.check_code(instance.committee or "")
    if not instance.level:
        raise InvalidInput("The establishment needs an approval level (BR11).", [{"field": "approval_level"}])
    existing = registry.get(ctx.session, code, lock=True)
    if existing is not None and existing.instance_id != instance.id:
        raise Conflict(f"委员会代号 {code} 已被 {existing.name}（{existing.status}）使用；"
                       "请退回申请人另定代号或不予批准。", committee=code)
    parent = data.get("parent_code") or None
    if "/SC" in code and (parent is None or not code.startswith(f"{parent}/")):
        raise InvalidInput(f"Subcommittee {code} must name its committee as parent_code.",
                           [{"field": "parent_code", "message": "missing or not the code's prefix"}])
    now = clock.now()
    application = {k: data[k] for k in APPLICATION_FIELDS if data.get(k) not in (None, "")}
    committee = existing or Committee(code=code, status="preparing", term_number=0, created_at=now,
                                      instance_id=instance.id)
    committee.name, committee.level = data["committee_name"], instance.level
    committee.jurisdiction = instance.jurisdiction
    committee.authority = _authority(instance.level, instance.jurisdiction, data.get("approving_authority"))
    committee.scope, committee.secretariat_host = data.get("committee_scope"), data.get("secretariat_host")
    committee.parent_code, committee.application, committee.updated_at = parent, application, now
    committee.status_changed_at = committee.status_changed_at or now
    if existing is None:
        ctx.session.add(committee)
    ctx.session.flush()
    record(ctx, "committee_registered", {"committee": code, "name": committee.name, "status": "preparing",
                                         "level": committee.level, "jurisdiction": committee.jurisdiction})
    return {"committee_status": "preparing", "committee_name": committee.name}


def next_term_start(committee: Committee, today: date) -> date:
    """A renewed term starts the day after the current one ends (its extended end, after P2b); a renewal
    approved once that day has passed starts on the approval day: a term is never backdated."""
    if committee.term_end is None:
        return today
    return max(committee.term_end + timedelta(days=1), today)


def _new_term_end(ctx: ServiceContext) -> date:
    """The end of the term the recruited members would serve: the next term when renewing, else one from today."""
    start = registry.today()
    if ctx.instance.process_key == "committee_renewal" and ctx.instance.committee:
        committee = registry.get(ctx.session, ctx.instance.committee)
        if committee is not None:
            start = next_term_start(committee, start)
    return registry.term_dates(profile_of(ctx), start)[1]


@service("member_eligibility")
def member_eligibility(ctx: ServiceContext, data: dict) -> dict:
    """BR6 for every applicant of the open call, against a term that would start today."""
    candidates = data.get("candidates")
    if not isinstance(candidates, list):
        raise InvalidInput("member_eligibility needs the list 'candidates'.", [{"field": "candidates"}])
    profile = profile_of(ctx)
    report = rules.eligibility_report(candidates, profile, _new_term_end(ctx))
    needed = int(profile.value("committee_min_size"))
    return {"eligibility_report": report, "eligible_count": report["eligible_count"], "eligible_needed": needed,
            "eligible_enough": report["eligible_count"] >= needed}


def _resolve(plan: list[dict], candidates: list[dict]) -> tuple[list[dict], list[rules.Check]]:
    """Plan entries (name, role, optional unit) joined with the recruited candidates they name."""
    resolved, problems, seen = [], [], set()
    for entry in plan:
        matches = [c for c in candidates if c["name"] == entry["name"]
                   and (not entry.get("unit") or c["unit"] == entry["unit"])]
        label = entry["name"] + (f"（{entry['unit']}）" if entry.get("unit") else "")
        if len(matches) != 1:
            why = "不在本次征集的候选人中" if not matches else "同名候选人不止一位，请注明单位"
            problems.append(rules.Check("BR6", "candidate", False, f"{label}{why}", entry["name"]))
            continue
        key = (matches[0]["name"], matches[0]["unit"])
        if key in seen:
            problems.append(rules.Check("BR5", "duplicate", False, f"{label}在组建方案中出现多次", entry["name"]))
            continue
        seen.add(key)
        resolved.append({**matches[0], "role": entry["role"]})
    return resolved, problems


@service("composition_check")
def composition_check(ctx: ServiceContext, data: dict) -> dict:
    """BR5 and BR6 over the composition plan, as a structured report the gateway routes on."""
    plan, report = data.get("composition"), data.get("eligibility_report") or {}
    if not isinstance(plan, list):
        raise InvalidInput("composition_check needs the list 'composition'.", [{"field": "composition"}])
    members, problems = _resolve(plan, report.get("candidates") or [])
    committee = registry.get(ctx.session, ctx.instance.committee)
    emerging = data.get("emerging_field")
    if emerging is None and committee is not None:
        emerging = (committee.application or {}).get("emerging_field")
    profile = profile_of(ctx)
    code = ctx.instance.committee
    checks = rules.composition_checks(members, profile, emerging_field=bool(emerging),
                                      memberships=lambda m: registry.memberships_elsewhere(ctx.session, m, code))
    result = rules.composition_report(members, problems, checks, profile)
    result["checked_at"] = clock.now().isoformat()
    record(ctx, "composition_checked", {"committee": code, "passed": result["passed"],
                                        "violations": result["violations"]})
    public = ("name", "unit", "role", "stakeholder_category", "title", "title_level", "username")
    return {"composition_ok": result["passed"], "composition_report": result,
            "composition_members": [{k: m.get(k) for k in public} for m in members]}


def _members_from(data: dict) -> list[dict]:
    entries = data.get("composition_members")
    if not isinstance(entries, list) or not entries:
        raise InvalidInput("No checked composition ('composition_members') to appoint.",
                           [{"field": "composition_members"}])
    return entries


def _term_end_at(committee: Committee) -> str | None:
    if committee.term_end is None:
        return None
    return datetime.combine(committee.term_end + timedelta(days=1), time(0), BEIJING).isoformat()


def _term_view(committee: Committee) -> dict:
    return {"committee_status": committee.status, "committee_name": committee.name,
            "term_number": committee.term_number,
            "term_start": committee.term_start.isoformat() if committee.term_start else None,
            "term_end": committee.term_end.isoformat() if committee.term_end else None,
            "term_end_at": _term_end_at(committee)}


@service("committee_establish")
def committee_establish(ctx: ServiceContext, data: dict) -> dict:
    """批准成立: the code, the first term (from the approval day), the appointed members; the committee becomes
    active."""
    committee = committee_of(ctx)
    if committee.status != "preparing":
        raise Conflict(f"Committee {committee.code} is {committee.status}, not preparing.")
    entries = _members_from(data)
    committee.term_number = 1
    committee.term_start, committee.term_end = registry.term_dates(profile_of(ctx), registry.today())
    committee.established_at = clock.now()
    committee.approval_document = data.get("approval_document")
    committee.charter = data.get("charter") or committee.charter
    registry.replace_members(ctx.session, committee, entries, 1, actor=actor_name(ctx),
                             reason=f"批准成立 {committee.code}（{committee.approval_document or '—'}）")
    set_status(ctx, committee, "active", "批准成立")
    record(ctx, "committee_established", {"committee": committee.code, "members": len(entries),
                                          **_term_view(committee)})
    return _term_view(committee)


@service("committee_renew")
def committee_renew(ctx: ServiceContext, data: dict) -> dict:
    """批准换届: the next term, from the day after the current one ends, with the newly appointed members (BR13 is
    lifted)."""
    committee = committee_of(ctx)
    if committee.status not in registry.WORKING:
        raise Conflict(f"Committee {committee.code} is {committee.status}; only a working committee is renewed.")
    entries = _members_from(data)
    committee.term_number += 1
    start = next_term_start(committee, registry.today())
    committee.term_start, committee.term_end = registry.term_dates(profile_of(ctx), start)
    committee.approval_document = data.get("approval_document") or committee.approval_document
    committee.updated_at = clock.now()
    registry.replace_members(ctx.session, committee, entries, committee.term_number, actor=actor_name(ctx),
                             reason=f"{committee.code} 换届（{committee.approval_document or '—'}）")
    record(ctx, "committee_renewed", {"committee": committee.code, "members": len(entries),
                                      **_term_view(committee)})
    return _term_view(committee)


@service("committee_reorganise")
def committee_reorganise(ctx: ServiceContext, data: dict) -> dict:
    """重组 after a failed reassessment: the new composition replaces the members; the committee works again."""
    committee = committee_of(ctx)
    entries = _members_from(data)
    registry.replace_members(ctx.session, committee, entries, committee.term_number, actor=actor_name(ctx),
                             reason=f"{committee.code} 重组")
    committee.rectification_until = None
    set_status(ctx, committee, "active", "重组后恢复工作")
    assessment_outcome(ctx, "reorganise")
    record(ctx, "committee_reorganised", {"committee": committee.code, "members": len(entries)})
    return {"committee_status": committee.status}


@service("term_check")
def term_check(ctx: ServiceContext, data: dict) -> dict:
    """BR13: has the committee's term expired? Renewal applies to working committees only."""
    committee = committee_of(ctx, lock=False)
    expired = registry.term_expired(committee)
    return {**_term_view(committee), "term_expired": expired,
            "renewal_allowed": committee.status in registry.WORKING}


@service("committee_status")
def committee_status(ctx: ServiceContext, data: dict) -> dict:
    """What the assessing authority needs to see: status, term, BR8 misses and any flag."""
    committee = committee_of(ctx, lock=False)
    return {**_term_view(committee), "term_expired": registry.term_expired(committee),
            "annual_report_misses": registry.annual_misses(ctx.session, committee.code, committee.last_assessed_at),
            "assessment_flag": committee.assessment_flag, "last_grade": committee.last_grade}


@service("committee_dissolve")
def committee_dissolve(ctx: ServiceContext, data: dict) -> dict:
    """不予成立: a committee in preparation that the authority does not establish leaves the working set; its
    code stays taken (the registry keeps what happened)."""
    committee = committee_of(ctx)
    if committee.status != "preparing":
        raise Conflict(f"Committee {committee.code} is {committee.status}, not preparing.")
    set_status(ctx, committee, "revoked", (data.get("establishment_comment") or "").strip() or "不予批准成立")
    return {"committee_status": committee.status}
