"""Password login with per-account backoff: the one path both the token endpoint and the login page take,
so a locked name stays locked whichever door is knocked on."""
from __future__ import annotations

import logging

from flask import request

from engine.access import accounts as users
from engine.access import login_guard
from engine.errors import Conflict, TooManyRequests, Unauthorized
from engine.workflow_engine import WorkflowEngine

log = logging.getLogger("mtcflow.auth")  # names and addresses only: never a password or a token


def _backoff(settings) -> login_guard.Backoff:
    return login_guard.Backoff(settings.login_free_failures, settings.login_delay_seconds,
                               settings.login_delay_max_seconds)


def _record_failure(eng: WorkflowEngine, username: str) -> int:
    """Two first failures of one name at once both insert its row; the loser of that race counts again."""
    try:
        with eng.db.transaction() as session:
            return login_guard.record_failure(session, username, _backoff(eng.settings))
    except Conflict:
        with eng.db.transaction() as session:
            return login_guard.record_failure(session, username, _backoff(eng.settings))


def log_in(eng: WorkflowEngine, username: str, password: str) -> tuple[str, int]:
    """A fresh access token and its lifetime in seconds; raises TooManyRequests while the name is locked
    (whatever the password) and Unauthorized on a wrong name or password (counted towards the lock)."""
    with eng.db.transaction() as session:
        try:
            login_guard.check(session, username)
        except TooManyRequests:
            log.warning("login refused for %r from %s: locked after failed logins", username, request.remote_addr)
            raise
    try:
        with eng.db.transaction() as session:
            user = users.authenticate(session, username, password)
            login_guard.clear(session, username)
            token, ttl = users.issue_token(session, user, eng.settings.token_ttl_seconds)
    except Unauthorized:
        failures = _record_failure(eng, username)
        log.warning("login failed for %r from %s (%d in a row)", username, request.remote_addr, failures)
        raise
    log.info("login of %r from %s", username, request.remote_addr)
    return token, ttl
