"""Services of supervision: reports (P3a annual, P3b end-of-term, P4 chair), assessment (P5) and exit.

- ``annual_report_record`` (overdue timer; ``schedule_period``) → ``annual_report_misses``,
  ``assessment_flagged`` (BR8: counts the miss, flags the committee at ``annual_report_misses_to_assess``)
- ``annual_report_accept`` (the accepted report) → ``annual_report_on_time``
- ``term_report_record`` (the accepted end-of-term report) → ``term_report_accepted``
- ``chair_report_record`` (``period``, ``grade``) → ``chair_report_recorded``
- ``assessment_record`` (``grade`` 一级/二级/三级/不合格, ``comment``) → ``assessment_passed``,
  ``committee_suspended`` (failed while suspended), ``rectification_until``
- ``reassessment_record`` (``reassessment_grade``, ``reassessment_comment``) → ``reassessment_passed``
- ``committee_replace_host`` (``new_secretariat_host``, ``decision_reason``), ``committee_suspend``
  (``decision_reason``) → ``committee_status``
- ``revocation_notice_params`` (``successor_code``, ``decision_reason``) → the 撤销公示's notice variables
- ``committee_exit`` (``successor_code``, ``decision_reason``) → ``committee_status``,
  ``reassigned_specifications``
"""
from __future__ import annotations

from sqlalchemy import select

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees import appointments, registry
from engine.committees.models import CommitteeAssessment, CommitteeReport
from engine.committees.services import assessment_outcome, committee_of, profile_of, record, set_status
from engine.errors import Conflict, InvalidInput
from engine.notices import board as notices
from engine.rules.workdays import BEIJING

GRADES = ("一级", "二级", "三级", "不合格")
FAILED = "不合格"
REPORT_FIELDS = {"annual": ("year", "basic_data", "spec_status", "work_done", "problems", "next_year_plan"),
                 "term": ("term_summary", "specs_completed", "specs_overdue", "attendance", "next_term_plan"),
                 "chair": ("period", "summary")}


def _cycle(ctx: ServiceContext, data: dict) -> str:
    """The reporting cycle of this instance: the schedule's period, else the year it started (Beijing)."""
    return str(data.get("schedule_period") or ctx.instance.created_at.astimezone(BEIJING).year)


def _report(ctx: ServiceContext, code: str, kind: str, period: str) -> CommitteeReport:
    row = ctx.session.scalar(select(CommitteeReport).where(
        CommitteeReport.committee_code == code, CommitteeReport.kind == kind, CommitteeReport.period == period)
        .with_for_update())
    if row is None:
        row = CommitteeReport(committee_code=code, kind=kind, period=period, missed=False, instance_id=ctx.instance.id)
        ctx.session.add(row)
    return row


def _summary(kind: str, data: dict) -> dict:
    return {k: data[k] for k in REPORT_FIELDS[kind] if data.get(k) not in (None, "")}


@service("annual_report_record")
def annual_report_record(ctx: ServiceContext, data: dict) -> dict:
    """BR8: the deadline passed without a report — count the miss; repeated misses since the last assessment
    flag the committee for assessment (P5)."""
    code = ctx.instance.committee
    if not code:
        return {"annual_report_misses": 0, "assessment_flagged": False}
    row = _report(ctx, code, "annual", _cycle(ctx, data))
    if not row.missed:
        row.missed, row.missed_at = True, clock.now()
    ctx.session.flush()
    committee = registry.get(ctx.session, code, lock=True)
    misses = registry.annual_misses(ctx.session, code, committee.last_assessed_at if committee else None)
    flagged = False
    if committee is not None:
        limit = int(profile_of(ctx).value("annual_report_misses_to_assess"))
        if misses >= limit and committee.status in registry.WORKING:
            flagged = True
            if committee.assessment_flag is None:
                committee.assessment_flag = (f"年度工作报告自上次考核以来逾期 {misses} 次"
                                             f"（BR8，达到 {limit} 次列入考核）")
                committee.flagged_at = committee.updated_at = clock.now()
                record(ctx, "committee_flagged", {"committee": code, "reason": committee.assessment_flag})
    record(ctx, "annual_report_missed", {"committee": code, "period": row.period, "misses": misses})
    return {"annual_report_misses": misses, "assessment_flagged": flagged}


