"""Append-only, hash-chained event log written in the same transaction as the change it records."""
from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import clock
from .models import Event

GLOBAL_STREAM = "global"
GENESIS = "0" * 64


def canonical(event: Event) -> str:
    """The exact bytes a hash covers; any change to a stored field changes it."""
    return json.dumps({
        "stream": event.stream, "seq": event.seq, "at": _iso(event.at), "actor": event.actor,
        "type": event.type, "process_key": event.process_key, "process_version": event.process_version,
        "element_id": event.element_id, "task_id": event.task_id, "data": event.data,
        "prev_hash": event.prev_hash,
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def compute_hash(event: Event) -> str:
    return hashlib.sha256(canonical(event).encode("utf-8")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _head(session: Session, stream: str) -> tuple[int, str]:
    row = session.execute(select(Event.seq, Event.hash).where(Event.stream == stream)
                          .order_by(Event.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def append(session: Session, stream: str, type_: str, *, actor: str | None = None,
           process_key: str | None = None, process_version: int | None = None,
           element_id: str | None = None, task_id: str | None = None, data: dict | None = None) -> Event:
    """Append one event at the head of ``stream``; a concurrent append to the same stream loses on the
    unique (stream, seq) constraint instead of forking the chain."""
    seq, prev = _head(session, stream)
    event = Event(stream=stream, seq=seq + 1, at=clock.now().astimezone(UTC), actor=actor, type=type_,
                  process_key=process_key, process_version=process_version, element_id=element_id,
                  task_id=task_id, data=data, prev_hash=prev)
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event
