"""What the plans package offers an engine, added when the engine is assembled (never on import): the services of
plan approval and plan adjustment."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceRegistry
from engine.plans import adjustments, approval


def register(registry: ServiceRegistry) -> None:
    registry.add_marked(approval, adjustments)
