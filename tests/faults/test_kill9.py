"""kill -9 the real server in the middle of a load of mixed actions, restart it, and prove nothing was lost:
every acknowledged (2xx) action is stored, none is half-stored, every timer fired exactly once, and the
audit chains verify. ``MTCFLOW_FAULT_ACTIONS`` sets the load (CI: 200; on demand 1,000+)."""
from __future__ import annotations

import os
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from engine import clock
from engine.access import accounts as users
from engine.access.actors import Grant
from engine.history.models import Event
from engine.runtime.models import Instance, Task, Timer
from tests.conftest import PASSWORD, make_engine
from tests.faults.load import Client
from tests.faults.server import Server
from tests.replay_check import assert_all_consistent

ACTIONS = int(os.environ.get("MTCFLOW_FAULT_ACTIONS", "200"))
KILLS = int(os.environ.get("MTCFLOW_FAULT_KILLS", "2"))


@pytest.fixture
def store(db_url):
    eng = make_engine(db_url)
    with eng.db.transaction() as session:
        users.create_user(session, "sec", PASSWORD, [Grant("secretariat")], actor="test")
        users.create_user(session, "auth", PASSWORD, [Grant("authority")], actor="test")
        users.create_user(session, "aud", PASSWORD, [Grant("auditor")], actor="test")
    yield eng
    eng.close()


@pytest.fixture
def server(db_url, tmp_path, store):
    srv = Server(db_url, tmp_path)
    srv.start()
    yield srv
    srv.stop()


def tokens(server: Server) -> dict[str, str]:
    return {name: requests.post(f"{server.base}/auth/token", json={"username": name, "password": PASSWORD},
                                timeout=30).json()["access_token"] for name in ("sec", "auth", "aud")}


def test_kill9_mid_load_loses_nothing(server, store):
    client = Client(server.base, tokens(server))
    up = threading.Event()
    up.set()
    kill_points = [ACTIONS * (k + 1) // (KILLS + 1) for k in range(KILLS)]
    done = threading.Event()
    downtime: list = []

    def drive():
        try:
            client.run(ACTIONS, wait_for_server=lambda: up.wait(120))
        finally:
            done.set()

    driver = threading.Thread(target=drive, name="load")
    driver.start()
    for point in kill_points:
        while len(client.ledger.entries) < point and not done.is_set():
            time.sleep(0.005)
        up.clear()
        killed_at = clock.now()
        server.kill9()  # mid-request: the client thread is sending while the process dies
        server.start()  # same database; timers that came due meanwhile fire on start-up
        downtime.append((killed_at, clock.now()))
        up.set()
    driver.join(timeout=900)
    assert not driver.is_alive()
    ledger = client.ledger
    acknowledged = {a: ledger.acknowledged(a) for a in ("start", "claim", "complete", "cancel")}
    assert server.starts == KILLS + 1
    assert sum(len(v) for v in acknowledged.values()) > ACTIONS // 2, Counter(e.status for e in ledger.entries)
    assert all(e.status is None or e.status < 500 for e in ledger.entries), \
        [e for e in ledger.entries if e.status and e.status >= 500]

    _wait_for_timers(store)
    with store.db.transaction() as session:
        events = list(session.scalars(select(Event)))
        by_type: dict[str, Counter] = {}
        for event in events:
            by_type.setdefault(event.type, Counter())[event.task_id or event.stream] += 1
        instances = {i.id: i for i in session.scalars(select(Instance))}
        tasks = {t.id: t for t in session.scalars(select(Task))}
        timers = list(session.scalars(select(Timer)))

    # every acknowledged action is stored
    for entry in acknowledged["start"]:
        assert entry.subject in instances and by_type["instance_started"][entry.subject] == 1
    for entry in acknowledged["claim"]:
        assert by_type["task_claimed"][entry.subject] >= 1, entry
    for entry in acknowledged["complete"]:
        assert tasks[entry.subject].state == "completed" and by_type["task_completed"][entry.subject] == 1, entry
    for entry in acknowledged["cancel"]:
        assert instances[entry.subject].state == "cancelled", entry
    # nothing stored twice, nothing half-stored (state, projections and log agree on replay)
    assert max(by_type.get("task_completed", Counter({None: 1})).values()) == 1
    assert_all_consistent(store)
    # timers: each fired exactly once, none left behind
    fired = by_type.get("timer_fired", Counter())
    assert all(count == 1 for count in fired.values()), fired
    assert {t.task_id for t in timers if t.state == "fired"} == set(fired)
    assert not [t for t in timers if t.state == "waiting"], "a due timer was lost"
    auditor_token = tokens(server)["aud"]
    verify = requests.get(f"{server.base}/audit/verify", timeout=60,
                          headers={"Authorization": f"Bearer {auditor_token}"}).json()
    assert verify["ok"], verify
    server_log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "POST /api/v1/auth/token" in server_log  # the request log is there, and carries no secret
    for secret in (PASSWORD, auditor_token, *client.tokens.values()):
        assert secret not in server_log
    due_while_down = sum(1 for t in timers if t.state == "fired" and any(a <= t.due_at <= b for a, b in downtime))
    print(f"\nkill -9 x{KILLS} during {ACTIONS} actions: {sum(len(v) for v in acknowledged.values())} acknowledged "
          f"({', '.join(f'{k} {len(v)}' for k, v in acknowledged.items())}), {len(ledger.in_doubt)} in doubt, "
          f"{sum(1 for e in ledger.entries if e.status and 400 <= e.status < 500)} refused (4xx), "
          f"{len(fired)} timers fired once each ({due_while_down} came due while the server was dead); lost: 0")


def _wait_for_timers(store, limit: float = 60.0) -> None:
    """Let every timer due so far fire (real clock; the embedded worker polls each second)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with store.db.transaction() as session:
            pending = session.scalars(select(Timer).where(
                Timer.state == "waiting", Timer.due_at <= clock.now() + timedelta(seconds=5))).first()
        if pending is None:
            return
        time.sleep(0.5)
