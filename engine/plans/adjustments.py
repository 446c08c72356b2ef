"""Adjusting a published plan during its term (动态调整): add an item, postpone one, or drop one, each with a
reason, approved by the authority in p13b_plan_adjustment.bpmn and kept as a record of the plan."""
from __future__ import annotations

from sqlalchemy import func, select

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Conflict, InvalidInput
from engine.plans import plans
from engine.plans.approval import plan_of
from engine.plans.models import ADJUSTMENTS, PlanAdjustment, PlanItem

ADJUSTABLE = ("planned", "postponed")


def _item(ctx: ServiceContext, plan_id: int, item_id) -> PlanItem:
    item = ctx.session.get(PlanItem, int(item_id)) if item_id not in (None, "") else None
    if item is None or item.plan_id != plan_id:
        raise InvalidInput(f"Item {item_id} is not in plan {plan_id}.", [{"field": "item_id"}])
    if item.status not in ADJUSTABLE:
        raise Conflict(f"Item {item.id} is {item.status}: only a planned or postponed item is adjusted.")
    return item


@service("plan_adjustment_register")
def adjustment_register(ctx: ServiceContext, data: dict) -> dict:
    plan = plan_of(ctx, data)
    if plan.status != "published":
        raise Conflict(f"Plan {plan.id} is {plan.status}: only a published plan is adjusted.")
    action, reason = data.get("adjust_action"), str(data.get("adjust_reason") or "").strip()
    if action not in ADJUSTMENTS:
        raise InvalidInput("adjust_action is add, postpone or drop.", [{"field": "adjust_action"}])
    if not reason:
        raise InvalidInput("Every adjustment states its reason.", [{"field": "adjust_reason"}])
    details, item_id = {}, None
    if action == "add":
        entry = {"title": data.get("item_title"), "spec_type": data.get("item_spec_type"),
                 "project_kind": data.get("item_project_kind") or "new", "field": data.get("item_field"),
                 "planned_year": data.get("new_year"), "need_id": data.get("need_id")}
        plans.new_item(ctx.session, plan, entry, 0)  # checked now, added when approved
        details = entry
    else:
        item_id = _item(ctx, plan.id, data.get("item_id")).id
        if action == "postpone":
            year = data.get("new_year")
            if not isinstance(year, int) or year <= ctx.session.get(PlanItem, item_id).planned_year:
                raise InvalidInput("A postponed item names a later year.", [{"field": "new_year"}])
            details = {"new_year": year}
    adjustment = PlanAdjustment(plan_id=plan.id, item_id=item_id, action=action, reason=reason, data=details,
                                status="pending", requested_by=getattr(ctx.actor, "username", None),
                                requested_at=clock.now(), instance_id=ctx.instance.id)
    ctx.session.add(adjustment)
    ctx.session.flush()
    return {"adjustment_id": adjustment.id, "adjust_label": ADJUSTMENTS[action], "plan_title": plan.title}


def _apply(ctx: ServiceContext, adjustment: PlanAdjustment) -> None:
    plan = plans.get(ctx.session, adjustment.plan_id, lock=True)
    if adjustment.action == "add":
        seq = (ctx.session.scalar(select(func.max(PlanItem.seq)).where(PlanItem.plan_id == plan.id)) or 0) + 1
        item = plans.new_item(ctx.session, plan, adjustment.data, seq)
        item.adjustment_id = adjustment.id
        ctx.session.add(item)
        ctx.session.flush()
        adjustment.item_id = item.id
        return
    item = _item(ctx, plan.id, adjustment.item_id)
    if adjustment.action == "drop":
        item.status = "dropped"
    else:
        item.status, item.planned_year = "postponed", adjustment.data["new_year"]
        plan.end_year = max(plan.end_year, item.planned_year)  # a postponed item extends the plan's reach


@service("plan_adjustment_decided")
def adjustment_decided(ctx: ServiceContext, data: dict) -> dict:
    """Approved: applied to the plan at once. Rejected: recorded, the plan unchanged."""
    adjustment = ctx.session.get(PlanAdjustment, int(data["adjustment_id"]))
    if adjustment.status != "pending":
        raise Conflict(f"Adjustment {adjustment.id} was decided already.")
    approved = data.get("adjustment_decision") == "approve"
    adjustment.status = "approved" if approved else "rejected"
    adjustment.decided_by, adjustment.decided_at = getattr(ctx.actor, "username", None), clock.now()
    adjustment.opinion = data.get("adjustment_opinion")
    if approved:
        _apply(ctx, adjustment)
    return {"adjustment_status": adjustment.status, "item_id": adjustment.item_id}
