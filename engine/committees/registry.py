"""The committee registry: what the other parts ask about a committee, and the queries of its API.

``status_of(session, code)`` is the one question specifications ask before 立项 (BR9: a committee in
rectification gets no new projects) and before a review (BR13: a committee whose term has expired takes
no new review): it returns a :class:`CommitteeState`, or None for a code the registry does not know.
The schedule subject provider ``active_committees`` (registered by engine.committees.wiring) lets the yearly
annual report, and the renewal N days before a term ends (anchored on ``term_end``), follow the registry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.committees.models import VOTING_ROLES, Committee, CommitteeAssessment, CommitteeMember, CommitteeReport
from engine.db import pages
from engine.errors import InvalidInput, NotFound
from engine.rules import workdays
from engine.rules.durations import Amount, from_rule
from engine.rules.profiles import Profile
from engine.rules.workdays import BEIJING

CODE = re.compile(r"^MTC-?\d{1,3}(/SC\d{1,3})?$")
WORKING = ("active", "rectification")  # committees that work, report and are assessed
OPEN_STATUSES = ("preparing", "active", "rectification", "suspended")  # all but revoked


def today() -> date:
    """The calendar day in Beijing: terms, retirements and reports are counted in it."""
    return clock.now().astimezone(BEIJING).date()


def check_code(code: str) -> str:
    if not isinstance(code, str) or not CODE.match(code.strip()):
        raise InvalidInput(f"Committee code {code!r} is not MTCnn or MTCnn/SCm (e.g. MTC12, MTC-12, MTC12/SC3).",
                           [{"field": "committee_code", "message": "invalid committee code"}])
    return code.strip()


def get(session: Session, code: str | None, lock: bool = False) -> Committee | None:
    if not code:
        return None
    query = select(Committee).where(Committee.code == code)
    return session.scalar(query.with_for_update() if lock else query)


def require(session: Session, code: str | None, lock: bool = False) -> Committee:
    committee = get(session, code, lock)
    if committee is None:
        raise NotFound(f"No committee '{code}' in the registry.")
    return committee


def term_expired(committee: Committee, on: date | None = None) -> bool:
    """BR13: the term ended (its last day passed) and no renewal started a new one."""
    return committee.term_end is not None and (on or today()) > committee.term_end


def term_dates(profile: Profile, start: date) -> tuple[date, date]:
    """A term starting ``start`` lasts the profile's ``term``; the end is its last day."""
    amount = from_rule("term", profile.get("term"))
    if not isinstance(amount, Amount):
        raise InvalidInput("Rule 'term' must be a duration.")
    end, _ = amount.after(datetime.combine(start, time(0), BEIJING), workdays.current())
    return start, date.fromordinal(end.astimezone(BEIJING).date().toordinal() - 1)


def after(profile: Profile, key: str, moment: datetime) -> datetime:
    amount = from_rule(key, profile.get(key))
    if not isinstance(amount, Amount):
        raise InvalidInput(f"Rule '{key}' must be a duration.")
    return amount.after(moment, workdays.current())[0]


@dataclass(frozen=True, eq=False)
class CommitteeState:
    """A committee as the other rules see it; compares equal to its status text (``== "rectification"``)."""

    code: str
    name: str
    status: str
    level: str
    jurisdiction: str | None
    term_start: date | None
    term_end: date | None
    term_expired: bool
    rectification_until: datetime | None

    def __eq__(self, other):
        if isinstance(other, str):
            return self.status == other
        return isinstance(other, CommitteeState) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash((self.code, self.status))

    def __str__(self) -> str:
        return self.status

    def project_refusal(self) -> tuple[str, str] | None:
        """``(rule, reason)`` when the committee may not take a new 立项 now (BR9), else None."""
        if self.status == "rectification":
            until = (f"（整改期至 {self.rectification_until.astimezone(BEIJING).date()}）"
                     if self.rectification_until else "")
            return "BR9", f"委员会 {self.code} 正在整改{until}，整改期间不得新立项目。"
        if self.status != "active":
            return "BR9", f"委员会 {self.code} 的状态为 {self.status}，不能承担新项目。"
        return None

    def review_refusal(self) -> tuple[str, str] | None:
        """``(rule, reason)`` when the committee may not hold a new review now (BR13), else None."""
        if self.term_expired:
            return "BR13", f"委员会 {self.code} 的任期已于 {self.term_end} 届满，换届或延期前不得组织新的审定。"
        if self.status not in WORKING:
            return "BR13", f"委员会 {self.code} 的状态为 {self.status}，不能组织审定。"
        return None


