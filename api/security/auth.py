"""Bearer-token (or browser-session) authentication: resolve the caller once per request into an engine ``Actor``."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request

from api.security import sessions
from engine.access import accounts as users
from engine.access import assignment
from engine.access.actors import Actor
from engine.errors import Forbidden, Unauthorized
from engine.workflow_engine import WorkflowEngine

BEARER = [{"bearerAuth": []}]


def engine() -> WorkflowEngine:
    return current_app.extensions["mtcflow"]


def current_actor() -> Actor:
    return g.actor


def bearer_token() -> str:
    """The bearer token, else the browser session's (CSRF-checked for writes)."""
    if not sessions.has_bearer():
        token = sessions.session_token()
        if token:
            return token
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send 'Authorization: Bearer <token>'; get a token from POST /api/v1/auth/token.")
    return token.strip()


def authenticated(blp, *roles: str):
    """Require a valid token of an active user (and, if given, one of ``roles``, in any scope); documents the
    security scheme. Grants are read per request, so a revocation applies to the next request."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            token = bearer_token()
            with engine().db.transaction() as session:
                g.actor = users.actor_for_token(session, token)
            if roles and not any(g.actor.has_role(r) for r in roles):
                raise Forbidden(f"This action needs one of the roles: {', '.join(roles)}.", rule="role")
            return view(*args, **kwargs)
        return blp.doc(security=BEARER)(wrapper)
    return decorator


def require_writer(actor: Actor) -> None:
    """Auditors read everything and change nothing (the engine checks it again inside each action)."""
    assignment.require_writer(actor)


def optional_actor() -> Actor | None:
    """The caller on a public endpoint: None without credentials, else (a valid token required) the user."""
    if not sessions.has_bearer() and not sessions.current_token():
        return None
    token = bearer_token()
    with engine().db.transaction() as session:
        return users.actor_for_token(session, token)
