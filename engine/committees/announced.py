"""What the public already knows of a committee the registry does not (yet) show in full (BR12, BR15): during
its establishment plan's notice it is not registered, during its composition notice it has no members. Both
notices are public, so their content is what the registry page shows until the authority decides."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.notices.models import Notice
from engine.runtime.models import Instance

ENDED = ("completed", "cancelled")  # an application that ended without registration (rejected) is not shown


def _latest(session: Session, code: str, kind: str) -> Notice | None:
    """The newest notice of ``kind`` for ``code`` whose establishing instance is still running."""
    return session.scalar(select(Notice).join(Instance, Instance.id == Notice.instance_id).where(
        Notice.kind == kind, Notice.ref == code, Instance.state.not_in(ENDED)).order_by(Notice.id.desc()).limit(1))


def _notice(notice: Notice) -> dict:
    return {"id": notice.id, "kind": notice.kind, "status": notice.status, "opens_at": notice.opens_at,
            "closes_at": notice.closes_at}


def applied(session: Session, code: str) -> dict | None:
    """An application under (or past) its plan notice and not yet decided: status ``applied`` with the plan."""
    notice = _latest(session, code, "establishment")
    if notice is None:
        return None
    content = notice.content or {}
    return {"code": code, "name": content.get("committee_name") or notice.subject, "level": notice.level,
            "jurisdiction": notice.jurisdiction, "status": "applied", "scope": content.get("scope"),
            "secretariat_host": content.get("host_unit"), "planned_composition": content.get("planned_composition"),
            "notice": _notice(notice)}


def planned_members(session: Session, code: str) -> dict | None:
    """The composition under notice of a committee still preparing: the proposed member list (public fields)."""
    notice = _latest(session, code, "composition")
    if notice is None:
        return None
    return {"planned_members": list((notice.content or {}).get("members") or []), "notice": _notice(notice)}
