"""Users, hashed passwords (argon2), role assignments and opaque bearer tokens with expiry."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import clock, history
from .actors import Actor, Grant
from .errors import Conflict, InvalidInput, NotFound, Unauthorized
from .models import AccessToken, RoleAssignment, User

_hasher = PasswordHasher()
# Verified when the username is unknown, so a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def configure_hashing(time_cost: int, memory_kib: int) -> None:
    """Set argon2 cost for new hashes; existing hashes carry their own parameters."""
    global _hasher, _DUMMY_HASH
    if (_hasher.time_cost, _hasher.memory_cost) != (time_cost, memory_kib):
        _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        _DUMMY_HASH = _hasher.hash("not-a-real-password")


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, username: str, password: str, grants: list[Grant], *,
                display_name: str | None = None, actor: str | None = None, reason: str | None = None) -> User:
    if not username or len(username) > 150:
        raise InvalidInput("A username of 1–150 characters is required.")
    if len(password) < 8:
        raise InvalidInput("A password needs at least 8 characters.")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise Conflict(f"User '{username}' already exists.")
    user = User(username=username, display_name=display_name, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    for grant in grants:
        grant_role(session, user, grant, actor=actor, reason=reason or "created with the user")
    return user


def grant_role(session: Session, user: User, grant: Grant, *, actor: str | None, reason: str | None) -> RoleAssignment:
    assignment = RoleAssignment(user_id=user.id, role=grant.role, scope=grant.scope, granted_by=actor,
                                reason=reason)
    session.add(assignment)
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "role_granted", actor=actor,
                   data={"user": user.username, "role": grant.role, "scope": grant.scope, "reason": reason})
    return assignment


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user '{username}'.")
    return user


def grants_of(session: Session, user: User) -> tuple[Grant, ...]:
    rows = session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id,
                                                        RoleAssignment.revoked_at.is_(None))
                           .order_by(RoleAssignment.id))
    return tuple(Grant(r.role, r.scope) for r in rows)


def actor_for(session: Session, user: User) -> Actor:
    return Actor(user.username, grants_of(session, user))


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None or not user.active:
        raise Unauthorized("Unknown username or wrong password.")
    return user


def issue_token(session: Session, user: User, ttl_seconds: int) -> tuple[str, int]:
    token = secrets.token_urlsafe(32)
    session.add(AccessToken(token_hash=_token_digest(token), user_id=user.id,
                            expires_at=clock.now() + timedelta(seconds=ttl_seconds)))
    session.flush()
    return token, ttl_seconds


def user_for_token(session: Session, token: str) -> User:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == _token_digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= clock.now():
        raise Unauthorized("The access token is missing, expired or revoked.")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("The account is deactivated.")
    return user


def revoke_token(session: Session, token: str) -> None:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == _token_digest(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()