@service("annual_report_accept")
def annual_report_accept(ctx: ServiceContext, data: dict) -> dict:
    """The authority accepted the annual report: archived for the assessment (late if a miss was counted)."""
    if not ctx.instance.committee:
        return {"annual_report_on_time": True}
    row = _report(ctx, ctx.instance.committee, "annual", _cycle(ctx, data))
    row.accepted_at, row.summary = clock.now(), _summary("annual", data)
    record(ctx, "annual_report_accepted", {"committee": row.committee_code, "period": row.period,
                                           "on_time": not row.missed})  # the scorecard's evidence
    return {"annual_report_on_time": not row.missed}


@service("term_report_record")
def term_report_record(ctx: ServiceContext, data: dict) -> dict:
    """The end-of-term report (P3b) was accepted: it gates the renewal (P2)."""
    committee = committee_of(ctx, lock=False)
    row = _report(ctx, committee.code, "term", f"term-{committee.term_number}")
    row.accepted_at, row.summary = clock.now(), _summary("term", data)
    record(ctx, "term_report_accepted", {"committee": committee.code, "term_number": committee.term_number})
    return {"term_report_accepted": True}


@service("chair_report_record")
def chair_report_record(ctx: ServiceContext, data: dict) -> dict:
    """The chair's report (P4) and its grade, kept with the committee's reports."""
    if not ctx.instance.committee:
        return {"chair_report_recorded": False}
    row = _report(ctx, ctx.instance.committee, "chair", str(data.get("period") or _cycle(ctx, data))[:30])
    row.accepted_at, row.grade, row.summary = clock.now(), data.get("grade"), _summary("chair", data)
    return {"chair_report_recorded": True}


def _grade(data: dict, name: str) -> str:
    grade = data.get(name)
    if grade not in GRADES:
        raise InvalidInput(f"'{name}' must be one of {'、'.join(GRADES)}.", [{"field": name}])
    return grade


def _assess(ctx: ServiceContext, kind: str, grade: str, comment: str | None) -> tuple:
    committee = committee_of(ctx)
    now = clock.now()
    row = CommitteeAssessment(committee_id=committee.id, kind=kind, grade=grade, passed=grade != FAILED,
                              comment=comment, assessed_at=now, assessed_by=getattr(ctx.actor, "username", None),
                              instance_id=ctx.instance.id)
    ctx.session.add(row)
    committee.last_grade, committee.last_assessed_at, committee.updated_at = grade, now, now
    return committee, row


@service("assessment_record")
def assessment_record(ctx: ServiceContext, data: dict) -> dict:
    """考核评定: 不合格 puts the committee into rectification for the profile's period (BR9 applies); for a
    suspended committee a pass lifts the suspension and a fail goes to the authority's decision."""
    grade = _grade(data, "grade")
    suspended = committee_of(ctx).status == "suspended"
    committee, row = _assess(ctx, "assessment", grade, data.get("comment"))
    committee.assessment_flag, committee.flagged_at = None, None
    until = None
    if grade == FAILED and not suspended:
        until = registry.after(profile_of(ctx), "rectification_period", clock.now())
        committee.rectification_until = row.rectification_until = until
        set_status(ctx, committee, "rectification", f"考核不合格，整改至 {until.astimezone(BEIJING).date()}")
    elif grade != FAILED and suspended:
        set_status(ctx, committee, "active", f"暂停期间考核合格（{grade}），恢复工作")
        row.outcome = "restore"
    record(ctx, "committee_assessed", {"committee": committee.code, "grade": grade})
    return {"assessment_passed": grade != FAILED, "committee_suspended": suspended and grade == FAILED,
            "rectification_until": until.isoformat() if until else None}


@service("reassessment_record")
def reassessment_record(ctx: ServiceContext, data: dict) -> dict:
    """整改复核: passing ends the rectification; failing leaves it for the authority's decision."""
    grade = _grade(data, "reassessment_grade")
    committee, _ = _assess(ctx, "reassessment", grade, data.get("reassessment_comment"))
    if grade != FAILED:
        committee.rectification_until = None
        set_status(ctx, committee, "active", f"整改复核合格（{grade}）")
    record(ctx, "committee_reassessed", {"committee": committee.code, "grade": grade})
    return {"reassessment_passed": grade != FAILED}


