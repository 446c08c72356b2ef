"""Scopes: which instances a role assignment covers, and the scope every instance carries.

A grant is ``ROLE`` (every instance) or ``ROLE:SCOPE`` with SCOPE one of

    committee/<code>                 e.g. secretariat:committee/MTC-12
    spec/<id>                        e.g. drafter:spec/JJF-2026-001
    level/national                   the national authority (SAMR)
    level/<level>/<jurisdiction>     e.g. authority:level/provincial/江苏, authority:level/ministry/工业和信息化部

An instance carries committee, specification, level and jurisdiction: set at start (request
``scope`` or variables) and updated by the process through the variables ``committee_code``,
``spec_id``, ``approval_level`` and ``jurisdiction`` (projected after every action).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, true, update
from sqlalchemy.orm import Session

from engine.access import facts
from engine.access.actors import Grant
from engine.errors import InvalidInput

LEVELS = ("national", "ministry", "provincial")
SCOPE_KINDS = ("committee", "spec", "level")
# instance column -> process variable that sets it
SCOPE_VARIABLES = {"committee": "committee_code", "specification": "spec_id", "level": "approval_level",
                   "jurisdiction": "jurisdiction"}
RESERVED_VARIABLES = frozenset(SCOPE_VARIABLES.values()) | facts.FACT_VARIABLES
_ROLE = re.compile(r"^[a-z][a-z0-9_]{0,99}$")
_VALUE_MAX = 100


@dataclass(frozen=True)
class Scope:
    kind: str
    value: str
    jurisdiction: str | None = None


@lru_cache(maxsize=4096)
def parse(text: str | None) -> Scope | None:
    """Parse a grant's scope; ``None`` is global. Raises ValueError with the reason."""
    if text is None:
        return None
    kind, _, rest = text.partition("/")
    if kind not in SCOPE_KINDS or not rest.strip():
        raise ValueError(f"scope {text!r} is not committee/<code>, spec/<id> or level/<level>[/<jurisdiction>]")
    if kind != "level":
        return Scope(kind, _value(rest, text))
    level, slash, jurisdiction = rest.partition("/")
    _check_level(level, jurisdiction or None)
    return Scope(kind, level, _value(jurisdiction, text) if slash else None)


def _value(value: str, text: str) -> str:
    if value != value.strip() or not value or len(value) > _VALUE_MAX:
        raise ValueError(f"scope {text!r} needs a value of 1–{_VALUE_MAX} characters without outer spaces")
    return value


def _check_level(level: str | None, jurisdiction: str | None) -> None:
    if level is not None and level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    if level == "national" and jurisdiction:
        raise ValueError("the national level has no jurisdiction")
    if jurisdiction and level is None:
        raise ValueError("a jurisdiction needs a level")


def check_grant(grant: Grant) -> Grant:
    """Syntax every grant must have, however it is made; raises InvalidInput."""
    if not _ROLE.match(grant.role) or grant.role == "system":
        raise InvalidInput(f"'{grant.role}' is not a valid role key (lowercase letters, digits, '_'; not "
                           "'system').", [{"field": "role", "message": "invalid role"}])
    try:
        parse(grant.scope)
    except ValueError as err:
        raise InvalidInput(f"Invalid scope: {err}.", [{"field": "scope", "message": str(err)}]) from err
    return grant


def covers(grant: Grant, target) -> bool:
    """Does the grant's scope include ``target`` (an Instance or a Task row: both carry the scope columns)?"""
    scope = parse(grant.scope)
    if scope is None:
        return True
    if scope.kind == "committee":
        return target.committee == scope.value
    if scope.kind == "spec":
        return target.specification == scope.value
    return target.level == scope.value and (scope.jurisdiction is None or target.jurisdiction == scope.jurisdiction)


