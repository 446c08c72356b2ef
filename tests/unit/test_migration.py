"""Migrating instances between versions, at the engine: the plan maps by element id with renames, refuses a
waiting element that was removed, recomputes changed timers, and a migrated instance completes under the new
version (the engine fixture then checks every instance replays to its stored state)."""
from datetime import timedelta

from sqlalchemy import select

from engine.access.actors import SYSTEM_ACTOR, Actor, Grant
from engine.runtime import migration
from engine.runtime.models import Instance, Task, Timer
from tests.conftest import BPMN
from tests.timer_support import run_worker

SEC = Actor("sec", (Grant("secretariat"),))
KEY = "migration_lifecycle"
RENAME = {"review": "technical_review"}


def _open(engine, instance_id):
    with engine.db.transaction() as session:
        return [t.id for t in session.scalars(select(Task).where(Task.instance_id == instance_id,
                                                                  Task.state.in_(("ready", "claimed"))))]


def _complete_one(engine, instance_id):
    [task] = _open(engine, instance_id)
    with engine.db.transaction() as session:
        engine.runtime.complete(session, SEC, task, {})


def _start(engine):
    with engine.db.transaction() as session:
        return engine.runtime.start(session, SEC, KEY).id


def test_plan_then_migrate_and_complete_under_v2(engine, clock):
    engine.deploy_files([BPMN / "migration_v1.bpmn"])
    at_draft, at_window, at_review, at_format, at_approve = (_start(engine) for _ in range(5))
    for instance_id in (at_window, at_review, at_format, at_approve):
        _complete_one(engine, instance_id)
    clock.advance(days=31)
    run_worker(engine)
    for instance_id in (at_format, at_approve):
        _complete_one(engine, instance_id)
    _complete_one(engine, at_approve)
    at_window_late = _start(engine)
    _complete_one(engine, at_window_late)
    engine.deploy_files([BPMN / "migration_v2.bpmn"])

    with engine.db.transaction() as session:
        planned = migration.plan(engine.runtime, session, SYSTEM_ACTOR, KEY, 1, 2, RENAME)
    items = {i["instance_id"]: i for i in planned["items"]}
    assert (planned["instances"], planned["migratable"], planned["refused"]) == (6, 5, 1)
    assert items[at_format]["refusals"][0]["element_id"] == "format_check"
    assert items[at_review]["moves"] == [{"from": "review", "to": "technical_review"}]
    assert [t["element_id"] for t in items[at_window_late]["timers"]] == ["comment_window"]
    assert planned["elements"] == [{"from": "review", "to": "technical_review", "instances": 2}]

    result = migration.execute(engine.db, engine.runtime, SYSTEM_ACTOR, KEY, 1, 2, RENAME, "v2 合并格式审查")
    assert sorted(result["migrated"]) == sorted(set(items) - {at_format}) and result["failed"] == []
    with engine.db.transaction() as session:
        assert session.get(Instance, at_format).process_version == 1
        assert session.get(Instance, at_review).process_version == 2
        [row] = session.scalars(select(Task).where(Task.instance_id == at_review, Task.state == "ready"))
        assert row.element_id == "technical_review"
        [timer] = session.scalars(select(Timer).where(Timer.instance_id == at_window_late,
                                                      Timer.state == "waiting"))
        assert timer.due_at.replace(tzinfo=None) == (clock.now() + timedelta(days=20)).replace(tzinfo=None)

    for instance_id in (at_draft, at_window, at_review, at_approve, at_window_late):
        assert _finish(engine, clock, instance_id) == "completed", instance_id


def _finish(engine, clock, instance_id) -> str:
    """Complete open tasks, and let time pass while only a timer waits, until the instance ends."""
    for _ in range(8):
        with engine.db.transaction() as session:
            state = session.get(Instance, instance_id).state
        if state not in ("running", "waiting"):
            return state
        if _open(engine, instance_id):
            _complete_one(engine, instance_id)
        else:
            clock.advance(days=21)
            run_worker(engine)
    return state