def _reason(data: dict) -> str:
    reason = (data.get("decision_reason") or "").strip()
    if not reason:
        raise InvalidInput("The decision needs a reason ('decision_reason').", [{"field": "decision_reason"}])
    return reason


@service("committee_replace_host")
def committee_replace_host(ctx: ServiceContext, data: dict) -> dict:
    """更换秘书处承担单位: the committee works on under a new host."""
    host = (data.get("new_secretariat_host") or "").strip()
    if not host:
        raise InvalidInput("Name the new secretariat host ('new_secretariat_host').",
                           [{"field": "new_secretariat_host"}])
    committee = committee_of(ctx)
    previous, committee.secretariat_host = committee.secretariat_host, host
    committee.rectification_until = None
    set_status(ctx, committee, "active", f"更换秘书处承担单位：{previous or '—'} → {host}；{_reason(data)}")
    assessment_outcome(ctx, "replace_host")
    return {"committee_status": committee.status}


@service("committee_suspend")
def committee_suspend(ctx: ServiceContext, data: dict) -> dict:
    """暂停工作: no projects, no reviews, no reports until the authority decides again."""
    committee = committee_of(ctx)
    set_status(ctx, committee, "suspended", _reason(data))
    assessment_outcome(ctx, "suspend")
    return {"committee_status": committee.status}


REASSIGN_HOOK = "reassign_committee"  # fn(ctx, old_code, new_code) -> ids moved; offered by engine.specifications


def _reassign(ctx: ServiceContext, old: str, new: str) -> list[str]:
    """The specification registry (a package above this one, hence a hook) moves the open specifications and
    their running instances to the successor; without it there is nothing to move."""
    reassign = ctx.services.hook(REASSIGN_HOOK) if ctx.services is not None else None
    return [str(spec_id) for spec_id in reassign(ctx, old, new)] if reassign else []


def _successor(ctx: ServiceContext, committee, data: dict):
    """The committee that takes over the open specifications: another one, in the registry, working."""
    successor_code = (data.get("successor_code") or "").strip()
    successor = registry.get(ctx.session, successor_code, lock=True) if successor_code else None
    if successor is None or successor.code == committee.code or successor.status not in registry.WORKING:
        raise Conflict(f"撤销 {committee.code} 需要指定一个在运行的承接委员会；'{successor_code or '—'}' 不是。",
                       rule="successor", errors=[{"field": "successor_code", "message": "not a working committee"}])
    return successor


@service("revocation_notice_params")
def revocation_notice_params(ctx: ServiceContext, data: dict) -> dict:
    """Before revoking, the decision is made public (撤销公示, BR12): checked now, carried out after the window."""
    committee = committee_of(ctx)
    successor = _successor(ctx, committee, data)
    _reason(data)
    if data.get("exit_action") == "merge":
        subject = f"撤销公示：{committee.name}（{committee.code}）并入 {successor.code}，规范移交 {successor.code}"
    else:
        subject = f"撤销公示：{committee.name}（{committee.code}），规范移交 {successor.code}"
    return notices.open_request("revocation", "revocation_notice_window", subject, committee.code)


@service("committee_exit")
def committee_exit(ctx: ServiceContext, data: dict) -> dict:
    """撤销: the committee leaves the registry's working set; its open specifications go to a successor."""
    committee = committee_of(ctx)
    successor = _successor(ctx, committee, data)
    reason = _reason(data)
    if data.get("exit_action") == "merge":
        reason = f"并入 {successor.code}：{reason}"
    moved = _reassign(ctx, committee.code, successor.code)
    committee.successor_code, committee.rectification_until = successor.code, None
    for member in registry.members(ctx.session, committee):
        appointments.release(ctx.session, member, actor=getattr(ctx.actor, "username", None),
                             reason=f"撤销 {committee.code}：{reason}")
    set_status(ctx, committee, "revoked", reason)
    assessment_outcome(ctx, "revoke")
    record(ctx, "committee_revoked", {"committee": committee.code, "successor": successor.code,
                                      "reassigned": moved})
    return {"committee_status": committee.status, "successor_code": successor.code,
            "reassigned_specifications": moved}
