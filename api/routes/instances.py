"""Start, search, read and cancel process instances; correlate messages."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import (
    CancelRequest,
    InstanceListArgs,
    InstanceSchema,
    MessageRequest,
    MessageResult,
    StartRequest,
    page_of,
)
from api.security.auth import authenticated, current_actor, engine, require_writer
from api.views import instance_view, page_payload
from engine.access import assignment
from engine.db.pages import paginate
from engine.runtime.actions import instance_data

blp = Blueprint("instances", __name__, description="流程实例 · Process instances")


@blp.route("/instances")
class InstancesResource(MethodView):
    @authenticated(blp)
    @blp.arguments(StartRequest)
    @blp.response(201, InstanceSchema)
    def post(self, body):
        """Start an instance and run it until it waits."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            instance = eng.runtime.start(session, actor, body["process_key"], body.get("business_key"),
                                         body.get("variables"), body.get("version"), scope=body.get("scope"))
            return instance_view(session, instance, instance_data(eng.runtime, session, instance))

    @authenticated(blp)
    @blp.arguments(InstanceListArgs, location="query")
    @blp.response(200, page_of(InstanceSchema))
    def get(self, args):
        """Search the instances the caller may see, newest first."""
        with engine().db.transaction() as session:
            query = assignment.search_instances(current_actor(), **args)
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload([instance_view(session, i) for i in items], total, args["page"], args["per_page"])


@blp.route("/instances/<string:instance_id>")
class InstanceResource(MethodView):
    @authenticated(blp)
    @blp.response(200, InstanceSchema)
    def get(self, instance_id):
        """One instance with its open tasks, waiting timers and data (404 outside the caller's scopes)."""
        eng = engine()
        with eng.db.transaction() as session:
            instance = assignment.visible_instance(session, current_actor(), instance_id)
            return instance_view(session, instance, instance_data(eng.runtime, session, instance))


@blp.route("/instances/<string:instance_id>/cancel")
class CancelResource(MethodView):
    @authenticated(blp)
    @blp.arguments(CancelRequest)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Cancel a running instance with a reason."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            instance = eng.runtime.cancel(session, actor, instance_id, body["reason"])
            return instance_view(session, instance)


@blp.route("/messages")
class MessagesResource(MethodView):
    @authenticated(blp)
    @blp.arguments(MessageRequest)
    @blp.response(200, MessageResult)
    def post(self, body):
        """Correlate a message by instance id or business key to every instance waiting for it.

        An instance id outside the caller's scopes answers 404 like an unknown one (a 409 "not waiting" told
        that it exists)."""
        actor = current_actor()
        require_writer(actor)
        eng = engine()
        with eng.db.transaction() as session:
            if body.get("instance_id"):
                assignment.visible_instance(session, actor, body["instance_id"])
            delivered = eng.runtime.send_message(session, actor, body["name"], body.get("payload"),
                                                 body.get("instance_id"), body.get("business_key"),
                                                 body.get("process_key"))
            return {"delivered": [i.id for i in delivered]}
