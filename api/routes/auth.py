"""Tokens and the caller's own identity."""
import logging

from flask import request
from flask.views import MethodView

from api import ratelimit
from api.auth import authenticated, bearer_token, current_actor, engine
from api.blueprint import Blueprint
from api.schemas import MeSchema, TokenRequest, TokenResponse
from engine import conflicts, login_guard, users
from engine.errors import Conflict, TooManyRequests, Unauthorized

blp = Blueprint("auth", __name__, description="登录与身份 · Authentication")
log = logging.getLogger("mtcflow.auth")  # names and addresses only: never a password or a token


def _backoff(settings) -> login_guard.Backoff:
    return login_guard.Backoff(settings.login_free_failures, settings.login_delay_seconds,
                               settings.login_delay_max_seconds)


def _record_failure(eng, username: str) -> int:
    """Two first failures of one name at once both insert its row; the loser of that race counts again."""
    try:
        with eng.db.transaction() as session:
            return login_guard.record_failure(session, username, _backoff(eng.settings))
    except Conflict:
        with eng.db.transaction() as session:
            return login_guard.record_failure(session, username, _backoff(eng.settings))


@blp.route("/auth/token")
class TokenResource(MethodView):
    @ratelimit.limiter.limit(ratelimit.login_limit, scope="login")
    @blp.arguments(TokenRequest)
    @blp.response(200, TokenResponse)
    @blp.alt_response(429, description="Too many logins from this address, or failed logins for this account "
                                       "(see Retry-After)")
    def post(self, body):
        """Exchange username and password for a bearer token.

        After a few failed attempts an account name is locked for a delay that doubles with each further
        failure (429 with Retry-After, whatever the password); a successful login clears it."""
        eng = engine()
        username = body["username"]
        with eng.db.transaction() as session:
            try:
                login_guard.check(session, username)
            except TooManyRequests:
                log.warning("login refused for %r from %s: locked after failed logins", username, request.remote_addr)
                raise
        try:
            with eng.db.transaction() as session:
                user = users.authenticate(session, username, body["password"])
                login_guard.clear(session, username)
                token, ttl = users.issue_token(session, user, eng.settings.token_ttl_seconds)
        except Unauthorized:
            failures = _record_failure(eng, username)
            log.warning("login failed for %r from %s (%d in a row)", username, request.remote_addr, failures)
            raise
        log.info("login of %r from %s", username, request.remote_addr)
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
