"""A bounded loopback soak: a real ``mtcflow serve`` under a seeded mix of logins, inbox reads, starts, claims,
completions, public board reads and timer fires, with the server's RSS, open file descriptors and database
connections sampled; growth is judged on medians (last third against first third after a warm-up).

    python -m tests.faults.soak --minutes 10                       # SQLite file in a temporary directory
    python -m tests.faults.soak --minutes 10 --postgres URL        # a fresh schema, dropped afterwards

Exit 0 when there was no 5xx, no failed request and no growth; the suite runs a short version
(``tests/faults/test_soak.py``)."""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from tests.faults.server import Server

USERS = {"sec": "secretariat", "auth": "authority"}
# Statuses the mix expects besides 2xx: a task or timer taken by the other load thread or the timer worker
# between listing and acting on it.
EXPECTED_REFUSALS = {409}
MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    elapsed: float
    rss: int  # bytes
    fds: int
    connections: int  # database connections the server holds (SQLite: open file handles on the database)


@dataclass(frozen=True)
class Growth:
    metric: str
    first: float  # median of the first third after warm-up
    last: float  # median of the last third
    allowed: float

    @property
    def grew(self) -> bool:
        return self.last > self.allowed


def growth(samples: list[Sample], metric: str, warmup: float, ratio: float, slack: float) -> Growth:
    """Median of the last third against the median of the first third of the samples after ``warmup``
    seconds; allowed: ``first * (1 + ratio) + slack``. Medians, so one GC pause or burst does not decide."""
    kept = [getattr(s, metric) for s in samples if s.elapsed >= warmup]
    if len(kept) < 6:
        raise ValueError(f"too few samples after warm-up to judge growth: {len(kept)}")
    third = len(kept) // 3
    first, last = statistics.median(kept[:third]), statistics.median(kept[-third:])
    return Growth(metric, first, last, first * (1 + ratio) + slack)


@dataclass
class Result:
    seconds: float
    samples: list[Sample]
    statuses: Counter = field(default_factory=Counter)  # (action, status or "error")
    failures: list[str] = field(default_factory=list)  # first few unexpected answers, for the report

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def server_errors(self) -> int:
        return sum(n for (_, status), n in self.statuses.items() if status == "error" or status >= 500)

    @property
    def unexpected(self) -> int:
        return sum(n for (_, status), n in self.statuses.items()
                   if status != "error" and 400 <= status < 500 and status not in EXPECTED_REFUSALS)

    def growths(self, warmup: float) -> list[Growth]:
        return [growth(self.samples, "rss", warmup, 0.10, 16 * MIB),
                growth(self.samples, "fds", warmup, 0.0, 4),
                growth(self.samples, "connections", warmup, 0.0, 2)]

    def summary(self, warmup: float) -> str:
        start, end = self.samples[0], self.samples[-1]
        lines = [f"soak {self.seconds:.0f} s, {self.requests} requests, {self.server_errors} 5xx/failed, "
                 f"{self.unexpected} unexpected 4xx",
                 f"RSS {start.rss / MIB:.1f} MiB at start, {end.rss / MIB:.1f} MiB at end; connections "
                 f"{start.connections} → {end.connections}; fds {start.fds} → {end.fds}"]
        for g in self.growths(warmup):
            unit, scale = (" MiB", MIB) if g.metric == "rss" else ("", 1)
            lines.append(f"  {g.metric}: median first third {g.first / scale:.1f}{unit}, last third "
                         f"{g.last / scale:.1f}{unit}, allowed {g.allowed / scale:.1f}{unit} → "
                         f"{'GREW' if g.grew else 'ok'}")
        by_action = Counter()
        for (action, _), n in self.statuses.items():
            by_action[action] += n
        lines.append("  " + ", ".join(f"{a} {n}" for a, n in sorted(by_action.items())))
        lines.extend(f"  unexpected: {f}" for f in self.failures)
        return "\n".join(lines)


