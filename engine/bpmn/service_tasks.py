"""Service tasks that call registered Python services: ``<bpmn:serviceTask mtc:service="name"/>``.

Services do work (checks, tallies, numbering, registry updates) and return variables; the diagram's
gateways do the routing. A service runs inside the action's transaction with a ``ServiceContext``, in a
savepoint of its own: a service that fails (any exception but an engine refusal or a lost database) loses
its partial writes while the action goes on to store the instance in error with an incident.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.serializer.default.task_spec import BpmnTaskSpecConverter
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
from sqlalchemy.exc import InterfaceError, OperationalError

from engine.bpmn.parsing import MTC_NS
from engine.errors import EngineError

# Not a failure of the service: a refusal (the action is refused as a whole) or the database going away.
PROPAGATED = (EngineError, OperationalError, InterfaceError)


@dataclass
class ServiceContext:
    """What a service may use: the open transaction, the instance, who acted, the engine's services (and
    hooks other packages offer through them) and the runtime, to act on other instances in the same transaction."""

    session: Any
    instance: Any
    actor: Any
    profile: dict = field(default_factory=dict)
    services: ServiceRegistry | None = None
    runtime: Any = None


Service = Callable[[ServiceContext, dict], dict | None]
MARK = "mtc_service"  # the attribute @service sets; ServiceRegistry.add_marked reads it


def service(name: str) -> Callable[[Service], Service]:
    """Mark a function as the service diagrams call ``name``; nothing is registered until a ServiceRegistry
    takes the module (so importing a module never changes what an engine can run)."""
    def mark(func: Service) -> Service:
        setattr(func, MARK, name)
        return func
    return mark


class ServiceRegistry:
    """The services (by ``mtc:service`` name) and hooks one engine offers; filled by the domain packages'
    ``register`` functions when the engine is assembled."""

    def __init__(self) -> None:
        self._services: dict[str, Service] = {}
        self._hooks: dict[str, Callable] = {}

    def add(self, name: str, func: Service) -> None:
        if self._services.get(name, func) is not func:
            raise ValueError(f"service '{name}' is registered twice")
        self._services[name] = func

    def add_marked(self, *modules: ModuleType) -> None:
        """Every function a module marked with ``@service``."""
        for module in modules:
            for value in vars(module).values():
                name = getattr(value, MARK, None)
                if isinstance(name, str) and callable(value):
                    self.add(name, value)

    def names(self) -> set[str]:
        return set(self._services)

    def __contains__(self, name: object) -> bool:
        return name in self._services

    def __getitem__(self, name: str) -> Service:
        return self._services[name]

    def add_hook(self, name: str, func: Callable) -> None:
        """A function a lower package calls without importing the higher one that provides it."""
        self._hooks[name] = func

    def hook(self, name: str) -> Callable | None:
        return self._hooks.get(name)


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
        func = context.services[self.service]
        try:
            with context.session.begin_nested():
                updates = func(context, task.data) or {}
        except PROPAGATED:
            raise
        except Exception as err:
            raise WorkflowTaskException(f"service '{self.service}' failed: {type(err).__name__}: {err}",
                                        task=task, exception=err) from err
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


def service_problems(root, services: ServiceRegistry) -> list[dict]:
    """Service tasks whose ``mtc:service`` names no registered service, as deploy-time problems."""
    from engine.bpmn.parsing import BPMN_NS, problem

    found = []
    known = ", ".join(sorted(services.names())) or "none"
    for element in root.iter(f"{{{BPMN_NS}}}serviceTask"):
        name = element.get(f"{{{MTC_NS}}}service")
        if name and name not in services:
            found.append(problem(f"unknown service '{name}'; known: {known}",
                                 element.get("id"), element.sourceline))
    return found
