"""P7 drafting (起草): the deadline the plan set, reminders before it, extensions requested in time and
decided by the authority, and BR10 when it passes. The timers of p7_drafting.bpmn read the ISO times these
services return (``drafting_reminder_at``, ``drafting_due_at``), so an approved extension moves them."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Forbidden, InvalidInput
from engine.specifications import documents as spec_documents
from engine.specifications import registry as spec_registry
from engine.specifications.common import (
    actor_name,
    before,
    change,
    deadline,
    end_of,
    iso,
    last_day,
    now,
    parse_date,
    profile,
    spec_of,
    spec_variables,
)
from engine.specifications.models import Specification

OVERDUE_ACTIONS = ("flag", "cancel")
DRAFT_DOCUMENTS = {"comment_draft_document_id": "征求意见稿", "explanatory_note_document_id": "编写说明",
                   "test_report_document_id": "试验报告", "uncertainty_document_id": "测量不确定度评定"}


def times(ctx: ServiceContext, spec: Specification) -> dict:
    """The timer values of the drafting task: the deadline, the reminder before it, and the last moment an
    extension may be requested."""
    due = spec.drafting_due
    reminder = max(before(ctx, "drafting_reminder_lead", due), now())
    return {"drafting_due_at": iso(due), "drafting_reminder_at": iso(reminder),
            "extension_latest_at": iso(before(ctx, "extension_request_lead", due))}


@service("drafting_open")
def drafting_open(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    if spec.drafting_due is None:  # started on its own: the deadline runs from now
        spec.drafting_due = deadline(ctx, "drafting_deadline", now())
    change(ctx, spec, "drafting_started", stage="drafting", drafting_due=spec.drafting_due)
    spec_registry.sync_facts(ctx.session, ctx.instance, spec)
    return {**spec_variables(spec), **times(ctx, spec), "drafting_outcome": "open"}


@service("extension_request")
def extension_request(ctx: ServiceContext, data: dict) -> dict:
    """An extension is asked for at least ``extension_request_lead`` before the deadline, for a later date."""
    spec = spec_of(ctx, data)
    latest = before(ctx, "extension_request_lead", spec.drafting_due)
    if now() > latest:
        raise Forbidden(f"An extension must be requested by {last_day(latest).isoformat()} (the drafting deadline "
                        f"{last_day(spec.drafting_due).isoformat()} less the profile's extension_request_lead); it is "
                        "too late now.", rule="BR10")
    until = parse_date(data.get("extension_until"), "extension_until")
    if until is None or end_of(until) <= spec.drafting_due:
        raise InvalidInput("The extension needs a new deadline after the current one.",
                           [{"field": "extension_until", "message": "must be after the current deadline"}])
    request = {"requested_at": iso(now()), "by": actor_name(ctx), "until": until.isoformat(),
               "reason": data.get("extension_reason"), "status": "requested"}
    spec.extensions = [*(spec.extensions or []), request]
    change(ctx, spec, "extension_requested", until=until, reason=data.get("extension_reason"))
    return {"extension_requested_until": until.isoformat()}


@service("extension_record")
def extension_record(ctx: ServiceContext, data: dict) -> dict:
    """The authority's decision on the extension; an approval moves the deadline (and the timers)."""
    spec = spec_of(ctx, data)
    approved = data.get("extension_approved") is True
    until = parse_date(data.get("extension_granted_until"), "extension_granted_until") \
        or parse_date(data.get("extension_requested_until"), "extension_requested_until")
    extensions = [dict(e) for e in spec.extensions or []]
    if extensions:
        extensions[-1].update(status="approved" if approved else "refused", decided_by=actor_name(ctx),
                              decided_at=iso(now()), granted_until=until.isoformat() if approved else None,
                              opinion=data.get("extension_opinion"))
    spec.extensions = extensions
    if approved:
        if end_of(until) <= spec.drafting_due:
            raise InvalidInput("An approved extension ends after the current deadline.",
                               [{"field": "extension_granted_until", "message": "not after the current deadline"}])
        spec.drafting_due = end_of(until)
    change(ctx, spec, "extension_approved" if approved else "extension_refused", drafting_due=spec.drafting_due,
           opinion=data.get("extension_opinion"))
    return {**times(ctx, spec), "extension_approved": approved}


@service("drafting_overdue")
def drafting_overdue(ctx: ServiceContext, data: dict) -> dict:
    """BR10: the deadline passed without an approved extension: flag the project for the next plan year
    (a new deadline ``drafting_carryover`` later) or cancel it, as the profile says."""
    spec = spec_of(ctx, data)
    if spec.drafting_due and spec.drafting_due > now():  # extended meanwhile
        return {**times(ctx, spec), "drafting_overdue_action": "extended"}
    action = profile(ctx).value("drafting_overdue_action")
    if action not in OVERDUE_ACTIONS:
        raise InvalidInput(f"Profile rule drafting_overdue_action must be one of {', '.join(OVERDUE_ACTIONS)}.")
    if action == "cancel":
        change(ctx, spec, "cancelled_overdue", stage="cancelled", rule="BR10", drafting_due=spec.drafting_due)
        return {"drafting_overdue_action": "cancel", "drafting_outcome": "cancelled"}
    spec.drafting_flags = (spec.drafting_flags or 0) + 1
    previous = spec.drafting_due
    spec.drafting_due = deadline(ctx, "drafting_carryover", previous)
    change(ctx, spec, "flagged_overdue", rule="BR10", previous_due=previous, drafting_due=spec.drafting_due,
           flags=spec.drafting_flags)
    return {**times(ctx, spec), "drafting_overdue_action": "flag", "drafting_flags": spec.drafting_flags}


@service("drafting_submit")
def drafting_submit(ctx: ServiceContext, data: dict) -> dict:
    """The comment draft with its explanatory note, test report and uncertainty analysis is handed in."""
    spec = spec_of(ctx, data)
    entries = {label: spec_documents.check(ctx.session, ctx.instance, spec, data.get(field), field)
               for field, label in DRAFT_DOCUMENTS.items()}
    missing = [field for field, label in DRAFT_DOCUMENTS.items() if not entries[label]]
    if missing:
        raise InvalidInput("The comment draft is handed in with all its documents: " + ", ".join(missing),
                           [{"field": f, "message": "required"} for f in missing])
    spec_documents.attach(spec, "drafting", entries)
    change(ctx, spec, "comment_draft_submitted", documents={k: [d["sha256"] for d in v] for k, v in entries.items()},
           international_basis=data.get("international_basis"))
    return {**spec_variables(spec), "drafting_outcome": "drafted"}
