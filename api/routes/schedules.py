"""Schedules that start a process per subject each year, or N after / before a date."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import PageArgs
from api.schemas.timers import DeactivateRequest, SchedulePageSchema, ScheduleRequest, ScheduleSchema
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine.errors import Forbidden
from engine.timers import schedules
from engine.timers.models import Schedule

blp = Blueprint("schedules", __name__, description="定期启动 · Schedules")
WRITERS = ("authority", "process_admin")
READERS = WRITERS + ("auditor",)


def schedule_view(session, s: Schedule, with_runs: bool = False) -> dict:
    view = {"id": s.id, "name": s.name, "process_key": s.process_key, "rule": s.rule, "subjects": s.subjects,
            "variables": s.variables, "level": s.level, "active": s.active, "starts_at": s.starts_at,
            "created_by": s.created_by, "created_at": s.created_at}
    if with_runs:
        view["runs"] = [{"id": r.id, "subject": r.subject, "period": r.period, "due_at": r.due_at,
                         "started_at": r.started_at, "instance_id": r.instance_id, "error": r.error}
                        for r in schedules.runs(session, s.id)]
    return view


@blp.route("/schedules")
class SchedulesResource(MethodView):
    @authenticated(blp, *WRITERS)
    @blp.arguments(ScheduleRequest)
    @blp.response(201, ScheduleSchema)
    def post(self, body):
        """Create a schedule (authority or process admin); the rule is checked for every subject."""
        actor = current_actor()
        require_writer(actor)
        if not schedules.within_reach(actor, body["subjects"], body.get("level")):
            raise Forbidden("An authority schedules only subjects under its own approval level and jurisdiction "
                            "(each subject names them); a registry-wide provider needs an unscoped grant.",
                            rule="scope")
        eng = engine()
        with eng.db.transaction() as session:
            schedule = schedules.create(session, eng.definitions, eng.schedules, actor.username,
                                        process_key=body["process_key"], rule=body["rule"],
                                        subjects=body["subjects"], variables=body["variables"],
                                        level=body.get("level"), name=body.get("name"),
                                        starts_at=body.get("starts_at"))
            return schedule_view(session, schedule, with_runs=True)

    @authenticated(blp, *READERS)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SchedulePageSchema)
    def get(self, args):
        """The schedules within the caller's reach (an authority: those of its level and jurisdiction), newest
        first."""
        actor, page, per_page = current_actor(), args["page"], args["per_page"]
        with engine().db.transaction() as session:
            reachable = schedules.reachable(session, actor)
            items = reachable[(page - 1) * per_page:page * per_page]
            return {"items": [schedule_view(session, s) for s in items], "total": len(reachable), "page": page,
                    "per_page": per_page}


@blp.route("/schedules/<int:schedule_id>")
class ScheduleResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.response(200, ScheduleSchema)
    def get(self, schedule_id):
        """One schedule with every occurrence it ran (instance or error)."""
        with engine().db.transaction() as session:
            return schedule_view(session, schedules.get(session, schedule_id, current_actor()), with_runs=True)


@blp.route("/schedules/<int:schedule_id>/deactivate")
class DeactivateResource(MethodView):
    @authenticated(blp, *WRITERS)
    @blp.arguments(DeactivateRequest)
    @blp.response(200, ScheduleSchema)
    def post(self, body, schedule_id):
        """Stop a schedule, with a reason; instances it started run on."""
        actor = current_actor()
        require_writer(actor)
        with engine().db.transaction() as session:
            schedule = schedules.deactivate(session, schedule_id, actor, body["reason"])
            return schedule_view(session, schedule, with_runs=True)
