"""P6 project approval (立项): the gate (BR9, BR13), the proposal in the registry, the 立项公示 and the
authority's decision. The diagram p6_project_approval.bpmn routes; these do the work."""
from __future__ import annotations

from sqlalchemy import select

from engine.access.models import User
from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Forbidden, InvalidInput
from engine.notices import board as notices
from engine.plans import references as plan_refs
from engine.specifications import numbering as spec_numbering
from engine.specifications import registry as spec_registry
from engine.specifications.common import (
    actor_name,
    change,
    committee_state,
    deadline,
    iso,
    now,
    profile,
    spec_of,
    spec_variables,
)
from engine.specifications.models import ADOPTION_DEGREES, TYPES, Specification

OPEN_FOR_PROPOSAL = ("proposed", "evaluated", "project_notice")
PROPOSAL_FIELDS = ("spec_type", "title", "project_kind", "replaces", "application_scope", "measured_quantity", "field",
                   "necessity", "overlap_reason",
                   "adopted_document", "drafting_units", "drafters", "responsible_committee", "planned_completion",
                   "funding", "livelihood", "confidential", "plan_item", "outside_plan_reason", "field",
                   "adoption_degree")


@service("project_gate")
def project_gate(ctx: ServiceContext, data: dict) -> dict:
    """BR9 and BR13: a committee in rectification, or whose term has expired, takes no new project."""
    code = ctx.instance.committee
    if not code:
        raise InvalidInput("A project is proposed within its responsible committee (归口): start it with "
                           "scope.committee.", [{"field": "committee", "message": "required"}])
    state = committee_state(ctx.session, code)
    if state is None:  # not (yet) in the committee registry: nothing to refuse on
        return {"committee_status": None}
    refusal = state.project_refusal()
    if refusal is not None:
        raise Forbidden(refusal[1], rule=refusal[0])
    if state.term_expired:
        raise Forbidden(f"委员会 {code} 的任期已于 {state.term_end} 届满，换届或延期前不得新立项目。", rule="BR13")
    return {"committee_status": state.status}


def _replaced(ctx: ServiceContext, data: dict) -> Specification | None:
    if data.get("project_kind") != "revision":
        return None
    ref = str(data.get("replaces") or "").strip()
    spec = spec_registry.find(ctx.session, ref) or spec_registry.by_number(ctx.session, ref)
    if spec is None or spec.stage not in ("published", "rereview"):
        raise InvalidInput(f"A revision names the published specification it replaces; '{ref}' is not one.",
                           [{"field": "replaces", "message": "no published specification with this id or number"}])
    return spec


def _check_drafters(ctx: ServiceContext, names: list[str]) -> None:
    known = set(ctx.session.scalars(select(User.username).where(User.username.in_(names))))
    missing = [n for n in names if n not in known]
    if missing:
        raise InvalidInput("Drafters are named by their user accounts (起草人账号); unknown: " + ", ".join(missing),
                           [{"field": "drafters", "message": f"unknown user {n}"} for n in missing])


def _profile_list(ctx: ServiceContext, key: str, default) -> list:
    rules = profile(ctx)
    return list(rules.value(key)) if key in rules else list(default)


def _adoption(ctx: ServiceContext, data: dict) -> str | None:
    """The degree of adoption of an international document (IDT/MOD/NEQ), which then needs the document's
    reference (OIML R 76-1:2006, ISO …); none when nothing is adopted."""
    degree = str(data.get("adoption_degree") or "").strip().upper() or None
    if degree is None:
        return None
    allowed = _profile_list(ctx, "adoption_degrees", ADOPTION_DEGREES)
    if degree not in allowed or degree not in ADOPTION_DEGREES:
        raise InvalidInput(f"adoption_degree must be one of {', '.join(allowed)}.", [{"field": "adoption_degree"}])
    if not str(data.get("adopted_document") or "").strip():
        raise InvalidInput("An adoption degree names the adopted international document (adopted_document).",
                           [{"field": "adopted_document", "message": "required with adoption_degree"}])
    return degree


