"""Conflicts of interest (BR4): a reviewer declares one per specification and is excluded from its review."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.roles import ConflictListSchema, ConflictRequest, ConflictSchema
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine.access import accounts as users
from engine.access import assignment, conflicts

blp = Blueprint("conflicts", __name__, description="利益冲突声明 · Conflicts of interest")


@blp.route("/specifications/<string:specification>/conflicts")
class ConflictsResource(MethodView):
    @authenticated(blp)
    @blp.arguments(ConflictRequest)
    @blp.response(201, ConflictSchema)
    @blp.alt_response(200, schema=ConflictSchema, description="already declared: the first declaration")
    def post(self, body, specification):
        """Declare my conflict of interest with a specification, with the reason (time recorded); from now on
        I take none of its vote, chief-review or observer tasks. A declaration cannot be withdrawn."""
        actor = current_actor()
        require_writer(actor)
        with engine().db.transaction() as session:
            user = users.get_user(session, actor.username)
            row, created = conflicts.declare(session, user, specification, body["reason"])
            return {**conflicts.view(row, user.username), "created": created}, 201 if created else 200

    @authenticated(blp)
    @blp.response(200, ConflictListSchema)
    def get(self, specification):
        """Declarations for a specification: all of them for auditors and for those who see an instance of it
        (its secretariat choosing a chief reviewer), otherwise only the caller's own."""
        actor = current_actor()
        with engine().db.transaction() as session:
            sees = assignment.sees_specification(session, actor, specification)
            items = conflicts.of_specification(session, specification, None if sees else actor.username)
            return {"specification": specification, "items": items}
