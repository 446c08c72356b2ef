"""P11 effect evaluation (实施效果评价) and P12 periodic re-review (复审) of published specifications: keep,
revise (a new revision project) or abolish (after an abolition notice). Scheduled starts find their
subjects through the provider ``effective_specifications``."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Conflict
from engine.notices import board as notices
from engine.specifications import numbering as spec_numbering
from engine.specifications import registry as spec_registry
from engine.specifications.common import actor_name, change, iso, now, parse_date, spec_of, spec_variables
from engine.specifications.models import Specification

MAINTAINED = ("published", "rereview")


def _published(ctx: ServiceContext, data: dict) -> Specification:
    spec = spec_of(ctx, data)
    if spec.stage not in MAINTAINED:
        raise Conflict(f"{spec.id} is {spec.stage}; only published specifications are evaluated and re-reviewed.")
    return spec


def _view(spec: Specification) -> dict:
    return {**spec_variables(spec), "spec_publication_date": iso(spec.publication_date),
            "spec_effective_date": iso(spec.effective_date), "latest_evaluation": spec.evaluation}


@service("evaluation_open")
def evaluation_open(ctx: ServiceContext, data: dict) -> dict:
    spec = _published(ctx, data)
    change(ctx, spec, "effect_evaluation_started")
    return _view(spec)


@service("evaluation_record")
def evaluation_record(ctx: ServiceContext, data: dict) -> dict:
    """The accepted evaluation report; its findings are shown to the next re-review."""
    spec = _published(ctx, data)
    fields = ("evaluation_period", "application", "problems", "findings", "suggestion")
    spec.evaluation = {**{k: data.get(k) for k in fields}, "accepted_by": actor_name(ctx), "accepted_at": iso(now()),
                       "instance_id": ctx.instance.id}
    change(ctx, spec, "effect_evaluated", suggestion=data.get("suggestion"), findings=data.get("findings"))
    return {}


@service("rereview_open")
def rereview_open(ctx: ServiceContext, data: dict) -> dict:
    spec = _published(ctx, data)
    change(ctx, spec, "rereview_started", stage="rereview", evaluation=bool(spec.evaluation))
    return _view(spec)


def _concluded(ctx: ServiceContext, spec: Specification, outcome: str, data: dict, stage: str = "published",
               **extra) -> None:
    """Record the re-review's outcome; the next re-review counts from today."""
    spec.rereview_outcome, spec.last_rereview_on = outcome, spec_registry.today()
    opinion = data.get("abolition_opinion") or data.get("rereview_opinion") or data.get("rereview_reasons")
    change(ctx, spec, f"rereview_{outcome}", stage=stage, opinion=opinion, **extra)


@service("rereview_keep")
def rereview_keep(ctx: ServiceContext, data: dict) -> dict:
    """Confirmed as it is (继续有效): the next re-review counts from today."""
    spec = _published(ctx, data)
    _concluded(ctx, spec, "keep", data)
    return {"rereview_result": "keep"}


@service("revision_open")
def revision_open(ctx: ServiceContext, data: dict) -> dict:
    """Re-review concluded 'revise': a revision project enters the registry (stage proposed) and the
    instance moves to it, so the project's tasks are scoped to it; the old one stays in force until the
    revision is approved and supersedes it."""
    old = _published(ctx, data)
    _concluded(ctx, old, "revise", data)
    year = now().year
    new = Specification(id=spec_numbering.project_id(ctx.session, old.type, old.level, old.jurisdiction, year),
                        type=old.type, title=old.title, kind="revision", replaces=old.id, committee=old.committee,
                        level=old.level, jurisdiction=old.jurisdiction, stage="proposed", livelihood=old.livelihood,
                        confidential=old.confidential, drafting_units=[], drafters=[], extensions=[], documents={},
                        drafting_flags=0, comments_total=0, comments_answered=0, review_round=0, review_failures=0,
                        review_passed=False, instance_id=ctx.instance.id, created_at=now(), updated_at=now())
    ctx.session.add(new)
    ctx.session.flush()
    change(ctx, new, "revision_opened", stage="proposed", replaces=old.id, rereview_of=old.number)
    return {**spec_variables(new), "project_kind": "revision", "replaces": old.id, "rereview_result": "revise"}


@service("abolition_notice_params")
def abolition_notice_params(ctx: ServiceContext, data: dict) -> dict:
    spec = _published(ctx, data)
    change(ctx, spec, "abolition_notice", reason=data.get("abolition_reason"))
    return {**spec_variables(spec), **notices.open_request(
        "abolition", "abolition_notice_window", f"废止公示：{spec.number}《{spec.title}》", spec.id)}


@service("spec_abolish")
def spec_abolish(ctx: ServiceContext, data: dict) -> dict:
    """The authority abolishes the specification after the abolition notice."""
    spec = _published(ctx, data)
    spec.abolished_on = parse_date(data.get("abolished_on"), "abolished_on") or spec_registry.today()
    _concluded(ctx, spec, "abolish", data, stage="abolished", abolished_on=spec.abolished_on,
               notice_id=data.get("notice_id"), objections=data.get("notice_objection_count"))
    return {"rereview_result": "abolish"}