@service("spec_register")
def spec_register(ctx: ServiceContext, data: dict) -> dict:
    """Enter (or, after a return for adjustment, update) the proposal in the registry: stage ``proposed``."""
    spec_type = data.get("spec_type")
    allowed = _profile_list(ctx, "spec_types", TYPES)
    if spec_type not in allowed or spec_type not in TYPES:
        raise InvalidInput(f"spec_type must be one of {', '.join(allowed)}.", [{"field": "spec_type"}])
    degree = _adoption(ctx, data)
    drafters = list(data.get("drafters") or [])
    _check_drafters(ctx, drafters)
    existing_id = data.get("spec_id") or ctx.instance.specification
    plan_item = plan_refs.check(ctx.session, ctx.instance.committee, {**data, "spec_id": existing_id})
    replaced = _replaced(ctx, data)
    spec = spec_registry.find(ctx.session, existing_id)
    if spec is not None and spec.stage not in OPEN_FOR_PROPOSAL:
        spec = None  # a closed project is never reopened: a new proposal is a new project
    if spec is not None and spec.kind == "revision" and spec.replaces and (replaced is None
                                                                           or replaced.id != spec.replaces):
        raise InvalidInput(f"This project revises {spec.replaces} (opened by its re-review): propose it as a "
                           "revision of that specification.", [{"field": "replaces", "message": "must stay"}])
    created = spec is None
    if created:
        year = now().year
        spec = Specification(id=spec_numbering.project_id(ctx.session, spec_type, ctx.instance.level,
                                                          ctx.instance.jurisdiction, year),
                             type=spec_type, title="", stage="proposed", created_at=now(), drafting_flags=0,
                             extensions=[], documents={}, comments_total=0, comments_answered=0, review_round=0,
                             review_failures=0, review_passed=False)
        ctx.session.add(spec)
    spec.type, spec.title = spec_type, str(data.get("title") or "").strip()
    spec.kind = "revision" if replaced else "new"
    spec.replaces = replaced.id if replaced else None
    instance = ctx.instance
    spec.committee, spec.level, spec.jurisdiction = instance.committee, instance.level, instance.jurisdiction
    spec.livelihood, spec.confidential = bool(data.get("livelihood")), bool(data.get("confidential"))
    spec.drafting_units, spec.drafters = list(data.get("drafting_units") or []), drafters
    spec.proposal = {k: data.get(k) for k in PROPOSAL_FIELDS if data.get(k) is not None}
    spec.field = str(data.get("field") or "").strip()[:100] or None
    spec.adoption_degree = degree
    spec.adopted_document = str(data.get("adopted_document") or "").strip()[:200] or None
    spec.instance_id = spec.instance_id or ctx.instance.id
    ctx.session.flush()
    change(ctx, spec, "proposed" if created else "proposal_resubmitted", stage="proposed",
           title=spec.title, type=spec.type, kind=spec.kind, replaces=spec.replaces,
           plan_item=plan_item.id if plan_item else None, outside_plan_reason=data.get("outside_plan_reason"))
    spec_registry.sync_facts(ctx.session, ctx.instance, spec)
    return {**spec_variables(spec), "project_kind": spec.kind, **plan_refs.link(plan_item, spec.id)}


RETURNS = (("plan_decision", "adjust", "plan_opinion"), ("publish_decision", "return", "publish_opinion"),
           ("evaluation_decision", "return", "evaluation_opinion"))  # the later decision first


@service("project_returned")
def project_returned(ctx: ServiceContext, data: dict) -> dict:
    """Back to the proposer for adjustment (by the committee's evaluation or the authority)."""
    spec = spec_of(ctx, data)
    opinion = next((data.get(text) for decision, value, text in RETURNS if data.get(decision) == value), None)
    change(ctx, spec, "proposal_returned", stage="proposed", by=actor_name(ctx), opinion=opinion)
    return {**spec_variables(spec), **{decision: None for decision, _, _ in RETURNS}}  # the next round decides anew


@service("project_evaluated")
def project_evaluated(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "committee_evaluated", stage="evaluated", opinion=data.get("evaluation_opinion"))
    return spec_variables(spec)


@service("project_notice_params")
def project_notice_params(ctx: ServiceContext, data: dict) -> dict:
    """What ``notice_open`` publishes for a 立项公示 (BR12)."""
    spec = spec_of(ctx, data)
    change(ctx, spec, "project_notice", stage="project_notice")
    label = "修订" if spec.kind == "revision" else "制定"
    return {**spec_variables(spec), **notices.open_request(
        "project", "project_notice_window", f"立项公示：{label}{spec.type}《{spec.title}》", spec.id)}


@service("project_include")
def project_include(ctx: ServiceContext, data: dict) -> dict:
    """Include the project in the plan; the drafting deadline runs from today (profile drafting_deadline)."""
    spec = spec_of(ctx, data)
    due = deadline(ctx, "drafting_deadline", now())
    spec.drafting_due = due
    spec.plan_decision = _decision(ctx, data, "include")
    change(ctx, spec, "included_in_plan", stage="planned", drafting_due=due, notice_id=data.get("notice_id"),
           comments=data.get("notice_comment_count"))
    return {**spec_variables(spec), "project_outcome": "included", "drafting_due_at": iso(due)}


@service("project_reject")
def project_reject(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    spec.plan_decision = _decision(ctx, data, "reject")
    stage_action = "rejected_by_committee" if data.get("evaluation_decision") == "reject" else "rejected"
    change(ctx, spec, stage_action, stage="rejected",
           opinion=data.get("plan_opinion") or data.get("evaluation_opinion"))
    return {**spec_variables(spec), "project_outcome": "rejected"}


def _decision(ctx: ServiceContext, data: dict, decision: str) -> dict:
    return {"decision": decision, "by": actor_name(ctx), "at": iso(now()),
            "opinion": data.get("plan_opinion") or data.get("evaluation_opinion"),
            "notice_id": data.get("notice_id"), "notice_comment_count": data.get("notice_comment_count"),
            "notice_objection_count": data.get("notice_objection_count")}
