"""Users, hashed passwords (argon2), role assignments and opaque bearer tokens with expiry."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import grant_policy, scopes
from engine.access.actors import SYSTEM, Actor, Grant
from engine.access.models import AccessToken, RoleAssignment, User
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from engine.history import log as history
from engine.rules.installed import Installed


@dataclass(frozen=True)
class Hashing:
    """An engine's argon2 cost for new hashes (existing hashes carry their own parameters)."""

    hasher: PasswordHasher
    # verified when the username is unknown, so a miss costs as much time as a wrong password
    dummy_hash: str = field(repr=False)

    @classmethod
    def of(cls, time_cost: int, memory_kib: int) -> Hashing:
        hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        return cls(hasher, hasher.hash("not-a-real-password"))


def _default_hashing() -> Hashing:
    hasher = PasswordHasher()
    return Hashing(hasher, hasher.hash("not-a-real-password"))


_hashing: Installed[Hashing] = Installed("hashing", _default_hashing)
bound_hashing = _hashing.bound  # the engine's Hashing for one transaction (engine.db.session.Database binds it)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """The stored form of a password (argon2, salted)."""
    return _hashing.current().hasher.hash(password)


def create_user(session: Session, username: str, password: str, grants: list[Grant], *,
                display_name: str | None = None, actor: str | None = None, reason: str | None = None,
                unit: str | None = None, strict: bool = False, password_hash: str | None = None) -> User:
    """``strict`` applies the administrators' grant policy (engine.access.grant_policy); demo and test accounts
    are made without it. ``password_hash`` (of ``password``, from hash_password) spares a seed that makes many
    accounts with one password an argon2 hash each (a third of a second apiece)."""
    if not username or len(username) > 150 or username != username.strip():
        raise InvalidInput("A username of 1–150 characters without outer spaces is required.")
    if username == SYSTEM:
        raise InvalidInput(f"'{SYSTEM}' is reserved for the engine's own actions.")
    if len(password) < 8:
        raise InvalidInput("A password needs at least 8 characters.")
    if session.scalar(select(User).where(func.lower(User.username) == username.lower())) is not None:
        raise Conflict(f"User '{username}' already exists (names differing only in case are one name).")
    user = User(username=username, display_name=display_name, unit=_unit(unit),
                password_hash=password_hash or hash_password(password))
    session.add(user)
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "user_created", actor=actor,
                   data={"user": username, "display_name": display_name, "unit": user.unit, "reason": reason})
    for grant in grants:
        grant_role(session, user, grant, actor=actor, reason=reason or "created with the user", strict=strict)
    return user


def _unit(unit: str | None) -> str | None:
    unit = unit.strip() if unit else None
    if unit and len(unit) > 200:
        raise InvalidInput("A unit (工作单位) has at most 200 characters.", [{"field": "unit", "message": "too long"}])
    return unit or None


def grant_role(session: Session, user: User, grant: Grant, *, actor: str | None, reason: str | None,
               strict: bool = False) -> RoleAssignment:
    """Record who granted what and why; the same active role and scope twice is refused."""
    scopes.check_grant(grant)
    if strict:
        grant_policy.require_grantable(session, user, grant, actor)
    duplicate = session.scalar(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == grant.role, RoleAssignment.revoked_at.is_(None),
        RoleAssignment.scope.is_(None) if grant.scope is None else RoleAssignment.scope == grant.scope))
    if duplicate is not None:
        raise Conflict(f"User '{user.username}' already holds {grant} (assignment {duplicate}).")
    assignment = RoleAssignment(user_id=user.id, role=grant.role, scope=grant.scope, granted_by=actor,
                                reason=reason, granted_at=clock.now())
    session.add(assignment)
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "role_granted", actor=actor,
                   data={"user": user.username, "role": grant.role, "scope": grant.scope, "reason": reason,
                         "assignment": assignment.id})
    return assignment


def revoke_grant(session: Session, user: User, assignment_id: int, *, actor: str | None,
                 reason: str) -> RoleAssignment:
    """End an assignment from now on; actions already taken through it stay in the history."""
    if actor == user.username:
        raise Forbidden("Nobody revokes roles of their own account.", rule="self-admin")
    row = session.get(RoleAssignment, assignment_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"User '{user.username}' has no role assignment {assignment_id}.")
    if row.revoked_at is not None:
        raise Conflict(f"Assignment {assignment_id} was already revoked at {row.revoked_at.isoformat()}.")
    row.revoked_at, row.revoked_by, row.revoked_reason = clock.now(), actor, reason
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "role_revoked", actor=actor,
                   data={"user": user.username, "role": row.role, "scope": row.scope, "reason": reason,
                         "assignment": row.id})
    return row


