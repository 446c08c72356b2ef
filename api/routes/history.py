"""History, replay, export and verification for auditors (read-only everywhere)."""
from flask import Response, stream_with_context
from flask.views import MethodView
from sqlalchemy import select

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
from api.views import page_payload, paginate
from engine.access import assignment
from engine.history import audit
from engine.history.models import Event
from engine.runtime import replay
from engine.runtime.models import Instance

blp = Blueprint("history", __name__, description="历史、回放与审计 · History, replay and audit")
AUDIT_ROLES = ("auditor", "authority", "process_admin")


def event_view(e: Event) -> dict:
    return {"seq": e.seq, "at": e.at, "actor": e.actor, "type": e.type, "process_key": e.process_key,
            "process_version": e.process_version, "element_id": e.element_id, "task_id": e.task_id,
            "data": e.data, "state_sha256": e.state_sha256, "hash": e.hash, "prev_hash": e.prev_hash}


def _require_instance(session, instance_id: str) -> Instance:
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
            query = select(Event).where(Event.stream == instance_id).order_by(Event.seq)
            if args.get("type"):
                query = query.where(Event.type == args["type"])
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload([event_view(e) for e in items], total, args["page"], args["per_page"])


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
