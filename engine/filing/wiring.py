"""What the filing package offers an engine: the services of the filing process."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceRegistry
from engine.filing import services


def register(registry: ServiceRegistry) -> None:
    registry.add_marked(services)
