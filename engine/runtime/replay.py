"""The state of an instance after step N, rebuilt from what was stored at that step.

Each event points at the content hash of the workflow state its action stored; replay loads that
snapshot with the spec of the definition version the instance ran on (never today's definition),
and folds the events up to N for what the workflow does not hold (assignees, instance outcome).
"""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput, NotFound
from engine.history.models import Event, StateSnapshot
from engine.runtime.actions import latest_task, timer_due
from engine.runtime.definitions import DefinitionStore
from engine.runtime.models import Definition, Instance
from engine.runtime.scripting import script_engine_factory

_OUTCOME = {"instance_completed": "completed", "instance_cancelled": "cancelled", "instance_errored": "error",
            "instance_suspended": "suspended"}
_REOPENED = {"incident_retried", "instance_resumed"}  # operator actions that put an instance back to work
_ASSIGNMENT = {"task_claimed", "task_assigned", "task_unclaimed"}


def _enclosing(task) -> list[str]:
    """Element ids of the call activities and sub-processes around ``task``, outermost first: a diagram of the
    top-level process can mark where a task inside a called process is."""
    path, sub = [], task.workflow
    while getattr(sub, "parent_task_id", None) is not None:
        parent = sub.top_workflow.get_task_from_id(sub.parent_task_id)
        if parent is None:
            break
        path.append(parent.task_spec.bpmn_id or parent.task_spec.name)
        sub = parent.workflow
    return path[::-1]


def _task_view(task, assignee: str | None = None) -> dict:
    spec = task.task_spec
    return {"id": str(task.id), "element_id": spec.bpmn_id or spec.name, "name": spec.bpmn_name,
            "lane": spec.lane, "assignee": assignee, "within": _enclosing(task),
            "process": getattr(task.workflow.spec, "name", None)}


def describe(workflow: BpmnWorkflow) -> dict:
    """Completed, active and waiting elements and the data of a workflow, as plain JSON."""
    completed, active, waiting = [], [], []
    for task in workflow.get_tasks():
        spec = task.task_spec
        if getattr(spec, "bpmn_id", None) is None:
            continue
        if task.state == TaskState.COMPLETED:
            completed.append(_task_view(task))
        elif task.state == TaskState.READY and spec.manual:
            active.append(_task_view(task))
        elif task.state == TaskState.WAITING:
            item = _task_view(task)
            definition = getattr(spec, "event_definition", None)
            due = timer_due(task, definition) if definition is not None \
                else None
            item["due_at"] = due.isoformat() if due else None
            waiting.append(item)
    return {"completed": completed, "active": active, "waiting": waiting, "data": _data(workflow),
            "subprocesses": [_called(workflow, sub) for sub in workflow.subprocesses.values()]}


def _data(workflow) -> dict:
    last = latest_task(workflow) if hasattr(workflow, "subprocesses") else (workflow.last_task or workflow.task_tree)
    return json.loads(json.dumps({k: v for k, v in last.data.items() if not k.startswith("_")}, default=str))


def _called(top: BpmnWorkflow, sub) -> dict:
    """A called process or sub-process: which element calls it, whether it finished, and its own data."""
    parent = top.get_task_from_id(sub.parent_task_id)
    return {"process": getattr(sub.spec, "name", None), "name": getattr(sub.spec, "description", None),
            "call": (parent.task_spec.bpmn_id or parent.task_spec.name) if parent is not None else None,
            "within": _enclosing(parent) if parent is not None else [],
            "completed": sub.is_completed(), "data": _data(sub)}


def replay(session: Session, definitions: DefinitionStore, instance_id: str, step: int | None = None) -> dict:
    instance = session.get(Instance, instance_id)
    if instance is None:
        raise NotFound(f"No instance with id '{instance_id}'.")
    last = instance.event_count or 0
    step = last if step is None else step
    if not 1 <= step <= last:
        raise InvalidInput(f"step must be between 1 and {last} for this instance.",
                           [{"field": "step", "message": f"out of range 1..{last}"}])
    events = list(session.scalars(select(Event).where(Event.stream == instance_id, Event.seq <= step)
                                  .order_by(Event.seq)))
    current = events[-1]
    assignees: dict[str, str | None] = {}
    outcome = None
    for event in events:
        if event.type in _ASSIGNMENT:
            assignees[event.task_id] = (event.data or {}).get("to") if event.type == "task_assigned" \
                else (event.actor if event.type == "task_claimed" else None)
        elif event.type == "task_completed":
            assignees.pop(event.task_id, None)
        outcome = None if event.type in _REOPENED else _OUTCOME.get(event.type, outcome)
    snapshot = session.get(StateSnapshot, current.state_sha256) if current.state_sha256 else None
    if snapshot is None:
        raise NotFound(f"The state stored at step {step} ({current.type}) is missing "
                       f"(snapshot {current.state_sha256}).")
    definition = session.scalar(select(Definition).where(Definition.key == current.process_key,
                                                         Definition.version == current.process_version))
    spec, subprocess_specs = definitions.specs(definition)
    workflow = definitions.serializer.load_workflow(snapshot.body, spec, subprocess_specs,
                                                    script_engine_factory(1.0, 1000)())
    view = describe(workflow)
    if outcome == "cancelled":
        view["active"], view["waiting"] = [], []
        for sub in view["subprocesses"]:
            sub["completed"] = True
    for task in view["active"]:
        task["assignee"] = assignees.get(task["id"])
    return {
        "instance_id": instance_id, "step": step, "steps": last,
        "event": {"seq": current.seq, "type": current.type, "at": current.at, "actor": current.actor,
                  "element_id": current.element_id},
        "state": outcome or ("running" if view["active"] else "waiting"),
        "process_key": current.process_key, "version": current.process_version,
        "state_sha256": current.state_sha256, **view,
    }


