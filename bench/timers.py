"""Timer firing under load: N timers due within one window, fired by the real worker (APScheduler alarm clock,
atomic claims); lateness p50/p99 and throughput, one worker on SQLite, one and four on PostgreSQL.

    .venv/bin/python -m bench.timers [--count 10000] [--window 60] [--batch 10] [--postgres URL]

Set-up creates the instances with a test clock (their timers fall due across the window); the firing phase
runs on a clock offset from the wall clock so the window starts when the workers do. Lateness is
``fired_at - due_at`` of each timer row. Prints figures; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from engine import clock as clock_module
from engine.access.actors import SYSTEM_ACTOR
from engine.config import ROOT, Settings
from engine.db import migrate
from engine.history.models import Event
from engine.runtime.models import Timer
from engine.workflow_engine import WorkflowEngine

TIMER_WAIT = ROOT / "tests" / "fixtures" / "bpmn" / "timer_wait.bpmn"  # P30D, then a user task
EPOCH = datetime(2026, 3, 2, tzinfo=UTC)  # the set-up timeline: the window opens at EPOCH + 30 days


class OffsetClock(clock_module.Clock):
    """Wall-clock time shifted onto the set-up timeline."""

    def __init__(self, offset: timedelta):
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def engine_for(url: str) -> WorkflowEngine:
    return WorkflowEngine(Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=1024))


def set_up(url: str, count: int, window: float) -> None:
    """``count`` instances whose timers fall due evenly across ``window`` seconds after EPOCH + 30 days."""
    migrate.upgrade(url)
    engine = engine_for(url)
    engine.deploy_files([TIMER_WAIT])
    manual = clock_module.ManualClock(EPOCH)
    previous = clock_module.install(manual)
    began, per_transaction = time.perf_counter(), 200
    try:
        for first in range(0, count, per_transaction):
            with engine.db.transaction() as session:
                for i in range(first, min(first + per_transaction, count)):
                    manual.set(EPOCH + timedelta(seconds=window * i / count))
                    engine.runtime.start(session, SYSTEM_ACTOR, "timer_wait", f"bench-{i}")
    finally:
        clock_module.install(previous)
    print(f"  set-up: {count} instances in {time.perf_counter() - began:.0f} s")
    engine.close()


def _work(url: str, offset_seconds: float, batch: int, stop_at: float, barrier) -> None:
    """One worker process: the real TimerWorker (APScheduler wakes it at the next due time)."""
    from engine.timers.worker import TimerWorker

    clock_module.install(OffsetClock(timedelta(seconds=offset_seconds)))
    engine = engine_for(url)
    worker = TimerWorker(engine, poll_seconds=1.0, batch_size=batch, run_schedules=False, listen=True)
    if barrier is not None:
        barrier.wait()
    worker.start()
    while time.time() < stop_at and _waiting(engine):
        time.sleep(0.5)
    worker.stop()
    engine.close()


def _waiting(engine) -> int:
    with engine.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Timer).where(Timer.state == "waiting"))


def run(url: str, count: int, window: float, workers: int, batch: int, timeout: float) -> dict:
    set_up(url, count, window)
    lead = 5.0  # the window opens this many seconds after the workers start
    window_opens = datetime.now(UTC) + timedelta(seconds=lead + 3 * workers)
    offset = (EPOCH + timedelta(days=30)) - window_opens
    stop_at = time.time() + lead + 3 * workers + window + timeout
    began = time.perf_counter()
    if workers == 1 and url.startswith("sqlite"):
        _work(url, offset.total_seconds(), batch, stop_at, None)
    else:
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(workers)
        processes = [context.Process(target=_work, args=(url, offset.total_seconds(), batch, stop_at, barrier))
                     for _ in range(workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    elapsed = time.perf_counter() - began
    engine = engine_for(url)
    with engine.db.transaction() as session:
        rows = session.execute(select(Timer.due_at, Timer.fired_at).where(Timer.state == "fired")).all()
        waiting = session.scalar(select(func.count()).select_from(Timer).where(Timer.state == "waiting"))
        fired_events = session.scalar(select(func.count()).select_from(Event).where(Event.type == "timer_fired"))
        fired_streams = session.scalar(select(func.count(func.distinct(Event.stream)))
                                       .where(Event.type == "timer_fired"))
    engine.close()
    lateness = sorted((fired - due).total_seconds() for due, fired in rows)
    busy = (max(f for _, f in rows) - min(f for _, f in rows)).total_seconds() if rows else 0.0
    return {"fired": len(rows), "missed": waiting, "elapsed": elapsed, "fired_twice": fired_events - fired_streams,
            "p50": statistics.median(lateness) if lateness else None,
            "p99": lateness[int(0.99 * (len(lateness) - 1))] if lateness else None,
            "max": lateness[-1] if lateness else None,
            "throughput": len(rows) / busy if busy else None}


def _fresh_schema(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}", schema


def _drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def report(label: str, figures: dict) -> None:
    def seconds(value):
        return "n/a" if value is None else f"{value:.3f} s"

    rate = figures["throughput"]
    print(f"{label}: fired {figures['fired']}, missed {figures['missed']}, twice {figures['fired_twice']}, "
          f"lateness p50 {seconds(figures['p50'])}, p99 {seconds(figures['p99'])}, max {seconds(figures['max'])}, "
          f"throughput {'n/a' if rate is None else f'{rate:.0f}/s'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which the timers fall due")
    parser.add_argument("--batch", type=int, default=10, help="timers claimed per transaction")
    parser.add_argument("--timeout", type=float, default=900.0, help="give up this long after the window")
    parser.add_argument("--postgres", help="PostgreSQL URL (a fresh schema per run is created and dropped)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"{args.count} timers due within {args.window:.0f} s, batch {args.batch}")
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{Path(directory) / 'bench.db'}"
            report("SQLite, 1 worker", run(url, args.count, args.window, 1, args.batch, args.timeout))
    if args.postgres:
        for workers in (1, 4):
            url, schema = _fresh_schema(args.postgres)
            try:
                report(f"PostgreSQL, {workers} worker{'s' if workers > 1 else ''}",
                       run(url, args.count, args.window, workers, args.batch, args.timeout))
            finally:
                _drop_schema(args.postgres, schema)


if __name__ == "__main__":
    main()
