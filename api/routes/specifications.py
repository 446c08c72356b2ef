"""The specification registry, read-only: public entries without login (BR12), the full record for the roles
whose scope covers a specification and for auditors."""
from __future__ import annotations

from flask import request
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.specifications import SpecificationSchema, SpecListArgs, SpecPageSchema
from api.security import sessions
from api.security.auth import BEARER, engine
from api.views import page_payload
from engine.access import accounts as users
from engine.access.actors import Actor
from engine.db.pages import paginate
from engine.errors import Unauthorized
from engine.specifications import registry as spec_registry

blp = Blueprint("specifications", __name__, description="计量技术规范名录 · Specification registry")


def _caller(session) -> Actor | None:
    """The caller if a bearer token is sent or the browser is signed in (an invalid token is refused), else the
    public: the registry page of a signed-in drafter shows the full record like the API does."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        token = sessions.session_token() if not sessions.has_bearer() else None
        if not token:
            return None
        try:  # an expired browser session reads as the public, not as a refusal
            return users.actor_for(session, users.user_for_token(session, token))
        except Unauthorized:
            return None
    return users.actor_for(session, users.user_for_token(session, token.strip()))


@blp.route("/specifications")
class SpecificationsResource(MethodView):
    @blp.arguments(SpecListArgs, location="query")
    @blp.response(200, SpecPageSchema)
    @blp.doc(security=[{}, *BEARER])
    def get(self, args):
        """Specifications and projects, newest first. Without login: what is public (BR12: from the 立项公示
        on, unless confidential). With a token: also what the caller's roles cover, in full. Filters: committee,
        type, stage, level, jurisdiction, livelihood, kind, number, q (title, number or id), in_force."""
        page, per_page = args.pop("page"), args.pop("per_page")
        with engine().db.transaction() as session:
            actor = _caller(session)
            query = spec_registry.query(spec_registry.SpecFilter(**args), actor)
            items, total = paginate(session, query, page, per_page)
            return page_payload([spec_registry.view(s, spec_registry.sees_all(actor, s)) for s in items], total,
                                page, per_page)


@blp.route("/specifications/<string:spec_id>")
class SpecificationResource(MethodView):
    @blp.response(200, SpecificationSchema)
    @blp.doc(security=[{}, *BEARER])
    def get(self, spec_id):
        """One specification with its change log (the full record only for the roles that cover it)."""
        with engine().db.transaction() as session:
            actor = _caller(session)
            spec = spec_registry.visible(session, spec_id, actor)
            full = spec_registry.sees_all(actor, spec)
            view = spec_registry.view(spec, full)
            view["changes"] = [spec_registry.change_view(c) for c in spec_registry.changes(session, spec.id)] \
                if full else []
            return view
