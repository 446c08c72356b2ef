"""Fixtures: each test gets its own database (SQLite file, or a PostgreSQL schema), a manual clock,
an engine, a Flask app and helpers to act as users over HTTP."""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine import clock as clock_module
from engine.access import accounts as users
from engine.access.actors import Grant
from engine.config import ROOT, Settings
from engine.db import migrate
from engine.workflow_engine import WorkflowEngine

FIXTURES = Path(__file__).parent / "fixtures"
BPMN = FIXTURES / "bpmn"
PG_ENV = "MTCFLOW_TEST_POSTGRES_URL"
PASSWORD = "correct-horse-battery"


def pytest_report_header(config):
    url = os.environ.get(PG_ENV)
    return f"PostgreSQL tests: {'against ' + url if url else 'SKIPPED (set ' + PG_ENV + ' to run them)'}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def _postgres_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """A fresh, migrated PostgreSQL schema (dropped afterwards) as a URL whose search_path points at it; skips
    where no PostgreSQL is configured, fails where CI requires it."""
    base = os.environ.get(PG_ENV)
    if not base and os.environ.get("MTCFLOW_REQUIRE_POSTGRES"):
        pytest.fail(f"MTCFLOW_REQUIRE_POSTGRES is set but {PG_ENV} is not")
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} (the CI script does)")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_url(base, schema)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template):
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock():
    manual = clock_module.ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    previous = clock_module.install(manual)
    yield manual
    clock_module.install(previous)


def make_engine(url: str) -> WorkflowEngine:
    return WorkflowEngine(Settings(database_url=url, processes_dir=ROOT / "processes",
                                   extra_forms_dirs=(FIXTURES / "forms",), script_time_limit=0.5,
                                   argon2_time_cost=1, argon2_memory_kib=1024))


@pytest.fixture
def engine(request, db_url, clock):
    """The engine under test; afterwards every instance must replay to its stored state and every chain
    must verify (tests that tamper with the log opt out with ``@pytest.mark.tamper``)."""
    eng = make_engine(db_url)
    yield eng
    if request.node.get_closest_marker("tamper") is None and not _failed(request):
        from tests.replay_check import assert_all_consistent

        assert_all_consistent(eng)
    eng.close()


def _failed(request) -> bool:
    report = getattr(request.node, "rep_call", None)
    return report is not None and report.failed


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture(scope="module")
def sqlite_engine(tmp_path_factory, sqlite_template):
    """One SQLite engine shared by a module's examples (property tests create many instances)."""
    from tests.fixture_sets import BPMN_FILES_FOR_PROPERTY

    path = tmp_path_factory.mktemp("shared") / "shared.db"
    shutil.copy(sqlite_template, path)
    eng = make_engine(f"sqlite:///{path}")
    eng.deploy_files([BPMN / name for name in BPMN_FILES_FOR_PROPERTY])
    yield eng
    eng.close()


@pytest.fixture
def app(engine):
    from api.app import create_app

    application = create_app(engine=engine)
    application.config["TESTING"] = True
    application.config["MTCFLOW_LOGIN_LIMIT"] = "10000 per minute"  # tests log many users in from one address
    return application


class Caller:
    """A logged-in user of the HTTP API."""

    def __init__(self, client, token: str, username: str):
        self.client, self.token, self.username = client, token, username

    def _headers(self, extra=None):
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, path, **kwargs):
        return self.client.get(f"/api/v1{path}", headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(f"/api/v1{path}", json=json, headers=self._headers(kwargs.pop("headers", None)),
                                **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.client.put(f"/api/v1{path}", json=json, headers=self._headers(kwargs.pop("headers", None)),
                               **kwargs)

    def deploy(self, *names: str):
        results = []
        for name in names:
            path = name if isinstance(name, Path) else BPMN / name
            response = self.post("/definitions", data=path.read_bytes(), content_type="application/xml",
                                 query_string={"filename": path.name})
            assert response.status_code in (200, 201), response.get_json()
            results.extend(response.get_json())
        return results

    def start(self, process_key, variables=None, business_key=None):
        response = self.post("/instances", json={"process_key": process_key, "variables": variables or {},
                                                 "business_key": business_key})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def complete(self, task_id, data=None):
        return self.post(f"/tasks/{task_id}/complete", json={"data": data or {}})


@pytest.fixture
def login(app, engine):
    client = app.test_client()

    def _login(username: str, *roles: str) -> Caller:
        with engine.db.transaction() as session:
            try:
                users.get_user(session, username)
            except Exception:
                users.create_user(session, username, PASSWORD, [Grant.parse(r) for r in roles], actor="test")
        response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        return Caller(client, response.get_json()["access_token"], username)

    return _login


@pytest.fixture
def admin(login):
    return login("admin", "process_admin")


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        terminalreporter.write_line(f"SKIPPED {count} test(s): {reason}", yellow=True)
