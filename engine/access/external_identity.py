"""Accounts of an OpenID Connect provider's users: matched by a configured claim, provisioned on first sign-in,
and, where a group map is configured, their mapped grants kept in step with the provider's groups claim.

The rule set (docs/deployment.md): a JSON object from group name to a list of grants ``role`` or ``role:scope``.
At each sign-in the user holds exactly the mapped grants of the groups the provider names; grants an administrator
made in mtcflow are never touched. Without a map, every grant stays administered in mtcflow."""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import accounts, scopes
from engine.access.actors import SYSTEM, Grant
from engine.access.models import ExternalIdentity, RoleAssignment, User
from engine.errors import InvalidInput, Unauthorized

MAPPED = "identity-provider group"  # reason prefix of grants the group map made (and may take back)
NO_PASSWORD = "!sso"  # not an argon2 hash: local login with such an account always fails


@dataclass(frozen=True)
class GroupMap:
    grants: dict[str, tuple[Grant, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> GroupMap:
        """Read and check the rule set, so a mistake stops the server at start rather than at someone's login."""
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as err:
            raise InvalidInput(f"Cannot read the group map {path}: {err}.") from err
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise InvalidInput(f"The group map {path} must map each group name to a list of 'role:scope' strings.")
        try:
            grants = {group: tuple(scopes.check_grant(Grant.parse(text)) for text in texts)
                      for group, texts in data.items()}
        except ValueError as err:
            raise InvalidInput(f"The group map {path}: {err}.") from err
        return cls(grants)

    def grants_for(self, groups: list[str]) -> dict[Grant, str]:
        """Each mapped grant with the first group that gives it."""
        found: dict[Grant, str] = {}
        for group in groups:
            for grant in self.grants.get(group, ()):
                found.setdefault(grant, group)
        return found


@dataclass(frozen=True)
class Claims:
    """What sign-in reads from a verified ID token (or userinfo)."""

    issuer: str
    values: dict
    user_claim: str = "preferred_username"
    groups_claim: str = "groups"

    def subject(self) -> str:
        value = self.values.get(self.user_claim)
        if not isinstance(value, str) or not value.strip():
            raise Unauthorized(f"The identity provider sent no '{self.user_claim}' claim to match an account by.")
        return value.strip()

    def groups(self) -> list[str]:
        value = self.values.get(self.groups_claim) or []
        return [value] if isinstance(value, str) else [str(g) for g in value]


def sign_in(session: Session, claims: Claims, group_map: GroupMap | None = None) -> User:
    """The account for these claims: linked before, else the local account of that name (linked now), else a new
    one. Raises Unauthorized for a deactivated account."""
    subject = claims.subject()
    link = session.scalar(select(ExternalIdentity).where(ExternalIdentity.issuer == claims.issuer,
                                                         ExternalIdentity.subject == subject))
    user = session.get(User, link.user_id) if link else session.scalar(select(User).where(User.username == subject))
    if user is None:
        user = accounts.create_user(session, subject, secrets.token_urlsafe(16), [], password_hash=NO_PASSWORD,
                                    display_name=claims.values.get("name"), actor=SYSTEM,
                                    reason=f"signed in through {claims.issuer}")
    if not user.active:
        raise Unauthorized("The account is deactivated.")
    if link is None:
        link = ExternalIdentity(issuer=claims.issuer, subject=subject, user_id=user.id)
        session.add(link)
    link.last_login_at = clock.now()
    if group_map is not None:
        _sync_grants(session, user, group_map.grants_for(claims.groups()))
    session.flush()
    return user


def _sync_grants(session: Session, user: User, wanted: dict[Grant, str]) -> None:
    live = list(session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id,
                                                             RoleAssignment.revoked_at.is_(None))))
    held = {Grant(row.role, row.scope) for row in live}
    for row in live:
        if (row.reason or "").startswith(MAPPED) and Grant(row.role, row.scope) not in wanted:
            accounts.revoke_grant(session, user, row.id, actor=SYSTEM,
                                  reason=f"{MAPPED}: no longer in a group that maps to {Grant(row.role, row.scope)}")
    for grant, group in wanted.items():
        if grant not in held:
            accounts.grant_role(session, user, grant, actor=SYSTEM, reason=f"{MAPPED} {group}")
