"""Consistency search latency at 10,000 specifications (not in the suite).

    PYTHONPATH=. .venv/bin/python bench/consistency_search.py [--count 10000] [--url postgresql+psycopg://…]

Builds a fresh database (SQLite file by default), registers COUNT specifications made from the labelled real
titles with varied instruments and fields (indexed through the same flush hook the engine uses), then times the
labelled queries and prints the median and p95 in milliseconds."""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime

from engine.config import ROOT
from engine.consistency import index
from engine.consistency.search import Probe, overlaps
from engine.db import migrate
from engine.db.session import Database
from engine.rules import profiles
from engine.specifications.models import Specification
from tests.fixtures.consistency.labelled import QUERIES, SPECS

PREFIXES = ("智能", "数字", "便携式", "在线", "工作用", "标准", "自动", "医用", "工业", "实验室")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--url")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    migrate.upgrade(url)
    db = Database(url)
    index.attach(db)
    now = datetime.now(UTC)
    with profiles.bound(profiles.load_profiles(ROOT / "processes" / "profiles")):
        started = time.perf_counter()
        with db.transaction() as session:
            for i in range(args.count):
                number, title, quantity, field = SPECS[i % len(SPECS)]
                prefix = PREFIXES[(i // len(SPECS)) % len(PREFIXES)]
                session.add(Specification(id=f"B-{i:05d}", type=number.split()[0], title=prefix + title,
                                          number=f"{number}#{i}", stage="published", level="national", kind="new",
                                          livelihood=False, confidential=False, drafting_units=[], drafters=[],
                                          extensions=[], documents={}, created_at=now, updated_at=now,
                                          proposal={"measured_quantity": quantity, "field": field}))
                if i % 500 == 499:
                    session.flush()
        print(f"indexed {args.count} specifications in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        timings = []
        with db.transaction() as session:
            for _ in range(3):
                for (title, quantity, field, scope), _expected in QUERIES:
                    t0 = time.perf_counter()
                    overlaps(session, Probe(title, quantity, field, scope))
                    timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(f"{len(timings)} searches: median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
