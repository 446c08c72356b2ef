"""Every kind of tampering with the stored log is detected, with its location."""
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text

from engine.access.actors import Actor, Grant
from engine.history import audit
from engine.history.models import Event
from engine.runtime.models import Instance, Task
from tests.conftest import BPMN

SEC = Actor("sec", (Grant("secretariat"), Grant("authority")))
pytestmark = pytest.mark.tamper


@pytest.fixture
def story(engine):
    """Two finished-ish instances; returns the id of the one we tamper with."""
    engine.deploy_files([BPMN / "approval.bpmn"])
    ids = []
    for _ in range(2):
        with engine.db.transaction() as session:
            ids.append(engine.runtime.start(session, SEC, "approval", variables={"n": 1}).id)
        for data in ({"title": "a"}, {"approved": True}):
            with engine.db.transaction() as session:
                task_id = session.scalar(select(Task.id).where(Task.instance_id == ids[-1], Task.state == "ready"))
                engine.runtime.complete(session, SEC, task_id, data)
    with engine.db.transaction() as session:
        assert audit.verify(session)["ok"]
    return ids[0]


@contextmanager
def raw(engine):
    """A connection that may write to the log (PostgreSQL's append-only triggers switched off)."""
    with engine.db.engine.begin() as conn:
        if engine.db.dialect == "postgresql":
            for table in ("events", "audit_anchors", "anchor_heads"):
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        yield conn
        if engine.db.dialect == "postgresql":
            for table in ("events", "audit_anchors", "anchor_heads"):
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))


def first_broken(engine, instance_id=None):
    with engine.db.transaction() as session:
        result = audit.verify(session, instance_id)
    assert result["ok"] is False, result
    return result["first_broken"]


def test_update_payload(engine, story):
    with raw(engine) as conn:
        conn.execute(text("UPDATE events SET data = :d WHERE stream = :s AND seq = 4"),
                     {"d": '{"data": {"title": "forged"}}', "s": story})
    broken = first_broken(engine)
    assert (broken["instance_id"], broken["seq"], broken["kind"]) == (story, 4, "content_altered")


def test_change_actor(engine, story):
    with raw(engine) as conn:
        conn.execute(text("UPDATE events SET actor = 'mallory' WHERE stream = :s AND seq = 2"), {"s": story})
    broken = first_broken(engine, story)
    assert (broken["seq"], broken["kind"]) == (2, "content_altered")


def test_delete_middle_event(engine, story):
    with raw(engine) as conn:
        conn.execute(text("DELETE FROM events WHERE stream = :s AND seq = 3"), {"s": story})
    broken = first_broken(engine)
    assert (broken["instance_id"], broken["seq"], broken["kind"]) == (story, 4, "events_missing")


def test_delete_newest_event(engine, story):
    with raw(engine) as conn:
        last = conn.execute(text("SELECT max(seq) FROM events WHERE stream = :s"), {"s": story}).scalar()
        conn.execute(text("DELETE FROM events WHERE stream = :s AND seq = :q"), {"s": story, "q": last})
    broken = first_broken(engine)
    assert (broken["instance_id"], broken["seq"], broken["kind"]) == (story, last, "newest_events_missing")


def test_delete_whole_chain(engine, story):
    with raw(engine) as conn:
        conn.execute(text("DELETE FROM events WHERE stream = :s"), {"s": story})
    broken = first_broken(engine)
    assert (broken["instance_id"], broken["kind"]) == (story, "chain_missing")


def test_delete_instance_with_its_chain_after_anchor(engine, story):
    with engine.db.transaction() as session:
        assert audit.create_anchor(session, "auditor") is not None
    with raw(engine) as conn:
        for table, column in (("events", "stream"), ("tasks", "instance_id"), ("timers", "instance_id"),
                              ("state_snapshots", "instance_id"), ("instances", "id")):
            conn.execute(text(f"DELETE FROM {table} WHERE {column} = :s"), {"s": story})
    broken = first_broken(engine)
    assert (broken["instance_id"], broken["kind"]) == (story, "anchored_event_missing")


def test_insert_forged_event(engine, story):
    with engine.db.transaction() as session:
        head = session.scalar(select(Event).where(Event.stream == story).order_by(Event.seq.desc()).limit(1))
        seq, prev = head.seq + 1, head.hash
    with raw(engine) as conn:
        conn.execute(text("INSERT INTO events (stream, seq, at, actor, type, data, prev_hash, hash) VALUES "
                          "(:s, :q, :at, 'mallory', 'task_completed', NULL, :p, :h)"),
                     {"s": story, "q": seq, "at": head.at, "p": prev, "h": "f" * 64})
    broken = first_broken(engine, story)
    assert (broken["seq"], broken["kind"]) == (seq, "content_altered")


def test_forged_event_with_valid_hash_still_breaks_the_head(engine, story):
    from engine.history.log import compute_hash

    with engine.db.transaction() as session:
        head = session.scalar(select(Event).where(Event.stream == story).order_by(Event.seq.desc()).limit(1))
        fields = {"stream": story, "seq": head.seq + 1, "at": head.at, "actor": "mallory", "type": "task_completed",
                  "process_key": None, "process_version": None, "element_id": None, "task_id": None,
                  "data": None, "state_sha256": None, "prev_hash": head.hash}
        forged = Event(**fields, hash=compute_hash(fields))
        session.add(forged)
    broken = first_broken(engine, story)
    assert (broken["kind"], broken["seq"]) == ("head_mismatch", head.seq + 1)


def test_reorder_two_events(engine, story):
    with raw(engine) as conn:
        conn.execute(text("UPDATE events SET seq = -1 WHERE stream = :s AND seq = 2"), {"s": story})
        conn.execute(text("UPDATE events SET seq = 2 WHERE stream = :s AND seq = 3"), {"s": story})
        conn.execute(text("UPDATE events SET seq = 3 WHERE stream = :s AND seq = -1"), {"s": story})
    broken = first_broken(engine)
    assert broken["instance_id"] == story and broken["seq"] == 2
    assert broken["kind"] in ("broken_link", "content_altered")


def test_untouched_other_instance_still_verifies(engine, story):
    with raw(engine) as conn:
        conn.execute(text("UPDATE events SET actor = 'mallory' WHERE stream = :s AND seq = 2"), {"s": story})
    with engine.db.transaction() as session:
        other = session.scalar(select(Instance.id).where(Instance.id != story))
        assert audit.verify(session, other)["ok"] is True


def test_postgres_trigger_rejects_update_and_delete(engine, story):
    if engine.db.dialect != "postgresql":
        pytest.skip("append-only trigger exists on PostgreSQL only")
    for statement in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"), engine.db.engine.begin() as conn:
            conn.execute(text(statement))
    with engine.db.transaction() as session:
        assert audit.verify(session)["ok"]
