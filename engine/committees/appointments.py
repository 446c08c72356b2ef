"""Appointments (BR14): the committee registry decides who acts and who votes, not whoever holds a grant.

Appointing a registry member (P1 composition, P2 renewal, reorganisation) links the row to the member's user
account and grants the committee role for the term; ending the appointment (a new composition, revocation of
the committee, the end of the term) revokes exactly those grants. Each grant and revocation is in the history
with who and why (``role_granted`` / ``role_revoked``). A review's voting base is read here, from the registry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import accounts as users
from engine.access import conflicts
from engine.access.actors import Grant
from engine.access.models import RoleAssignment, User
from engine.committees.models import VOTING_ROLES, Committee, CommitteeMember

# the registry role -> the grants (scoped to the committee) an appointment makes. Observers get none here: they
# register per livelihood specification (BR7, observer:spec/<id>).
OFFICE_GRANTS = {"chair": ("chair", "member"), "vice_chair": ("vice_chair", "member"),
                 "secretary_general": ("secretary_general", "member"), "member": ("member",),
                 "corresponding_member": ("corresponding_member",), "observer": ()}


def _account(session: Session, username: str | None) -> User | None:
    if not username:
        return None
    user = session.scalar(select(User).where(User.username == username))
    return user if user is not None and user.active else None


def appoint(session: Session, committee: Committee, row: CommitteeMember, *, actor: str | None,
            reason: str) -> None:
    """Link ``row`` to its account and grant its committee roles for the term. A grant the account already
    held for the same role and committee is taken over by the appointment, so the appointment's end ends it too."""
    user = _account(session, row.username)
    if user is None:
        row.user_id, row.grant_ids = None, []
        return
    row.user_id, ids = user.id, []
    scope = f"committee/{committee.code}"
    for role in OFFICE_GRANTS.get(row.role, ()):
        held = session.scalar(select(RoleAssignment).where(
            RoleAssignment.user_id == user.id, RoleAssignment.role == role, RoleAssignment.scope == scope,
            RoleAssignment.revoked_at.is_(None)))
        if held is None:
            held = users.grant_role(session, user, Grant(role, scope), actor=actor, reason=reason)
        ids.append(held.id)
    row.grant_ids = ids


def release(session: Session, row: CommitteeMember, *, actor: str | None, reason: str) -> None:
    """End the appointment: the row leaves the current composition and the grants it made are revoked."""
    row.active, row.left_at = False, row.left_at or clock.now()
    revoke_grants(session, row, actor=actor, reason=reason)


def revoke_grants(session: Session, row: CommitteeMember, *, actor: str | None, reason: str) -> int:
    """Revoke the appointment's grants still live; returns how many."""
    user = session.get(User, row.user_id) if row.user_id else None
    revoked = 0
    for assignment_id in row.grant_ids or []:
        assignment = session.get(RoleAssignment, assignment_id)
        if user is not None and assignment is not None and assignment.revoked_at is None:
            users.revoke_grant(session, user, assignment_id, actor=actor, reason=reason)
            revoked += 1
    return revoked


def regrant(session: Session, committee: Committee, *, actor: str | None, reason: str) -> None:
    """The term goes on (extension, P2b): the current members' grants are made again where they lapsed."""
    for row in current(session, committee):
        appoint(session, committee, row, actor=actor, reason=reason)


def current(session: Session, committee: Committee) -> list[CommitteeMember]:
    return list(session.scalars(select(CommitteeMember).where(CommitteeMember.committee_id == committee.id,
                                                             CommitteeMember.active.is_(True))
                                .order_by(CommitteeMember.id)))


def end_expired_terms(session: Session, today: date, *, actor: str | None) -> list[str]:
    """The term's last day passed without renewal or extension: its members' grants end (the members stay on
    record as the composition of that term). Returns the committee codes whose grants were revoked."""
    ended = []
    rows = session.execute(select(Committee, CommitteeMember).join(
        CommitteeMember, CommitteeMember.committee_id == Committee.id).where(
        Committee.term_end < today, CommitteeMember.active.is_(True), CommitteeMember.user_id.is_not(None))).all()
    for committee, row in rows:
        if revoke_grants(session, row, actor=actor,
                         reason=f"{committee.code} 第{committee.term_number}届任期于 {committee.term_end} 届满"):
            ended.append(committee.code)
    return sorted(set(ended))


# ----- the voting base of a review -----------------------------------------------------------------------
@dataclass(frozen=True)
class VotingBase:
    """Who counts when a vote opens: the appointed voting members (BR14), less drafters (BR3) and declared
    conflicts (BR4); corresponding members and observers never count (BR7)."""

    members: list[dict] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)

    @property
    def voters(self) -> list[str]:
        """Usernames of the members who can cast a ballot (an account is linked)."""
        return sorted(m["username"] for m in self.members if m["has_account"])

    def record(self) -> dict:
        """What the tally keeps so an auditor can recount: the base's registry ids, count and who was left out."""
        return {"member_ids": [m["member_id"] for m in self.members], "count": len(self.members),
                "without_account": [m["name"] for m in self.members if not m["has_account"]],
                "excluded": self.excluded}


def voting_base(session: Session, committee_code: str | None, drafters: set[str],
                spec_id: str | None) -> VotingBase:
    committee = session.scalar(select(Committee).where(Committee.code == committee_code)) if committee_code \
        else None
    if committee is None:
        return VotingBase()
    rows = current(session, committee)
    linked = [row.user_id for row in rows if row.user_id]
    accounts = dict(session.execute(select(User.id, User.username).where(
        User.id.in_(linked), User.active.is_(True))).all()) if linked else {}
    members, excluded = [], []
    for row in rows:
        if row.role not in VOTING_ROLES:
            continue
        username = accounts.get(row.user_id) if row.user_id else None
        entry = {"member_id": row.id, "name": row.name, "unit": row.unit, "role": row.role,
                 "username": username or row.username, "has_account": username is not None}
        if username and username in drafters:
            excluded.append({**entry, "rule": "BR3"})
        elif username and conflicts.has(session, username, spec_id):
            excluded.append({**entry, "rule": "BR4"})
        else:
            members.append(entry)
    return VotingBase(members, excluded)
