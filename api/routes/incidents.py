"""Incidents: failed elements and timers the worker gave up on; process admins list, read and retry them.

Process admins operate every instance, so they read every incident, with the data the element failed on
(they need it to fix the cause); auditors read them all; an authority reads those of its scopes. Retrying
changes what runs, so it is the process admin's, with a reason kept in the instance's history.
"""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.incidents import IncidentListArgs, IncidentPageSchema, IncidentSchema, RetryRequest
from api.security.auth import authenticated, current_actor, engine, require_writer
from api.views import page_payload
from engine.runtime import incidents

blp = Blueprint("incidents", __name__, description="故障 · Incidents")
READERS = ("process_admin", "auditor", "authority")


def incident_view(session, incident) -> dict:
    view = {column: getattr(incident, column) for column in IncidentSchema().fields if hasattr(incident, column)}
    view["process_version"] = incident.process_version
    view["instance_state"] = incidents.instance_state(session, incident)
    return view


@blp.route("/incidents")
class IncidentsResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.arguments(IncidentListArgs, location="query")
    @blp.response(200, IncidentPageSchema)
    def get(self, args):
        """Incidents, oldest first: open ones by default; filter by kind, process, version, element, dates."""
        with engine().db.transaction() as session:
            items, total = incidents.listing(session, current_actor(), args, args["page"], args["per_page"])
            return page_payload([incident_view(session, i) for i in items], total, args["page"], args["per_page"])


@blp.route("/incidents/<int:incident_id>")
class IncidentResource(MethodView):
    @authenticated(blp, *READERS)
    @blp.response(200, IncidentSchema)
    def get(self, incident_id):
        """One incident with the element, the error and the data it failed on."""
        with engine().db.transaction() as session:
            return incident_view(session, incidents.visible(session, current_actor(), incident_id))


@blp.route("/incidents/<int:incident_id>/retry")
class RetryResource(MethodView):
    @authenticated(blp, "process_admin")
    @blp.arguments(RetryRequest)
    @blp.response(200, IncidentSchema)
    def post(self, body, incident_id):
        """Run the failed step again in one transaction, after an optional variable edit or on a newer version;
        the incident closes, or keeps the new error (200 either way: read ``state``)."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            incident = incidents.retry(eng.runtime, session, actor, incident_id, body["reason"],
                                       body.get("variables"), body.get("version"))
            return incident_view(session, incident)
