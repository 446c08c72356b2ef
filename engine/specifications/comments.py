"""P8 comment solicitation (征求意见): the draft goes to enough units and online for the comment window;
the drafter answers every comment in the handling table (征求意见汇总处理表) before the review draft."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Forbidden, InvalidInput
from engine.notices import board as notices
from engine.specifications import documents as spec_documents
from engine.specifications import registry as spec_registry
from engine.specifications.common import change, iso, now, profile, spec_of, spec_variables

ANSWERS = ("adopted", "partly_adopted", "not_adopted")


@service("comment_open")
def comment_open(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    change(ctx, spec, "comment_phase_started", stage="comment")
    spec_registry.sync_facts(ctx.session, ctx.instance, spec)
    return spec_variables(spec)


@service("comment_notice_params")
def comment_notice_params(ctx: ServiceContext, data: dict) -> dict:
    """The completeness check passed: the draft must have gone to at least ``comment_min_units`` units;
    returns what ``notice_open`` publishes (the comment draft is linked to the notice)."""
    spec = spec_of(ctx, data)
    minimum = int(profile(ctx).value("comment_min_units"))
    sent = data.get("units_sent")
    if not isinstance(sent, int) or sent < minimum:
        raise InvalidInput(f"The comment draft goes to at least {minimum} units (profile comment_min_units); "
                           f"{sent} given.", [{"field": "units_sent", "message": f"at least {minimum}"}])
    drafts = (spec.documents or {}).get("drafting", {}).get("征求意见稿", [])
    return {**spec_variables(spec), **notices.open_request(
        "comment_draft", "comment_window", f"征求意见：{spec.type}《{spec.title}》（征求意见稿）", spec.id,
        [d["id"] for d in drafts])}


@service("comment_notice_opened")
def comment_notice_opened(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    spec.comment_notice_id, spec.comment_closed_at = data.get("notice_id"), None
    spec.comments_total, spec.comments_answered, spec.comment_handling = 0, 0, None
    change(ctx, spec, "comment_notice_opened", notice_id=spec.comment_notice_id, units_sent=data.get("units_sent"),
           closes_at=data.get("notice_closes_at"))
    return {}


@service("comment_notice_closed")
def comment_notice_closed(ctx: ServiceContext, data: dict) -> dict:
    spec = spec_of(ctx, data)
    spec.comment_closed_at = now()
    spec.comments_total = int(data.get("notice_comment_count") or 0)
    change(ctx, spec, "comment_window_closed", comments=spec.comments_total,
           objections=data.get("notice_objection_count"))
    return {"comments_to_answer": [c["id"] for c in data.get("notice_comments") or []]}


@service("comment_handling_check")
def comment_handling_check(ctx: ServiceContext, data: dict) -> dict:
    """Every comment of the window has an answer in the handling table (BR2), and the review draft is handed
    in; otherwise the drafter's completion is refused, naming the comments still open."""
    spec = spec_of(ctx, data)
    expected = [c["id"] for c in data.get("notice_comments") or []]
    answers = data.get("handling") or []
    answered = {a.get("comment_id") for a in answers if a.get("comment_id") is not None}
    unknown = sorted(a for a in answered if a not in expected)
    if unknown:
        raise InvalidInput("The handling table answers comments this window did not receive: "
                           + ", ".join(map(str, unknown)), [{"field": "handling", "message": "unknown comment"}])
    missing = [c for c in expected if c not in answered]
    if missing:
        raise Forbidden(f"Every comment needs an answer in the handling table before the review draft; "
                        f"{len(missing)} of {len(expected)} still open (comment ids {', '.join(map(str, missing))}).",
                        rule="BR2", open_comments=missing)
    drafts = spec_documents.check(ctx.session, ctx.instance, spec, data.get("review_draft_document_id"),
                                  "review_draft_document_id")
    if not drafts:
        raise InvalidInput("Hand in the review draft (送审稿) with the handling table.",
                           [{"field": "review_draft_document_id", "message": "required"}])
    table = [{"comment_id": a.get("comment_id"), "answer": a.get("answer"), "reason": a.get("reason"),
              "source": "notice" if a.get("comment_id") is not None else a.get("source", "letter"),
              "text": a.get("text")} for a in answers]
    spec.comment_handling = table
    spec.comments_answered = len(expected)
    spec_documents.attach(spec, "comment", {"送审稿": drafts})
    change(ctx, spec, "comments_answered", stage="review", answered=len(expected), entries=len(table),
           review_draft=[d["sha256"] for d in drafts], at=iso(now()))
    return spec_variables(spec)
