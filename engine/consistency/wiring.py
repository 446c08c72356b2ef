"""What the consistency package offers an engine: the P6 check (the index listens through ``index.attach``)."""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceRegistry
from engine.consistency import services


def register(registry: ServiceRegistry) -> None:
    registry.add_marked(services)