def deactivate(session: Session, user: User, *, actor: str | None, reason: str) -> int:
    """Deactivate the account and revoke its tokens; returns how many revoked tokens were live."""
    if actor == user.username:
        raise Forbidden("Nobody deactivates their own account.", rule="self-admin")
    if not user.active:
        raise Conflict(f"User '{user.username}' is already deactivated.")
    now = clock.now()
    user.active = False
    tokens = list(session.scalars(select(AccessToken).where(AccessToken.user_id == user.id,
                                                            AccessToken.revoked_at.is_(None))))
    for token in tokens:
        token.revoked_at = now
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "user_deactivated", actor=actor,
                   data={"user": user.username, "reason": reason, "tokens_revoked": len(tokens)})
    return len(tokens)


def update_user(session: Session, user: User, *, actor: str | None, reason: str, **changes) -> User:
    """Change display name or unit (工作单位); the unit decides BR3, so nobody changes their own."""
    if actor == user.username:
        raise Forbidden("Nobody administers their own account.", rule="self-admin")
    if set(changes) - {"display_name", "unit"}:
        raise InvalidInput("Only display_name and unit can be changed.")
    if "unit" in changes:
        changes["unit"] = _unit(changes["unit"])
    before = {key: getattr(user, key) for key in changes}
    for key, value in changes.items():
        setattr(user, key, value)
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "user_updated", actor=actor,
                   data={"user": user.username, "before": before, "after": changes, "reason": reason})
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user '{username}'.")
    return user


def search(role: str | None = None, active: bool | None = None) -> Select:
    """Accounts by username: those holding ``role`` now (unrevoked), active or not."""
    query = select(User).order_by(User.username)
    if role:
        query = query.where(User.id.in_(select(RoleAssignment.user_id).where(
            RoleAssignment.role == role, RoleAssignment.revoked_at.is_(None))))
    if active is not None:
        query = query.where(User.active.is_(active))
    return query


def assignments(session: Session, user: User) -> list[RoleAssignment]:
    """Every role assignment of the account, revoked ones included, in the order granted."""
    return list(session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id)
                                .order_by(RoleAssignment.id)))


def grants_of(session: Session, user: User) -> tuple[Grant, ...]:
    rows = session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id,
                                                        RoleAssignment.revoked_at.is_(None))
                           .order_by(RoleAssignment.id))
    return tuple(Grant(r.role, r.scope, r.id) for r in rows)


def actor_for(session: Session, user: User) -> Actor:
    return Actor(user.username, grants_of(session, user), user.unit)


def _with_grants(query):
    """``query`` (selecting a User first) outer-joined to the user's live grants in grant order: a user and
    their grants in one round trip."""
    live = and_(RoleAssignment.user_id == User.id, RoleAssignment.revoked_at.is_(None))
    return query.add_columns(RoleAssignment.id, RoleAssignment.role, RoleAssignment.scope).outerjoin(
        RoleAssignment, live).order_by(RoleAssignment.id)


def _grants(rows) -> tuple[Grant, ...]:
    return tuple(Grant(row.role, row.scope, row.id) for row in rows if row.id is not None)


def user_and_actor(session: Session, username: str) -> tuple[User | None, Actor | None]:
    """The stored user named ``username`` and its actor (grants read in the same statement)."""
    rows = session.execute(_with_grants(select(User).where(User.username == username))).all()
    if not rows:
        return None, None
    user = rows[0][0]
    return user, Actor(user.username, _grants(rows), user.unit)


def actor_for_token(session: Session, token: str) -> Actor:
    """What :func:`user_for_token` then :func:`actor_for` give, in one statement: token, user and grants."""
    rows = session.execute(_with_grants(select(User, AccessToken).join(AccessToken, AccessToken.user_id == User.id)
                                        .where(AccessToken.token_hash == _token_digest(token)))).all()
    row = rows[0] if rows else None
    if row is None or row.AccessToken.revoked_at is not None or row.AccessToken.expires_at <= clock.now():
        raise Unauthorized("The access token is missing, expired or revoked.")
    if not row.User.active:
        raise Unauthorized("The account is deactivated.")
    return Actor(row.User.username, _grants(rows), row.User.unit)


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    try:
        hashing = _hashing.current()
        hashing.hasher.verify(user.password_hash if user else hashing.dummy_hash, password)
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
