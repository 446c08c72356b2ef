"""A P6 proposal and the plan (十一): a proposal names its plan item, else states why it is outside the plan;
the authority sees either on the proposal. Called by the specification package, which sits above this one."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.plans.models import Plan, PlanItem

PROPOSABLE = ("planned", "postponed")


def check(session: Session, committee: str | None, data: dict) -> PlanItem | None:
    """The plan item a proposal takes up (published plan of its committee, not dropped nor taken by another
    project), or None with a reason required; raises InvalidInput."""
    item_id, reason = data.get("plan_item"), str(data.get("outside_plan_reason") or "").strip()
    if item_id in (None, ""):
        if not reason:
            raise InvalidInput("A proposal outside the project plan states why (outside_plan_reason), or names its "
                               "plan item (plan_item).", [{"field": "outside_plan_reason",
                                                           "message": "required outside the plan"}])
        return None
    item = session.get(PlanItem, int(item_id))
    plan = session.get(Plan, item.plan_id) if item else None
    if plan is None or plan.committee != committee or plan.status != "published":
        raise InvalidInput(f"Plan item {item_id} is not in a published plan of {committee}.",
                           [{"field": "plan_item", "message": "not in this committee's published plans"}])
    if item.status not in PROPOSABLE and not (item.status == "proposed" and item.spec_id == data.get("spec_id")):
        raise InvalidInput(f"Plan item {item_id} is {item.status}.", [{"field": "plan_item", "message": item.status}])
    return item


def link(item: PlanItem | None, spec_id: str) -> dict:
    """Mark the item proposed by the project; the variables the authority's tasks show."""
    if item is None:
        return {"in_plan": False}
    item.status, item.spec_id = "proposed", spec_id
    return {"in_plan": True, "plan_item_title": item.title, "plan_item_year": item.planned_year}
