"""Replay to any step of a 1,000-event instance, and verification speed over many events.

    .venv/bin/python -m bench.history [--events 1000000] [--postgres URL]

Prints figures; asserts nothing about time. The bulk chains are valid chains written directly (the
engine would need ~20 minutes to produce a million events); the replayed instance is a real one.
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from bench.lifecycle import ACTOR, QUICK, open_task
from engine.config import Settings
from engine.db import migrate
from engine.history import audit
from engine.history.log import GENESIS, compute_hash
from engine.history.models import Event
from engine.runtime import replay
from engine.runtime.models import Instance
from engine.workflow_engine import WorkflowEngine


def real_instance(eng: WorkflowEngine, events: int = 1000) -> str:
    with eng.db.transaction() as session:
        instance_id = eng.runtime.start(session, ACTOR, "quick").id
    task_id = open_task(eng, instance_id)
    for _ in range((events - 2) // 2):
        with eng.db.transaction() as session:
            eng.runtime.claim(session, ACTOR, task_id)
        with eng.db.transaction() as session:
            eng.runtime.unclaim(session, ACTOR, task_id)
    return instance_id


def replay_timings(eng: WorkflowEngine, instance_id: str, samples: int = 50) -> list[float]:
    with eng.db.transaction() as session:
        last = session.get(Instance, instance_id).event_count
    timings = []
    for _ in range(samples):
        step = random.randint(1, last)
        began = time.perf_counter()
        with eng.db.transaction() as session:
            replay.replay(session, eng.definitions, instance_id, step)
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def bulk_chains(eng: WorkflowEngine, total: int, per_stream: int = 1000) -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    streams = total // per_stream
    for s in range(streams):
        stream = str(uuid.uuid4())
        rows, prev = [], GENESIS
        for seq in range(1, per_stream + 1):
            fields = {"stream": stream, "seq": seq, "at": at, "actor": "bench", "type": "task_claimed",
                      "process_key": "quick", "process_version": 1, "element_id": "first", "task_id": stream,
                      "data": {"n": seq}, "state_sha256": None, "prev_hash": prev}
            fields["hash"] = compute_hash(fields)
            prev = fields["hash"]
            rows.append(fields)
        with eng.db.transaction() as session:
            session.execute(insert(Instance).values(
                id=stream, definition_id=1, process_key="quick", process_version=1, state="completed",
                workflow="{}", created_at=at, updated_at=at, event_count=per_stream, head_hash=prev))
            session.execute(insert(Event), rows)
        if (s + 1) % max(1, streams // 10) == 0:
            print(f"  wrote {(s + 1) * per_stream:,} events", flush=True)


def scan_rate(eng: WorkflowEngine) -> float:
    """Events/s of only reading the hashed columns in chain order: the floor under verification."""
    began, count = time.perf_counter(), 0
    with eng.db.transaction() as session:
        for _row in audit._events(session, None):
            count += 1
    return count / (time.perf_counter() - began)


def measure(url: str, events: int, label: str = "") -> dict:
    """Replay timings on a real 1,000-event instance, then verification speed over ``events`` bulk events."""
    migrate.upgrade(url)
    eng = WorkflowEngine(Settings(database_url=url))
    eng.deploy_files([QUICK], actor="bench")
    instance_id = real_instance(eng)
    timings = sorted(replay_timings(eng, instance_id))
    figures = {"replay_p50_ms": statistics.median(timings), "replay_p99_ms": timings[int(len(timings) * 0.99) - 1],
               "replay_max_ms": timings[-1]}
    print(f"{label}: writing {events:,} chained events …", flush=True)
    bulk_chains(eng, events)
    figures["scan_events_per_s"] = scan_rate(eng)
    began = time.perf_counter()
    with eng.db.transaction() as session:
        result = audit.verify(session)
    elapsed = time.perf_counter() - began
    assert result["ok"], result
    figures["verified"] = result["checked"]
    figures["verify_events_per_s"] = result["checked"] / elapsed
    eng.close()
    return figures


def report(label: str, figures: dict) -> None:
    print(f"{label}: replay to a random step of a 1,000-event instance: p50 {figures['replay_p50_ms']:.1f} ms, "
          f"p99 {figures['replay_p99_ms']:.1f} ms, max {figures['replay_max_ms']:.1f} ms (target ≤ 100 ms)")
    print(f"{label}: verified {figures['verified']:,} events at {figures['verify_events_per_s']:,.0f} events/s "
          f"(reading alone: {figures['scan_events_per_s']:,.0f}/s; target ≥ 50,000/s)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL (an empty database)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report("SQLite", measure(f"sqlite:///{Path(tmp) / 'history.db'}", args.events, "SQLite"))
    if args.postgres:
        report("PostgreSQL", measure(args.postgres, args.events, "PostgreSQL"))


if __name__ == "__main__":
    main()
