"""What the public notices say about a committee the registry does not hold yet (筹建公示: it is entered on
approval) or holds without members (组建公示: members are appointed when it closes): the notices carry the plan and
the proposed member list, so the registry page shows what is known instead of "not found" or "0 members"."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.committees.rules import ROLE_NAMES, STAKEHOLDER_CATEGORIES
from engine.notices.board import phase
from engine.notices.models import Notice
from engine.runtime.models import Instance

STAGES = {"establishment": "establishment_notice", "composition": "composition_notice"}


def notices(session: Session, code: str) -> list[Notice]:
    """Every public notice about the committee, newest first."""
    return list(session.scalars(select(Notice).where(or_(Notice.committee == code, Notice.ref == code))
                                .order_by(Notice.opens_at.desc(), Notice.id.desc())))


def pending(session: Session, code: str) -> list[Notice]:
    """The notices of an application still running: one that ended without registration (rejected) is not shown
    as a committee."""
    ended = select(Instance.id).where(Instance.state.in_(("completed", "cancelled")))
    return [n for n in notices(session, code) if n.instance_id is None
            or n.instance_id not in set(session.scalars(ended.where(Instance.id == n.instance_id)))]


def notice_view(notice: Notice) -> dict:
    return {"id": notice.id, "kind": notice.kind, "subject": notice.subject, "phase": phase(notice),
            "opens_at": notice.opens_at.isoformat(), "closes_at": notice.closes_at.isoformat()}


def proposed_members(found: list[Notice]) -> list[dict]:
    """The member list of the latest composition notice (names, units, roles: no contacts)."""
    latest = next((n for n in found if n.kind == "composition" and (n.content or {}).get("members")), None)
    if latest is None:
        return []
    return [{**m, "role_title": ROLE_NAMES.get(m.get("role"), m.get("role")),
             "stakeholder_title": STAKEHOLDER_CATEGORIES.get(m.get("stakeholder_category"))}
            for m in latest.content["members"]]


def proposed(code: str, found: list[Notice]) -> dict | None:
    """A committee known only from its notices, as far as they tell; None when there are none."""
    if not found:
        return None
    content: dict = {}
    for notice in reversed(found):  # oldest first, so the latest notice's fields win
        content.update(notice.content or {})
    latest = found[0]
    return {"code": code, "name": content.get("committee_name") or latest.subject, "level": latest.level,
            "jurisdiction": latest.jurisdiction, "status": STAGES.get(latest.kind, "proposed"),
            "scope": content.get("scope"), "secretariat_host": content.get("host_unit"), "announced": True,
            "plan": {k: content[k] for k in ("justification", "spec_framework", "secretariat", "planned_composition",
                                             "work_plan") if content.get(k)}}
