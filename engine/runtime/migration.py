"""Migrating running instances from one deployed version of a process to another.

A process admin plans first: per instance, its waiting tasks, timers and call activities are mapped by
element id (explicit ``mappings`` name renamed elements) onto the target version, or refused with the
reason. A dry run is the plan alone. Executing migrates the instances one by one, each in its own
transaction with an ``instance_migrated`` history event (actor, reason, moves, recomputed timers), so a
refusal or a concurrent change stops one instance, never the batch. Timers whose definition changed are
recomputed from the moment of migration (as Camunda's ``updateEventTrigger`` does).
"""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.access.actors import Actor
from engine.errors import Conflict, EngineError, Forbidden, InvalidInput
from engine.runtime.actions import OPEN_TASK_STATES, timer_due
from engine.runtime.migration_map import Mapped, element_of, map_state
from engine.runtime.models import Definition, Instance, Task, Timer

MIGRATABLE = ("running", "waiting", "suspended")


def require_process_admin(actor: Actor) -> None:
    if not (actor.is_system or actor.has_role("process_admin")):
        raise Forbidden("Only process admins migrate instances between versions.", rule="migrate")


def _check_mappings(runtime, source: Definition, target: Definition, mappings: dict[str, str]) -> None:
    spec_ids = lambda d: {element_of(name) for spec in _all_specs(runtime, d) for name in spec.task_specs}  # noqa: E731
    before, after = spec_ids(source), spec_ids(target)
    errors = [{"field": f"mappings.{old}", "message": f"'{old}' is no element of version {source.version}"}
              for old in mappings if old not in before]
    errors += [{"field": f"mappings.{old}", "message": f"'{new}' is no element of version {target.version}"}
               for old, new in mappings.items() if new not in after]
    if errors:
        raise InvalidInput("Mappings must name elements of the source and target versions.", errors)


def _all_specs(runtime, definition: Definition) -> list:
    spec, subs = runtime.definitions.specs(definition)
    return [spec, *subs.values()]


def map_instance(runtime, session: Session, instance: Instance, target: Definition,
                 mappings: dict[str, str]) -> tuple[Mapped, object]:
    """The instance's state mapped onto ``target`` (nothing stored), and the loaded workflow if it maps."""
    workflow, source = runtime._workflow(session, instance)
    body = json.loads(runtime.serializer.dump_workflow(workflow))  # the current state layout, whatever was stored
    old, new = runtime.definitions.specs(source), runtime.definitions.specs(target)
    mapped = map_state(body["state"], old, new, mappings, runtime.serializer._registry.convert)
    if mapped.refusals:
        return mapped, None
    moved = runtime.serializer.load_workflow(json.dumps(body), new[0], new[1], workflow.script_engine)
    for part in (moved, *moved.subprocesses.values()):
        part._predict()  # rebuild the tasks ahead (dropped by the mapping) from the new version's flows
    for task_id in mapped.timers:
        task = moved.get_task_from_id(_uuid(task_id))
        task.task_spec.event_definition.has_fired(task)  # computes the due time under the new definition
    return mapped, moved


def _uuid(value: str):
    from uuid import UUID

    return UUID(value)


def _item(instance: Instance, mapped: Mapped, workflow) -> dict:
    timers = []
    for task_id in mapped.timers if workflow is not None else ():
        task = workflow.get_task_from_id(_uuid(task_id))
        due = timer_due(task, task.task_spec.event_definition)
        timers.append({"element_id": task.task_spec.bpmn_id, "task_id": task_id,
                       "due_at": due.isoformat() if due else None})
    return {"instance_id": instance.id, "business_key": instance.business_key, "state": instance.state,
            "migratable": not mapped.refusals, "moves": [{"from": a, "to": b} for a, b in mapped.moves.items()],
            "timers": timers, "refusals": mapped.refusals}


def plan(runtime, session: Session, actor: Actor, process_key: str, from_version: int, to_version: int,
         mappings: dict[str, str] | None = None, instance_ids: list[str] | None = None) -> dict:
    """What a migration would do, instance by instance; changes nothing."""
    require_process_admin(actor)
    mappings = dict(mappings or {})
    source = runtime.definitions.get(session, process_key, from_version)
    target = runtime.definitions.get(session, process_key, to_version)
    if source.id == target.id:
        raise InvalidInput("Source and target are the same version.", [{"field": "to_version",
                                                                        "message": "same as from_version"}])
    _check_mappings(runtime, source, target, mappings)
    query = select(Instance).where(Instance.definition_id == source.id, Instance.state.in_(MIGRATABLE))
    if instance_ids:
        query = query.where(Instance.id.in_(instance_ids))
    items = []
    for instance in session.scalars(query.order_by(Instance.created_at, Instance.id)):
        mapped, workflow = map_instance(runtime, session, instance, target, mappings)
        items.append(_item(instance, mapped, workflow))
    return summary(process_key, from_version, to_version, mappings, items)


