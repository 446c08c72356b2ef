"""What the API asks of the consistency package: an overlap search for a draft title or scope, and the findings
recorded for one specification."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.access import assignment
from engine.access.actors import AUDITOR, Actor
from engine.consistency import findings, search
from engine.errors import NotFound
from engine.specifications import registry as spec_registry

SEARCHERS = ("authority", "secretariat", "secretary_general", "chair", "vice_chair", "drafter", AUDITOR)


def overlaps(session: Session, probe: search.Probe, top_k: int | None = None) -> list[dict]:
    """Ranked overlaps for a draft; confidential specifications are left out of what an API caller sees."""
    conf = search.settings()
    wanted = top_k or conf.top_k
    matches = search.overlaps(session, probe, conf=conf, top_k=wanted * 2)
    hidden = {m.spec_id for m in matches if (spec := spec_registry.find(session, m.spec_id)) and spec.confidential}
    return [m.as_dict() for m in matches if m.spec_id not in hidden][:wanted]


def of_specification(session: Session, actor: Actor, spec_id: str) -> list[dict]:
    """The findings of a specification, for who sees its instances, any authority and auditors."""
    actor = assignment.current(session, actor)
    if spec_registry.find(session, spec_id) is None or not (
            actor.has_role("authority") or actor.has_role(AUDITOR)
            or assignment.sees_specification(session, actor, spec_id)):
        raise NotFound(f"No specification '{spec_id}' in the registry.")
    return [findings.as_dict(f) for f in findings.latest(session, spec_id)]
