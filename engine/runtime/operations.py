"""Operator actions on a running instance: suspend, resume, and moving its state onto another version.

Suspended instances keep their tasks and timers, but nothing advances them: their tasks refuse claim and
completion, the worker does not claim their timers, messages pass them by. Resume fires what came due in
the meantime, once, in the resuming transaction.
"""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from engine.access import assignment
from engine.access.actors import Actor
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.runtime.models import Instance

SUSPENDED = "suspended"
LIVE = ("running", "waiting")


def require_can_suspend(session: Session, actor: Actor, instance: Instance) -> None:
    """Process admins (they operate every instance) and the authority within its jurisdiction."""
    actor = assignment.current(session, actor)
    if actor.is_system or actor.has_role("process_admin"):
        return
    if not assignment.can_see(session, actor, instance):
        raise NotFound(f"No instance with id '{instance.id}'.")
    assignment.require_writer(actor)
    if not any(g.role == "authority" for g in assignment.acting_any(actor, instance)):
        raise Forbidden("Only process admins and the authority of this instance's jurisdiction may suspend or "
                        "resume it.", rule="suspend")


def suspend(runtime, session: Session, actor: Actor, instance_id: str, reason: str) -> Instance:
    instance = runtime.lock_instance(session, instance_id)
    require_can_suspend(session, actor, instance)
    if instance.state not in LIVE:
        raise Conflict(f"The instance is {instance.state}; only a running or waiting instance can be suspended.")
    runtime.record_event(session, instance, "instance_suspended", actor, data={"reason": reason, "was": instance.state})
    instance.state = SUSPENDED
    runtime._touch(instance)
    return instance


def resume(runtime, session: Session, actor: Actor, instance_id: str, reason: str) -> Instance:
    """Back to running; timers that came due while suspended fire now, each once."""
    instance = runtime.lock_instance(session, instance_id)
    require_can_suspend(session, actor, instance)
    if instance.state != SUSPENDED:
        raise Conflict(f"The instance is {instance.state}, not suspended.")
    runtime.record_event(session, instance, "instance_resumed", actor, data={"reason": reason})
    instance.state = "running"
    workflow, definition = runtime._workflow(session, instance)
    workflow.refresh_timers()
    runtime._advance(session, instance, workflow, definition, actor)
    return instance


def require_active(instance: Instance) -> None:
    if instance.state == SUSPENDED:
        raise Conflict("The instance is suspended: its tasks cannot be claimed or completed until it is resumed.")


def rebase(runtime, session: Session, instance: Instance, version: int) -> dict:
    """Point the instance at another deployed version of its process whose elements hold every task of its
    state (same element ids); refused, naming the missing elements, otherwise."""
    definition = runtime.definitions.get(session, instance.process_key, version)
    spec, subprocess_specs = runtime.definitions.specs(definition)
    missing = sorted(_missing_elements(json.loads(instance.workflow)["state"], spec, subprocess_specs))
    if missing:
        raise InvalidInput(f"Version {version} of '{instance.process_key}' lacks elements this instance is at: "
                           f"{', '.join(missing)}.", [{"field": "version", "message": "elements missing"}])
    moved = {"from": instance.process_version, "to": definition.version}
    instance.definition_id, instance.process_version = definition.id, definition.version
    return moved


def _missing_elements(state: dict, spec, subprocess_specs: dict) -> set[str]:
    missing = {t["task_spec"] for t in state["tasks"].values() if t["task_spec"] not in spec.task_specs}
    for sub in state.get("subprocesses", {}).values():
        sub_spec = subprocess_specs.get(sub.get("spec"))
        if sub_spec is None:
            missing.add(sub.get("spec") or "?")
            continue
        missing |= {t["task_spec"] for t in sub["tasks"].values() if t["task_spec"] not in sub_spec.task_specs}
    return missing
