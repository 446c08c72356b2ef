"""What the duty rules must know about a specification — its drafters, drafting units and livelihood flag —
and about its vote: the ``voters`` the vote opened with (the appointed members, BR14).

Until the specification registry exists (a later issue, which will become the source), they are read
from the instance's variables ``drafters`` (usernames), ``drafting_units`` (工作单位 names, as on users)
and ``livelihood`` (true for 民生 specifications), projected into rows after every action.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.access.models import InstanceFact
from engine.errors import InvalidInput

FACT_VARIABLES = frozenset({"drafters", "drafting_units", "livelihood", "voters", "chief_reviewer"})
DRAFTER, DRAFTING_UNIT, LIVELIHOOD, VOTER = "drafter", "drafting_unit", "livelihood", "voter"
CHIEF = "chief_reviewer"
_KIND_OF = {"drafters": DRAFTER, "drafting_units": DRAFTING_UNIT, "livelihood": LIVELIHOOD, "voters": VOTER,
            "chief_reviewer": CHIEF}


@dataclass(frozen=True)
class Facts:
    drafters: frozenset[str] = frozenset()
    drafting_units: frozenset[str] = frozenset()
    livelihood: bool | None = None
    voters: frozenset[str] | None = None  # the ballot's voters as the vote opened (BR14); None before any vote
    chief: frozenset[str] | None = None  # the chief reviewer the secretariat designated; None before designation


def _rows(variable: str, value) -> set[str]:
    if variable == "livelihood":
        if not isinstance(value, bool):
            raise InvalidInput("Variable 'livelihood' must be true or false.",
                               [{"field": variable, "message": "not a boolean"}])
        return {"true" if value else "false"}
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and 0 < len(i) <= 200 for i in items):
        raise InvalidInput(f"Variable '{variable}' must be a list of names (1–200 characters each).",
                           [{"field": variable, "message": "not a list of names"}])
    return set(items)


def project(session: Session, instance_id: str, data: dict) -> None:
    """Store the fact variables present in ``data``; kinds whose variable is absent stay as they are."""
    present = {variable: data[variable] for variable in FACT_VARIABLES if data.get(variable) is not None}
    if not present:
        return
    stored: dict[str, set[str]] = {}
    for kind, value in session.execute(select(InstanceFact.kind, InstanceFact.value)
                                       .where(InstanceFact.instance_id == instance_id)):
        stored.setdefault(kind, set()).add(value)
    for variable, value in present.items():
        kind, wanted = _KIND_OF[variable], _rows(variable, value)
        have = stored.get(kind, set())
        if wanted == have:
            continue
        gone = have - wanted
        if gone:
            session.execute(delete(InstanceFact).where(InstanceFact.instance_id == instance_id,
                                                       InstanceFact.kind == kind, InstanceFact.value.in_(gone)))
        session.add_all(InstanceFact(instance_id=instance_id, kind=kind, value=v) for v in wanted - have)
    session.flush()


def of(session: Session, instance_id: str) -> Facts:
    found: dict[str, set[str]] = {DRAFTER: set(), DRAFTING_UNIT: set(), LIVELIHOOD: set()}
    voters = None
    for kind, value in session.execute(select(InstanceFact.kind, InstanceFact.value)
                                       .where(InstanceFact.instance_id == instance_id)):
        found.setdefault(kind, set()).add(value)
    livelihood = None if not found[LIVELIHOOD] else "true" in found[LIVELIHOOD]
    if VOTER in found:
        voters = frozenset(found[VOTER])
    chief = frozenset(found[CHIEF]) if CHIEF in found else None
    return Facts(frozenset(found[DRAFTER]), frozenset(found[DRAFTING_UNIT]), livelihood, voters, chief)
