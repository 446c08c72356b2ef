"""The chief-reviewer (主审人) register of each committee, kept by the committee or its approving authority."""
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from api.blueprint import Blueprint
from api.schemas.common import Strict
from api.schemas.roles import REASON
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine.committees import reviewers

blp = Blueprint("reviewers", __name__, description="主审人名录 · Chief-reviewer register")


class ReviewerRequest(Strict):
    committee = fields.String(required=True, validate=validate.Length(min=1, max=30))
    username = fields.String(required=True, validate=validate.Length(min=1, max=150))
    field = fields.String(required=True, validate=validate.Length(min=1, max=200))
    qualification = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    granted_by_body = fields.String(required=True, validate=validate.OneOf(tuple(reviewers.BODIES)))
    reason = fields.String(validate=validate.Length(max=5000))


class RevokeRequest(Strict):
    reason = REASON


class ReviewerArgs(Strict):
    committee = fields.String(validate=validate.Length(max=30))
    include_revoked = fields.Boolean(load_default=False)


class ReviewerSchema(Schema):
    id = fields.Integer()
    committee = fields.String()
    username = fields.String()
    field = fields.String()
    qualification = fields.String()
    granted_by_body = fields.String()
    granted_at = fields.DateTime()
    granted_by = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    active = fields.Boolean()
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by = fields.String(allow_none=True)
    revoke_reason = fields.String(allow_none=True)


class ReviewerListSchema(Schema):
    items = fields.List(fields.Nested(ReviewerSchema))


@blp.route("/chief-reviewers")
class ReviewersResource(MethodView):
    @authenticated(blp)
    @blp.arguments(ReviewerArgs, location="query")
    @blp.response(200, ReviewerListSchema)
    def get(self, args):
        """The register (active entries; ``include_revoked`` for the whole record), for any logged-in user."""
        with engine().db.transaction() as session:
            rows = reviewers.listing(session, args.get("committee"), args["include_revoked"])
            return {"items": [reviewers.view(r) for r in rows]}

    @authenticated(blp)
    @blp.arguments(ReviewerRequest)
    @blp.response(201, ReviewerSchema)
    def post(self, body):
        """Register a qualified chief reviewer: granted by the committee (its secretariat or secretary-general) or
        by its approving authority (BR11)."""
        actor = current_actor()
        require_writer(actor)
        with engine().db.transaction() as session:
            row = reviewers.register(session, actor, body["committee"], body["username"], body["field"],
                                     body["qualification"], body["granted_by_body"], body.get("reason"))
            return reviewers.view(row)


@blp.route("/chief-reviewers/<int:entry_id>/revoke")
class ReviewerRevokeResource(MethodView):
    @authenticated(blp)
    @blp.arguments(RevokeRequest)
    @blp.response(200, ReviewerSchema)
    def post(self, body, entry_id):
        """Revoke a qualification, with the reason, by the body that granted it; the entry stays on record."""
        actor = current_actor()
        require_writer(actor)
        with engine().db.transaction() as session:
            return reviewers.view(reviewers.revoke(session, actor, entry_id, body["reason"]))
