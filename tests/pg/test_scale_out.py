"""Scale-out on one PostgreSQL database: two gunicorn API processes and two ``mtcflow worker`` processes, driven
over HTTP alternating between the APIs, with a 30-day timer passed by moving a clock all processes share.
Nothing may run twice: each timer fires once, each task is completed once (a race for the same task from both
APIs has one winner), every chain verifies and every instance replays to its stored state."""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.access import accounts as users
from engine.access.actors import Grant
from engine.config import ROOT
from engine.history.models import Event
from engine.runtime.models import Instance, Task, Timer
from tests.conftest import BPMN, PASSWORD, make_engine, postgres_schema
from tests.pg.clocked_process import set_time
from tests.replay_check import assert_all_consistent

WAITS, QUICKS = 6, 6
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def pg_url():
    with postgres_schema() as url:
        yield url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Api:
    """One API process seen from a client: JSON over HTTP with a bearer token."""

    def __init__(self, port: int):
        self.port, self.token = port, None

    def call(self, method: str, path: str, body=None, raw: bytes | None = None, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": content_type}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            conn.request(method, f"/api/v1{path}", body=raw if raw is not None else json.dumps(body or {}),
                         headers=headers)
            response = conn.getresponse()
            payload = response.read()
            return response.status, (json.loads(payload) if payload else None)
        finally:
            conn.close()

    def as_user(self, username: str) -> Api:
        other = Api(self.port)
        status, body = other.call("POST", "/auth/token", {"username": username, "password": PASSWORD})
        assert status == 200, body
        other.token = body["access_token"]
        return other


def _wait_up(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"process on port {port} exited with {process.returncode}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)  # waiting for a process to listen, not for a timer
    raise AssertionError(f"nothing listens on {port}")


def _eventually(check, timeout: float = 90):
    """Poll until ``check()`` is truthy (the workers run in other processes; their poll is 0.3 s)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


@pytest.fixture
def cluster(pg_url, tmp_path):
    clock_file = tmp_path / "clock"
    set_time(clock_file, START)
    env = {**os.environ, "MTCFLOW_DATABASE_URL": pg_url, "MTCFLOW_SKIP_PREPARE": "1", "MTCFLOW_WEB_WORKERS": "2",
           "MTCFLOW_EMBEDDED_WORKER": "0", "MTCFLOW_LOG_LEVEL": "warning", "PYTHONPATH": str(ROOT)}
    processes, ports = [], [_free_port(), _free_port()]
    command = [sys.executable, "-m", "tests.pg.clocked_process", str(clock_file)]
    try:
        for port in ports:
            processes.append(subprocess.Popen(command + ["api"], cwd=ROOT,
                                              env={**env, "MTCFLOW_BIND": f"127.0.0.1:{port}"}))
        for _ in range(2):
            processes.append(subprocess.Popen(command + ["worker", "--poll", "0.3", "--batch", "2"], cwd=ROOT,
                                              env=env))
        for port, process in zip(ports, processes, strict=False):
            _wait_up(port, process)
        yield [Api(port) for port in ports], clock_file, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def test_two_apis_and_two_workers_run_a_story_once(pg_url, cluster):
    apis, clock_file, processes = cluster
    engine = make_engine(pg_url)
    with engine.db.transaction() as session:
        for name, role in (("admin", "process_admin"), ("sec", "secretariat"), ("auth", "authority")):
            users.create_user(session, name, PASSWORD, [Grant.parse(role)], actor="test")
    admin = apis[0].as_user("admin")
    for name in ("quick.bpmn", "timer_wait.bpmn"):
        status, body = admin.call("POST", f"/definitions?filename={name}", raw=(BPMN / name).read_bytes(),
                                  content_type="application/xml")
        assert status in (200, 201), body
    sec = [api.as_user("sec") for api in apis]
    auth = [api.as_user("auth") for api in apis]

    # start, alternating between the two API processes
    quick_ids, wait_ids = [], []
    for n in range(QUICKS):
        status, body = sec[n % 2].call("POST", "/instances", {"process_key": "quick", "business_key": f"q{n}"})
        assert status == 201, body
        quick_ids.append(body["id"])
    for n in range(WAITS):
        status, body = auth[n % 2].call("POST", "/instances", {"process_key": "timer_wait", "business_key": f"w{n}"})
        assert status == 201, body
        wait_ids.append(body["id"])

    def open_task(api: Api, instance_id: str) -> str | None:
        status, body = api.call("GET", f"/tasks?instance_id={instance_id}")
        assert status == 200, body
        items = [t for t in body["items"] if t["state"] in ("ready", "claimed")]
        return items[0]["id"] if items else None

    # the first task of each quick instance: both APIs race to complete it; exactly one wins
    with ThreadPoolExecutor(2) as pool:
        for n, instance_id in enumerate(quick_ids):
            task_id = open_task(sec[n % 2], instance_id)
            body = {"data": {"choice": "a" if n % 2 else "b"}}
            outcomes = list(pool.map(lambda api, t=task_id, b=body: api.call("POST", f"/tasks/{t}/complete", b),
                                     sec))
            assert sorted(status for status, _ in outcomes) == [200, 409], outcomes
    for n, instance_id in enumerate(quick_ids):  # the second task, on the other API
        task_id = open_task(sec[(n + 1) % 2], instance_id)
        status, body = sec[(n + 1) % 2].call("POST", f"/tasks/{task_id}/complete", {"data": {}})
        assert status == 200, body

    # nothing is due yet; then 31 days pass for every process at once and the workers fire the timers
    assert all(open_task(auth[0], i) is None for i in wait_ids)
    set_time(clock_file, START + timedelta(days=31))
    auth = [api.as_user("auth") for api in apis]  # the tokens of a month ago have expired
    ready = _eventually(lambda: all(open_task(auth[1], i) for i in wait_ids))
    assert ready, "the workers did not fire every timer"
    for n, instance_id in enumerate(wait_ids):
        task_id = open_task(auth[n % 2], instance_id)
        status, body = auth[(n + 1) % 2].call("POST", f"/tasks/{task_id}/complete", {"data": {}})
        assert status == 200, body

    assert all(p.poll() is None for p in processes), "a process died during the story"
    with engine.db.transaction() as session:
        states = Counter(session.scalars(select(Instance.state)))
        assert states == Counter({"completed": QUICKS + WAITS}), states
        assert Counter(session.scalars(select(Timer.state))) == Counter({"fired": WAITS})
        fired = Counter(session.scalars(select(Event.stream).where(Event.type == "timer_fired")))
        assert set(fired) == set(wait_ids) and set(fired.values()) == {1}, fired
        completed = Counter(session.scalars(select(Event.task_id).where(Event.type == "task_completed")))
        tasks = session.scalar(select(func.count()).select_from(Task))
        assert len(completed) == tasks == 2 * QUICKS + WAITS and set(completed.values()) == {1}, completed
        assert session.scalar(select(func.count()).select_from(Task).where(Task.state != "completed")) == 0
    assert_all_consistent(engine)
    engine.close()
