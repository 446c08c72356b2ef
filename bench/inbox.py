"""Inbox query latency with 100,000 open tasks, thousands of users and scoped grants.

    .venv/bin/python -m bench.inbox [--tasks 100000] [--users 5000] [--samples 300] [--postgres URL]

Fills a fresh database (a temporary SQLite file; with --postgres, a throw-away schema in that database)
with instances spread over 300 committees, 8,000 specifications and every approval level, their open
tasks in every lane (a quarter of them claimed, some with duties, most with due dates), as many
completed tasks, and users holding 1–4 scoped grants. Then times what GET /tasks runs — building the
query, the count (up to 10,000, as GET /tasks) and the first page (20, sorted by due date) — for random
users per kind of grant, twice (the first pass compiles each new shape of the query), and prints p50 / p99 / max in
milliseconds of the second pass and the p99 of the first. Prints figures; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

from api.views import paginate, paginate_capped
from engine.access import assignment, inbox
from engine.access.actors import Actor, Grant
from engine.access.models import ConflictDeclaration, InstanceFact, User
from engine.db import migrate
from engine.db.session import Database
from engine.runtime.models import Definition, Instance, Task

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PROVINCES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏",
             "陕西", "甘肃", "青海", "宁夏", "新疆"]
MINISTRIES = ["工业和信息化部", "交通运输部", "国家卫生健康委员会", "生态环境部", "自然资源部"]
LANES = [("secretariat", None, 30), ("authority", None, 15), ("member", "vote", 20),
         ("chief_reviewer", "chief_review", 5),
         ("drafter", None, 10), ("chair", None, 5), ("corresponding_member", None, 5), ("observer", "observe", 2),
         ("secretary_general", None, 8)]
COMMITTEE_ROLES = ["secretariat", "member", "chair", "secretary_general", "corresponding_member"]
SPEC_ROLES = ["drafter", "chief_reviewer", "observer"]


def level_of(rng: random.Random) -> tuple[str, str | None]:
    roll = rng.random()
    if roll < 0.6:
        return "national", None
    if roll < 0.7:
        return "ministry", rng.choice(MINISTRIES)
    return "provincial", rng.choice(PROVINCES)


def fill(db: Database, n_tasks: int, n_users: int, rng: random.Random) -> dict[str, list[Actor]]:
    """Insert the data set in bulk; returns sample actors by kind of grant."""
    with db.transaction() as session:
        definition_id = session.execute(insert(Definition).values(
            key="bench", version=1, sha256="0" * 64, xml="", specs="", meta={}, deployed_at=NOW)
            .returning(Definition.id)).scalar_one()
    n_instances = n_tasks // 2
    instances, tasks, facts = [], [], []
    for i in range(n_instances):
        instance_id = str(uuid.uuid4())
        level, jurisdiction = level_of(rng)
        spec = f"JJF-{rng.randrange(8000)}" if rng.random() < 0.6 else None
        committee = f"MTC-{rng.randrange(300)}"
        created = NOW - timedelta(days=rng.randrange(400), minutes=i % 1440)
        instances.append({"id": instance_id, "definition_id": definition_id, "process_key": "bench",
                          "process_version": 1, "state": "running", "workflow": "", "committee": committee,
                          "specification": spec, "level": level, "jurisdiction": jurisdiction,
                          "started_by": f"u{rng.randrange(n_users)}", "created_at": created, "updated_at": created})
        if spec:
            facts.append({"instance_id": instance_id, "kind": "drafter", "value": f"u{rng.randrange(n_users)}"})
            facts.append({"instance_id": instance_id, "kind": "drafting_unit", "value": f"unit-{rng.randrange(500)}"})
            facts.append({"instance_id": instance_id, "kind": "livelihood", "value": "true" if rng.random() < 0.1
                          else "false"})
        for state in ("open", "open", "completed", "completed"):
            role, duty, _ = rng.choices(LANES, weights=[w for *_, w in LANES])[0]
            due = None if rng.random() < 0.2 else NOW + timedelta(days=rng.randrange(-60, 60), hours=rng.randrange(24))
            claimed = state == "open" and rng.random() < 0.25
            assignee = f"u{rng.randrange(n_users)}" if claimed or state == "completed" else None
            tasks.append({"id": str(uuid.uuid4()), "instance_id": instance_id, "process_key": "bench",
                          "element_id": f"{role}_task", "name": role, "lane": role, "role": role, "duty": duty,
                          "state": ("claimed" if claimed else "ready") if state == "open" else "completed",
                          "assignee": assignee, "due_at": due, "committee": committee, "specification": spec,
                          "level": level, "jurisdiction": jurisdiction, "created_at": created,
                          "completed_by": assignee if state == "completed" else None})
    users, samples = [], {"committee": [], "spec": [], "authority": [], "mixed": [], "global": [], "auditor": []}
    for u in range(n_users):
        unit = f"unit-{rng.randrange(500)}"
        users.append({"username": f"u{u}", "password_hash": "-", "active": True, "unit": unit, "created_at": NOW})
        kind = rng.choices(["committee", "spec", "authority", "mixed"], weights=[50, 25, 5, 20])[0]
        if kind == "committee":
            grants = [Grant(rng.choice(COMMITTEE_ROLES), f"committee/MTC-{rng.randrange(300)}")]
        elif kind == "spec":
            grants = [Grant(rng.choice(SPEC_ROLES), f"spec/JJF-{rng.randrange(8000)}")
                      for _ in range(rng.randint(1, 3))]
        elif kind == "authority":
            level, jurisdiction = level_of(rng)
            grants = [Grant("authority", f"level/{level}" + (f"/{jurisdiction}" if jurisdiction else ""))]
        else:
            grants = [Grant(rng.choice(COMMITTEE_ROLES), f"committee/MTC-{rng.randrange(300)}") for _ in range(2)]
            grants += [Grant(rng.choice(SPEC_ROLES), f"spec/JJF-{rng.randrange(8000)}") for _ in range(2)]
        samples[kind].append(Actor(f"u{u}", tuple(grants), unit))
    samples["global"] = [Actor(f"u{u}", (Grant(rng.choice(COMMITTEE_ROLES)),), None) for u in range(50)]
    samples["auditor"] = [Actor(f"u{u}", (Grant("auditor"),), None) for u in range(50)]
    with db.transaction() as session:
        for table, rows in ((Instance, instances), (Task, tasks), (InstanceFact, facts), (User, users)):
            for start in range(0, len(rows), 5000):
                session.execute(insert(table), rows[start:start + 5000])
        session.execute(insert(ConflictDeclaration), [
            {"user_id": rng.randrange(1, n_users + 1), "specification": f"JJF-{s}", "reason": "bench",
             "declared_at": NOW} for s in rng.sample(range(8000), 2000)])
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return samples


def instances_query(session, actor: Actor):
    """What GET /instances runs: the instances the caller may see, newest first."""
    return select(Instance).where(assignment.visible_instances(actor)).order_by(Instance.created_at.desc(),
                                                                               Instance.id)


def measure(db: Database, actors: list[Actor], samples: int, rng: random.Random, build=inbox.query,
            **args) -> tuple[list[float], list[float]]:
    """Two passes over the same sampled users: the first includes SQLAlchemy compiling each new shape of the
    query (a fresh process), the second is a warm server."""
    chosen = [rng.choice(actors) for _ in range(samples)]
    if build is inbox.query:  # as GET /tasks: the total counted up to the cap
        def page(session, query):
            return paginate_capped(session, query, 1, 20, inbox.TOTAL_CAP)
    else:
        def page(session, query):
            return paginate(session, query, 1, 20)
    passes = []
    with db.transaction() as session:
        for _ in range(2):
            timings = []
            for actor in chosen:
                began = time.perf_counter()
                page(session, build(session, actor, **args))
                timings.append((time.perf_counter() - began) * 1000)
            passes.append(timings)
    return passes[1], passes[0]


def _p99(ordered: list[float]) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def summary(timings: tuple[list[float], list[float]]) -> dict:
    warm, cold = sorted(timings[0]), sorted(timings[1])
    return {"p50": statistics.median(warm), "p99": _p99(warm), "max": warm[-1], "first_pass_p99": _p99(cold)}


def report(name: str, figures: dict) -> None:
    print(f"  {name:38s} p50 {figures['p50']:7.2f}   p99 {figures['p99']:7.2f}   max {figures['max']:7.2f}"
          f"   | first pass p99 {figures['first_pass_p99']:7.2f}")


def key_lookup(db: Database, samples: int, rng: random.Random) -> dict:
    """The baseline: reading one task by primary key on the same tables, same session handling."""
    with db.transaction() as session:
        ids = list(session.scalars(select(Task.id).limit(5000)))
        timings = []
        for _ in range(2):
            timings.append([])
            for task_id in rng.sample(ids, min(samples, len(ids))):
                began = time.perf_counter()
                session.execute(select(Task).where(Task.id == task_id)).scalar_one()
                timings[-1].append((time.perf_counter() - began) * 1000)
    return summary((timings[1], timings[0]))


class _Bulk:
    def __init__(self, db: Database):
        self.db = db


def run(url: str, args, label: str, events: int = 0, quiet: bool = False) -> dict:
    """Fill, then time each kind of inbox query; returns figures by name (ms) and the worst p50/p99."""
    rng = random.Random(4)
    migrate.upgrade(url)
    db = Database(url)
    began = time.perf_counter()
    samples = fill(db, args.tasks, args.users, rng)
    if events:
        from bench.history import bulk_chains

        bulk_chains(_Bulk(db), events, per_stream=1000)
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    if not quiet:
        print(f"{label}: {args.tasks:,} open + {args.tasks:,} completed tasks, {args.users:,} users, {events:,} "
              f"events (filled in {time.perf_counter() - began:.1f} s); inbox = count + first page of 20, ms")
    national = [a for a in samples["authority"] if a.grants[0].scope == "level/national"]
    few = min(args.samples, 100)
    cases = [(f"{kind}-scoped users, inbox", samples[kind], args.samples, {})
             for kind in ("committee", "spec", "authority", "mixed")]
    cases += [("national authority (~7,000-task pool)", national, few, {}),
              ("mixed users, claimable only", samples["mixed"], args.samples, {"claimable": True}),
              ("mixed users, overdue", samples["mixed"], args.samples, {"overdue": True}),
              ("instance list (GET /instances), mixed", samples["mixed"], args.samples, {"build": instances_query}),
              ("global-role users (~1/9 of all tasks)", samples["global"], few, {}),
              ("auditors (every open task)", samples["auditor"], few, {})]
    figures = {"queries": {}}
    for name, actors, count, extra in cases:
        figures["queries"][name] = summary(measure(db, actors, count, rng, **extra))
        if not quiet:
            report(name, figures["queries"][name])
    figures["key_lookup"] = key_lookup(db, args.samples, rng)
    figures["p50"] = max(q["p50"] for q in figures["queries"].values())
    figures["p99"] = max(q["p99"] for q in figures["queries"].values())
    db.dispose()
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000, help="open tasks (as many completed are added)")
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--events", type=int, default=0, help="chained events added to the log first")
    parser.add_argument("--postgres", help="also run against this PostgreSQL URL (in a throw-away schema)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'inbox.db'}", args, "SQLite", args.events)
    if args.postgres:
        schema = f"bench_inbox_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in args.postgres else "?"
        try:
            run(f"{args.postgres}{separator}options=-csearch_path%3D{schema}", args, "PostgreSQL", args.events)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
