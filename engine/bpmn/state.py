"""Workflow state without its spec: specs are stored once per definition and cached parsed.

The stock serializer embeds the whole spec in every save and rebuilds it on every load (about
two-thirds of the cost); our converter stores the task tree only and restores it onto the cached spec.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from threading import Lock
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.bpmn.service_tasks import MtcServiceTask, MtcServiceTaskConverter


class _StateOnlyConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = dict(DEFAULT_CONFIG)
_config[BpmnWorkflow] = _StateOnlyConverter
_config[MtcServiceTask] = MtcServiceTaskConverter
_registry = BpmnWorkflowSerializer.configure(_config)
_serializer = BpmnWorkflowSerializer(_registry)
STATE_FORMAT = f"mtcflow-state/1 spiff/{VERSION}"


def dump_specs(spec, subprocess_specs: dict) -> str:
    return json.dumps({
        "spec": _registry.convert(spec),
        "subprocess_specs": {name: _registry.convert(s) for name, s in subprocess_specs.items()},
    })


def load_specs(text: str) -> tuple:
    dct = json.loads(text)
    subs = {name: _registry.restore(s) for name, s in dct["subprocess_specs"].items()}
    return _registry.restore(dct["spec"]), subs


def dump_workflow(workflow: BpmnWorkflow) -> str:
    _registry._encoder_mode = True
    try:
        return json.dumps({"format": STATE_FORMAT, "state": _registry.convert(workflow)},
                          cls=_serializer._encoder_cls, ensure_ascii=False)
    finally:
        _registry._encoder_mode = False


def load_workflow(text: str, spec, subprocess_specs: dict, script_engine) -> BpmnWorkflow:
    dct = json.loads(text)
    if dct.get("format") != STATE_FORMAT:
        raise ValueError(f"unknown workflow state format {dct.get('format')!r}")
    workflow = _registry.restore(dct["state"], spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow


class SpecCache:
    """Parsed specs by definition id; a spec never changes once deployed, so no invalidation."""

    def __init__(self, maxsize: int = 256):
        self._items: OrderedDict[int, tuple] = OrderedDict()
        self._maxsize = maxsize
        self._lock = Lock()

    def get(self, definition_id: int, specs_json_loader) -> tuple:
        with self._lock:
            if definition_id in self._items:
                self._items.move_to_end(definition_id)
                return self._items[definition_id]
        specs = load_specs(specs_json_loader())
        with self._lock:
            self._items[definition_id] = specs
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)
        return specs


def latest_task(workflow: BpmnWorkflow):
    """The most recently completed step, also inside a called process that is still running (whose data the
    waiting task sees), else the workflow's own last step."""
    candidates = [workflow.last_task] + [sub.last_task for sub in workflow.subprocesses.values()]
    candidates = [t for t in candidates if t is not None]
    return max(candidates, key=lambda t: t.last_state_change) if candidates else workflow.task_tree
