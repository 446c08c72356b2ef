"""History, replay, export and verification for auditors (read-only everywhere)."""
from flask import Response, stream_with_context
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import (
    AnchorSchema,
    EventSchema,
    ExportArgs,
    HistoryArgs,
    ReplayArgs,
    ReplaySchema,
    VerifyArgs,
    VerifySchema,
    page_of,
)
from api.security.auth import authenticated, current_actor, engine
from api.views import page_payload
from engine.access import assignment
from engine.db.pages import paginate
from engine.history import audit
from engine.history import log as history
from engine.runtime import replay

blp = Blueprint("history", __name__, description="历史、回放与审计 · History, replay and audit")
AUDIT_ROLES = ("auditor", "authority", "process_admin")


def _require_instance(session, instance_id: str):
    """404 also outside the caller's scopes (engine.access.assignment), so history never leaks another scope's work."""
    return assignment.visible_instance(session, current_actor(), instance_id)


@blp.route("/instances/<string:instance_id>/history")
class HistoryResource(MethodView):
    @authenticated(blp)
    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, page_of(EventSchema))
    def get(self, args, instance_id):
        """Every event of the instance in order: actor, time, element, submitted data, hashes."""
        with engine().db.transaction() as session:
            _require_instance(session, instance_id)
            query = history.events(instance_id, args.get("type"))
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload(items, total, args["page"], args["per_page"])


@blp.route("/instances/<string:instance_id>/replay")
class ReplayResource(MethodView):
    @authenticated(blp)
    @blp.arguments(ReplayArgs, location="query")
    @blp.response(200, ReplaySchema)
    def get(self, args, instance_id):
        """The instance as it stood after step N: completed, active and waiting elements and the data."""
        eng = engine()
        with eng.db.transaction() as session:
            _require_instance(session, instance_id)
            return replay.replay(session, eng.definitions, instance_id, args.get("step"))


@blp.route("/instances/<string:instance_id>/history/export")
class ExportResource(MethodView):
    @authenticated(blp, *AUDIT_ROLES)
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, description="JSON Lines or CSV", content_type="application/x-ndjson")
    def get(self, args, instance_id):
        """Download the history as JSON Lines or CSV, hashes included."""
        eng = engine()
        with eng.db.transaction() as session:
            _require_instance(session, instance_id)
            body = "".join(audit.export(session, instance_id, args["format"]))
        mimetype = "application/x-ndjson" if args["format"] == "jsonl" else "text/csv"
        response = Response(stream_with_context(iter([body])), mimetype=mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{instance_id}.{args["format"]}"'
        return response


@blp.route("/audit/verify")
class VerifyResource(MethodView):
    @authenticated(blp, *AUDIT_ROLES)
    @blp.arguments(VerifyArgs, location="query")
    @blp.response(200, VerifySchema)
    def get(self, args):
        """Check every hash chain (or one instance's) and the anchors; report the first broken link."""
        with engine().db.transaction() as session:
            if args.get("instance_id"):
                _require_instance(session, args["instance_id"])
            return audit.verify(session, args.get("instance_id"), keyring=engine().settings.anchor_keys)


@blp.route("/audit/anchors")
class AnchorResource(MethodView):
    @authenticated(blp, *AUDIT_ROLES)
    @blp.response(201, AnchorSchema)
    def post(self):
        """Anchor the current heads of all chains that moved since the last anchor."""
        with engine().db.transaction() as session:
            anchor = audit.create_anchor(session, current_actor().username, engine().settings.anchor_keys)
            if anchor is None:
                return {"id": None, "created_at": None, "heads": 0, "hash": None}
            return {"id": anchor.id, "created_at": anchor.created_at, "heads": anchor.heads, "hash": anchor.hash}
