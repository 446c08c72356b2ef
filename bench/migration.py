"""Instances migrated per second (issue 19): N running instances of the migration fixture, spread over its
waiting elements, moved from v1 to v2 (a rename, a recomputed timer), one transaction each.

    .venv/bin/python -m bench.migration [--count 200] [--postgres URL]

Prints figures for SQLite (a temporary file) and, with --postgres, a throw-away schema of that database;
asserts nothing about time.
"""
from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from engine import clock as clock_module
from engine.access.actors import SYSTEM_ACTOR
from engine.config import ROOT, Settings
from engine.db import migrate
from engine.runtime import migration
from engine.runtime.models import Task
from engine.workflow_engine import WorkflowEngine

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
KEY = "migration_lifecycle"


def _engine(url: str) -> WorkflowEngine:
    return WorkflowEngine(Settings(database_url=url, processes_dir=ROOT / "processes",
                                   extra_forms_dirs=(FIXTURES / "forms",), argon2_time_cost=1, argon2_memory_kib=1024))


def run(url: str, count: int) -> dict:
    clock_module.install(clock_module.ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)))
    engine = _engine(url)
    engine.deploy_files([FIXTURES / "bpmn" / "migration_v1.bpmn"])
    with engine.db.transaction() as session:
        for n in range(count):
            instance = engine.runtime.start(session, SYSTEM_ACTOR, KEY)
            if n % 2:  # half wait at the comment window (recomputed), half at the draft
                [task] = session.query(Task).filter_by(instance_id=instance.id, state="ready").all()
                engine.runtime.complete(session, SYSTEM_ACTOR, task.id, {})
    engine.deploy_files([FIXTURES / "bpmn" / "migration_v2.bpmn"])
    began = time.perf_counter()
    with engine.db.transaction() as session:
        migration.plan(engine.runtime, session, SYSTEM_ACTOR, KEY, 1, 2, {"review": "technical_review"})
    planned = time.perf_counter() - began
    began = time.perf_counter()
    result = migration.execute(engine.db, engine.runtime, SYSTEM_ACTOR, KEY, 1, 2, {"review": "technical_review"},
                               "bench")
    elapsed = time.perf_counter() - began
    engine.close()
    return {"instances": count, "migrated": len(result["migrated"]), "plan_per_s": count / planned,
            "migrated_per_s": len(result["migrated"]) / elapsed}


def _postgres(base: str, count: int) -> dict:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        migrate.upgrade(url)
        return run(url, count)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        figures = {"sqlite": run(url, args.count)}
    if args.postgres:
        figures["postgresql"] = _postgres(args.postgres, args.count)
    for store, f in figures.items():
        print(f"{store:11} {f['migrated']}/{f['instances']} migrated: {f['migrated_per_s']:.1f} instances/s "
              f"(plan {f['plan_per_s']:.1f} instances/s)")


if __name__ == "__main__":
    main()
