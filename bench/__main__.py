"""The benchmark suite of issue 8 in one command: every figure next to a baseline measured in the same run.

    .venv/bin/python -m bench [--quick] [--postgres URL] [--only lifecycle,http,history_cost,inbox,timers,replay]
                              [--json PATH]

Prints one table (figure, baseline, ratio, target, met?) and writes JSON with the figures and a description of
the machine. The machine is shared and loaded: read the ratios, not the absolute numbers. With --postgres, the
PostgreSQL rows run in throw-away schemas of that database.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

from engine.config import ROOT

ALL = ("lifecycle", "http", "history_cost", "inbox", "timers", "replay")
SIZES = {
    "full": {"lifecycles": 300, "http_tasks": 600, "inbox_tasks": 100_000, "inbox_users": 5_000, "inbox_samples": 300,
             "inbox_events": 1_000_000, "timers": 10_000, "timer_window": 60.0, "verify_events": 1_000_000},
    "quick": {"lifecycles": 60, "http_tasks": 150, "inbox_tasks": 5_000, "inbox_users": 500, "inbox_samples": 100,
              "inbox_events": 20_000, "timers": 500, "timer_window": 10.0, "verify_events": 50_000},
}


class Table:
    """Rows of (figure, value, baseline, ratio, target, met)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, figure: str, value: str, baseline: str, ratio: str, target: str, met: bool | None) -> None:
        self.rows.append({"figure": figure, "value": value, "baseline": baseline, "ratio": ratio, "target": target,
                          "met": met})

    def render(self) -> str:
        heads = ("figure", "value", "baseline (same run)", "ratio", "target", "met?")
        cells = [[r["figure"], r["value"], r["baseline"], r["ratio"], r["target"],
                  {True: "yes", False: "NO", None: "–"}[r["met"]]] for r in self.rows]
        widths = [max(len(str(row[i])) for row in [heads, *cells]) for i in range(len(heads))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [line.format(*heads), line.format(*("-" * w for w in widths))]
        out += [line.format(*row) for row in cells]
        return "\n".join(out)


def machine(postgres: str | None) -> dict:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    description = {"cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0],
                   "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
                   "loadavg_at_start": os.getloadavg(),
                   "packages": {name: _version(name) for name in ("SpiffWorkflow", "SQLAlchemy", "Flask", "gunicorn",
                                                                  "psycopg")}}
    if postgres:
        from sqlalchemy import create_engine, text

        engine = create_engine(postgres)
        with engine.connect() as conn:
            description["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    return description


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _pg_schema(postgres: str):
    from bench.timers import _drop_schema, _fresh_schema

    url, schema = _fresh_schema(postgres)
    return url, lambda: _drop_schema(postgres, schema)


def run_lifecycle(size: dict, postgres: str | None, table: Table, results: dict, with_cost: bool) -> None:
    from bench import lifecycle

    n = size["lifecycles"]
    raw = lifecycle.raw_in_memory(n)
    results["raw_lifecycles_per_s"] = raw
    targets = [("SQLite", None)] + ([("PostgreSQL", postgres)] if postgres else [])
    for label, base in targets:
        with tempfile.TemporaryDirectory() as tmp:
            url, drop = (f"sqlite:///{Path(tmp) / 'bench.db'}", lambda: None) if base is None else _pg_schema(base)
            try:
                eng = lifecycle.build_engine(url)
                rate = lifecycle.persisted(eng, n)
                transactions, statements = lifecycle.statements_per_lifecycle(eng)
                best = lifecycle.floor(eng, n, transactions, statements, raw)
                results[f"{label}_lifecycles_per_s"] = rate
                results[f"{label}_lifecycle_sql"] = {"transactions": transactions, "statements": statements,
                                                     "floor_lifecycles_per_s": best}
                table.add(f"1. lifecycles/s, engine + {label}", f"{rate:.1f}/s ({statements} SQL)",
                          f"durable floor {best:.0f}/s (raw Spiff {raw:.1f}/s)", f"{rate / best:.0%} of floor",
                          "≥ 50% of floor (issue 17)", rate >= 0.5 * best)
                if with_cost:
                    costs = lifecycle.action_cost_by_history(eng)
                    sent = {length: lifecycle.statements_per_action(eng, length) for length in (10, 1000)}
                    results[f"{label}_action_ms_by_history"] = costs
                    results[f"{label}_statements_per_action_by_history"] = sent
                    ratio = costs[1000] / costs[10]
                    table.add(f"3. one action at 1,000 events, {label}", f"{costs[1000]:.2f} ms, {sent[1000]} SQL",
                              f"at 10 events {costs[10]:.2f} ms, {sent[10]} SQL (100: {costs[100]:.2f} ms)",
                              f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5)
                eng.close()
            finally:
                drop()


def run_http(size: dict, postgres: str | None, table: Table, results: dict) -> None:
    from bench import http

    figures = http.measure(size["http_tasks"], postgres)
    results["http"] = figures
    hello = figures["hello_world_rps"]
    for key, label, target in (("sqlite_completions_per_s", "SQLite", 0.25),
                               ("postgresql_completions_per_s", "PostgreSQL", 0.15)):
        if key in figures:
            share = figures[key] / hello
            table.add(f"2. HTTP task completions/s, gunicorn 2 workers, {label}", f"{figures[key]:.1f}/s",
                      f"hello-world {hello:.0f}/s", f"{share:.1%}", f"≥ {target:.0%}", share >= target)


def run_inbox(size: dict, postgres: str | None, table: Table, results: dict) -> None:
    from bench import inbox

    args = SimpleNamespace(tasks=size["inbox_tasks"], users=size["inbox_users"], samples=size["inbox_samples"])
    targets = [("SQLite", None)] + ([("PostgreSQL", postgres)] if postgres else [])
    for label, base in targets:
        with tempfile.TemporaryDirectory() as tmp:
            url, drop = (f"sqlite:///{Path(tmp) / 'inbox.db'}", lambda: None) if base is None else _pg_schema(base)
            try:
                figures = inbox.run(url, args, label, size["inbox_events"], quiet=True)
            finally:
                drop()
        results[f"{label}_inbox"] = figures
        worst = max(figures["queries"].items(), key=lambda item: item[1]["p99"])
        table.add(f"4. inbox p50/p99 (worst query kind), {args.tasks:,} open tasks, {size['inbox_events']:,} "
                  f"events, {label}", f"{figures['p50']:.1f} / {figures['p99']:.1f} ms",
                  f"task by key p99 {figures['key_lookup']['p99']:.2f} ms",
                  f"worst: {worst[0].split(',')[0]}", "p99 ≤ 20 ms", figures["p99"] <= 20)


def run_timers(size: dict, postgres: str | None, table: Table, results: dict) -> None:
    from bench import timers

    runs = [("PostgreSQL", 1), ("PostgreSQL", 4)] if postgres else [("SQLite", 1)]
    baseline = None
    for label, workers in runs:
        with tempfile.TemporaryDirectory() as tmp:
            url, drop = (f"sqlite:///{Path(tmp) / 'timers.db'}", lambda: None) if label == "SQLite" \
                else _pg_schema(postgres)
            try:
                figures = timers.run(url, size["timers"], size["timer_window"], workers, 10, 900)
            finally:
                drop()
        results[f"{label}_timers_{workers}_workers"] = figures
        once = figures["fired"] == size["timers"] and figures["missed"] == 0 and figures["fired_twice"] == 0
        p99 = figures["p99"]
        table.add(f"5. timer lateness p99, {size['timers']:,} due in {size['timer_window']:.0f} s, {workers} "
                  f"worker{'s' if workers > 1 else ''}, {label}",
                  "n/a" if p99 is None else f"{p99:.3f} s",
                  "—" if baseline is None else f"1 worker {baseline:.3f} s",
                  f"fired {figures['fired']}, twice {figures['fired_twice']}, missed {figures['missed']}",
                  "≤ 1 s, each once", once and p99 is not None and p99 <= 1.0)
        baseline = p99 if baseline is None else baseline


def run_replay(size: dict, postgres: str | None, table: Table, results: dict) -> None:
    from bench import history

    targets = [("SQLite", None)] + ([("PostgreSQL", postgres)] if postgres else [])
    for label, base in targets:
        with tempfile.TemporaryDirectory() as tmp:
            url, drop = (f"sqlite:///{Path(tmp) / 'history.db'}", lambda: None) if base is None else _pg_schema(base)
            try:
                figures = history.measure(url, size["verify_events"], label)
            finally:
                drop()
        results[f"{label}_history"] = figures
        table.add(f"6a. replay to a random step of a 1,000-event instance, {label}",
                  f"p99 {figures['replay_p99_ms']:.1f} ms", f"p50 {figures['replay_p50_ms']:.1f} ms", "–",
                  "≤ 25 ms (issue 17)", figures["replay_p99_ms"] <= 25)
        rate, scan = figures["verify_events_per_s"], figures["scan_events_per_s"]
        table.add(f"6b. audit verification, {figures['verified']:,} events, {label}", f"{rate:,.0f} events/s",
                  f"reading alone {scan:,.0f}/s", f"{rate / scan:.0%} of reading", "≥ 50,000/s", rate >= 50_000)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (minutes, not an hour)")
    parser.add_argument("--postgres", help="PostgreSQL URL of a database the bench may create schemas in")
    parser.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    parser.add_argument("--json", type=Path, help="where to write the JSON (default var/bench/<time>.json)")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(ALL)
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    size = SIZES["quick" if args.quick else "full"]
    results: dict = {"size": "quick" if args.quick else "full", "sizes": size, "machine": machine(args.postgres),
                     "started": datetime.now(UTC).isoformat(), "figures": {}}
    table = Table()
    began = time.perf_counter()
    if "lifecycle" in chosen or "history_cost" in chosen:
        run_lifecycle(size, args.postgres, table, results["figures"], "history_cost" in chosen)
    steps = {"http": run_http, "inbox": run_inbox, "timers": run_timers, "replay": run_replay}
    for name in ALL:
        if name in steps and name in chosen:
            print(f"… {name}", flush=True)
            steps[name](size, args.postgres, table, results["figures"])
    table.rows.sort(key=lambda row: row["figure"])
    results["table"] = table.rows
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - began
    target = args.json or ROOT / "var" / "bench" / f"{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    m = results["machine"]
    print(f"\nmtcflow bench ({results['size']}) on {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
          f"SQLite {m['sqlite']}" + (f", PostgreSQL {m['postgresql']}" if "postgresql" in m else "")
          + f"; load average {m['loadavg_at_start'][0]:.1f} → {m['loadavg_at_end'][0]:.1f}")
    print(table.render())
    print(f"\nJSON: {target}  ({results['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
