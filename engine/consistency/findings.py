"""Consistency findings: the overlaps of one specification, kept with the proposal or filing that asked, and the
rule that a proposal overlapping an in-force national specification states its reason (协调一致)."""
from __future__ import annotations

from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.consistency import search
from engine.consistency.models import Finding
from engine.errors import InvalidInput
from engine.specifications.models import Specification


def national_overlaps(matches: list[dict], bar: float) -> list[dict]:
    """In-force national specifications at or above the bar: the ones a proposal must give its reason for."""
    return [m for m in matches if m["level"] == "national" and m["status"] == "in_force" and m["score"] >= bar]


def check(session: Session, spec: Specification, occasion: str, instance_id: str | None, bar: float,
          reason: str | None = None, require_reason: bool = False) -> Finding:
    """Search the registry for what overlaps ``spec`` and record the finding.

    :raises InvalidInput: ``require_reason`` and an in-force national specification overlaps without a reason.
    """
    exclude = tuple(i for i in (spec.id, spec.replaces) if i)
    matches = [m.as_dict() for m in search.overlaps(session, search.probe_of(spec), exclude)]
    national = national_overlaps(matches, bar)
    reason = (reason or "").strip() or None
    if require_reason and national and reason is None:
        listed = "；".join(f"{m['number'] or m['spec_id']}《{m['title']}》" for m in national)
        raise InvalidInput(f"立项申请与现行国家计量技术规范重叠（{listed}），请在“重叠说明”中说明理由后再提交。",
                           [{"field": "overlap_reason",
                             "message": "required: overlaps an in-force national specification"}])
    finding = Finding(spec_id=spec.id, occasion=occasion, instance_id=instance_id, at=clock.now(),
                      matches=matches, national_overlap=bool(national), reason=reason)
    session.add(finding)
    session.flush()
    return finding


def reason_bar(value) -> float:
    return float(Fraction(str(value)))


def latest(session: Session, spec_id: str) -> list[Finding]:
    return list(session.scalars(select(Finding).where(Finding.spec_id == spec_id).order_by(Finding.id.desc())))


def as_dict(finding: Finding) -> dict:
    return {"id": finding.id, "spec_id": finding.spec_id, "occasion": finding.occasion,
            "instance_id": finding.instance_id, "at": finding.at.isoformat(), "matches": finding.matches,
            "national_overlap": finding.national_overlap, "reason": finding.reason}
