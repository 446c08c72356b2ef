"""Tokens and the caller's own identity."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import MeSchema, TokenRequest, TokenResponse
from api.security import login, ratelimit
from api.security.auth import authenticated, bearer_token, current_actor, engine
from engine.access import accounts as users
from engine.access import conflicts

blp = Blueprint("auth", __name__, description="登录与身份 · Authentication")


@blp.route("/auth/token")
class TokenResource(MethodView):
    @ratelimit.limiter.limit(ratelimit.login_limit, scope="login")
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    @blp.alt_response(429, description="Too many logins from this address, or failed logins for this account "
                                       "from this address (see Retry-After)")
    def post(self, body):
        """Exchange username and password for a bearer token.

        After a few failed attempts from one address, the account name is locked *for that address* for a delay
        that doubles with each further failure (429 with Retry-After, whatever the password); other addresses
        are not affected, and a successful login from the address clears it."""
        token, ttl = login.log_in(engine(), body["username"], body["password"])
        return {"access_token": token, "token_type": "Bearer", "expires_in": ttl}


@blp.route("/auth/logout")
class LogoutResource(MethodView):
    @authenticated(blp)
    @blp.response(204)
    def post(self):
        """Revoke the token of this request; it is refused from now on (other tokens of the user stay valid)."""
        with engine().db.transaction() as session:
            users.revoke_token(session, bearer_token())


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
