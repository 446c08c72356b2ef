"""Lifecycles per second through the engine with persistence vs raw in-memory SpiffWorkflow, and the cost
of one action as an instance's history grows.

    .venv/bin/python -m bench.lifecycle [--n 300] [--postgres URL]

Prints figures; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.access.actors import Actor, Grant
from engine.config import ROOT, Settings
from engine.db import migrate
from engine.runtime.models import Task
from engine.runtime.scripting import script_engine_factory
from engine.workflow_engine import WorkflowEngine

QUICK = ROOT / "tests" / "fixtures" / "bpmn" / "quick.bpmn"
ACTOR = Actor("bench", (Grant("secretariat"),))


def raw_in_memory(n: int) -> float:
    parser = BpmnParser()
    parser.add_bpmn_file(str(QUICK))
    spec = parser.get_spec("quick")
    make_engine = script_engine_factory(1.0, 100_000)
    began = time.perf_counter()
    for i in range(n):
        wf = BpmnWorkflow(spec, script_engine=make_engine())
        wf.do_engine_steps()
        for choice in ("a" if i % 2 else "b", None):
            [task] = wf.get_tasks(state=TaskState.READY, manual=True)
            if choice:
                task.data["choice"] = choice
            task.run()
            wf.do_engine_steps()
        assert wf.is_completed()
    return n / (time.perf_counter() - began)


def open_task(eng: WorkflowEngine, instance_id: str) -> str:
    with eng.db.transaction() as session:
        return session.scalar(select(Task.id).where(Task.instance_id == instance_id,
                                                    Task.state.in_(("ready", "claimed"))))


def persisted(eng: WorkflowEngine, n: int) -> float:
    began = time.perf_counter()
    for i in range(n):
        with eng.db.transaction() as session:
            instance = eng.runtime.start(session, ACTOR, "quick")
            instance_id = instance.id
        for data in ({"choice": "a" if i % 2 else "b"}, {}):
            with eng.db.transaction() as session:
                task_id = session.scalar(select(Task.id).where(Task.instance_id == instance_id,
                                                               Task.state == "ready"))
                eng.runtime.complete(session, ACTOR, task_id, data)
        with eng.db.transaction() as session:
            assert eng.runtime.lock_instance(session, instance_id).state == "completed"
    return n / (time.perf_counter() - began)


def statements_per_lifecycle(eng: WorkflowEngine) -> tuple[int, int]:
    """(transactions, SQL statements) one persisted lifecycle sends, counted on the engine."""
    from sqlalchemy import event

    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    event.listen(eng.db.engine, "before_cursor_execute", count)
    try:
        persisted(eng, 1)
    finally:
        event.remove(eng.db.engine, "before_cursor_execute", count)
    begins = sum(1 for statement in sent if statement.startswith("BEGIN"))
    return 4, len(sent) - begins  # start, two completions, the final check (BEGIN is explicit only on SQLite)


def floor(eng: WorkflowEngine, n: int, transactions: int, statements: int, raw_rate: float) -> float:
    """Lifecycles/s if each cost raw SpiffWorkflow plus the same number of transactions and statements, each
    statement the cheapest there is (``SELECT 1``): what no ORM tuning can beat with this many round trips."""
    from sqlalchemy import text

    per_transaction = max(1, statements // transactions)
    began = time.perf_counter()
    for _ in range(n):
        for _ in range(transactions):
            with eng.db.transaction() as session:
                for _ in range(per_transaction):
                    session.execute(text("SELECT 1"))
    database = time.perf_counter() - began
    return n / (database + n / raw_rate)


def grow(eng: WorkflowEngine, length: int) -> str:
    """An instance of quick.bpmn whose history holds ~``length`` events (claim/unclaim); returns its open task."""
    with eng.db.transaction() as session:
        instance_id = eng.runtime.start(session, ACTOR, "quick").id
    task_id = open_task(eng, instance_id)
    for _ in range(max(0, (length - 3) // 2)):
        with eng.db.transaction() as session:
            eng.runtime.claim(session, ACTOR, task_id)
        with eng.db.transaction() as session:
            eng.runtime.unclaim(session, ACTOR, task_id)
    return task_id


def action_cost_by_history(eng: WorkflowEngine, lengths=(10, 100, 1000), samples: int = 9) -> dict[int, float]:
    """Median ms of completing a task on instances whose history holds ~L events. All instances are grown
    first and the completions interleave the lengths, so load drift on a shared machine hits each alike."""
    prepared = {length: [grow(eng, length) for _ in range(samples)] for length in lengths}
    timings: dict[int, list[float]] = {length: [] for length in lengths}
    for i in range(samples):
        for length in lengths:
            began = time.perf_counter()
            with eng.db.transaction() as session:
                eng.runtime.complete(session, ACTOR, prepared[length][i], {"choice": "a"})
            timings[length].append((time.perf_counter() - began) * 1000)
    return {length: statistics.median(values) for length, values in timings.items()}


def statements_per_action(eng: WorkflowEngine, length: int) -> int:
    """SQL statements one task completion sends at history length ``length`` (the deterministic view of cost)."""
    from sqlalchemy import event

    task_id, sent = grow(eng, length), []

    def count(*_args) -> None:
        sent.append(1)

    event.listen(eng.db.engine, "before_cursor_execute", count)
    try:
        with eng.db.transaction() as session:
            eng.runtime.complete(session, ACTOR, task_id, {"choice": "a"})
    finally:
        event.remove(eng.db.engine, "before_cursor_execute", count)
    return len(sent)


def build_engine(url: str) -> WorkflowEngine:
    migrate.upgrade(url)
    eng = WorkflowEngine(Settings(database_url=url))
    eng.deploy_files([QUICK], actor="bench")
    return eng


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL (an empty database)")
    args = parser.parse_args(argv)

    raw = raw_in_memory(args.n)
    rows = [("raw SpiffWorkflow, in memory", raw, 1.0)]
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("mtcflow engine, SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        if args.postgres:
            targets.append(("mtcflow engine, PostgreSQL", args.postgres))
        costs = {}
        for label, url in targets:
            eng = build_engine(url)
            rate = persisted(eng, args.n)
            rows.append((label, rate, raw / rate))
            costs[label] = action_cost_by_history(eng)
            eng.close()
    print(f"\nlifecycles of start → user task → gateway → user task → end (n={args.n})")
    print(f"{'':34s} {'lifecycles/s':>14s} {'slower than raw':>16s}")
    for label, rate, ratio in rows:
        print(f"{label:34s} {rate:14.1f} {ratio:15.2f}×")
    print("\ncost of one task completion by history length (median ms)")
    for label, by_length in costs.items():
        base = by_length[min(by_length)]
        cells = "  ".join(f"{length:>5d} ev: {ms:6.2f} ms ({ms / base:4.2f}×)" for length, ms in by_length.items())
        print(f"{label:34s} {cells}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
