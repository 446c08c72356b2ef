"""Append-only, hash-chained event log written in the same transaction as the change it records.

Instance events are buffered during an action and appended when its state is stored, so every
event carries the content hash of the workflow state it led to (what replay reads). The chain head
is kept on the instance row, so appending never reads the log and costs the same at any age.
"""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import Select, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from engine import clock
from engine.history.models import Event, StateSnapshot
from engine.runtime.models import Instance

GLOBAL_STREAM = "global"
GENESIS = "0" * 64
_PENDING = "mtcflow.pending_events"
_STORED = "mtcflow.stored_states"  # snapshot hashes written in this transaction
_WRITTEN = "mtcflow.written_events"  # (instance, row) of events inserted in this transaction


HASHED_FIELDS = ("stream", "seq", "at", "actor", "type", "process_key", "process_version", "element_id",
                 "task_id", "data", "state_sha256", "prev_hash")
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode


def events(stream: str, type_: str | None = None) -> Select:
    """A stream's events in order, or only those of one type."""
    query = select(Event).where(Event.stream == stream).order_by(Event.seq)
    return query.where(Event.type == type_) if type_ else query


def canonical_values(values: tuple) -> str:
    """The exact text a hash covers: a JSON array of the values of HASHED_FIELDS in that order (an array
    keeps the field order fixed without sorting, which halves the cost of verification)."""
    items = list(values)
    items[2] = _iso(items[2])
    return _encode(items)


def canonical(fields: dict) -> str:
    return canonical_values(tuple(fields[name] for name in HASHED_FIELDS))


def compute_hash(fields: dict) -> str:
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def hash_values(values: tuple) -> str:
    return hashlib.sha256(canonical_values(values).encode("utf-8")).hexdigest()


def _iso(moment: datetime | str) -> str:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    elif moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def _values(stream: str, seq: int, prev: str, type_: str, state_sha256: str | None, **fields) -> dict:
    values = {"stream": stream, "seq": seq, "at": clock.now().astimezone(UTC), "type": type_,
              "prev_hash": prev, "state_sha256": state_sha256, "actor": None, "process_key": None,
              "process_version": None, "element_id": None, "task_id": None, "data": None}
    values.update(fields)
    values["hash"] = compute_hash(values)
    return values


def _build(stream: str, seq: int, prev: str, type_: str, state_sha256: str | None, **fields) -> Event:
    return Event(**_values(stream, seq, prev, type_, state_sha256, **fields))


def append(session: Session, stream: str, type_: str, **fields) -> Event:
    """Append one event to a stream without an instance row (``global``); a concurrent append loses on
    the unique (stream, seq) constraint instead of forking the chain."""
    row = session.execute(select(Event.seq, Event.hash).where(Event.stream == stream)
                          .order_by(Event.seq.desc()).limit(1)).first()
    seq, prev = (row.seq, row.hash) if row else (0, GENESIS)
    event = _build(stream, seq + 1, prev, type_, None, **fields)
    session.add(event)
    session.flush()
    return event


def record(session: Session, instance: Instance, type_: str, **fields) -> None:
    """Buffer an instance event until the action stores its state (or the transaction commits)."""
    pending = session.info.setdefault(_PENDING, {})
    pending.setdefault(instance.id, (instance, []))[1].append((type_, fields))


def store_state(session: Session, instance: Instance, body: str) -> str:
    """Keep the workflow state by content hash and append the buffered events pointing at it."""
    sha = hashlib.sha256(body.encode("utf-8")).hexdigest()
    if sha not in session.info.setdefault(_STORED, set()):
        # one statement instead of a lookup plus an ORM insert; a state seen before is simply kept
        with session.no_autoflush:  # the instance row is written once, by flush() below
            session.execute(_insert_ignoring_duplicates(session),
                            {"sha256": sha, "instance_id": instance.id, "body": body})
        session.info[_STORED].add(sha)
    flush(session, instance, sha)
    return sha


