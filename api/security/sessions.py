"""Browser sessions: the cookie carries an ordinary access token, so expiry and revocation are the bearer
tokens' own; requests that authenticate by cookie must also carry the CSRF token (Flask-WTF)."""
from __future__ import annotations

from flask import Flask, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf

csrf = CSRFProtect()
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
TOKEN_KEY = "mtcflow_token"


def init_app(app: Flask, secure_cookies: bool = False) -> None:
    """Check CSRF only where a cookie authenticates (bearer clients and the public send none). Behind TLS the
    session cookie is marked Secure, so it never travels over plain HTTP."""
    # Flask's defaults already hold these keys, so they are set, not defaulted.
    app.config.update(SESSION_COOKIE_SECURE=secure_cookies, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax")
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    app.jinja_env.globals["csrf_token"] = generate_csrf


def has_bearer() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def current_token() -> str | None:
    return session.get(TOKEN_KEY)


def session_token() -> str | None:
    """The cookie's token, after the CSRF check for state-changing requests."""
    token = current_token()
    if token and request.method not in SAFE_METHODS:
        csrf.protect()
    return token


def start(token: str) -> None:
    session.clear()
    session[TOKEN_KEY] = token
    session.permanent = False


def end() -> str | None:
    token = session.pop(TOKEN_KEY, None)
    session.clear()
    return token
