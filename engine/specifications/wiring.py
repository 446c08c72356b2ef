"""What the specification package offers an engine, added when the engine is assembled (never on import):
the services P6–P12 call, the schedule subjects ``effective_specifications`` (effect evaluation, re-review),
and the hook through which a revoked committee's specifications move to its successor (the committee package
sits below this one and must not import it)."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceContext, ServiceRegistry
from engine.committees.supervision import REASSIGN_HOOK
from engine.specifications import approval, comments, drafting, maintenance, projects, review
from engine.specifications import registry as spec_registry
from engine.timers.schedules import ScheduleSources


def _reassign(ctx: ServiceContext, old_code: str, new_code: str) -> list[str]:
    actor = getattr(ctx.actor, "username", None) or "system"
    return spec_registry.reassign_committee(ctx.runtime, ctx.session, old_code, new_code, actor)


def register(registry: ServiceRegistry, schedules: ScheduleSources) -> None:
    registry.add_marked(projects, drafting, comments, review, approval, maintenance)
    registry.add_hook(REASSIGN_HOOK, _reassign)
    schedules.providers["effective_specifications"] = spec_registry.effective_subjects
