"""What the notices package offers an engine: the services that open and close a public notice."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceRegistry
from engine.notices import services


def register(registry: ServiceRegistry) -> None:
    registry.add_marked(services)
