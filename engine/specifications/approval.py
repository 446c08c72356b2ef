"""P10 approval submission (报批 → 批准发布): the submission package, BR1 at the secretariat's submission,
and on approval the number (``JJF nnnn—yyyy``, never a duplicate), the dates and the superseded one."""
from __future__ import annotations

from datetime import timedelta

from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Conflict, Forbidden, InvalidInput
from engine.rules.workdays import BEIJING
from engine.specifications import documents as spec_documents
from engine.specifications import numbering as spec_numbering
from engine.specifications import registry as spec_registry
from engine.specifications.common import (
    actor_name,
    after,
    change,
    end_of,
    now,
    parse_date,
    profile,
    spec_of,
    spec_variables,
)


@service("approval_open")
def approval_open(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "approval_started", stage="approval")
    spec_registry.sync_facts(ctx.session, ctx.instance, spec)
    return {**spec_variables(spec), "approval_outcome": "open"}


@service("approval_package")
def approval_package(ctx: ServiceContext, data: dict) -> dict:
    """The drafter's package: the submission draft (报批稿) with the documents of the earlier phases."""
    spec = spec_of(ctx, data)
    draft = spec_documents.check(ctx.session, ctx.instance, spec, data.get("submission_draft_document_id"),
                                 "submission_draft_document_id")
    if not draft:
        raise InvalidInput("The package needs the submission draft (报批稿).",
                           [{"field": "submission_draft_document_id", "message": "required"}])
    spec_documents.attach(spec, "approval", {"报批稿": draft})
    change(ctx, spec, "approval_package_submitted", submission_draft=[d["sha256"] for d in draft])
    return {}


@service("approval_submit")
def approval_submit(ctx: ServiceContext, data: dict) -> dict:
    """BR1: submission needs a passed review — quorum met, the pass share reached — with its minutes."""
    spec = spec_of(ctx, data)
    review = spec.review or {}
    reasons = []
    if not review:
        reasons.append("the specification has not been reviewed (审定)")
    elif not review.get("quorum_met"):
        reasons.append(f"the review had no quorum ({review.get('cast')} of {review.get('voting_members')} voted)")
    elif not review.get("passed") or not spec.review_passed:
        reasons.append(f"the review did not pass ({review.get('yes')} yes of {review.get('cast')})")
    if not spec.minutes:
        reasons.append("the review minutes (审定会议纪要) are missing")
    if reasons:
        raise Forbidden("The specification cannot be submitted for approval: " + "; ".join(reasons) + ".",
                        rule="BR1", reasons=reasons)
    change(ctx, spec, "submitted_for_approval", by=actor_name(ctx))
    return {}


@service("approval_returned")
def approval_returned(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "approval_returned", opinion=data.get("approval_opinion"))
    return {}


@service("approval_reject")
def approval_reject(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "approval_rejected", stage="cancelled", opinion=data.get("approval_opinion"))
    return {"approval_outcome": "rejected"}


@service("spec_number")
def spec_number(ctx: ServiceContext, data: dict) -> dict:
    """Approve: the next number of the series (from the profile's first number), publication and effective dates
    (effective ``effective_after`` later unless given), and the specification it supersedes."""
    spec = spec_of(ctx, data)
    if spec.number:
        raise Conflict(f"{spec.id} is already numbered {spec.number}.")
    today = spec_registry.today()
    published = parse_date(data.get("publication_date"), "publication_date") or today
    effective = parse_date(data.get("effective_date"), "effective_date") \
        or (after(ctx, "effective_after", end_of(published) - timedelta(days=1)).astimezone(BEIJING).date())
    if effective < published:
        raise InvalidInput("The effective date cannot be before the publication date.",
                           [{"field": "effective_date", "message": "before publication"}])
    rules = profile(ctx)
    digits = int(rules.value("spec_number_digits"))
    first = spec_numbering.first_number(rules.value("spec_number_first") if "spec_number_first" in rules else None,
                                        spec.type)
    yearly = bool(rules.value("spec_number_yearly")) if "spec_number_yearly" in rules else True
    spec.number = spec_numbering.number(ctx.session, spec.type, spec.level, spec.jurisdiction, published.year, digits,
                                        first, yearly)
    spec.approved_at, spec.publication_date, spec.effective_date = now(), published, effective
    ctx.session.flush()  # the unique number is checked here, inside the action
    change(ctx, spec, "approved", stage="published", number=spec.number, publication_date=published,
           effective_date=effective, supersedes=spec.replaces, opinion=data.get("approval_opinion"))
    if spec.replaces:
        old = spec_registry.get(ctx.session, spec.replaces, lock=True)
        old.superseded_by = spec.id
        change(ctx, old, "superseded", stage="superseded", by=spec.id, number=spec.number, effective_date=effective)
    return {**spec_variables(spec), "approval_outcome": "approved", "spec_publication_date": published.isoformat(),
            "spec_effective_date": effective.isoformat()}