def state(committee: Committee, on: date | None = None) -> CommitteeState:
    return CommitteeState(committee.code, committee.name, committee.status, committee.level, committee.jurisdiction,
                          committee.term_start, committee.term_end, term_expired(committee, on),
                          committee.rectification_until)


def status_of(session: Session, code: str | None) -> CommitteeState | None:
    """The committee's state for BR9/BR13 checks; None when the registry does not know the code."""
    committee = get(session, code)
    return state(committee) if committee is not None else None


# ----- members ------------------------------------------------------------------------------------
def members(session: Session, committee: Committee, active: bool = True) -> list[CommitteeMember]:
    query = select(CommitteeMember).where(CommitteeMember.committee_id == committee.id)
    if active:
        query = query.where(CommitteeMember.active.is_(True))
    return list(session.scalars(query.order_by(CommitteeMember.term_number, CommitteeMember.id)))


def memberships_elsewhere(session: Session, entry: dict, exclude_code: str | None) -> int:
    """How many other committees (not revoked) the person sits on as a voting member now."""
    from engine.committees.models import VOTING_ROLES

    who = (CommitteeMember.username == entry["username"]) if entry.get("username") else \
        ((CommitteeMember.name == entry["name"]) & (CommitteeMember.unit == entry["unit"]))
    query = (select(func.count(func.distinct(Committee.id))).select_from(CommitteeMember)
             .join(Committee, Committee.id == CommitteeMember.committee_id)
             .where(who, CommitteeMember.active.is_(True), CommitteeMember.role.in_(VOTING_ROLES),
                    Committee.status.in_(OPEN_STATUSES)))
    if exclude_code:
        query = query.where(Committee.code != exclude_code)
    return session.scalar(query) or 0


def replace_members(session: Session, committee: Committee, entries: list[dict], term_number: int, *,
                    actor: str | None = None, reason: str | None = None) -> None:
    """The composition as approved becomes the committee's current members (each appointed: account linked,
    committee role granted for the term, BR14); earlier rows are kept inactive and their grants revoked."""
    from engine.committees import appointments

    why = reason or f"{committee.code} 第{term_number}届委员组成"
    now = clock.now()
    for row in members(session, committee):
        row.left_at = now
        appointments.release(session, row, actor=actor, reason=f"{why}：原委员任职结束")
    for entry in entries:
        row = CommitteeMember(committee_id=committee.id, term_number=term_number, name=entry["name"],
                              role=entry["role"], unit=entry["unit"],
                              stakeholder_category=entry.get("stakeholder_category"),
                              title=entry.get("title"), title_level=entry.get("title_level"),
                              username=entry.get("username"), active=True, joined_at=now)
        session.add(row)
        session.flush()
        appointments.appoint(session, committee, row, actor=actor, reason=f"{why}：聘任为{entry['role']}")
    session.flush()


# ----- reports (BR8) ------------------------------------------------------------------------------
def annual_misses(session: Session, code: str, since: datetime | None) -> int:
    """Annual reports missed (deadline passed without a report) since the last assessment."""
    query = select(func.count()).select_from(CommitteeReport).where(
        CommitteeReport.committee_code == code, CommitteeReport.kind == "annual", CommitteeReport.missed.is_(True))
    if since is not None:
        query = query.where(CommitteeReport.missed_at > since)
    return session.scalar(query) or 0


def reports(session: Session, code: str) -> list[CommitteeReport]:
    return list(session.scalars(select(CommitteeReport).where(CommitteeReport.committee_code == code)
                                .order_by(CommitteeReport.kind, CommitteeReport.period)))