def cover_clause(grant: Grant, table):
    """The same as :func:`covers`, as an SQL condition on ``table`` (Instance or Task)."""
    scope = parse(grant.scope)
    if scope is None:
        return true()
    if scope.kind == "committee":
        return table.committee == scope.value
    if scope.kind == "spec":
        return table.specification == scope.value
    if scope.value == "national":  # it has no jurisdiction; saying so lets the (role, level, jurisdiction) index serve
        return and_(table.level == scope.value, table.jurisdiction.is_(None))
    condition = table.level == scope.value
    return and_(condition, table.jurisdiction == scope.jurisdiction) if scope.jurisdiction else condition


# ----- the instance's scope ----------------------------------------------------------------------------
def normalize(values: dict) -> dict:
    """Validate an instance scope ``{committee, specification, level, jurisdiction}``; raises InvalidInput."""
    result = {}
    for column, variable in SCOPE_VARIABLES.items():
        value = values.get(column)
        if value is not None and (not isinstance(value, str) or not value.strip() or len(value) > _VALUE_MAX):
            raise InvalidInput(f"Scope '{column}' (variable '{variable}') must be a text of 1–{_VALUE_MAX} "
                               "characters.", [{"field": column, "message": "invalid scope value"}])
        result[column] = value.strip() if isinstance(value, str) else None
    try:
        _check_level(result["level"], result["jurisdiction"])
        if result["level"] in ("ministry", "provincial") and not result["jurisdiction"]:
            raise ValueError(f"level '{result['level']}' needs a jurisdiction (e.g. 江苏)")
    except ValueError as err:
        raise InvalidInput(f"Invalid scope: {err}.", [{"field": "level", "message": str(err)}]) from err
    return result


def initial(scope: dict | None, variables: dict) -> dict:
    """The scope of a new instance from the request and the variables; writes it into the variables so the
    process reads one truth. A request field and a variable that disagree are refused."""
    scope = scope or {}
    merged = {}
    for column, variable in SCOPE_VARIABLES.items():
        given, from_variable = scope.get(column), variables.get(variable)
        if given is not None and from_variable is not None and given != from_variable:
            raise InvalidInput(f"scope.{column} ({given!r}) and variable '{variable}' ({from_variable!r}) differ.",
                               [{"field": column, "message": "conflicts with the variable"}])
        merged[column] = given if given is not None else from_variable
    result = normalize(merged)
    for column, variable in SCOPE_VARIABLES.items():
        if result[column] is not None:
            variables[variable] = result[column]
    return result


def project(session: Session, instance, workflow) -> None:
    """After an action: copy scope variables the process set onto the instance and its task rows, and the
    specification facts into their table. The variables are the latest step's, also inside a running called
    process (P6 sets ``spec_id`` inside the project), as the instance's data shows them. Absent variables leave
    the stored scope as it is."""
    from engine.bpmn.state import latest_task
    from engine.runtime.models import Task

    data = latest_task(workflow).data
    changed = {column: data[variable] for column, variable in SCOPE_VARIABLES.items()
               if data.get(variable) not in (None, "") and data[variable] != getattr(instance, column)}
    if changed:
        current = {column: getattr(instance, column) for column in SCOPE_VARIABLES}
        scope = normalize({**current, **changed})
        for column, value in scope.items():
            setattr(instance, column, value)
        session.execute(update(Task).where(Task.instance_id == instance.id).values(**scope)
                        .execution_options(synchronize_session="fetch"))
    facts.project(session, instance.id, data)


def require_unreserved(data: dict, form: dict | None) -> None:
    """Completion data may set scope and fact variables only through a form that declares them: otherwise
    anyone completing a task could move an instance out of its scope or strike themselves off as drafter."""
    declared = set((form or {}).get("properties", {}))
    reserved = sorted(k for k in data if k in RESERVED_VARIABLES and k not in declared)
    if reserved:
        raise InvalidInput("These variables are set by the process or by a form that declares them: "
                           + ", ".join(reserved) + ".",
                           [{"field": k, "message": "reserved variable"} for k in reserved])
