"""The engine without the API: a script can deploy, start and complete; state survives a new engine."""
from sqlalchemy import select

from engine.access.actors import Actor, Grant
from engine.history.models import Event
from engine.runtime.models import Instance, Task
from tests.conftest import BPMN, make_engine

SEC = Actor("sec", (Grant("secretariat"),))


def test_script_drives_engine_and_state_survives_restart(sqlite_url, clock):
    eng = make_engine(sqlite_url)
    assert eng.deploy_files([BPMN / "quick.bpmn"]) == [("quick", 1, True)]
    with eng.db.transaction() as session:
        instance_id = eng.runtime.start(session, SEC, "quick", "bk-1", {"x": 1}).id
    eng.close()

    fresh = make_engine(sqlite_url)
    with fresh.db.transaction() as session:
        task = session.scalar(select(Task).where(Task.instance_id == instance_id, Task.state == "ready"))
        assert task.element_id == "first"
        fresh.runtime.complete(session, SEC, task.id, {"choice": "a"})
    with fresh.db.transaction() as session:
        task = session.scalar(select(Task).where(Task.instance_id == instance_id, Task.state == "ready"))
        assert task.element_id == "second_a"
        fresh.runtime.complete(session, SEC, task.id, {})
    with fresh.db.transaction() as session:
        instance = session.get(Instance, instance_id)
        assert instance.state == "completed"
        types = list(session.scalars(select(Event.type).where(Event.stream == instance_id).order_by(Event.seq)))
        assert types[0] == "instance_started" and types[-1] == "instance_completed"
        assert types.count("task_completed") == 2
    fresh.close()


def test_stored_state_excludes_the_spec(sqlite_url, clock):
    eng = make_engine(sqlite_url)
    eng.deploy_files([BPMN / "approval.bpmn"])
    with eng.db.transaction() as session:
        instance = eng.runtime.start(session, SEC, "approval")
        assert '"task_specs"' not in instance.workflow
        assert len(instance.workflow) < 8000
    eng.close()


def test_failed_action_stores_nothing(sqlite_url, clock):
    eng = make_engine(sqlite_url)
    eng.deploy_files([BPMN / "approval.bpmn"])
    with eng.db.transaction() as session:
        instance = eng.runtime.start(session, SEC, "approval")
        instance_id, before, version = instance.id, instance.workflow, instance.lock_version
    task_id = None
    with eng.db.transaction() as session:
        task_id = session.scalar(select(Task.id).where(Task.instance_id == instance_id))
    try:
        with eng.db.transaction() as session:
            eng.runtime.complete(session, SEC, task_id, {"title": "ok"})
            raise RuntimeError("crash after the engine step, before commit")
    except RuntimeError:
        pass
    with eng.db.transaction() as session:
        instance = session.get(Instance, instance_id)
        assert instance.workflow == before and instance.lock_version == version
        assert session.get(Task, task_id).state == "ready"
        assert session.scalar(select(Event.type).where(Event.stream == instance_id)
                              .order_by(Event.seq.desc())) == "task_ready"
    eng.close()
