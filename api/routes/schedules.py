"""Schedules that start a process per subject each year, or N after / before a date."""
from flask.views import MethodView
from sqlalchemy import select

from api.auth import authenticated, current_actor, engine, require_writer
from api.blueprint import Blueprint
from api.schemas import PageArgs
from api.timer_schemas import DeactivateRequest, SchedulePageSchema, ScheduleRequest, ScheduleSchema
from api.views import paginate
from engine import schedules
from engine.timer_models import Schedule

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
        eng = engine()
        with eng.db.transaction() as session:
            schedule = schedules.create(session, eng.definitions, actor.username, process_key=body["process_key"],
                                        rule=body["rule"], subjects=body["subjects"], variables=body["variables"],
                                        level=body.get("level"), name=body.get("name"),
                                        starts_at=body.get("starts_at"))
            return schedule_view(session, schedule, with_runs=True)

    @authenticated(blp, *READERS)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SchedulePageSchema)
    def get(self, args):
        """Schedules, newest first."""
        with engine().db.transaction() as session:
            query = select(Schedule).order_by(Schedule.id.desc())
            items, total = paginate(session, query, args["page"], args["per_page"])
            return {"items": [schedule_view(session, s) for s in items], "total": total, "page": args["page"],
                    "per_page": args["per_page"]}


@blp.route("/schedules/<int:schedule_id>")
class ScheduleResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.response(200, ScheduleSchema)
    def get(self, schedule_id):
        """One schedule with every occurrence it ran (instance or error)."""
        with engine().db.transaction() as session:
            return schedule_view(session, schedules.get(session, schedule_id), with_runs=True)


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
            schedule = schedules.deactivate(session, schedule_id, actor.username, body["reason"])
            return schedule_view(session, schedule, with_runs=True)
