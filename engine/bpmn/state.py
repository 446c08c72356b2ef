"""Workflow state without its spec, stored with the SpiffWorkflow serializer version that wrote it.

The stock serializer embeds the whole spec in every save and rebuilds it on every load (about two-thirds of the
cost); our converter stores the task tree only and restores it onto the cached spec. Instances live for years,
so a state written by an older SpiffWorkflow is brought forward with the library's own migration steps
(``SpiffWorkflow.bpmn.serializer.migration``) before it is restored.
"""
from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.helpers import DefaultRegistry
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.serializer.migration.version_migration import MIGRATIONS
from SpiffWorkflow.bpmn.serializer.workflow import VERSION, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from engine.bpmn.service_tasks import MtcServiceTask, MtcServiceTaskConverter

#: The layout of our envelope (version 1: ``{"format": ..., "state": <task tree without specs>}``); the
#: serializer version SpiffWorkflow gives its own output follows it, e.g. ``mtcflow-state/1 spiff/1.5``.
LAYOUT = "mtcflow-state/1"
_FORMAT = re.compile(r"mtcflow-state/1 spiff/(\d+(?:\.\d+)*)")
#: Stored specs written before they carried a version: mtcflow ran only SpiffWorkflow 3.2 (serializer 1.5) then.
UNVERSIONED_SPECS = "1.5"
#: The library's steps before this one rebuild the tree across workflows (root task, subprocess layout) and
#: cannot be applied to one workflow at a time; mtcflow never wrote such states.
OLDEST_MIGRATABLE = "1.3"


class StateFormatError(ValueError):
    """A stored state or spec this SpiffWorkflow cannot read, even through migration."""


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


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


class _PerThreadRegistry(DefaultRegistry):
    """SpiffWorkflow's registry with its encoder mode kept per thread.

    The library switches ``_encoder_mode`` on the registry for the length of a dump (converters then leave plain
    dicts to the JSON encoder); on a registry shared by request threads and the timer thread, one thread's dump
    would change what another thread's conversion produces.
    """

    def __init__(self):
        self._local = threading.local()
        super().__init__()

    @property
    def _encoder_mode(self) -> bool:
        return getattr(self._local, "encoder_mode", False)

    @_encoder_mode.setter
    def _encoder_mode(self, value: bool) -> None:
        self._local.encoder_mode = value


class StateSerializer:
    """Dumps and loads workflow states and specs for one engine; safe to share between its threads."""

    version = VERSION

    def __init__(self):
        config = dict(DEFAULT_CONFIG)
        config[BpmnWorkflow] = _StateOnlyConverter
        config[MtcServiceTask] = MtcServiceTaskConverter
        self._registry = BpmnWorkflowSerializer.configure(config, _PerThreadRegistry())
        self._encoder_cls = create_encoder(self._registry)
        self.format = f"{LAYOUT} spiff/{VERSION}"

    # ----- specs (stored once per definition) -------------------------------------------------------
    def dump_specs(self, spec, subprocess_specs: dict) -> str:
        return json.dumps({
            BpmnWorkflowSerializer.VERSION_KEY: VERSION,
            "spec": self._registry.convert(spec),
            "subprocess_specs": {name: self._registry.convert(s) for name, s in subprocess_specs.items()},
        })

    def load_specs(self, text: str) -> tuple:
        dct = json.loads(text)
        version = dct.get(BpmnWorkflowSerializer.VERSION_KEY, UNVERSIONED_SPECS)
        if version != VERSION:
            for spec in (dct["spec"], *dct["subprocess_specs"].values()):
                # the steps find specs through the tasks that use them: one stateless task per task spec
                tasks = {name: {"task_spec": name, "state": None} for name in spec["task_specs"]}
                migrate_workflows([(tasks, spec)], version)
        subs = {name: self._registry.restore(s) for name, s in dct["subprocess_specs"].items()}
        return self._registry.restore(dct["spec"]), subs

    # ----- workflow states ---------------------------------------------------------------------------
    def dump_workflow(self, workflow: BpmnWorkflow) -> str:
        self._registry._encoder_mode = True  # this thread only (see _PerThreadRegistry)
        try:
            return json.dumps({"format": self.format, "state": self._registry.convert(workflow)},
                              cls=self._encoder_cls, ensure_ascii=False)
        finally:
            self._registry._encoder_mode = False

    def load_workflow(self, text: str, spec, subprocess_specs: dict, script_engine) -> BpmnWorkflow:
        dct = json.loads(text)
        version = stored_version(dct)
        state = dct["state"]
        if version != VERSION:
            migration_steps(version)  # refuse before touching the state
            parts = [(state["tasks"], self._registry.convert(spec))]
            parts += [(sub["tasks"], self._registry.convert(subprocess_specs[sub["spec"]]))
                      for sub in state["subprocesses"].values()]
            migrate_workflows(parts, version)
        workflow = self._registry.restore(state, spec=spec, subprocess_specs=subprocess_specs)
        workflow.script_engine = script_engine
        return workflow


def stored_version(dct: dict) -> str:
    """The SpiffWorkflow serializer version a stored state was written with."""
    match = _FORMAT.fullmatch(str(dct.get("format")))
    if match is None:
        raise StateFormatError(f"unknown workflow state format {dct.get('format')!r}")
    return match.group(1)


def migrate_workflows(parts: list[tuple[dict, dict]], version: str) -> None:
    """Bring ``(tasks, spec dict)`` pairs from ``version`` to today's, in place, one library step at a time.

    The library's steps expect the stock layout, where each workflow carries its spec, and reach subprocesses
    through a name they never define (``sp``); so each workflow is handed to them alone, with its spec and no
    subprocesses. ``BpmnWorkflowSerializer.migrate`` also runs only one step per call: we chain them.
    """
    for step in migration_steps(version):
        for tasks, spec in parts:
            MIGRATIONS[step]({"tasks": tasks, "spec": spec, "subprocesses": {}})


def migration_steps(version: str) -> list[str]:
    """The library's steps from ``version`` to today's, in order; raises where there is no path."""
    chain = sorted({*MIGRATIONS, VERSION}, key=_key)
    if version not in chain or _key(version) > _key(VERSION):
        raise StateFormatError(f"state written with SpiffWorkflow serializer {version}; this installation reads "
                               f"{VERSION} (upgrade SpiffWorkflow, never downgrade it)")
    if _key(version) < _key(OLDEST_MIGRATABLE):
        raise StateFormatError(f"state written with SpiffWorkflow serializer {version}, older than "
                               f"{OLDEST_MIGRATABLE}: no migration path")
    return chain[chain.index(version):-1]


class SpecCache:
    """Parsed specs by definition id; a spec never changes once deployed, so no invalidation."""

    def __init__(self, serializer: StateSerializer, maxsize: int = 256):
        self._serializer = serializer
        self._items: OrderedDict[int, tuple] = OrderedDict()
        self._maxsize = maxsize
        self._lock = threading.Lock()

    def get(self, definition_id: int, specs_json_loader: Callable[[], str]) -> tuple:
        with self._lock:
            if definition_id in self._items:
                self._items.move_to_end(definition_id)
                return self._items[definition_id]
        specs = self._serializer.load_specs(specs_json_loader())
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
