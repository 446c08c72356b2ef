"""Moving running specification instances to a successor committee, as a recorded engine step.

An instance's scope follows its ``committee_code`` variable (engine.access.scopes), so changing the instance row
alone would be undone by its next action. Each instance is therefore locked, its open tasks' data (and
the data its scope is read from) get the new code, and the state is stored with a
``committee_reassigned`` event: replay shows the move, the hash chain covers it.
"""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.access.actors import Actor
from engine.runtime.actions import Runtime
from engine.runtime.models import Instance

VARIABLE = "committee_code"


def move_instances(runtime: Runtime, session: Session, instances: list[Instance], old_code: str, new_code: str,
                   actor: str) -> None:
    """``runtime`` is the engine's own, running the action that revokes the committee."""
    who = Actor(actor)
    for row in instances:
        instance = runtime.lock_instance(session, row.id)
        workflow, definition = runtime._workflow(session, instance)
        touched = [t for t in workflow.get_tasks() if not t.has_state(TaskState.FINISHED_MASK)]
        # the steps the instance's scope and data views read: its own last step and those of called processes
        touched += [w.last_task for w in (workflow, *workflow.subprocesses.values()) if w.last_task is not None]
        for task in touched:
            if task.data.get(VARIABLE, old_code) == old_code:
                task.data[VARIABLE] = new_code
        runtime.record_event(session, instance, "committee_reassigned", who,
                             data={"from": old_code, "to": new_code, "specification": instance.specification})
        runtime._store(session, instance, workflow, who, definition)
