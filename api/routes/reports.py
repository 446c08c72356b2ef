"""Aggregate figures for officials and auditors (the dashboard's cycle-time chart)."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from api.blueprint import Blueprint
from api.schemas.common import PageArgs, TaskSchema, page_of
from api.security.auth import authenticated, current_actor, engine
from api.views import page_payload, task_view
from engine.db.pages import paginate
from engine.runtime import reports

blp = Blueprint("reports", __name__, description="统计报表 · Reports")
READERS = ("authority", "auditor", "process_admin", "secretary_general")


class CycleTimeSchema(Schema):
    process_key = fields.String()
    name = fields.String(allow_none=True)
    tasks = fields.Integer()
    avg_hours = fields.Float()
    max_hours = fields.Float()


class CycleTimesSchema(Schema):
    items = fields.List(fields.Nested(CycleTimeSchema))


class OverdueArgs(PageArgs):
    committee = fields.String(validate=validate.Length(max=100))
    process_key = fields.String(validate=validate.Length(max=255))


@blp.route("/reports/cycle-times")
class CycleTimesResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.response(200, CycleTimesSchema)
    def get(self):
        """Average and longest task cycle time per process (lifecycle phase), in hours, over the most
        recently completed tasks of the instances the caller may see (auditors and process admins: all)."""
        with engine().db.transaction() as session:
            return {"items": reports.cycle_times(session, current_actor())}


@blp.route("/reports/overdue-tasks")
class OverdueTasksResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.arguments(OverdueArgs, location="query")
    @blp.response(200, page_of(TaskSchema))
    def get(self, args):
        """Open tasks past their due date in every instance the caller may see (an authority: those under its
        approval level and jurisdiction, whoever holds them), most overdue first."""
        with engine().db.transaction() as session:
            query = reports.overdue_tasks(current_actor(), args.get("committee"), args.get("process_key"))
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload([task_view(t) for t in items], total, args["page"], args["per_page"])
