"""Tokens and the caller's own identity."""
from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import authenticated, current_actor, engine
from api.schemas import MeSchema, TokenRequest, TokenResponse
from engine import conflicts, users

blp = Blueprint("auth", __name__, description="登录与身份 · Authentication")


@blp.route("/auth/token")
class TokenResource(MethodView):
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    def post(self, body):
        """Exchange username and password for a bearer token."""
        eng = engine()
        with eng.db.transaction() as session:
            user = users.authenticate(session, body["username"], body["password"])
            token, ttl = users.issue_token(session, user, eng.settings.token_ttl_seconds)
        return {"access_token": token, "token_type": "Bearer", "expires_in": ttl}


@blp.route("/me")
class MeResource(MethodView):
    @authenticated(blp)
    @blp.response(200, MeSchema)
    def get(self):
        """The caller, with role assignments and scopes, unit and declared conflicts of interest."""
        actor = current_actor()
        with engine().db.transaction() as session:
            user = users.get_user(session, actor.username)
            display, declared = user.display_name, conflicts.specs_of(session, actor.username)
        return {"username": actor.username, "display_name": display, "unit": actor.unit, "conflicts": declared,
                "roles": [{"role": g.role, "scope": g.scope} for g in actor.grants]}
