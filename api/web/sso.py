"""The single sign-on pages: off to the identity provider and back, ending in the same session cookie a password
login gives. Any failure shows a Chinese page that offers local login, which never depends on the provider."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from api.security import oidc, ratelimit, sessions
from api.web.pages import safe_next
from engine.access import accounts as users
from engine.access import external_identity
from engine.errors import InvalidInput, Unauthorized

bp = Blueprint("sso", __name__, template_folder="../templates")
log = logging.getLogger("mtcflow.auth")
NEXT_KEY = "mtcflow_sso_next"


def _failure(kind: str, status: int):
    return render_template("sso_error.html", kind=kind), status


@bp.get("/login/sso")
@ratelimit.limiter.limit(ratelimit.login_limit, scope="login")
def start():
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        return oidc.authorize_redirect(url_for("sso.callback", _external=True))
    except oidc.ProviderUnavailable as err:
        log.error("identity provider unavailable at sign-in from %s: %s", request.remote_addr, err)
        return _failure("unavailable", 503)


@bp.get("/login/sso/callback")
@ratelimit.limiter.limit(ratelimit.login_limit, scope="login")
def callback():
    target = safe_next(session.pop(NEXT_KEY, None))
    try:
        claims = oidc.verified_claims()
    except oidc.ProviderUnavailable as err:
        log.error("identity provider unavailable at callback from %s: %s", request.remote_addr, err)
        return _failure("unavailable", 503)
    except oidc.Refused as err:
        log.warning("single sign-on refused from %s: %s", request.remote_addr, err)
        return _failure("refused", 401)
    sso = oidc.configured()
    eng = current_app.extensions["mtcflow"]
    try:
        with eng.db.transaction() as db:
            user = external_identity.sign_in(db, claims, sso.group_map)
            token, _ = users.issue_token(db, user, eng.settings.token_ttl_seconds)
            username = user.username
    except (Unauthorized, InvalidInput) as err:
        log.warning("single sign-on of %r refused from %s: %s", claims.values.get(claims.user_claim),
                    request.remote_addr, err)
        return _failure("rejected", 403)
    sessions.start(token)
    log.info("single sign-on of %r from %s", username, request.remote_addr)
    return redirect(target)


def init_app(app, settings) -> None:
    oidc.init_app(app, settings)
    app.register_blueprint(bp)
