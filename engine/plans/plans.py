"""Project plans (项目计划, 十一 短期和中长期项目计划): the secretariat drafts a committee's annual or
medium/long-term plan from the accepted needs; the approving authority approves it in p13_plan_approval.bpmn
and it is published on the public board. Spans come from the rule profile."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.actors import Actor
from engine.committees import registry as committees
from engine.errors import Conflict, InvalidInput, NotFound
from engine.plans import access
from engine.plans.models import PLAN_KINDS, Need, NeedCall, Plan, PlanAdjustment, PlanItem
from engine.rules import profiles
from engine.specifications.models import KINDS, TYPES

EDITABLE = ("draft", "returned")


def _span(plan: Plan) -> None:
    """Annual: one year. Medium/long-term: between the profile's plan_long_term_min_years and _max_years."""
    years = plan.end_year - plan.start_year + 1
    if plan.kind == "annual":
        if years != 1:
            raise InvalidInput("An annual plan covers one year.", [{"field": "end_year", "message": "= start_year"}])
        return
    profile, _ = profiles.current().for_level(plan.level, plan.jurisdiction)
    low, high = int(profile.value("plan_long_term_min_years")), int(profile.value("plan_long_term_max_years"))
    if not low <= years <= high:
        raise InvalidInput(f"A medium/long-term plan covers {low} to {high} years, not {years}.",
                           [{"field": "end_year", "message": f"{low}–{high} years"}])


def new_item(session: Session, plan: Plan, entry: dict, seq: int) -> PlanItem:
    """A planned item; a need it takes up must be accepted, in a call of this committee or level."""
    title = str(entry.get("title") or "").strip()
    if not title:
        raise InvalidInput("Each item has a title.", [{"field": "items.title", "message": "required"}])
    if entry.get("spec_type") not in TYPES or entry.get("project_kind", "new") not in KINDS:
        raise InvalidInput(f"spec_type is one of {', '.join(TYPES)}; project_kind new or revision.",
                           [{"field": "items.spec_type"}])
    year = entry.get("planned_year") or plan.start_year
    if not plan.start_year <= int(year) <= plan.end_year:
        raise InvalidInput(f"planned_year {year} lies outside the plan's years.", [{"field": "items.planned_year"}])
    need_id = entry.get("need_id")
    if need_id is not None:
        need = session.get(Need, need_id)
        call = session.get(NeedCall, need.call_id) if need else None
        if call is None or need.status != "accepted" or call.committee not in (None, plan.committee) \
                or call.level != plan.level:
            raise InvalidInput(f"Need {need_id} is not an accepted need of this committee's calls.",
                               [{"field": "items.need_id"}])
    return PlanItem(plan_id=plan.id, seq=seq, title=title, spec_type=entry["spec_type"],
                    project_kind=entry.get("project_kind", "new"), field=entry.get("field"),
                    planned_year=int(year), need_id=need_id, status="planned")


def _set_items(session: Session, plan: Plan, items: list[dict]) -> None:
    for old in session.scalars(select(PlanItem).where(PlanItem.plan_id == plan.id)):
        session.delete(old)
    session.flush()
    for seq, entry in enumerate(items, start=1):
        session.add(new_item(session, plan, entry, seq))
    session.flush()


def create(session: Session, actor: Actor, committee: str, kind: str, title: str, start_year: int,
           end_year: int | None, items: list[dict]) -> Plan:
    row = committees.require(session, committee)
    if kind not in PLAN_KINDS:
        raise InvalidInput("kind is annual or medium_long.", [{"field": "kind"}])
    plan = Plan(committee=row.code, level=row.level, jurisdiction=row.jurisdiction, kind=kind, title=title.strip(),
                start_year=start_year, end_year=end_year or start_year, status="draft", created_by=actor.username,
                created_at=clock.now())
    access.require(actor, plan, ("secretariat", "secretary_general"))
    _span(plan)
    session.add(plan)
    session.flush()
    _set_items(session, plan, items)
    return plan


def revise(session: Session, actor: Actor, plan_id: int, title: str | None, items: list[dict]) -> Plan:
    """A draft, or a plan the authority returned, is revised before it is (re)submitted."""
    plan = get(session, plan_id, lock=True)
    access.require(actor, plan, ("secretariat", "secretary_general"))
    if plan.status not in EDITABLE:
        raise Conflict(f"Plan {plan_id} is {plan.status}: only a draft or a returned plan is revised; a published "
                       "plan changes through an approved adjustment.")
    plan.title = (title or plan.title).strip()
    _set_items(session, plan, items)
    return plan


def get(session: Session, plan_id, lock: bool = False) -> Plan:
    query = select(Plan).where(Plan.id == int(plan_id))
    plan = session.scalar(query.with_for_update() if lock else query)
    if plan is None:
        raise NotFound(f"No plan {plan_id}.")
    return plan


def readable(session: Session, actor: Actor | None, plan_id: int) -> Plan:
    """Published plans are public; a draft is for the committee's people, its authority and auditors."""
    plan = get(session, plan_id)
    if plan.status != "published" and not access.sees(actor, plan):
        raise NotFound(f"No plan {plan_id}.")
    return plan


def listing(session: Session, actor: Actor | None, committee: str | None = None) -> list[Plan]:
    query = select(Plan).order_by(Plan.start_year.desc(), Plan.id.desc())
    if committee:
        query = query.where(Plan.committee == committee)
    return [p for p in session.scalars(query) if p.status == "published" or access.sees(actor, p)]


def items_of(session: Session, plan_id: int) -> list[PlanItem]:
    return list(session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id).order_by(PlanItem.seq)))


def adjustments_of(session: Session, plan_id: int) -> list[PlanAdjustment]:
    return list(session.scalars(select(PlanAdjustment).where(PlanAdjustment.plan_id == plan_id)
                                .order_by(PlanAdjustment.id)))