def summary(process_key: str, from_version: int, to_version: int, mappings: dict, items: list[dict]) -> dict:
    elements: dict[tuple[str, str], int] = {}
    for item in items:
        for move in item["moves"]:
            elements[(move["from"], move["to"])] = elements.get((move["from"], move["to"]), 0) + 1
    return {"process_key": process_key, "from_version": from_version, "to_version": to_version,
            "mappings": mappings, "instances": len(items),
            "migratable": sum(1 for i in items if i["migratable"]),
            "refused": sum(1 for i in items if not i["migratable"]),
            "elements": [{"from": a, "to": b, "instances": n} for (a, b), n in sorted(elements.items())],
            "timers_recomputed": sum(len(i["timers"]) for i in items), "items": items}


def migrate_instance(runtime, session: Session, actor: Actor, instance_id: str, from_version: int,
                     to_version: int, mappings: dict[str, str], reason: str) -> dict:
    """Move one instance in the caller's transaction: lock, map, store, project, record."""
    require_process_admin(actor)
    instance = runtime.lock_instance(session, instance_id)
    if instance.process_version != from_version or instance.state not in MIGRATABLE:
        raise Conflict(f"The instance is {instance.state} on version {instance.process_version}; it was not "
                       f"migrated from version {from_version}.")
    target = runtime.definitions.get(session, instance.process_key, to_version)
    mapped, workflow = map_instance(runtime, session, instance, target, mappings)
    if mapped.refusals:
        raise Conflict("The instance cannot be migrated: " + "; ".join(
            f"{r['element_id']}: {r['reason']}" for r in mapped.refusals), mapped.refusals)
    item = _item(instance, mapped, workflow)
    _reproject(session, instance, target, workflow, mapped)
    instance.definition_id, instance.process_version = target.id, target.version
    runtime.record_event(session, instance, "instance_migrated", actor, data={
        "from": from_version, "to": to_version, "reason": reason, "mappings": mappings,
        "moves": item["moves"], "timers": item["timers"]})
    runtime._store(session, instance, workflow, actor, target)
    return item


def _reproject(session: Session, instance: Instance, target: Definition, workflow, mapped: Mapped) -> None:
    """Open task rows follow their renamed elements; waiting timer rows of recomputed timers are replaced."""
    processes = target.meta.get("processes", {})
    for row in session.scalars(select(Task).where(Task.instance_id == instance.id,
                                                  Task.state.in_(OPEN_TASK_STATES))):
        task = workflow.get_task_from_id(_uuid(row.id))
        if task is None:
            continue
        spec = task.task_spec
        info = processes.get(task.workflow.spec.name, {}).get("elements", {}).get(spec.bpmn_id, {})
        row.element_id, row.name = spec.bpmn_id or spec.name, spec.bpmn_name or info.get("name")
        row.lane, row.role = spec.lane or info.get("lane"), info.get("role") or spec.lane
        row.form_key, row.duty = info.get("form_key"), info.get("duty")
    for row in session.scalars(select(Timer).where(Timer.instance_id == instance.id, Timer.state == "waiting")):
        if row.task_id in mapped.timers:
            row.state = "cancelled"  # _store adds the row with the recomputed due time
            continue
        task = workflow.get_task_from_id(_uuid(row.task_id))
        if task is not None and task.task_spec.bpmn_id:
            row.element_id, row.name = task.task_spec.bpmn_id, task.task_spec.bpmn_name


def execute(db, runtime, actor: Actor, process_key: str, from_version: int, to_version: int,
            mappings: dict[str, str] | None, reason: str, instance_ids: list[str] | None = None) -> dict:
    """Plan, then migrate each migratable instance in its own transaction; one that fails is reported, not
    fatal to the others."""
    mappings = dict(mappings or {})
    with db.transaction() as session:
        planned = plan(runtime, session, actor, process_key, from_version, to_version, mappings, instance_ids)
    migrated, failed = [], []
    for item in planned["items"]:
        if not item["migratable"]:
            continue
        try:
            with db.transaction() as session:
                migrate_instance(runtime, session, actor, item["instance_id"], from_version, to_version,
                                 mappings, reason)
            migrated.append(item["instance_id"])
        except EngineError as err:
            failed.append({"instance_id": item["instance_id"], "detail": err.detail})
    return {**planned, "dry_run": False, "migrated": migrated, "failed": failed}
