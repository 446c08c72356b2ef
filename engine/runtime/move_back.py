"""Moving an instance back to an earlier user task, with a reason (the secretariat returns work completed by
mistake).

Allowed only when the path back undoes nothing outside the workflow: every open task and waiting event lies
after the target on its branch, and nothing completed since the target called a service, ran a called process
or received a timer or message. The target's task row opens again (same task id, no assignee); what was open
after it is cancelled; an ``instance_moved_back`` event keeps actor, reason and what was open.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.access import assignment
from engine.access.actors import Actor
from engine.errors import Conflict, Forbidden, NotFound
from engine.runtime.models import Instance, Task

MOVABLE = ("running", "waiting")


def require_can_move_back(session: Session, actor: Actor, instance: Instance) -> None:
    """Process admins anywhere; the secretariat of the instance's scope."""
    actor = assignment.current(session, actor)
    if actor.is_system or actor.has_role("process_admin"):
        return
    if not assignment.can_see(session, actor, instance):
        raise NotFound(f"No instance with id '{instance.id}'.")
    assignment.require_writer(actor)
    if not any(g.role == "secretariat" for g in assignment.acting_any(actor, instance)):
        raise Forbidden("Only process admins and the instance's secretariat may move it back.", rule="move_back")


def _irreversible(task) -> str | None:
    spec = task.task_spec
    if spec.__class__.__name__.endswith("ServiceTask"):
        return "a service task ran"
    if isinstance(spec, SubWorkflowTask):
        return "a called process or sub-process ran"
    if isinstance(spec, CatchingEvent) and spec.event_definition.__class__.__name__ != "NoneEventDefinition":
        return "an event was received"
    return None


def move_back(runtime, session: Session, actor: Actor, instance_id: str, element_id: str, reason: str) -> Instance:
    instance = runtime.lock_instance(session, instance_id)
    require_can_move_back(session, actor, instance)
    if instance.state not in MOVABLE:
        raise Conflict(f"The instance is {instance.state}; only a running or waiting instance can be moved back.")
    workflow, definition = runtime._workflow(session, instance)
    done = [t for t in workflow.get_tasks(state=TaskState.COMPLETED, manual=True, skip_subprocesses=True)
            if t.task_spec.bpmn_id == element_id]
    if not done:
        raise Conflict(f"'{element_id}' is no completed user task of this instance's process.")
    target = max(done, key=lambda t: t.last_state_change)
    below = {t.id for t in target}
    open_tasks = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED)
    outside = [t.task_spec.bpmn_id or t.task_spec.name for t in open_tasks if t.id not in below]
    if outside:
        raise Conflict(f"Work outside the path from '{element_id}' is open ({', '.join(sorted(set(outside)))}); "
                       "moving back would skip it.")
    for task in target:
        why = _irreversible(task) if task is not target and task.state == TaskState.COMPLETED else None
        if why:
            raise Conflict(f"Cannot move back to '{element_id}': since then {why} "
                           f"('{task.task_spec.bpmn_id or task.task_spec.name}'), which moving back would not undo.")
    was_open = sorted({t.task_spec.bpmn_id for t in open_tasks if t.task_spec.bpmn_id})
    workflow.reset_from_task_id(target.id)
    row = session.get(Task, str(target.id))
    if row is not None:
        row.state, row.assignee, row.completed_at, row.completed_by = "ready", None, None, None
    runtime.record_event(session, instance, "instance_moved_back", actor, element_id=element_id,
                         task_id=str(target.id), data={"reason": reason, "was_open": was_open})
    runtime._advance(session, instance, workflow, definition, actor)
    return instance
