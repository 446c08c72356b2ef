"""Verification of the hash chains, anchors over chain heads, and export of an instance's history.

Per event: the sequence is contiguous, ``prev_hash`` links to the previous event and the stored hash
matches the recomputed one (content edits, inserted, deleted or reordered events). Per instance: the
head kept on the instance row matches the last event (the newest events deleted or forged on). Per
anchor (engine/history/anchors.py): every anchored head still exists unchanged (a whole chain deleted together
with its instance), and the anchors' keyed MACs hold against someone who recomputed every hash.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.history import anchors
from engine.history.anchor_keys import Keyring
from engine.history.anchors import create_anchor  # noqa: F401  (callers know it as audit.create_anchor)
from engine.history.log import GENESIS, GLOBAL_STREAM, HASHED_FIELDS, hash_values
from engine.history.models import Event
from engine.runtime.models import Instance

_COLUMNS = tuple(Event.__table__.c[name] for name in HASHED_FIELDS) + (Event.__table__.c.hash,)
_STREAM, _SEQ, _TYPE, _PREV, _HASH = 0, 1, 4, 11, 12


@dataclass(frozen=True)
class Break:
    kind: str
    stream: str
    seq: int | None
    detail: str

    def as_dict(self) -> dict:
        found = asdict(self)
        if self.stream != GLOBAL_STREAM:
            found["instance_id"] = self.stream
        return found


class _Chains:
    """Walks events in (stream, seq) order, remembering each stream's head."""

    def __init__(self) -> None:
        self.heads: dict[str, tuple[int, str]] = {}
        self.checked = 0
        self.breaks: list[Break] = []

    def feed(self, row: tuple) -> None:
        self.checked += 1
        stream, number = row[_STREAM], row[_SEQ]
        seq, prev = self.heads.get(stream, (0, GENESIS))
        if number != seq + 1:
            kind = "events_missing" if number > seq + 1 else "sequence_reordered"
            self.breaks.append(Break(kind, stream, number, f"expected seq {seq + 1}, found {number}"))
        elif row[_PREV] != prev:
            self.breaks.append(Break("broken_link", stream, number,
                                     "prev_hash does not match the previous event's hash"))
        if hash_values(row[:_HASH]) != row[_HASH]:
            self.breaks.append(Break("content_altered", stream, number,
                                     f"stored hash does not match the content of event {row[_TYPE]}"))
        self.heads[stream] = (number, row[_HASH])


def _events(session: Session, stream: str | None) -> Iterator:
    query = select(*_COLUMNS).order_by(Event.__table__.c.stream, Event.__table__.c.seq)
    if stream is not None:
        query = query.where(Event.__table__.c.stream == stream)
    yield from session.connection().execution_options(yield_per=5000).execute(query)


def verify(session: Session, instance_id: str | None = None,
           progress: Callable[[int], None] | None = None, keyring: Keyring | None = None) -> dict:
    """Check every chain (or one instance's) and the anchors; returns ``{"ok", "checked", "breaks",
    "first_broken"?, "anchors", "verdict"}``. ``ok`` is the chains' consistency; ``verdict`` is ``ok`` only
    when, besides, the newest anchor's MAC checks with a configured key (see anchors.verdict)."""
    chains = _Chains()
    for n, row in enumerate(_events(session, instance_id), 1):
        chains.feed(row)
        if progress and n % 10_000 == 0:
            progress(10_000)
    if progress:
        progress(chains.checked % 10_000)
    _check_instances(session, chains, instance_id)
    summary = anchors.check(session, chains.heads, instance_id, keyring or Keyring(),
                            lambda *found: chains.breaks.append(Break(*found)))
    result = {"ok": not chains.breaks, "checked": chains.checked, "breaks": len(chains.breaks),
              "anchors": summary, "verdict": anchors.verdict(not chains.breaks, summary)}
    if chains.breaks:
        first = min(chains.breaks, key=lambda b: (b.stream != instance_id, b.stream, b.seq or 0))
        result["first_broken"] = first.as_dict()
    return result


def _check_instances(session: Session, chains: _Chains, instance_id: str | None) -> None:
    query = select(Instance.id, Instance.event_count, Instance.head_hash)
    if instance_id is not None:
        query = query.where(Instance.id == instance_id)
    known = set()
    for row in session.execute(query):
        known.add(row.id)
        seq, head = chains.heads.get(row.id, (0, GENESIS))
        if (row.event_count or 0) > 0 and seq == 0:
            chains.breaks.append(Break("chain_missing", row.id, None,
                                       f"the instance recorded {row.event_count} events; none are stored"))
        elif seq < (row.event_count or 0):
            chains.breaks.append(Break("newest_events_missing", row.id, seq + 1,
                                       f"the chain ends at {seq}; the instance recorded {row.event_count}"))
        elif seq > (row.event_count or 0) or (seq and head != row.head_hash):
            chains.breaks.append(Break("head_mismatch", row.id, seq,
                                       "events after the recorded head, or a different head hash"))
    for stream in chains.heads:
        if stream != GLOBAL_STREAM and stream not in known:
            chains.breaks.append(Break("instance_missing", stream, None, "events exist for a deleted instance"))


EXPORT_FIELDS = ("seq", "at", "actor", "type", "process_key", "process_version", "element_id", "task_id",
                 "data", "state_sha256", "prev_hash", "hash")


def export(session: Session, instance_id: str, fmt: str) -> Iterator[str]:
    """An instance's events as JSON Lines or CSV, in order, hashes included so a copy can be verified."""
    rows = (dict(zip(EXPORT_FIELDS, (getattr(r, f) for f in EXPORT_FIELDS), strict=True))
            for r in _events(session, instance_id))  # rows are named tuples
    if fmt == "jsonl":
        for row in rows:
            row["at"] = row["at"].isoformat()
            yield json.dumps(row, ensure_ascii=False, default=str) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        row["at"] = row["at"].isoformat()
        row["data"] = json.dumps(row["data"], ensure_ascii=False) if row["data"] is not None else ""
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()
