"""The invariant every scenario must keep: replaying an instance to its last step gives its stored state,
and every hash chain verifies."""
from sqlalchemy import select

from engine.history import audit
from engine.runtime import replay
from engine.runtime.actions import instance_data
from engine.runtime.models import Instance, Task, Timer


def assert_replay_matches_stored(engine, instance_id: str) -> None:
    with engine.db.transaction() as session:
        instance = session.get(Instance, instance_id)
        if not instance.event_count:
            return
        replayed = replay.replay(session, engine.definitions, instance_id)
        open_tasks = sorted((t.id, t.assignee) for t in session.scalars(
            select(Task).where(Task.instance_id == instance_id, Task.state.in_(("ready", "claimed")))))
        assert sorted((t["id"], t["assignee"]) for t in replayed["active"]) == open_tasks
        timers = sorted(t.task_id for t in session.scalars(
            select(Timer).where(Timer.instance_id == instance_id, Timer.state == "waiting")))
        replayed_timers = sorted(t["id"] for t in replayed["waiting"] if t.get("due_at"))
        assert replayed_timers == timers
        assert replayed["state"] == instance.state
        assert replayed["data"] == instance_data(engine.runtime, session, instance)
        assert replayed["state_sha256"] is not None


def assert_all_consistent(engine) -> None:
    with engine.db.transaction() as session:
        ids = list(session.scalars(select(Instance.id)))
        result = audit.verify(session)
        assert result["ok"], result
    for instance_id in ids:
        assert_replay_matches_stored(engine, instance_id)
