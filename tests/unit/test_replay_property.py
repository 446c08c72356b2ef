"""Property: whatever sequence of actions users and the clock apply, replaying an instance to its last step
gives exactly its stored state, and the chains verify."""
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from engine.access.actors import Actor, Grant
from engine.errors import EngineError
from engine.runtime.models import Task
from tests.replay_check import assert_all_consistent, assert_replay_matches_stored

ROLES = ("secretariat", "authority", "member", "chair", "drafter")
ALICE = Actor("alice", tuple(Grant(r) for r in ROLES))
BOB = Actor("bob", tuple(Grant(r) for r in ROLES))
PROCESSES = {
    "approval": [{"title": "t"}, {"approved": True}, {"approved": False}],
    "parallel": [{"a": 1}, {"b": 2}],
    "parent": [{"draft": "v1"}, {}],
    "timer_wait": [{}],
    "multi_vote": [{"ballot": {"choice": "yes"}}, {"ballot": {"choice": "no"}}],
}

actions = st.lists(st.tuples(st.sampled_from(["claim", "unclaim", "complete", "complete", "advance", "cancel"]),
                             st.integers(0, 3), st.sampled_from([ALICE, BOB])), max_size=12)


def open_tasks(engine, instance_id):
    with engine.db.transaction() as session:
        return list(session.scalars(select(Task.id).where(Task.instance_id == instance_id,
                                                          Task.state.in_(("ready", "claimed"))).order_by(Task.id)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(process=st.sampled_from(sorted(PROCESSES)), steps=actions)
def test_replay_to_last_step_equals_stored_state(sqlite_engine, clock, process, steps):
    variables = {"voters": ["zhang", "li"]} if process == "multi_vote" else {}
    with sqlite_engine.db.transaction() as session:
        instance_id = sqlite_engine.runtime.start(session, ALICE, process, variables=variables).id
    for action, pick, actor in steps:
        tasks = open_tasks(sqlite_engine, instance_id)
        try:
            with sqlite_engine.db.transaction() as session:
                if action == "advance":
                    clock.advance(timedelta(days=10 * (pick + 1)))
                    sqlite_engine.runtime.fire_timers(session, actor, instance_id)
                elif action == "cancel":
                    sqlite_engine.runtime.cancel(session, actor, instance_id, "property test")
                elif tasks:
                    task_id = tasks[pick % len(tasks)]
                    if action == "complete":
                        data = PROCESSES[process][pick % len(PROCESSES[process])]
                        sqlite_engine.runtime.complete(session, actor, task_id, dict(data))
                    else:
                        getattr(sqlite_engine.runtime, action)(session, actor, task_id)
        except EngineError:
            pass
        assert_replay_matches_stored(sqlite_engine, instance_id)


def test_all_instances_consistent_after_property_run(sqlite_engine):
    assert_all_consistent(sqlite_engine)
