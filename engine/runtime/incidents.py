"""Incidents: an element that failed, kept with what an operator needs to fix it and retry.

An action whose engine steps fail stores the instance in state ``error`` (the failing task in ERROR) and
opens an incident here, in the same transaction; a timer the worker gave up on opens one too. Retry runs
the failed step again in the operator's transaction, optionally with corrected variables or on a newer
deployed version of the process: the incident then closes, or keeps the new error and counts the attempt.
"""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptEngineTask
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.actors import Actor
from engine.db.pages import paginate
from engine.errors import Conflict, NotFound
from engine.runtime.forms import check_variable_names
from engine.runtime.models import Incident, Instance, Timer
from engine.runtime.step_budget import StepBudgetExceeded

MAX_DATA_CHARS = 65_536  # the failing data is kept for diagnosis, not as a second copy of huge states


def _kind(err: Exception, task) -> str:
    if isinstance(err, StepBudgetExceeded):
        return "step_budget"
    spec = getattr(task, "task_spec", None)
    if spec is not None and spec.__class__.__name__.endswith("ServiceTask"):
        return "service"
    if isinstance(spec, ScriptEngineTask):
        return "script"
    return "engine"


def _json_safe(data: dict) -> dict:
    text = json.dumps({k: v for k, v in data.items() if not k.startswith("_")}, default=str, ensure_ascii=False)
    return json.loads(text) if len(text) <= MAX_DATA_CHARS else {"_truncated": len(text)}


def open_for(session: Session, instance: Instance) -> Incident | None:
    return session.scalar(select(Incident).where(Incident.instance_id == instance.id, Incident.state == "open",
                                                 Incident.timer_id.is_(None)))


def element_failed(session: Session, instance: Instance, workflow, err: Exception) -> Incident:
    """Open an incident for the failure (or, after a failed retry, record its new error on the open one)."""
    task = getattr(err, "task", None)
    if task is None:
        task = next(iter(workflow.get_tasks(state=TaskState.ERROR)), None)
    spec = getattr(task, "task_spec", None)
    element = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None)
    now = clock.now()
    incident = open_for(session, instance)
    if incident is None:
        incident = Incident(instance_id=instance.id, attempts=0, opened_at=now)
        session.add(incident)
    incident.process_key, incident.process_version = instance.process_key, instance.process_version
    incident.element_id, incident.task_id = element, str(task.id) if task is not None else None
    incident.kind, incident.error = _kind(err, task), f"{type(err).__name__}: {err}"[:4000]
    incident.data = _json_safe(task.data) if task is not None else None
    incident.attempts, incident.updated_at = (incident.attempts or 0) + 1, now
    return incident


def get(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"No incident {incident_id}.")
    return incident


def retry(runtime, session: Session, actor: Actor, incident_id: int, reason: str,
          variables: dict | None = None, version: int | None = None) -> Incident:
    """Run the failed step again in this transaction, after an optional variable edit or version change."""
    incident = get(session, incident_id)
    instance = runtime.lock_instance(session, incident.instance_id)
    session.refresh(incident)
    if incident.state != "open":
        raise Conflict(f"Incident {incident_id} is {incident.state}.")
    if incident.kind == "timer":
        return _retry_timer(runtime, session, actor, incident, instance, reason)
    if instance.state != "error":
        raise Conflict(f"The instance is {instance.state}, not in error.")
    variables = dict(variables or {})
    check_variable_names(variables)
    from engine.runtime import operations

    moved = operations.rebase(runtime, session, instance, version) if version is not None else None
    workflow, definition = runtime._workflow(session, instance)
    failed = workflow.get_tasks(state=TaskState.ERROR)
    for task in failed:
        task.data.update(variables)
        task._set_state(TaskState.READY)
    runtime.record_event(session, instance, "incident_retried", actor, element_id=incident.element_id,
                    task_id=incident.task_id, data={"incident_id": incident.id, "reason": reason,
                                                    "variables": variables, "version": moved})
    instance.state, instance.error = "running", None
    runtime._advance(session, instance, workflow, definition, actor)
    if instance.state != "error":
        _resolve(runtime, session, actor, incident, instance)
    return incident


def _retry_timer(runtime, session: Session, actor: Actor, incident: Incident, instance: Instance,
                 reason: str) -> Incident:
    from engine.timers import service as timer_service

    timer = session.get(Timer, incident.timer_id)
    if timer is None or timer.state != "waiting":
        _resolve(runtime, session, actor, incident, instance)  # it fired or went away meanwhile
        return incident
    timer.attempts, timer.last_error = 0, None
    timer_service.fire_now(runtime, session, actor, timer.id, reason)
    _resolve(runtime, session, actor, incident, instance)
    return incident


def _resolve(runtime, session: Session, actor: Actor, incident: Incident, instance: Instance) -> None:
    incident.state, incident.resolved_at, incident.resolved_by = "resolved", clock.now(), actor.username
    incident.updated_at = incident.resolved_at
    runtime.record_event(session, instance, "incident_resolved", actor, element_id=incident.element_id,
                    task_id=incident.task_id, data={"incident_id": incident.id})


def _scoped(query, actor: Actor):
    """Process admins and auditors read every incident; others those of the instances they may see."""
    if actor.has_role("process_admin") or actor.has_role("auditor"):
        return query
    from engine.access import assignment

    return query.where(assignment.visible_instances(actor))


LIST_FILTERS = ("kind", "process_key", "version", "element_id", "instance_id")


def listing(session: Session, actor: Actor, filters: dict, page: int, per_page: int) -> tuple[list[Incident], int]:
    """Incidents the actor may read, oldest first: ``state`` (open, resolved or all) and the list filters."""
    columns = {"kind": Incident.kind, "process_key": Incident.process_key, "version": Incident.process_version,
               "element_id": Incident.element_id, "instance_id": Incident.instance_id}
    query = select(Incident).join(Instance, Instance.id == Incident.instance_id)
    if filters.get("state", "open") != "all":
        query = query.where(Incident.state == filters.get("state", "open"))
    for name in LIST_FILTERS:
        if filters.get(name) is not None:
            query = query.where(columns[name] == filters[name])
    if filters.get("opened_after"):
        query = query.where(Incident.opened_at >= filters["opened_after"])
    if filters.get("opened_before"):
        query = query.where(Incident.opened_at < filters["opened_before"])
    return paginate(session, _scoped(query, actor).order_by(Incident.opened_at, Incident.id), page, per_page)


def visible(session: Session, actor: Actor, incident_id: int) -> Incident:
    """One incident the actor may read; any other answers as unknown."""
    query = _scoped(select(Incident).join(Instance, Instance.id == Incident.instance_id)
                    .where(Incident.id == incident_id), actor)
    incident = session.scalar(query)
    if incident is None:
        raise NotFound(f"No incident {incident_id}.")
    return incident


def instance_state(session: Session, incident: Incident) -> str:
    return session.get(Instance, incident.instance_id).state
