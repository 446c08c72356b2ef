"""Rate limits of the public (unauthenticated) endpoints, with Flask-Limiter.

Counters live in memory by default (one process); several API processes share them through a storage
URI such as ``redis://host:6379`` (``MTCFLOW_RATELIMIT_STORAGE_URI`` or settings.extra
``ratelimit_storage_uri``). The limit of public comments is ``MTCFLOW_NOTICE_COMMENT_LIMIT`` (or
settings.extra ``notice_comment_limit``), that of logins per client address ``MTCFLOW_LOGIN_LIMIT`` (or
``login_limit``), in Flask-Limiter's notation, read per request from the app config keys of those names.
Behind a reverse proxy, configure the WSGI server (or werkzeug's ProxyFix) so that the remote address is
the client's.
"""
from __future__ import annotations

import os

from flask import current_app
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from api.problems import problem_response

COMMENT_LIMIT_KEY = "MTCFLOW_NOTICE_COMMENT_LIMIT"
DEFAULT_COMMENT_LIMIT = "30 per minute; 500 per day"
LOGIN_LIMIT_KEY = "MTCFLOW_LOGIN_LIMIT"
DEFAULT_LOGIN_LIMIT = "20 per minute; 300 per hour"
STORAGE_ENV = "MTCFLOW_RATELIMIT_STORAGE_URI"


limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


def _too_many(error: RateLimitExceeded):
    return problem_response(429, f"Too many requests from your address: at most {error.description}. "
                            "Please try again later.", title="Too many requests", rule="rate-limit")


def comment_limit() -> str:
    return current_app.config.get(COMMENT_LIMIT_KEY) or DEFAULT_COMMENT_LIMIT


def login_limit() -> str:
    return current_app.config.get(LOGIN_LIMIT_KEY) or DEFAULT_LOGIN_LIMIT


def init_app(app) -> None:
    """Configure from the engine's settings (or the environment) and attach the limiter to ``app``."""
    settings = app.extensions["mtcflow"].settings
    extra = getattr(settings, "extra", None) or {}
    app.config.setdefault("RATELIMIT_STORAGE_URI",
                          extra.get("ratelimit_storage_uri") or os.environ.get(STORAGE_ENV) or "memory://")
    app.config.setdefault(COMMENT_LIMIT_KEY, extra.get("notice_comment_limit")
                          or os.environ.get(COMMENT_LIMIT_KEY) or DEFAULT_COMMENT_LIMIT)
    app.config.setdefault(LOGIN_LIMIT_KEY, extra.get("login_limit") or os.environ.get(LOGIN_LIMIT_KEY)
                          or DEFAULT_LOGIN_LIMIT)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many)
