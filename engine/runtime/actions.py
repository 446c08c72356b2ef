"""Instance actions: lock, load, apply, run engine steps, store, project, record — in the caller's
transaction, so either all of it is stored or none of it."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import assignment, scopes
from engine.access.actors import Actor
from engine.bpmn.service_tasks import ServiceContext
from engine.bpmn.state import StateSerializer, latest_task
from engine.errors import Conflict, InvalidInput, NotFound
from engine.history import log as history
from engine.runtime import incidents, notifications, operations
from engine.runtime.definitions import DefinitionStore
from engine.runtime.forms import FormRegistry, check_variable_names
from engine.runtime.models import Definition, Instance, Task, Timer
from engine.runtime.step_budget import StepBudget
from engine.timers import hooks as timer_hooks

OPEN_TASK_STATES = ("ready", "claimed")
ENDED_STATES = ("completed", "cancelled")


class Runtime:
    def __init__(self, definitions: DefinitionStore, forms: FormRegistry, script_engine_factory,
                 serializer: StateSerializer | None = None):
        """Service tasks run the services ``definitions`` validated against (``definitions.services``)."""
        self.definitions = definitions
        self.serializer = serializer or definitions.serializer
        self.forms = forms
        self._script_engine_factory = script_engine_factory
        self._timer_definitions: dict[int, bool] = {}

    # ----- loading -------------------------------------------------------------------------------
    def lock_instance(self, session: Session, instance_id: str) -> Instance:
        instance = session.scalar(select(Instance).where(Instance.id == instance_id).with_for_update())
        if instance is None:
            raise NotFound(f"No instance with id '{instance_id}'.")
        return instance

    def _workflow(self, session: Session, instance: Instance) -> tuple[BpmnWorkflow, Definition]:
        definition = self.definitions.by_id(session, instance.definition_id)
        spec, subprocess_specs = self.definitions.specs(definition)
        workflow = self.serializer.load_workflow(instance.workflow, spec, subprocess_specs, self._script_engine_factory(
            level=instance.level, jurisdiction=instance.jurisdiction))
        return workflow, definition

    def lock_task(self, session: Session, task_id: str) -> tuple[Task, Instance]:
        """Lock the task's instance first, then read the task: the order every action uses. The instance is
        found through the task in the locking query itself (a task never changes instance), so the task is
        read once, after the lock."""
        instance = session.scalar(select(Instance).join(Task, Task.instance_id == Instance.id)
                                  .where(Task.id == task_id).with_for_update(of=Instance))
        task = session.get(Task, task_id, populate_existing=True) if instance is not None else None
        if task is None:
            raise NotFound(f"No task with id '{task_id}'.")
        return task, instance

    # ----- actions -------------------------------------------------------------------------------
    def start(self, session: Session, actor: Actor, process_key: str, business_key: str | None = None,
              variables: dict | None = None, version: int | None = None,
              scope: dict | None = None) -> Instance:
        variables = dict(variables or {})
        check_variable_names(variables)
        definition = (self.definitions.get(session, process_key, version) if version is not None
                      else self.definitions.latest(session, process_key))
        scope = scopes.initial(scope, variables)
        assignment.require_can_start(session, actor, definition, scope)
        spec, subprocess_specs = self.definitions.specs(definition)
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=self._script_engine_factory(
            level=scope.get("level"), jurisdiction=scope.get("jurisdiction")))
        workflow.task_tree.data.update(variables)
        now = clock.now()
        instance = Instance(id=str(uuid.uuid4()), definition_id=definition.id, process_key=definition.key,
                            process_version=definition.version, business_key=business_key, state="running",
                            workflow="", **scope, started_by=actor.username, created_at=now, updated_at=now)
        session.add(instance)
        session.flush()
        self.record_event(session, instance, "instance_started", actor,
                     data={"business_key": business_key, "variables": variables})
        self._advance(session, instance, workflow, definition, actor)
        return instance

    def claim(self, session: Session, actor: Actor, task_id: str) -> Task:
        task, instance = self.lock_task(session, task_id)
        assignment.authorize(session, actor, task, instance, "claim")
        operations.require_active(instance)
        if task.assignee == actor.username:
            return task
        if task.assignee:
            raise Conflict(f"Task '{task.name or task.element_id}' is already claimed by another user.")
        task.assignee, task.state = actor.username, "claimed"
        self._touch(instance)
        self.record_event(session, instance, "task_claimed", actor, task=task)
        return task

    def unclaim(self, session: Session, actor: Actor, task_id: str) -> Task:
        task, instance = self.lock_task(session, task_id)
        assignment.authorize(session, actor, task, instance, "unclaim")
        operations.require_active(instance)
        task.assignee, task.state = None, "ready"
        self._touch(instance)
        self.record_event(session, instance, "task_unclaimed", actor, task=task)
        return task

    def assign(self, session: Session, actor: Actor, task_id: str, assignee: str, reason: str) -> Task:
        """Hand a task to a named user who may work it; the reason is kept in the history."""
        task, instance = self.lock_task(session, task_id)
        assignment.authorize(session, actor, task, instance, "assign")
        operations.require_active(instance)
        assignment.require_assignable(session, assignee, task, instance)
        previous = task.assignee
        task.assignee, task.state = assignee, "claimed"
        self._touch(instance)
        self.record_event(session, instance, "task_assigned", actor, task=task,
                     data={"from": previous, "to": assignee, "reason": reason})
        return task

    def complete(self, session: Session, actor: Actor, task_id: str, data: dict) -> Task:
        task, instance = self.lock_task(session, task_id)
        assignment.authorize(session, actor, task, instance, "complete")
        operations.require_active(instance)
        self.forms.validate(task.form_key, data)
        scopes.require_unreserved(data, self.forms.get(task.form_key))
        workflow, definition = self._workflow(session, instance)
        spiff_task = workflow.get_task_from_id(UUID(task.id))
        if spiff_task is None or spiff_task.state != TaskState.READY:
            raise Conflict("The task is no longer ready.")
        spiff_task.data.update(data)
        if task.assignee is None:
            task.assignee = actor.username
        self.record_event(session, instance, "task_completed", actor, task=task, data={"data": data})
        spiff_task.run()
        task.state, task.completed_at, task.completed_by = "completed", clock.now(), actor.username
        self._advance(session, instance, workflow, definition, actor)
        return task

    def cancel(self, session: Session, actor: Actor, instance_id: str, reason: str) -> Instance:
        instance = self.lock_instance(session, instance_id)
        assignment.require_can_cancel(session, actor, instance)
        if instance.state in ENDED_STATES:
            raise Conflict(f"The instance is already {instance.state}.")
        workflow, definition = self._workflow(session, instance)
        workflow.cancel()
        instance.state, instance.ended_at = "cancelled", clock.now()
        self.record_event(session, instance, "instance_cancelled", actor, data={"reason": reason})
        self._store(session, instance, workflow, actor)
        return instance

    def send_message(self, session: Session, actor: Actor, name: str, payload: dict | None,
                     instance_id: str | None = None, business_key: str | None = None,
                     process_key: str | None = None) -> list[Instance]:
        """Deliver a message to every matching instance that waits for it; none waiting is an error."""
        payload = payload or {}
        check_variable_names(payload)
        if instance_id:
            candidates = [instance_id]
        elif business_key:
            query = select(Instance.id).where(Instance.business_key == business_key,
                                              Instance.state.not_in(ENDED_STATES + ("error",)))
            if process_key:
                query = query.where(Instance.process_key == process_key)
            candidates = list(session.scalars(query.order_by(Instance.created_at)))
        else:
            raise InvalidInput("Give instance_id or business_key to correlate the message.")
        delivered = []
        for candidate in candidates:
            instance = self.lock_instance(session, candidate)
            if instance.state in ENDED_STATES + (operations.SUSPENDED,) or \
                    not assignment.can_signal(session, actor, instance):
                continue
            workflow, definition = self._workflow(session, instance)
            try:
                workflow.send_event(BpmnEvent(MessageEventDefinition(name), payload=payload))
            except WorkflowException:
                continue
            self.record_event(session, instance, "message_received", actor, data={"name": name, "payload": payload})
            self._advance(session, instance, workflow, definition, actor)
            delivered.append(instance)
        if not delivered:
            raise Conflict(f"No matching instance is waiting for message '{name}'.")
        return delivered

    def fire_timers(self, session: Session, actor: Actor, instance_id: str) -> Instance:
        instance = self.lock_instance(session, instance_id)
        if instance.state in ENDED_STATES + (operations.SUSPENDED,):
            return instance
        workflow, definition = self._workflow(session, instance)
        workflow.refresh_timers()
        self._advance(session, instance, workflow, definition, actor)
        return instance

    # ----- shared steps --------------------------------------------------------------------------
    def _touch(self, instance: Instance) -> None:
        instance.updated_at = clock.now()

    def _advance(self, session: Session, instance: Instance, workflow: BpmnWorkflow,
                 definition: Definition, actor: Actor) -> None:
        """Run engine steps until the workflow waits; a failing element marks the instance ``error``."""
        workflow.script_engine.service_context = ServiceContext(session, instance, actor,
                                                                services=self.definitions.services, runtime=self)
        budget = StepBudget()
        try:
            workflow.do_engine_steps(did_complete_task=budget)
            workflow.refresh_timers()
            workflow.do_engine_steps(did_complete_task=budget)
            budget.check_waiting(workflow)
        except (SpiffWorkflowException, RecursionError) as err:  # RecursionError: a path too deep to predict
            element = getattr(getattr(getattr(err, "task", None), "task_spec", None), "bpmn_id", None)
            instance.state, instance.error = "error", f"{element or 'engine'}: {err}"
            incidents.element_failed(session, instance, workflow, err)
            self.record_event(session, instance, "instance_errored", actor, element_id=element,
                         data={"message": str(err)})
            self._store(session, instance, workflow, actor)
            return
        if workflow.is_completed():
            instance.state, instance.ended_at = "completed", clock.now()
            self.record_event(session, instance, "instance_completed", actor)
        self._store(session, instance, workflow, actor, definition)

    def _store(self, session: Session, instance: Instance, workflow: BpmnWorkflow, actor: Actor,
               definition: Definition | None = None) -> None:
        """Project the workflow onto task and timer rows, then write the instance row once: its new state is
        set only after the projection's queries, whose autoflush would otherwise send a second UPDATE."""
        definition = definition or self.definitions.by_id(session, instance.definition_id)
        body = self.serializer.dump_workflow(workflow)
        scopes.project(session, instance, workflow)
        ready = self._sync_tasks(session, instance, workflow, definition, actor)
        self._sync_timers(session, instance, workflow, definition, actor)
        instance.workflow = body
        self._touch(instance)
        if instance.state not in ENDED_STATES + ("error", operations.SUSPENDED):
            instance.state = "running" if ready else "waiting"
        history.store_state(session, instance, body)

    def _sync_tasks(self, session: Session, instance: Instance, workflow: BpmnWorkflow,
                    definition: Definition, actor: Actor) -> int:
        ready = {} if instance.state in ENDED_STATES else {
            str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
        rows = {row.id: row for row in session.scalars(
            select(Task).where(Task.instance_id == instance.id, Task.state.in_(OPEN_TASK_STATES)))}
        now = clock.now()
        for task_id, row in rows.items():
            if task_id not in ready:
                row.state, row.completed_at = "cancelled", now
                self.record_event(session, instance, "task_cancelled", actor, task=row)
        processes = definition.meta.get("processes", {})
        for task_id, spiff_task in ready.items():
            if task_id in rows:
                continue
            spec = spiff_task.task_spec
            info = processes.get(spiff_task.workflow.spec.name, {}).get("elements", {}).get(spec.bpmn_id, {})
            row = Task(id=task_id, instance_id=instance.id, process_key=instance.process_key,
                       element_id=spec.bpmn_id or spec.name, name=spec.bpmn_name or info.get("name"),
                       lane=spec.lane or info.get("lane"), role=info.get("role") or spec.lane,
                       state="ready", form_key=info.get("form_key"), committee=instance.committee,
                       specification=instance.specification, level=instance.level,
                       jurisdiction=instance.jurisdiction, duty=info.get("duty"), created_at=now)
            row.due_at = timer_hooks.task_due(self, session, instance, row, info.get("due"), actor)
            session.add(row)
            session.flush()
            self.record_event(session, instance, "task_ready", actor, task=row)
        return len(ready)

    def _sync_timers(self, session: Session, instance: Instance, workflow: BpmnWorkflow, definition: Definition,
                     actor: Actor) -> None:
        waiting = {} if instance.state in ENDED_STATES else waiting_timers(workflow)
        rows = {(row.task_id, row.due_at): row for row in session.scalars(
            select(Timer).where(Timer.instance_id == instance.id, Timer.state == "waiting"))
        } if self._has_timers(definition) else {}
        now = clock.now()
        for key, row in rows.items():
            if key not in waiting:
                spiff_task = workflow.get_task_from_id(UUID(row.task_id))
                fired = timer_hooks.has_fired(spiff_task) and instance.state != "cancelled"
                row.state, row.fired_at = ("fired", now) if fired else ("cancelled", None)
                if fired:
                    self.record_event(session, instance, "timer_fired", actor, element_id=row.element_id,
                                 task_id=row.task_id, data={"due_at": _iso(row.due_at), "fired_at": _iso(now)})
        for key, info in waiting.items():
            if key not in rows:
                row = Timer(instance_id=instance.id, task_id=key[0], element_id=info["element_id"],
                            name=info["name"], kind=info["kind"], due_at=key[1], **info["note"])
                session.add(row)
                timer_hooks.timer_created(self, session, instance, row, actor)
        self._bind_dues(session, instance, workflow, waiting)
        notifications.sync(self, session, instance, workflow, actor)

    def _bind_dues(self, session: Session, instance: Instance, workflow: BpmnWorkflow, waiting: dict) -> None:
        """An open task is due when the timer that would interrupt it fires, if that comes before its own due."""
        dues = timer_hooks.bounded_dues(workflow, waiting) if waiting else {}
        if not dues:
            return
        for row in session.scalars(select(Task).where(Task.instance_id == instance.id, Task.id.in_(dues),
                                                      Task.state.in_(OPEN_TASK_STATES))):
            if row.due_at is None or row.due_at > dues[row.id]:
                row.due_at = dues[row.id]

    def _has_timers(self, definition: Definition) -> bool:
        """Whether the definition (or a process it calls) has a timer event: only then can the instance have
        timer rows to read. Deployed definitions never change, so the answer is kept per definition."""
        known = self._timer_definitions.get(definition.id)
        if known is None:
            spec, subprocess_specs = self.definitions.specs(definition)
            known = any(timer_hooks.timer_definition(getattr(task_spec, "event_definition", None)) is not None
                        for process in (spec, *subprocess_specs.values())
                        for task_spec in process.task_specs.values())
            self._timer_definitions[definition.id] = known
        return known

    def record_event(self, session: Session, instance: Instance, type_: str, actor: Actor, *,
                     task: Task | None = None, element_id: str | None = None, task_id: str | None = None,
                     data: dict | None = None) -> None:
        """Append an event to the instance's history with its process version (and the task's element)."""
        history.record(session, instance, type_, actor=actor.username, process_key=instance.process_key,
                       process_version=instance.process_version,
                       element_id=task.element_id if task else element_id,
                       task_id=task.id if task else task_id, data=data)



def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def waiting_timers(workflow: BpmnWorkflow) -> dict[tuple[str, datetime], dict]:
    """Every waiting timer task with its due time, read from what SpiffWorkflow computed."""
    found = {}
    for task in workflow.get_tasks(state=TaskState.WAITING):
        definition = timer_hooks.timer_definition(getattr(task.task_spec, "event_definition", None))
        if definition is None:
            continue
        due = timer_due(task, definition)
        if due is None:
            continue
        element_id, name = timer_hooks.timer_element(task, definition)
        found[(str(task.id), due)] = {
            "element_id": element_id,
            "name": name,
            "kind": "cycle" if isinstance(definition, CycleTimerEventDefinition) else "timer",
            "note": timer_hooks.note(task),
        }
    return found


def timer_due(task, definition: TimerEventDefinition) -> datetime | None:
    value = task._get_internal_data("event_value")
    if value is None or timer_hooks.timer_definition(definition) is None:
        return None
    if isinstance(value, dict):
        if value.get("cycles") == 0:
            return None
        value = value["next"]
    moment = TimerEventDefinition.parse_time_or_duration(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(UTC).replace(microsecond=(moment.microsecond // 1000) * 1000)


def instance_data(runtime: Runtime, session: Session, instance: Instance) -> dict:
    """The variables as the latest completed step left them (JSON-safe)."""
    import json

    workflow, _ = runtime._workflow(session, instance)
    task = latest_task(workflow)
    data = {k: v for k, v in task.data.items() if not k.startswith("_")}
    return json.loads(json.dumps(data, default=str))
