"""The services of p13_plan_approval.bpmn: submit the plan, the authority approves and publishes it, or returns
it for revision (谁审批、谁监管: the authority of the plan's level)."""
from __future__ import annotations

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Conflict, InvalidInput
from engine.plans import plans
from engine.plans.models import PLAN_KINDS, Plan


def plan_of(ctx: ServiceContext, data: dict, lock: bool = True) -> Plan:
    if data.get("plan_id") in (None, ""):
        raise InvalidInput("Name the plan (plan_id).", [{"field": "plan_id", "message": "required"}])
    plan = plans.get(ctx.session, data["plan_id"], lock=lock)
    if plan.committee != ctx.instance.committee or plan.level != ctx.instance.level \
            or plan.jurisdiction != ctx.instance.jurisdiction:
        raise InvalidInput(f"Plan {plan.id} belongs to {plan.committee} ({plan.level}); start this process in "
                           "that committee's scope.", [{"field": "plan_id", "message": "other scope"}])
    return plan


def variables(ctx: ServiceContext, plan: Plan) -> dict:
    """What the authority's task shows of the plan."""
    items = plans.items_of(ctx.session, plan.id)
    return {"plan_id": plan.id, "plan_title": plan.title, "plan_kind": PLAN_KINDS[plan.kind],
            "plan_years": f"{plan.start_year}–{plan.end_year}", "plan_status": plan.status,
            "plan_items": [f"{i.seq}. {i.spec_type}《{i.title}》（{i.planned_year}）" for i in items]}


def _decision(ctx: ServiceContext, data: dict) -> dict:
    return {"decision": data.get("plan_review_decision"), "opinion": data.get("plan_review_opinion"),
            "by": getattr(ctx.actor, "username", None), "at": clock.now().isoformat()}


@service("plan_submit")
def plan_submit(ctx: ServiceContext, data: dict) -> dict:
    plan = plan_of(ctx, data)
    if plan.status not in plans.EDITABLE:
        raise Conflict(f"Plan {plan.id} is {plan.status}: a draft or a returned plan is submitted.")
    if not plans.items_of(ctx.session, plan.id):
        raise InvalidInput("A plan lists at least one item.", [{"field": "plan_id", "message": "no items"}])
    plan.status, plan.instance_id = "submitted", ctx.instance.id
    return {**variables(ctx, plan), "plan_review_decision": None}


@service("plan_publish")
def plan_publish(ctx: ServiceContext, data: dict) -> dict:
    """Approved: published on the public board at once (GET /plans, /public/plans)."""
    plan = plan_of(ctx, data)
    plan.status, plan.decision, plan.published_at = "published", _decision(ctx, data), clock.now()
    return variables(ctx, plan)


@service("plan_returned")
def plan_returned(ctx: ServiceContext, data: dict) -> dict:
    plan = plan_of(ctx, data)
    plan.status, plan.decision = "returned", _decision(ctx, data)
    return variables(ctx, plan)
