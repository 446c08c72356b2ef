"""HTTP task completions/s through gunicorn (2 workers, gunicorn.conf.py) vs a Flask hello-world served by the
same gunicorn setup, driven by the same load generator (client processes × threads, one connection per
request as gunicorn's sync workers close them).

    .venv/bin/python -m bench.http [--tasks 600] [--postgres URL]

Set-up (not timed) starts the instances and issues a token directly through the engine; the timed part is
only ``POST /api/v1/tasks/{id}/complete`` (each completion runs the gateway and makes the next task ready).
Prints figures; asserts nothing about time.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from bench.lifecycle import ACTOR, QUICK
from engine.access import accounts as users
from engine.access.actors import Grant
from engine.config import ROOT, Settings
from engine.db import migrate
from engine.runtime.models import Task
from engine.workflow_engine import WorkflowEngine

CLIENT_PROCESSES, CLIENT_THREADS = 2, 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str | None, app: str | None = None, workers: int = 2):
    """A gunicorn with our configuration on a free port; yields the port, stops it afterwards."""
    port = free_port()
    env = {**os.environ, "MTCFLOW_BIND": f"127.0.0.1:{port}", "MTCFLOW_WEB_WORKERS": str(workers),
           "MTCFLOW_SKIP_PREPARE": "1", "MTCFLOW_LOG_LEVEL": "warning", "MTCFLOW_EMBEDDED_WORKER": "0"}
    if database_url:
        env["MTCFLOW_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")] + ([app] if app else [])
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not come up")


def _one(port: int, method: str, path: str, body: bytes | None, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _client(args: tuple) -> list[int]:
    port, requests = args
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        return list(pool.map(lambda r: _one(port, *r), requests))


def drive(port: int, requests: list[tuple]) -> tuple[float, dict[int, int]]:
    """Send every request from CLIENT_PROCESSES × CLIENT_THREADS clients; returns (requests/s, status counts)."""
    slices = [(port, requests[i::CLIENT_PROCESSES]) for i in range(CLIENT_PROCESSES)]
    with multiprocessing.get_context("spawn").Pool(CLIENT_PROCESSES) as pool:
        pool.map(_client, [(port, [("GET", "/", None, {})])] * CLIENT_PROCESSES)  # warm the clients
        began = time.perf_counter()
        results = pool.map(_client, slices)
        elapsed = time.perf_counter() - began
    statuses: dict[int, int] = {}
    for status in (s for chunk in results for s in chunk):
        statuses[status] = statuses.get(status, 0) + 1
    return len(requests) / elapsed, statuses


def hello_world(count: int) -> float:
    with gunicorn(None, "bench.hello:app") as port:
        rate, statuses = drive(port, [("GET", "/hello", None, {})] * count)
    assert statuses == {200: count}, statuses
    return rate


def prepare(url: str, count: int) -> tuple[str, list[str]]:
    """``count`` instances of quick.bpmn with their first task ready, and a bearer token of their worker."""
    migrate.upgrade(url)
    eng = WorkflowEngine(Settings(database_url=url, argon2_time_cost=1, argon2_memory_kib=1024))
    eng.deploy_files([QUICK], actor="bench")
    with eng.db.transaction() as session:
        user = users.create_user(session, ACTOR.username, "bench-password", [Grant("secretariat")], actor="bench")
        token, _ = users.issue_token(session, user, 3600)
    ids = []
    for first in range(0, count, 100):
        with eng.db.transaction() as session:
            started = [eng.runtime.start(session, ACTOR, "quick").id for _ in range(min(100, count - first))]
            ids += session.scalars(select(Task.id).where(Task.instance_id.in_(started), Task.state == "ready"))
    eng.close()
    return token, ids


def completions(url: str, count: int) -> float:
    token, task_ids = prepare(url, count)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    body = json.dumps({"data": {"choice": "a"}}).encode()
    with gunicorn(url) as port:
        rate, statuses = drive(port, [("POST", f"/api/v1/tasks/{t}/complete", body, headers) for t in task_ids])
    assert statuses == {200: count}, statuses
    return rate


def measure(count: int, postgres: str | None = None) -> dict:
    """Hello-world baseline and completions/s on SQLite (and PostgreSQL, in a throw-away schema)."""
    from bench.timers import _drop_schema, _fresh_schema

    figures = {"hello_world_rps": hello_world(count * 4)}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite_completions_per_s"] = completions(f"sqlite:///{Path(tmp) / 'http.db'}", count)
    if postgres:
        url, schema = _fresh_schema(postgres)
        try:
            figures["postgresql_completions_per_s"] = completions(url, count)
        finally:
            _drop_schema(postgres, schema)
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=600)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL URL")
    args = parser.parse_args(argv)
    figures = measure(args.tasks, args.postgres)
    hello = figures["hello_world_rps"]
    print(f"Flask hello-world, gunicorn 2 workers: {hello:.0f} requests/s")
    for key, label in (("sqlite_completions_per_s", "SQLite"), ("postgresql_completions_per_s", "PostgreSQL")):
        if key in figures:
            print(f"task completions, {label}: {figures[key]:.1f}/s = {figures[key] / hello:.1%} of hello-world "
                  f"(target ≥ 25%)")


if __name__ == "__main__":
    main()
