"""What an administrator may grant (the admin API and CLI apply it; demo and test accounts are exempt).

Each role has the scope kind domain.md gives it: committee roles per committee, drafter / chief
reviewer / observer per specification, the authority per level and jurisdiction (BR11), auditors and
administrators globally. Nobody administers their own account, and auditors hold no other role, so the
record they check is never their own work.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access import duties, scopes
from engine.access.actors import AUDITOR, ROLES, Grant
from engine.access.models import RoleAssignment, User
from engine.errors import Conflict, Forbidden, InvalidInput

COMMITTEE_ROLES = ("chair", "vice_chair", "secretary_general", "secretariat", "member", "corresponding_member")
SPEC_ROLES = ("drafter", "chief_reviewer", "observer")
GLOBAL_ROLES = (AUDITOR, "process_admin", "user_admin")
_NAME = re.compile(r"[^\W_.][\w .·—()（）-]*")  # MTC-12, JJF 1001—2026, 江苏, 工业和信息化部; not *, %, ../
SCOPE_KIND = {**dict.fromkeys(COMMITTEE_ROLES, "committee"), **dict.fromkeys(SPEC_ROLES, "spec"),
              "authority": "level"}


def require_grantable(session: Session, user: User, grant: Grant, granted_by: str | None) -> None:
    if grant.role not in ROLES:
        raise InvalidInput(f"Unknown role '{grant.role}'; roles are: {', '.join(ROLES)}.",
                           [{"field": "role", "message": "unknown role"}])
    if granted_by == user.username:
        raise Forbidden("Nobody grants roles to their own account.", rule="self-admin")
    refusal = duties.grant_refusal(session, grant)
    if refusal is not None:
        raise refusal
    scope = scopes.parse(grant.scope)
    for value in (scope.value, scope.jurisdiction) if scope else ():
        if value is not None and not _NAME.fullmatch(value):
            raise InvalidInput(f"Scope value {value!r} is not a name: letters, digits, spaces and - _ . · — ( ) "
                               "only, not starting with a dot (no wildcards, no paths).",
                               [{"field": "scope", "message": "invalid scope value"}])
    if grant.role in GLOBAL_ROLES and scope is not None:
        raise InvalidInput(f"Role '{grant.role}' is global; grant it without a scope.",
                           [{"field": "scope", "message": "must be empty"}])
    wanted = SCOPE_KIND.get(grant.role)
    if wanted and (scope is None or scope.kind != wanted):
        example = {"committee": "committee/MTC-12", "spec": "spec/JJF-2026-001"}.get(wanted, "level/national")
        raise InvalidInput(f"Role '{grant.role}' is scoped to one {wanted}, e.g. {grant.role}:{example}.",
                           [{"field": "scope", "message": f"needs a {wanted} scope"}])
    held = set(session.scalars(select(RoleAssignment.role).where(RoleAssignment.user_id == user.id,
                                                                 RoleAssignment.revoked_at.is_(None))))
    if held and (grant.role == AUDITOR) != (held == {AUDITOR}):
        raise Conflict("Auditors hold no other role: an auditor never checks a record of their own work.")