def flush(session: Session, instance: Instance, state_sha256: str | None = None) -> None:
    entry = session.info.get(_PENDING, {}).pop(instance.id, None)
    if not entry:
        return
    seq, prev = instance.event_count or 0, instance.head_hash or GENESIS
    rows = []
    for type_, fields in entry[1]:
        seq += 1
        rows.append(_values(instance.id, seq, prev, type_, state_sha256, **fields))
        prev = rows[-1]["hash"]
    # a Core executemany: the log is append-only, so the ORM's unit of work buys nothing here
    with session.no_autoflush:  # Core rows; the instance's pending changes go in the one UPDATE below
        session.execute(insert(Event.__table__), rows)
    session.info.setdefault(_WRITTEN, []).extend((instance, row) for row in rows)
    instance.event_count, instance.head_hash = seq, prev
    session.flush()  # the instance row (and its lock_version) is final when the action returns


_SNAPSHOT_INSERTS = {
    name: dialect_insert(StateSnapshot.__table__).on_conflict_do_nothing(index_elements=["sha256"])
    for name, dialect_insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}  # built once: constructing the statement per action cost as much as sending it


def _insert_ignoring_duplicates(session: Session):
    return _SNAPSHOT_INSERTS[session.get_bind().dialect.name]


def attach(db) -> None:
    """Buffered events are written at commit and dropped on rollback, on ``db``'s sessions (an engine.db.session
    Database) only."""
    db.listen("before_commit", _flush_pending)
    db.listen("after_rollback", _drop_pending)
    db.listen("after_commit", _forget_stored)
    db.listen("after_transaction_end", _forget_written)
    db.listen("after_transaction_create", _mark_savepoint)
    db.listen("after_soft_rollback", _undo_savepoint)


_MARKS = "mtcflow.savepoint_marks"


def _mark_savepoint(session: Session, transaction) -> None:
    """Remember how many events each instance had buffered when a savepoint began."""
    if transaction.nested:
        counts = {key: len(events) for key, (_instance, events) in session.info.get(_PENDING, {}).items()}
        session.info.setdefault(_MARKS, {})[id(transaction)] = counts


def _undo_savepoint(session: Session, previous_transaction) -> None:
    """Events recorded inside a savepoint that rolled back (a failing service task) go with its work."""
    counts = session.info.get(_MARKS, {}).pop(id(previous_transaction), None)
    if counts is None:
        return
    pending = session.info.get(_PENDING, {})
    for key in list(pending):
        instance, events = pending[key]
        del events[counts.get(key, 0):]
        if not events:
            del pending[key]


def _flush_pending(session: Session) -> None:
    """Nothing buffered is ever dropped: actions that store no state (claim, assign) flush here."""
    for instance, _events in list(session.info.get(_PENDING, {}).values()):
        with session.no_autoflush:  # events are Core inserts: flushing first would only split the instance UPDATE
            latest = session.scalar(select(Event.state_sha256).where(Event.stream == instance.id,
                                                                     Event.seq == instance.event_count))
        flush(session, instance, latest)


def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_MARKS, None)
    session.info.pop(_STORED, None)


def _forget_stored(session: Session) -> None:
    session.info.pop(_STORED, None)


def _forget_written(session: Session, transaction) -> None:
    """Only when the whole transaction ends: a savepoint's rollback leaves the events written before it (a reader
    checks that the ones written inside it are still there)."""
    if transaction.parent is None:
        session.info.pop(_WRITTEN, None)


def written(session: Session) -> list[tuple[Instance, dict]]:
    """The instance events this transaction has written so far, as ``(instance, row values)``, in order: a
    ``before_commit`` listener attached after ``attach`` sees them all (the e-mail outbox is built from them).
    Events written inside a savepoint that rolled back are still listed."""
    return list(session.info.get(_WRITTEN, ()))
