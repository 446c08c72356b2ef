"""Service tasks that call registered Python services: ``<bpmn:serviceTask mtc:service="name"/>``.

Services do work (checks, tallies, numbering, registry updates) and return variables; the diagram's
gateways do the routing. A service runs inside the action's transaction with a ``ServiceContext``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask

from engine.bpmn.parsing import MTC_NS


@dataclass
class ServiceContext:
    """What a service may use: the open transaction, the instance, who acted, and the rule profile."""

    session: Any
    instance: Any
    actor: Any
    profile: dict = field(default_factory=dict)


Service = Callable[[ServiceContext, dict], dict | None]
_SERVICES: dict[str, Service] = {}


def service(name: str) -> Callable[[Service], Service]:
    """Register a service under the name diagrams use in ``mtc:service``."""
    def register(func: Service) -> Service:
        _SERVICES[name] = func
        return func
    return register


def known_services() -> set[str]:
    return set(_SERVICES)


class MtcServiceTask(ServiceTask):
    def __init__(self, wf_spec, bpmn_id, service: str | None = None, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.service = service

    def _execute(self, task):
        if not self.service:
            return True
        context = getattr(task.workflow.script_engine, "service_context", None)
        if context is None:
            raise RuntimeError(f"service task '{self.bpmn_id}' ran outside an engine action")
        updates = _SERVICES[self.service](context, task.data) or {}
        task.data.update(updates)
        return True


class MtcServiceTaskParser(TaskParser):
    def create_task(self):
        return self.spec_class(self.spec, self.bpmn_id, service=self.node.get(f"{{{MTC_NS}}}service"),
                               **self.bpmn_attributes)


class MtcServiceTaskConverter(BpmnTaskSpecConverter):
    def to_dict(self, spec):
        dct = self.get_default_attributes(spec)
        dct["service"] = spec.service
        return dct


PARSER_OVERRIDES = {full_tag("serviceTask"): (MtcServiceTaskParser, MtcServiceTask)}


class MtcBpmnParser(BpmnParser):
    """Plain BPMN, with service tasks that name a registered service."""

    OVERRIDE_PARSER_CLASSES = PARSER_OVERRIDES


def service_problems(root) -> list[dict]:
    """Service tasks whose ``mtc:service`` names no registered service, as deploy-time problems."""
    from engine.bpmn.parsing import BPMN_NS, problem

    found = []
    for element in root.iter(f"{{{BPMN_NS}}}serviceTask"):
        name = element.get(f"{{{MTC_NS}}}service")
        if name and name not in _SERVICES:
            found.append(problem(f"unknown service '{name}'; known: {', '.join(sorted(_SERVICES)) or 'none'}",
                                 element.get("id"), element.sourceline))
    return found
