"""P10 approval submission (报批 → 批准发布): the submission package, BR1 at the secretariat's submission,
and on approval the number (``JJF nnnn—yyyy``, never a duplicate), the dates and the superseded one."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engine.bpmn.service_tasks import ServiceContext, service
from engine.committees import registry as committee_registry
from engine.committees.services import AUTHORITIES
from engine.errors import Conflict, Forbidden, InvalidInput
from engine.notices import board as notices
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
from engine.specifications.models import Specification

DROPPED = ("rejected", "cancelled")  # projects that never replace anything


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


def _kept_number(ctx: ServiceContext, spec, old, year: int, rule: spec_numbering.NumberRule) -> str | None:
    """A revision's number: its predecessor's serial with the new year, unless it changes the type's range or
    is one of several projects splitting the predecessor (then each part takes a new number)."""
    if old is None:
        return None
    parts = ctx.session.scalar(select(func.count()).select_from(Specification).where(
        Specification.replaces == old.id, Specification.id != spec.id, Specification.stage.not_in(DROPPED)))
    kept = spec_numbering.revision_number(old.number, old.type, spec.type, spec.level, spec.jurisdiction, year,
                                          rule, split=bool(parts))
    if kept is not None and kept == old.number:
        raise Conflict(f"{old.number} was published this year; its revision cannot take the same number in "
                       f"{year}. Publish it with a later publication date.")
    return kept


def _announce(ctx: ServiceContext, data: dict, spec: Specification, old: Specification | None):
    """The approval announcement (批准发布公告) on the public board: its own number in the issuer's yearly series
    (2026年第1号) and the specifications it covers, with what each replaces and when it takes effect; none for
    a specification marked confidential (BR12)."""
    if spec.confidential:
        return None
    committee = committee_registry.get(ctx.session, spec.committee)
    issuer = (committee.authority if committee is not None else None) or AUTHORITIES.get(spec.level or "national") \
        or spec.jurisdiction
    year = spec.publication_date.year
    serial = spec_numbering.next_value(ctx.session, "announcement", issuer or "", year)
    covered = [{"number": spec.number, "title": spec.title, "type": spec.type,
                "replaces_number": old.number if old is not None else None,
                "publication_date": spec.publication_date.isoformat(),
                "effective_date": spec.effective_date.isoformat()}]
    number = f"{year}年第{serial}号"
    content = {"announcement_number": number, "issuer": issuer, "specifications": covered}
    subject = f"{issuer or ''}关于批准发布 {spec.number}《{spec.title}》的公告（{number}）"
    notice = notices.announce(ctx.session, ctx.instance, actor_name(ctx), "approval", subject[:500], spec.id,
                              content, notices.scope_of(ctx.instance, data))
    return notice


@service("spec_number")
def spec_number(ctx: ServiceContext, data: dict) -> dict:
    """Approve: the revision's kept number or the next of the type's range (profile numbering), publication and
    effective dates (``effective_after`` later unless given), and the specification it supersedes, which stays
    in force until that effective date."""
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
    rule = spec_numbering.NumberRule.of(profile(ctx))
    old = spec_registry.get(ctx.session, spec.replaces, lock=True) if spec.replaces else None
    spec.number = _kept_number(ctx, spec, old, published.year, rule) \
        or spec_numbering.number(ctx.session, spec.type, spec.level, spec.jurisdiction, published.year, rule)
    spec.approved_at, spec.publication_date, spec.effective_date = now(), published, effective
    ctx.session.flush()  # the unique number is checked here, inside the action
    announcement = _announce(ctx, data, spec, old)
    text = spec_documents.disclose(ctx.session, spec, announcement and announcement.id, now())
    change(ctx, spec, "approved", stage="published", number=spec.number, publication_date=published,
           effective_date=effective, supersedes=spec.replaces, supersedes_number=old.number if old else None,
           opinion=data.get("approval_opinion"), announcement_notice_id=announcement and announcement.id,
           announcement_number=announcement and announcement.content["announcement_number"],
           full_text_sha256=text and text.sha256)
    if old is not None:
        old.superseded_by = spec.id
        change(ctx, old, "superseded", stage="superseded", by=spec.id, number=spec.number, effective_date=effective)
    return {**spec_variables(spec), "approval_outcome": "approved", "announcement_id": announcement and announcement.id,
            "spec_publication_date": published.isoformat(), "spec_effective_date": effective.isoformat()}
