"""Assertions that kill the mutants issue 18 found surviving: who sees an instance through a task, the
exact text and hash of an event, the anchor checks, and unclaiming an unclaimed task."""
import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from engine.access import assignment
from engine.access.actors import Actor, Grant
from engine.errors import Conflict
from engine.history import audit, log
from engine.runtime.models import Instance, Task
from tests.conftest import BPMN
from tests.unit import test_audit_tamper as tamper
from tests.unit.test_audit_tamper import SEC, first_broken, raw

story = tamper.story
KNOWN_HASH = "45441528e45268822b0274cac514f360d8a88faa61860c12b17e57a469656d1d"  # computed once, frozen here


def test_known_answer_event_hash():
    """Fixed event → canonical JSON → SHA-256: timestamps (normalised to UTC), field order, non-ASCII kept
    as is, and the genesis value are all part of what is hashed."""
    assert log.GENESIS == "0" * 64
    fields = {"stream": "i-1", "seq": 1, "at": datetime(2026, 3, 2, 17, 0, tzinfo=UTC), "actor": "秘书处",
              "type": "instance_started", "process_key": "approval", "process_version": 1, "element_id": None,
              "task_id": None, "data": {"z": 1, "a": "计量"}, "state_sha256": None, "prev_hash": log.GENESIS}
    text_ = ('["i-1",1,"2026-03-02T17:00:00.000000+00:00","秘书处","instance_started","approval",1,null,null,'
             '{"a":"计量","z":1},null,"0000000000000000000000000000000000000000000000000000000000000000"]')
    assert log.canonical(fields) == text_
    assert log.compute_hash(fields) == hashlib.sha256(text_.encode("utf-8")).hexdigest()
    assert log.compute_hash(fields) == KNOWN_HASH
    shifted = {**fields, "at": datetime(2026, 3, 2, 17, 0, 1, tzinfo=UTC)}
    assert log.compute_hash(shifted) != log.compute_hash(fields)


def _assigned_elsewhere(engine):
    """Two instances of committee MTC-A; "outsider" claimed a task in the first one while it still held a
    grant there (later moved to MTC-B, so only the task still shows it the instance)."""
    engine.deploy_files([BPMN / "approval.bpmn"])
    starter = Actor("sec", (Grant("secretariat", "committee/MTC-A"),))
    ids = []
    with engine.db.transaction() as session:
        for _ in range(2):
            ids.append(engine.runtime.start(session, starter, "approval", scope={"committee": "MTC-A"}).id)
    with engine.db.transaction() as session:
        task_id = session.scalar(select(Task.id).where(Task.instance_id == ids[0]))
        engine.runtime.claim(session, Actor("outsider", starter.grants), task_id)
    return ids


def test_a_task_holder_sees_that_instance_and_no_other(engine):
    held, other = _assigned_elsewhere(engine)
    outsider = Actor("outsider", (Grant("secretariat", "committee/MTC-B"),))
    with engine.db.transaction() as session:
        assert assignment.can_see(session, outsider, session.get(Instance, held)) is True
        assert assignment.can_see(session, outsider, session.get(Instance, other)) is False
        listed = set(session.scalars(select(Instance.id).where(assignment.visible_instances(outsider))))
    assert listed == {held}


def test_unclaiming_an_unclaimed_task_is_a_conflict(engine):
    engine.deploy_files([BPMN / "approval.bpmn"])
    with engine.db.transaction() as session:
        instance_id = engine.runtime.start(session, SEC, "approval").id
    with pytest.raises(Conflict, match="not claimed"), engine.db.transaction() as session:
        task_id = session.scalar(select(Task.id).where(Task.instance_id == instance_id))
        engine.runtime.unclaim(session, SEC, task_id)


@pytest.mark.tamper
@pytest.mark.parametrize("column", ["prev_hash", "hash"])
def test_either_anchor_hash_alone_altered_is_caught(engine, story, column):
    with engine.db.transaction() as session:
        anchor_id = audit.create_anchor(session, "auditor").id
    with raw(engine) as conn:
        conn.execute(text(f"UPDATE audit_anchors SET {column} = :v WHERE id = :a"), {"v": "e" * 64, "a": anchor_id})
    assert first_broken(engine)["kind"] == "anchor_altered"


@pytest.mark.tamper
def test_per_instance_verification_checks_only_its_own_anchored_heads(engine, story):
    with engine.db.transaction() as session:
        audit.create_anchor(session, "auditor")
        other = session.scalar(select(Instance.id).where(Instance.id != story))
    with raw(engine) as conn:  # an anchored event of the other instance rewritten with a valid-looking hash
        conn.execute(text("UPDATE anchor_heads SET hash = :h WHERE stream = :s"), {"h": "d" * 64, "s": other})
    with engine.db.transaction() as session:
        mine, theirs, full = (audit.verify(session, story), audit.verify(session, other), audit.verify(session))
    assert (mine["breaks"], mine["first_broken"]["kind"]) == (1, "anchor_altered")  # the anchor, not its heads
    assert (theirs["breaks"], theirs["first_broken"]["kind"]) == (2, "anchored_event_changed")
    assert full["breaks"] == 2


@pytest.mark.tamper
def test_events_of_a_deleted_instance_are_instance_missing(engine, story):
    with raw(engine) as conn:
        for table, column in (("tasks", "instance_id"), ("timers", "instance_id"), ("instances", "id")):
            conn.execute(text(f"DELETE FROM {table} WHERE {column} = :s"), {"s": story})
    broken = first_broken(engine)
    assert (broken["instance_id"], broken["kind"]) == (story, "instance_missing")
