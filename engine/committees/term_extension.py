"""Term extension (延期换届, P2b): BR13 stops a committee whose term expired "until renewed or extended"; these
services check the request against the registry and the profile's ``term_extension_max`` and record the
authority's approval as the term's new last day.

- ``term_extension_check`` (``extension_until``) → ``term_end``, ``extension_until``, ``extension_latest``
- ``term_extension_record`` (``extension_until``, ``approval_document``) → the extended term
"""
from __future__ import annotations

from datetime import date, datetime, time

from engine import clock
from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees import appointments, registry
from engine.committees.models import Committee
from engine.committees.services import committee_of, profile_of, record
from engine.errors import Conflict, InvalidInput
from engine.rules.workdays import BEIJING


def _until(data: dict) -> date:
    try:
        return date.fromisoformat(str(data.get("extension_until")))
    except ValueError:
        raise InvalidInput("'extension_until' must be a date (YYYY-MM-DD).",
                           [{"field": "extension_until", "message": "not a date"}]) from None


def _latest(ctx: ServiceContext, committee: Committee) -> date:
    """The current term end plus ``term_extension_max``."""
    start = datetime.combine(committee.term_end, time(0), BEIJING)
    return registry.after(profile_of(ctx), "term_extension_max", start).astimezone(BEIJING).date()


def _checked(ctx: ServiceContext, data: dict) -> tuple[Committee, date, date]:
    committee = committee_of(ctx)
    if committee.status not in registry.WORKING or committee.term_end is None:
        raise Conflict(f"Committee {committee.code} is {committee.status}; only the term of a working committee is "
                       "extended.", rule="BR13")
    until, latest = _until(data), _latest(ctx, committee)
    if until <= committee.term_end:
        raise InvalidInput(f"The extension must end after the current term end {committee.term_end.isoformat()}.",
                           [{"field": "extension_until", "message": "not after the current term end"}])
    if until > latest:
        raise InvalidInput(f"A term may be extended to {latest.isoformat()} at the latest (term_extension_max).",
                           [{"field": "extension_until", "message": f"after {latest.isoformat()}"}])
    return committee, until, latest


@service("term_extension_check")
def term_extension_check(ctx: ServiceContext, data: dict) -> dict:
    committee, until, latest = _checked(ctx, data)
    return {"term_end": committee.term_end.isoformat(), "extension_until": until.isoformat(),
            "extension_latest": latest.isoformat()}


@service("term_extension_record")
def term_extension_record(ctx: ServiceContext, data: dict) -> dict:
    """Approved: the term's last day moves, so BR13 lets the committee review and take projects again."""
    committee, until, _ = _checked(ctx, data)
    previous = committee.term_end
    committee.term_end, committee.updated_at = until, clock.now()
    appointments.regrant(ctx.session, committee, actor=getattr(ctx.actor, "username", None),
                         reason=f"{committee.code} 任期延长至 {until.isoformat()}")
    committee.status_reason = f"任期延长至 {until.isoformat()}（{data.get('approval_document')}）"
    record(ctx, "committee_term_extended", {"committee": committee.code, "from": previous.isoformat(),
                                            "to": until.isoformat(),
                                            "approval_document": data.get("approval_document")})
    return {"term_end": until.isoformat(), "term_extended": True}