# ----- listing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommitteeFilter:
    status: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    q: str | None = None  # part of the code or name
    member: str | None = None  # a member's name or user account
    term_expired: bool | None = None
    flagged: bool | None = None
    parent: str | None = None


def search(session: Session, filters: CommitteeFilter, page: int, per_page: int) -> tuple[list[Committee], int]:
    query = select(Committee)
    for column in ("status", "level", "jurisdiction"):
        value = getattr(filters, column)
        if value:
            query = query.where(getattr(Committee, column) == value)
    if filters.parent:
        query = query.where(Committee.parent_code == filters.parent)
    if filters.q:
        pattern = f"%{filters.q}%"
        query = query.where(or_(Committee.code.like(pattern), Committee.name.like(pattern)))
    if filters.member:
        query = query.where(Committee.id.in_(select(CommitteeMember.committee_id).where(
            CommitteeMember.active.is_(True),
            or_(CommitteeMember.name == filters.member, CommitteeMember.username == filters.member))))
    if filters.term_expired is not None:
        expired = Committee.term_end < today()
        query = query.where(expired if filters.term_expired else or_(Committee.term_end.is_(None), ~expired))
    if filters.flagged is not None:
        query = query.where(Committee.assessment_flag.is_not(None) if filters.flagged
                            else Committee.assessment_flag.is_(None))
    return pages.paginate(session, query.order_by(Committee.code), page, per_page)


def member_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """Active voting members per committee id, for a page of committees in one query."""
    if not ids:
        return {}
    rows = session.execute(select(CommitteeMember.committee_id, func.count()).where(
        CommitteeMember.committee_id.in_(ids), CommitteeMember.active.is_(True),
        CommitteeMember.role.in_(VOTING_ROLES)).group_by(CommitteeMember.committee_id))
    return dict(rows.all())


def subcommittees(session: Session, code: str) -> list[str]:
    return list(session.scalars(select(Committee.code).where(Committee.parent_code == code).order_by(Committee.code)))


def assessments(session: Session, committee: Committee) -> list[CommitteeAssessment]:
    return list(session.scalars(select(CommitteeAssessment).where(CommitteeAssessment.committee_id == committee.id)
                                .order_by(CommitteeAssessment.id)))


def active_committees(session: Session) -> list[dict]:
    """Schedule subjects: every working committee with its level and, as anchor, the last day of its term."""
    rows = session.scalars(select(Committee).where(Committee.status.in_(WORKING)).order_by(Committee.code))
    return [{"committee": c.code, "level": c.level, **({"jurisdiction": c.jurisdiction} if c.jurisdiction else {}),
             **({"anchor": c.term_end.isoformat()} if c.term_end else {})} for c in rows]



def serving_committees(session: Session) -> list[dict]:
    """Schedule subjects: every working committee anchored on the first day of its current term, so
    ``{"kind": "every", "duration": "chair_report_interval"}`` calls for the chair's report (P4) once per
    interval of each term."""
    rows = session.scalars(select(Committee).where(Committee.status.in_(WORKING), Committee.term_start.is_not(None))
                           .order_by(Committee.code))
    return [{"committee": c.code, "level": c.level, **({"jurisdiction": c.jurisdiction} if c.jurisdiction else {}),
             "anchor": c.term_start.isoformat()} for c in rows]


def flagged_committees(session: Session) -> list[dict]:
    """Schedule subjects (BR8): working committees flagged for assessment, anchored on the day of the flag, so
    ``{"kind": "after", "duration": "assessment_after_flag"}`` starts one assessment (P5) per flag."""
    rows = session.scalars(select(Committee).where(
        Committee.status.in_(WORKING), Committee.assessment_flag.is_not(None), Committee.flagged_at.is_not(None))
        .order_by(Committee.code))
    return [{"committee": c.code, "level": c.level, **({"jurisdiction": c.jurisdiction} if c.jurisdiction else {}),
             "anchor": c.flagged_at.astimezone(BEIJING).date().isoformat()} for c in rows]
