"""Password login with backoff per account *and* source address: the one path both the token endpoint and the
login page take, so a locked pair stays locked whichever door is knocked on.

Keyed by the account alone, anyone who knew a name could lock its owner out for up to 15 minutes by failing on
purpose (issue 18). Keyed by the pair, a guessing source slows only itself; the owner, from another address,
still gets in. Many addresses guessing one account remain bounded by the per-address rate limit
(``MTCFLOW_LOGIN_LIMIT``) and by each pair's own growing delay. The client address is the one ProxyFix believes
(``MTCFLOW_TRUSTED_PROXIES``)."""
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


def guard_key(username: str, address: str | None) -> str:
    """The backoff's key: source address first, so a long name is what gets cut to the column's 150 characters."""
    return f"{address or '-'} {username}"


def _record_failure(eng: WorkflowEngine, key: str) -> int:
    """Two first failures of one key at once both insert its row; the loser of that race counts again."""
    try:
        with eng.db.transaction() as session:
            return login_guard.record_failure(session, key, _backoff(eng.settings))
    except Conflict:
        with eng.db.transaction() as session:
            return login_guard.record_failure(session, key, _backoff(eng.settings))


def log_in(eng: WorkflowEngine, username: str, password: str) -> tuple[str, int]:
    """A fresh access token and its lifetime in seconds; raises TooManyRequests while the name is locked for
    this source (whatever the password) and Unauthorized on a wrong name or password (counted towards it)."""
    key = guard_key(username, request.remote_addr)
    with eng.db.transaction() as session:
        try:
            login_guard.check(session, key)
        except TooManyRequests:
            log.warning("login refused for %r from %s: locked after failed logins", username, request.remote_addr)
            raise
    try:
        with eng.db.transaction() as session:
            user = users.authenticate(session, username, password)
            login_guard.clear(session, key)
            token, ttl = users.issue_token(session, user, eng.settings.token_ttl_seconds)
    except Unauthorized:
        failures = _record_failure(eng, key)
        log.warning("login failed for %r from %s (%d in a row)", username, request.remote_addr, failures)
        raise
    log.info("login of %r from %s", username, request.remote_addr)
    return token, ttl
