"""Needs collection and project plans (十一): calls and needs on the public board (a need needs no login and is
rate-limited like public comments), the secretariat's screening, and the committees' plans — published plans are
public; drafting, screening and revising need the committee's secretariat (or the authority)."""
from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.plans import (
    CallListArgs,
    CallListSchema,
    CallRequest,
    CallSchema,
    NeedListSchema,
    NeedRequest,
    NeedSchema,
    PlanListArgs,
    PlanListSchema,
    PlanRequest,
    PlanRevision,
    PlanSchema,
    ScreenRequest,
)
from api.security import ratelimit
from api.security.auth import authenticated, current_actor, engine, optional_actor
from engine import clock
from engine.access import assignment
from engine.plans import access, needs, plans
from engine.plans.models import (
    ADJUSTMENT_STATUSES,
    ADJUSTMENTS,
    ITEM_STATUSES,
    NEED_STATUSES,
    PLAN_KINDS,
    PLAN_STATUSES,
)

blp = Blueprint("plans", __name__, description="项目计划与需求征集 · Project plans and needs collection")


def call_view(call, count: int) -> dict:
    return {"id": call.id, "title": call.title, "description": call.description, "committee": call.committee,
            "level": call.level, "jurisdiction": call.jurisdiction, "opened_at": call.opened_at,
            "closes_at": call.closes_at, "status": "open" if clock.now() < call.closes_at else "closed",
            "need_count": count}


def need_view(need, staff: bool) -> dict:
    view = {k: getattr(need, k) for k in ("id", "call_id", "title", "field", "reason", "unit", "submitted_at",
                                           "status", "screened_at", "screen_reason")}
    view["status_title"] = NEED_STATUSES[need.status]
    if staff:  # the submitter's contact and account are personal data for those who screen
        view.update(contact=need.contact, submitted_by=need.submitted_by, screened_by=need.screened_by)
    return view


def plan_view(session, plan) -> dict:
    view = {k: getattr(plan, k) for k in ("id", "committee", "level", "jurisdiction", "kind", "title", "start_year",
                                           "end_year", "status", "instance_id", "decision", "published_at")}
    view.update(kind_title=PLAN_KINDS[plan.kind], status_title=PLAN_STATUSES[plan.status])
    view["items"] = [{**{k: getattr(i, k) for k in ("id", "seq", "title", "spec_type", "project_kind", "field",
                                                     "planned_year", "need_id", "status", "spec_id",
                                                     "adjustment_id")},
                      "status_title": ITEM_STATUSES[i.status]} for i in plans.items_of(session, plan.id)]
    view["adjustments"] = [{**{k: getattr(a, k) for k in ("id", "item_id", "action", "reason", "data", "status",
                                                           "requested_by", "requested_at", "decided_by",
                                                           "decided_at", "opinion")},
                            "action_title": ADJUSTMENTS[a.action], "status_title": ADJUSTMENT_STATUSES[a.status]}
                           for a in plans.adjustments_of(session, plan.id)]
    return view


@blp.route("/need-calls")
class CallsResource(MethodView):
    @blp.arguments(CallListArgs, location="query")
    @blp.response(200, CallListSchema)
    def get(self, args):
        """Calls for specification needs, newest first (no login); status=open for those taking needs."""
        with engine().db.transaction() as session:
            items = [c for c in needs.calls(session, open_only=args["status"] == "open")
                     if args["status"] != "closed" or clock.now() >= c.closes_at]
            return {"items": [call_view(c, len(needs.needs_of(session, c.id))) for c in items], "total": len(items)}

    @authenticated(blp)
    @blp.arguments(CallRequest)
    @blp.response(201, CallSchema)
    def post(self, body):
        """Open a call: a committee's secretariat or secretary-general for the committee, an authority for its
        level (committee omitted). Closes at closes_at, else after the profile's need_call_window."""
        with engine().db.transaction() as session:
            actor = assignment.current(session, current_actor())
            call = needs.open_call(session, actor, body["title"], body["description"], body["committee"],
                                   body["level"], body["jurisdiction"], body["closes_at"])
            return call_view(call, 0)


@blp.route("/need-calls/<int:call_id>/needs")
class NeedsResource(MethodView):
    @ratelimit.limiter.limit(ratelimit.comment_limit, scope="plan-needs")
    @blp.arguments(NeedRequest)
    @blp.response(201, NeedSchema)
    def post(self, body, call_id):
        """Submit a need while the call is open: anyone without login (rate-limited), or a registered unit
        with its token (the account is recorded). Outside the window: 409."""
        actor = optional_actor()
        with engine().db.transaction() as session:
            need = needs.submit(session, call_id, body, actor.username if actor else None)
            return need_view(need, staff=False)

    @authenticated(blp)
    @blp.response(200, NeedListSchema)
    def get(self, call_id):
        """Every need of the call with contacts, for the secretariat, committee officers, the authority and
        auditors of the call's scope; 404 for others."""
        with engine().db.transaction() as session:
            call = needs.get_call(session, call_id)
            access.require_staff(assignment.current(session, current_actor()), call, f"call {call_id}")
            items = [need_view(n, staff=True) for n in needs.needs_of(session, call_id)]
            return {"items": items, "total": len(items)}


@blp.route("/needs/<int:need_id>/screen")
class ScreenResource(MethodView):
    @authenticated(blp)
    @blp.arguments(ScreenRequest)
    @blp.response(200, NeedSchema)
    def post(self, body, need_id):
        """Screen a need: accept into the plan, or decline with a reason (secretariat, secretary-general or the
        authority of the call's scope)."""
        with engine().db.transaction() as session:
            actor = assignment.current(session, current_actor())
            return need_view(needs.screen(session, actor, need_id, body["decision"], body["reason"]), staff=True)


@blp.route("/plans")
class PlansResource(MethodView):
    @blp.arguments(PlanListArgs, location="query")
    @blp.response(200, PlanListSchema)
    def get(self, args):
        """Published plans (no login), and the drafts of one's own committees; filter by committee."""
        actor = optional_actor()
        with engine().db.transaction() as session:
            items = [plan_view(session, p) for p in plans.listing(session, actor, args["committee"])]
            return {"items": items, "total": len(items)}

    @authenticated(blp)
    @blp.arguments(PlanRequest)
    @blp.response(201, PlanSchema)
    def post(self, body):
        """Draft a committee's annual or medium/long-term plan (secretariat or secretary-general); approve it
        by starting the plan_approval process in the committee's scope."""
        with engine().db.transaction() as session:
            actor = assignment.current(session, current_actor())
            plan = plans.create(session, actor, body["committee"], body["kind"], body["title"], body["start_year"],
                                body["end_year"], body["items"])
            return plan_view(session, plan)


@blp.route("/plans/<int:plan_id>")
class PlanResource(MethodView):
    @blp.response(200, PlanSchema)
    def get(self, plan_id):
        """A plan with its items and every adjustment (approved, rejected, pending): public once published."""
        actor = optional_actor()
        with engine().db.transaction() as session:
            return plan_view(session, plans.readable(session, actor, plan_id))

    @authenticated(blp)
    @blp.arguments(PlanRevision)
    @blp.response(200, PlanSchema)
    def put(self, body, plan_id):
        """Revise a draft or a returned plan (its items replaced); a published plan changes only through an
        approved adjustment (plan_adjustment process)."""
        with engine().db.transaction() as session:
            actor = assignment.current(session, current_actor())
            return plan_view(session, plans.revise(session, actor, plan_id, body["title"], body["items"]))
