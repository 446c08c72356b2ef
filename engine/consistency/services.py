"""The consistency check P6 runs after the proposal is registered (service ``consistency_check``)."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceContext, service
from engine.consistency import findings
from engine.specifications.common import profile, spec_of


@service("consistency_check")
def consistency_check(ctx: ServiceContext, data: dict) -> dict:
    """Rank what overlaps the proposal; one overlapping an in-force national specification needs its reason."""
    spec = spec_of(ctx, data)
    bar = findings.reason_bar(profile(ctx).value("consistency_reason_score"))
    finding = findings.check(ctx.session, spec, "proposal", ctx.instance.id, bar, data.get("overlap_reason"),
                             require_reason=True)
    return {"consistency_finding_id": finding.id, "consistency_matches": finding.matches,
            "consistency_national_overlap": finding.national_overlap}
