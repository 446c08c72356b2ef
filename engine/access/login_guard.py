"""Growing delays after failed logins, per key, kept in the database. The API keys them by account name and
source address (api.security.login.guard_key), so failing on purpose does not lock the owner out from elsewhere.

Kept in the database (not in process memory) so every API process sees the same lockout and a restart
does not reset it. Names that belong to no account are tracked the same way, so the answers do not
reveal which accounts exist. After ``free`` failures each further failure locks the name for a delay
that doubles up to ``cap``; a successful login clears the record.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.models import LoginFailure
from engine.errors import TooManyRequests


@dataclass(frozen=True)
class Backoff:
    free: int = 3
    base_seconds: float = 2.0
    cap_seconds: float = 900.0

    def delay(self, failures: int) -> float:
        """Seconds locked after the ``failures``-th consecutive failure (0 while still free)."""
        if failures <= self.free:
            return 0.0
        return min(self.cap_seconds, self.base_seconds * 2 ** (failures - self.free - 1))


def _key(username: str) -> str:
    return username[:150]


def check(session: Session, username: str) -> None:
    """Refuse (429 with Retry-After) while the name is locked, before any password is looked at."""
    row = session.get(LoginFailure, _key(username))
    now = clock.now()
    if row is not None and row.locked_until is not None and row.locked_until > now:
        wait = max(1, math.ceil((row.locked_until - now).total_seconds()))
        raise TooManyRequests(f"Too many failed logins for this account; try again in {wait} s.",
                              retry_after=wait, rule="login-backoff")


def record_failure(session: Session, username: str, backoff: Backoff) -> int:
    """Count one more failure and lock the name for the next delay; returns the consecutive failures."""
    now = clock.now()
    row = session.scalar(select(LoginFailure).where(LoginFailure.username == _key(username)).with_for_update())
    if row is None:
        row = LoginFailure(username=_key(username), failures=0, last_failed_at=now)
        session.add(row)
    row.failures += 1
    row.last_failed_at = now
    delay = backoff.delay(row.failures)
    row.locked_until = now + timedelta(seconds=delay) if delay else None
    session.flush()
    return row.failures


def clear(session: Session, username: str) -> None:
    row = session.get(LoginFailure, _key(username))
    if row is not None:
        session.delete(row)
        session.flush()