class Mix:
    """One load thread: a seeded choice of action per step, every answer counted."""

    def __init__(self, base: str, password: str, result: Result, lock: threading.Lock, seed: int):
        self.base, self.password, self.result, self.lock = base, password, result, lock
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.tokens = {name: self._login(name) for name in USERS}

    def _record(self, action: str, response: requests.Response | None, error: str = "") -> None:
        status = response.status_code if response is not None else "error"
        with self.lock:
            self.result.statuses[(action, status)] += 1
            bad = status == "error" or (status >= 400 and status not in EXPECTED_REFUSALS)
            if bad and len(self.result.failures) < 10:
                self.result.failures.append(f"{action} → {status} {error or response.text[:200]}")

    def _request(self, action: str, method: str, path: str, user: str | None = None, **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}
        try:
            response = self.http.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)
        except requests.RequestException as err:
            self._record(action, None, repr(err))
            self.http = requests.Session()
            return None
        self._record(action, response)
        return response.json() if response.status_code in (200, 201) and response.content else None

    def _login(self, user: str) -> str:
        body = self._request("login", "POST", "/auth/token", json={"username": user, "password": self.password})
        if body is None:
            raise RuntimeError(f"{user} cannot log in")
        return body["access_token"]

    def _inbox(self, user: str) -> list[dict]:
        items = []
        for flag in ("claimable", "mine"):
            page = self._request("inbox", "GET", "/tasks", user, params={flag: "true", "per_page": 20})
            items += (page or {}).get("items", [])
        return [t for t in items if t["state"] in ("ready", "claimed")]

    def step(self) -> None:
        roll = self.random.random()
        if roll < 0.05:  # a fresh login; the old token is logged out so tokens do not pile up
            user = self.random.choice(list(USERS))
            self._request("logout", "POST", "/auth/logout", user)
            self.tokens[user] = self._login(user)
        elif roll < 0.25:
            self._inbox(self.random.choice(list(USERS)))
        elif roll < 0.37:
            self._request("start", "POST", "/instances", "sec", json={"process_key": "approval"})
        elif roll < 0.42:
            self._request("start", "POST", "/instances", "auth", json={"process_key": "crash_timer"})
        elif roll < 0.52:
            self._claim()
        elif roll < 0.80:
            self._complete()
        elif roll < 0.92:
            if self.random.random() < 0.5:
                self._request("board", "GET", "/notices", params={"per_page": 20})
            else:
                self._request("board", "GET", "/public/specifications", params={"per_page": 20})
        else:
            self._fire()

    def _claim(self) -> None:
        tasks = [t for t in self._inbox("sec") if t["state"] == "ready"]
        if tasks:
            task = self.random.choice(tasks)
            self._request("claim", "POST", f"/tasks/{task['id']}/claim", "sec")

    def _complete(self) -> None:
        user = self.random.choice(list(USERS))
        tasks = self._inbox(user)
        if not tasks:
            return
        task = self.random.choice(tasks)
        data = {"submit": {"title": f"soak {self.random.randrange(10**6)}"},
                "review": {"approved": self.random.random() < 0.7}}.get(task["element_id"], {})
        self._request("complete", "POST", f"/tasks/{task['id']}/complete", user, json={"data": data})

    def _fire(self) -> None:
        page = self._request("timers", "GET", "/timers", "auth", params={"per_page": 20})
        items = (page or {}).get("items", [])
        if items:
            timer = self.random.choice(items)
            self._request("fire", "POST", f"/timers/{timer['id']}/fire", "auth", json={"reason": "soak"})


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def _fd_targets(pid: int) -> list[str]:
    targets = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            targets.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return targets


def connection_counter(database_url: str, pid: int) -> tuple[Callable[[], int], Callable[[], None]]:
    """How many database connections the server holds: PostgreSQL backends with its application name;
    SQLite: open handles on the database file (each pooled connection holds one)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = os.path.realpath(url.database)
        return (lambda: sum(1 for t in _fd_targets(pid) if t == path)), (lambda: None)
    admin = create_engine(url.set(query={k: v for k, v in url.query.items() if k != "application_name"}),
                          poolclass=NullPool)
    name = url.query["application_name"]

    def count() -> int:
        with admin.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"),
                               {"n": name})

    return count, admin.dispose


def with_application_name(database_url: str, name: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return database_url
    return url.update_query_dict({"application_name": name}).render_as_string(hide_password=False)


def soak(database_url: str, workdir: Path, password: str, seconds: float, interval: float = 1.0,
         threads: int = 2, seed: int = 18) -> Result:
    """Serve ``database_url`` (migrated, with the users of ``USERS``), drive it for ``seconds`` and sample."""
    url = with_application_name(database_url, f"mtcflow_soak_{uuid.uuid4().hex[:8]}")
    server = Server(url, workdir)
    server.start()
    count_connections, close_counter = connection_counter(url, server.process.pid)
    result, lock, stop = Result(seconds, []), threading.Lock(), threading.Event()
    try:
        mixes = [Mix(server.base, password, result, lock, seed + n) for n in range(threads)]

        def drive(mix: Mix) -> None:
            while not stop.is_set():
                mix.step()

        workers = [threading.Thread(target=drive, args=(m,), name=f"soak-{n}") for n, m in enumerate(mixes)]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        while (elapsed := time.monotonic() - started) < seconds:
            pid = server.process.pid
            if server.process.poll() is not None:
                raise RuntimeError(f"server died: {server.log.read_text()[-3000:]}")
            result.samples.append(Sample(elapsed, _rss(pid), len(_fd_targets(pid)), count_connections()))
            time.sleep(max(0.0, interval - (time.monotonic() - started - elapsed)))
        stop.set()
        for worker in workers:
            worker.join(timeout=60)
        if any(w.is_alive() for w in workers):
            raise RuntimeError("a load thread did not stop within 60 s")
    finally:
        stop.set()
        server.stop()
        close_counter()
    return result


@contextmanager
def store(postgres: str | None, workdir: Path) -> Iterator[str]:
    """A migrated store with the soak's users: a SQLite file in ``workdir`` or a fresh PostgreSQL schema."""
    from engine.access import accounts as users
    from engine.access.actors import Grant
    from engine.db import migrate
    from tests.conftest import PASSWORD, PG_ENV, make_engine, postgres_schema

    def seeded(url: str) -> str:
        eng = make_engine(url)
        with eng.db.transaction() as session:
            for name, role in USERS.items():
                users.create_user(session, name, PASSWORD, [Grant(role)], actor="soak")
        eng.close()
        return url

    if postgres is None:
        url = f"sqlite:///{workdir / 'soak.db'}"
        migrate.upgrade(url)
        yield seeded(url)
        return
    os.environ[PG_ENV] = postgres
    with postgres_schema("soak") as url:
        yield seeded(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--postgres", metavar="URL", help="soak PostgreSQL (a fresh schema) instead of SQLite")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from tests.conftest import PASSWORD

    seconds = args.minutes * 60
    warmup = min(60.0, seconds / 5)
    with tempfile.TemporaryDirectory(prefix="mtcflow-soak-") as tmp, store(args.postgres, Path(tmp)) as url:
        result = soak(url, Path(tmp), PASSWORD, seconds, args.interval, args.threads)
    print(f"{'PostgreSQL' if args.postgres else 'SQLite'}: {result.summary(warmup)}")
    healthy = not result.server_errors and not result.unexpected and not any(g.grew for g in result.growths(warmup))
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
