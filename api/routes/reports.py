"""Aggregate figures for officials and auditors (the dashboard's cycle-time chart)."""
from flask.views import MethodView
from marshmallow import Schema, fields

from api.auth import authenticated, engine
from api.blueprint import Blueprint
from engine import reports

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


@blp.route("/reports/cycle-times")
class CycleTimesResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.response(200, CycleTimesSchema)
    def get(self):
        """Average and longest task cycle time per process (lifecycle phase), in hours, over the most
        recently completed tasks."""
        with engine().db.transaction() as session:
            return {"items": reports.cycle_times(session)}
