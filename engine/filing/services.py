"""The services of the filing process (p13_spec_filing.bpmn): register the filing with its consistency finding,
record the issuing authority's answer, close the filing."""
from __future__ import annotations

from sqlalchemy import select

from engine.bpmn.service_tasks import ServiceContext, service
from engine.consistency import findings
from engine.errors import Conflict, InvalidInput
from engine.filing.models import Filing, FilingObjection
from engine.specifications.common import actor_name, change, now, profile, spec_of

FILED_LEVELS = ("ministry", "provincial")
APPROVED_STAGES = ("published", "rereview")


def _filing(ctx: ServiceContext, data: dict) -> Filing:
    filing = ctx.session.get(Filing, data.get("filing_id"), with_for_update=True)
    if filing is None:
        raise InvalidInput("This step needs the filing (filing_id).", [{"field": "filing_id"}])
    return filing


@service("filing_register")
def filing_register(ctx: ServiceContext, data: dict) -> dict:
    """A ministry or provincial specification approved at its level, filed with its text; the overlaps found."""
    spec = spec_of(ctx, data)
    if spec.level not in FILED_LEVELS or spec.stage not in APPROVED_STAGES:
        raise InvalidInput("Only a ministry or provincial specification approved and published at its level is "
                           f"filed (备案); {spec.id} is {spec.level or 'unlevelled'}, stage {spec.stage}.",
                           [{"field": "spec_id", "message": "not an approved ministry or provincial specification"}])
    open_filing = ctx.session.scalar(select(Filing.id).where(Filing.spec_id == spec.id, Filing.status != "accepted"))
    if open_filing is not None:
        raise Conflict(f"{spec.id} is already filed (filing {open_filing}) and under review.")
    text, note = str(data.get("filing_text") or "").strip(), data.get("filing_note")
    spec.documents = {**(spec.documents or {}), "filing": {"text": text, "note": note, "at": now().isoformat()}}
    ctx.session.flush()  # the filed text joins the specification's search document
    bar = findings.reason_bar(profile(ctx).value("consistency_reason_score"))
    finding = findings.check(ctx.session, spec, "filing", ctx.instance.id, bar)
    filing = Filing(spec_id=spec.id, number=spec.number, title=spec.title, level=spec.level,
                    jurisdiction=spec.jurisdiction or "", issuing_authority=str(data.get("issuing_authority")).strip(),
                    text=text, note=note, status="filed", filed_by=actor_name(ctx), filed_at=now(),
                    instance_id=ctx.instance.id, finding_id=finding.id)
    ctx.session.add(filing)
    ctx.session.flush()
    change(ctx, spec, "filed", filing_id=filing.id, finding_id=finding.id,
           national_overlap=finding.national_overlap)
    return {"filing_id": filing.id, "filing_status": filing.status, "consistency_matches": finding.matches,
            "consistency_national_overlap": finding.national_overlap}


@service("filing_answered")
def filing_answered(ctx: ServiceContext, data: dict) -> dict:
    """The issuing authority's reasoned answer to the open objection."""
    filing = _filing(ctx, data)
    objection = ctx.session.scalar(select(FilingObjection).where(FilingObjection.filing_id == filing.id,
                                                                 FilingObjection.answered_at.is_(None))
                                   .order_by(FilingObjection.id).with_for_update())
    if objection is None:
        raise Conflict(f"Filing {filing.id} has no open objection to answer.")
    objection.answer, objection.resolution = str(data.get("answer")).strip(), data.get("resolution")
    objection.answered_by, objection.answered_at = actor_name(ctx), now()
    filing.status = "answered"
    change(ctx, spec_of(ctx, data, lock=False), "filing_objection_answered", filing_id=filing.id,
           objection_id=objection.id, resolution=objection.resolution, answer=objection.answer)
    return {"filing_status": filing.status, "answer": None, "resolution": None}


@service("filing_accept")
def filing_accept(ctx: ServiceContext, data: dict) -> dict:
    filing = _filing(ctx, data)
    filing.status, filing.closed_at = "accepted", now()
    change(ctx, spec_of(ctx, data, lock=False), "filing_accepted", filing_id=filing.id)
    return {"filing_status": filing.status}
