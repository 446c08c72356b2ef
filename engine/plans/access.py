"""Who manages calls, needs and plans: the committee's secretariat and secretary-general, and the approving
authority of the level (谁审批、谁监管); auditors read everything and change nothing."""
from __future__ import annotations

from engine.access import assignment, duties, scopes
from engine.access.actors import Actor
from engine.errors import Forbidden, NotFound

MANAGERS = ("secretariat", "secretary_general", "authority")
STAFF = (*MANAGERS, "chair", "vice_chair")  # read the needs with the submitters' contacts


def _grants(actor: Actor, roles: tuple[str, ...], target) -> list:
    return [g for g in actor.grants if g.role in roles and scopes.covers(g, target) and duties.routes_to(g, target)]


def require(actor: Actor, target, roles: tuple[str, ...] = MANAGERS) -> None:
    """Raise Forbidden (rule role / scope / auditor-read-only) unless ``actor`` holds one of ``roles`` over
    ``target`` (anything with committee, level and jurisdiction)."""
    assignment.require_writer(actor)
    if _grants(actor, roles, target):
        return
    if not any(actor.has_role(r) for r in roles):
        raise Forbidden(f"This needs one of the roles {', '.join(roles)}.", rule="role")
    raise Forbidden("Your grants do not cover this committee or level.", rule="scope")


def is_staff(actor: Actor | None, target) -> bool:
    return actor is not None and (actor.is_auditor or bool(_grants(actor, STAFF, target)))


def sees(actor: Actor | None, target) -> bool:
    """Any business grant over the target (or an auditor): drafts and pending adjustments are theirs to read."""
    return actor is not None and (actor.is_auditor or any(scopes.covers(g, target) and g.is_business
                                                          for g in actor.grants))


def require_staff(actor: Actor, target, what: str) -> None:
    if not is_staff(actor, target):
        raise NotFound(f"No {what} among yours.")
