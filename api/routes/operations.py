"""Suspend and resume an instance with a reason (process admins, and the authority in its jurisdiction); move it
back to an earlier user task (process admins, and its secretariat)."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import InstanceSchema
from api.schemas.incidents import MoveBackRequest, OperatorReason
from api.security.auth import authenticated, current_actor, engine
from api.views import instance_view
from engine.runtime import move_back, operations

blp = Blueprint("operations", __name__, description="实例运维 · Instance operations")


@blp.route("/instances/<string:instance_id>/suspend")
class SuspendResource(MethodView):
    @authenticated(blp)
    @blp.arguments(OperatorReason)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Suspend a running or waiting instance: its tasks and timers wait until it is resumed."""
        eng = engine()
        with eng.db.transaction() as session:
            return instance_view(session, operations.suspend(eng.runtime, session, current_actor(), instance_id,
                                                             body["reason"]))


@blp.route("/instances/<string:instance_id>/resume")
class ResumeResource(MethodView):
    @authenticated(blp)
    @blp.arguments(OperatorReason)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Resume a suspended instance; timers that came due meanwhile fire now, once."""
        eng = engine()
        with eng.db.transaction() as session:
            return instance_view(session, operations.resume(eng.runtime, session, current_actor(), instance_id,
                                                            body["reason"]))


@blp.route("/instances/<string:instance_id>/move-back")
class MoveBackResource(MethodView):
    @authenticated(blp)
    @blp.arguments(MoveBackRequest)
    @blp.response(200, InstanceSchema)
    def post(self, body, instance_id):
        """Return the instance to an earlier user task, when nothing since then acted outside the workflow."""
        eng = engine()
        with eng.db.transaction() as session:
            return instance_view(session, move_back.move_back(eng.runtime, session, current_actor(), instance_id,
                                                              body["element_id"], body["reason"]))
