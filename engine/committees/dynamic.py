"""Dynamic management (动态管理, 62号 九): the authority adjusts, merges or revokes a committee for reasons of its
own, not only after two failed assessments (P5b, ``committee_adjustment``).

- ``committee_dynamic_check`` (``exit_action`` adjust | merge | revoke, ``decision_reason``, the changes or
  ``successor_code``) → ``dynamic_action``; refuses a committee that is preparing or revoked, an adjustment
  that changes nothing, a merge or revocation without a working successor
- ``committee_adjust`` (``new_name``, ``new_scope``, ``new_secretariat_host``, ``decision_reason``) →
  ``committee_status``, ``adjusted``: the registry changes at once, recorded with the reason

A merge or revocation then runs the 撤销公示 of P5 (``revocation_notice_params`` → notice → ``committee_exit``),
which words a merge as 并入 its successor.
"""
from __future__ import annotations

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees.services import committee_of, record
from engine.committees.supervision import _reason, _successor
from engine.errors import Conflict, InvalidInput

ACTIONS = ("adjust", "merge", "revoke")
MANAGED = ("active", "rectification", "suspended")  # a committee the authority may still adjust or end
CHANGES = {"new_name": "name", "new_scope": "scope", "new_secretariat_host": "secretariat_host"}


def _changes(data: dict) -> dict[str, str]:
    return {column: data[field].strip() for field, column in CHANGES.items()
            if isinstance(data.get(field), str) and data[field].strip()}


@service("committee_dynamic_check")
def committee_dynamic_check(ctx: ServiceContext, data: dict) -> dict:
    """The decision is checked before anything changes or goes public: a reason, and what the action needs."""
    action = data.get("exit_action")
    if action not in ACTIONS:
        raise InvalidInput(f"'exit_action' must be one of {', '.join(ACTIONS)}.", [{"field": "exit_action"}])
    committee = committee_of(ctx)
    if committee.status not in MANAGED:
        raise Conflict(f"委员会 {committee.code} 的状态为 {committee.status}，不能调整、合并或撤销。",
                       rule="committee-status")
    _reason(data)
    if action == "adjust":
        changes = _changes(data)
        if not changes or all(getattr(committee, c) == v for c, v in changes.items()):
            raise InvalidInput("An adjustment names what changes (new_name, new_scope, new_secretariat_host).",
                               [{"field": "new_scope", "message": "nothing changes"}])
    else:
        _successor(ctx, committee, data)
    return {"dynamic_action": action}


@service("committee_adjust")
def committee_adjust(ctx: ServiceContext, data: dict) -> dict:
    """调整: name, scope or secretariat host change in the registry, each with the authority's reason."""
    committee = committee_of(ctx)
    reason, changes = _reason(data), _changes(data)
    before = {column: getattr(committee, column) for column in changes}
    for column, value in changes.items():
        setattr(committee, column, value)
    committee.updated_at = clock.now()
    record(ctx, "committee_adjusted", {"committee": committee.code, "before": before, "after": changes,
                                       "reason": reason})
    return {"committee_status": committee.status, "adjusted": sorted(changes)}
