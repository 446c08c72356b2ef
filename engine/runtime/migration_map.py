"""Map one stored workflow state onto another version's specs, by element id with explicit renames.

Pure: takes the state as JSON and both versions' specs, returns the mapped state and what it did, or the
refusals that make the move unsafe. Tasks keep their ids (so task rows, assignees and history still point
at them); predicted tasks are dropped and re-predicted by the engine; finished tasks of removed elements are
spliced out of the tree; waiting timers whose definition changed lose their due time, to be recomputed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

from engine.timers.hooks import timer_definition

LIVE_MASK = TaskState.WAITING | TaskState.READY | TaskState.STARTED | TaskState.ERROR
AHEAD_MASK = TaskState.PREDICTED_MASK | TaskState.FUTURE  # not reached yet: rebuilt by the engine from the new spec
MI_KEYS = ("cardinality", "data_input", "data_output", "input_item", "output_item", "condition", "typename")


@dataclass
class Mapped:
    """What mapping one instance's state did (``refusals`` empty) or why it may not move."""

    state: dict
    moves: dict[str, str] = field(default_factory=dict)  # element id → new element id, for live tasks
    timers: list[str] = field(default_factory=list)  # task ids of waiting timers to recompute
    refusals: list[dict] = field(default_factory=list)


def element_of(name: str) -> str:
    """The BPMN element a task spec belongs to (``review.BoundaryEventSplit`` → ``review``)."""
    return name.split(".", 1)[0] if "." in name and not name.endswith(".EndJoin") else name


def rename(name: str, overrides: dict[str, str]) -> str:
    head, dot, tail = name.partition(".")
    return f"{overrides.get(head, head)}{dot}{tail}" if not name.endswith(".EndJoin") else name


def map_state(state: dict, old: tuple, new: tuple, overrides: dict[str, str], convert) -> Mapped:
    """``old`` and ``new`` are ``(spec, subprocess_specs)``; ``convert`` turns a spec object into a dict."""
    result = Mapped(state)
    old_spec, old_subs = old
    new_spec, new_subs = new
    _map_part(state, old_spec, new_spec, overrides, convert, result)
    for parent_id, sub in state.get("subprocesses", {}).items():
        target = new_subs.get(sub["spec"])
        caller = _caller(state, parent_id, new_spec, new_subs)
        if target is None or (caller is not None and getattr(caller, "spec", sub["spec"]) != sub["spec"]):
            where = caller.bpmn_id if caller is not None else sub["spec"]
            result.refusals.append({"element_id": where, "reason": f"the call activity's child process "
                                    f"'{sub['spec']}' would lose its place: version has no such called process"})
            continue
        _map_part(sub, old_subs[sub["spec"]], target, overrides, convert, result)
    return result


def _caller(state: dict, parent_id: str, new_spec, new_subs: dict):
    """The new version's spec of the call activity that started a subprocess (its task already renamed)."""
    for part in (state, *state.get("subprocesses", {}).values()):
        task = part["tasks"].get(parent_id)
        if task is not None:
            for spec in (new_spec, *new_subs.values()):
                if task["task_spec"] in spec.task_specs:
                    found = spec.task_specs[task["task_spec"]]
                    return found if isinstance(found, SubWorkflowTask) else None
    return None


def _map_part(part: dict, old_spec, new_spec, overrides: dict, convert, result: Mapped) -> None:
    tasks = part["tasks"]
    for task_id in [t for t, task in tasks.items() if task["state"] & AHEAD_MASK]:
        _drop(tasks, task_id)
    old_names = {task_id: task["task_spec"] for task_id, task in tasks.items()}
    for task_id in list(tasks):
        task = tasks.get(task_id)
        if task is None:
            continue
        name = task["task_spec"]
        target = rename(name, overrides)
        live = bool(task["state"] & LIVE_MASK)
        if target not in new_spec.task_specs:
            if live:
                result.refusals.append({"element_id": element_of(name), "reason": "the element this instance "
                                        "waits at was removed and no mapping names its replacement"})
            else:
                _splice(tasks, task_id)
            continue
        task["task_spec"] = target
        if not live:
            continue
        old_task_spec, new_task_spec = old_spec.task_specs[name], new_spec.task_specs[target]
        if element_of(name) != element_of(target) and getattr(new_task_spec, "bpmn_id", None):
            result.moves[element_of(name)] = element_of(target)
        if _changed_multi_instance(old_names, task_id, tasks, old_spec, new_spec, overrides, convert):
            result.refusals.append({"element_id": element_of(name), "reason": "the multi-instance definition "
                                    "changed while its instances run"})
        if task["state"] & TaskState.WAITING and _timer_changed(old_task_spec, new_task_spec, convert):
            task["internal_data"].pop("event_value", None)
            task["internal_data"].pop("event_fired", None)
            result.timers.append(task_id)
    if part.get("last_task") not in tasks:
        part["last_task"] = None


def _timer_changed(old_task_spec, new_task_spec, convert) -> bool:
    old_timer = timer_definition(getattr(old_task_spec, "event_definition", None))
    new_timer = timer_definition(getattr(new_task_spec, "event_definition", None))
    if old_timer is None or new_timer is None:
        return old_timer is not new_timer
    return convert(old_timer) != convert(new_timer)


def _changed_multi_instance(old_names: dict, task_id: str, tasks: dict, old_spec, new_spec, overrides,
                            convert) -> bool:
    """A live task that is, or is an instance of, a multi-instance activity whose loop definition changed."""
    for candidate in (task_id, tasks[task_id].get("parent")):
        if candidate not in old_names:
            continue
        old_task_spec = old_spec.task_specs.get(old_names[candidate])
        new_task_spec = new_spec.task_specs.get(rename(old_names[candidate], overrides))
        if isinstance(old_task_spec, MultiInstanceTask) or isinstance(new_task_spec, MultiInstanceTask):
            if type(old_task_spec) is not type(new_task_spec):
                return True
            before, after = convert(old_task_spec), convert(new_task_spec)
            if any(before.get(k) != after.get(k) for k in MI_KEYS):
                return True
    return False


def _drop(tasks: dict, task_id: str) -> None:
    task = tasks.pop(task_id, None)
    if task is None:
        return
    parent = tasks.get(task.get("parent"))
    if parent is not None and task_id in parent["children"]:
        parent["children"].remove(task_id)
    for child in task["children"]:
        _drop(tasks, child)


def _splice(tasks: dict, task_id: str) -> None:
    """Remove a finished task whose element is gone, handing its children to its parent."""
    task = tasks.pop(task_id)
    parent = tasks.get(task.get("parent"))
    for child in task["children"]:
        if child in tasks:
            tasks[child]["parent"] = task.get("parent")
    if parent is not None:
        at = parent["children"].index(task_id)
        parent["children"][at:at + 1] = task["children"]
