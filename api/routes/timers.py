"""Operations on timers: what is upcoming and overdue, and firing one now with a reason.

Process admins run the machinery, not the business (issue 18, decided and stated in the authorization
matrix): they list every timer for operations (due, overdue, failed, calendar warnings) but without business
data (business key and committee withheld, no committee filter), and they fire only ``failed`` timers, which
the worker gave up on; firing a waiting deadline early is a business decision, the authority's in its scope.
"""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.timers import FireRequest, TimerListArgs, TimerPageSchema, TimerRowSchema
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine import clock
from engine.db.pages import paginate
from engine.errors import Forbidden
from engine.runtime.models import Instance, Timer
from engine.timers import overview
from engine.timers import service as timer_service

blp = Blueprint("timers", __name__, description="定时器 · Timers")
READERS = ("authority", "process_admin", "auditor")
FIRERS = ("authority", "process_admin")


def timer_row(timer: Timer, instance: Instance, now, business: bool = True) -> dict:
    """``business``: whether the caller may see the instance's business key and committee."""
    return {"id": timer.id, "instance_id": timer.instance_id, "process_key": instance.process_key,
            "business_key": instance.business_key if business else None,
            "committee": instance.committee if business else None,
            "element_id": timer.element_id, "name": timer.name, "kind": timer.kind,
            "state": overview.state_of(timer), "due_at": timer.due_at, "fired_at": timer.fired_at,
            "overdue": timer.state == "waiting" and timer.due_at < now, "rule": timer.rule,
            "warning": timer.warning, "note": timer.note, "attempts": timer.attempts or 0,
            "last_error": timer.last_error}


def _operator(actor) -> bool:
    """A process admin acting as such: no business grant and no auditor's reading right."""
    return actor.has_role("process_admin") and not actor.is_auditor and not actor.has_role("authority")


@blp.route("/timers")
class TimersResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.arguments(TimerListArgs, location="query")
    @blp.response(200, TimerPageSchema)
    def get(self, args):
        """Timers by due time: waiting (upcoming and overdue) by default; filter by state, dates, process."""
        now = clock.now()
        actor = current_actor()
        if _operator(actor) and args.get("committee"):
            raise Forbidden("Process admins list timers without business data: filter by process, element or "
                            "instance, not by committee.", rule="role")
        page, per_page = args.pop("page"), args.pop("per_page")
        query = overview.listing(actor, now, **args)
        with engine().db.transaction() as session:
            items, total = paginate(session, query, page, per_page)
            rows = [timer_row(t, session.get(Instance, t.instance_id), now, business=not _operator(actor))
                    for t in items]
            return {"items": rows, "total": total, "page": page, "per_page": per_page, "now": now}


@blp.route("/timers/<int:timer_id>/fire")
class FireResource(MethodView):
    @authenticated(blp, *FIRERS)
    @blp.arguments(FireRequest)
    @blp.response(200, TimerRowSchema)
    def post(self, body, timer_id):
        """Fire a waiting timer now, with a reason kept in the history: the authority in its scope, or a
        process admin once the worker has given up on it (state ``failed``)."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            timer = overview.visible(session, actor, timer_id)
            if _operator(actor) and overview.state_of(timer) != "failed":
                raise Forbidden("Firing a deadline early is a business decision (the authority's); process admins "
                                "fire only timers the worker gave up on (state failed).", rule="role")
            timer = timer_service.fire_now(eng.runtime, session, actor, timer_id, body["reason"])
            return timer_row(timer, session.get(Instance, timer.instance_id), clock.now(), not _operator(actor))
