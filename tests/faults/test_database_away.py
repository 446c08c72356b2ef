"""The database going away: 503 problem responses while it is away, and recovery by itself (no restart) when it
returns. PostgreSQL only, reached through a proxy the test cuts, or with its backends terminated; the shared
server itself is never stopped."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

from engine.access import accounts as users
from engine.access.actors import Grant
from engine.timers.worker import TimerWorker
from tests.conftest import BPMN, PASSWORD, make_engine
from tests.faults.tcp_proxy import TcpProxy


@pytest.fixture
def pg_url(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("a SQLite file does not go away; the PostgreSQL variant covers the network path")
    return db_url


@pytest.fixture
def proxied(pg_url):
    """An engine and app whose every database connection passes through a proxy the test controls."""
    from api.app import create_app

    url = make_url(pg_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    app_name = f"mtcflow_fault_{uuid.uuid4().hex[:8]}"
    query = dict(url.query, application_name=app_name)
    eng = make_engine(url.set(host="127.0.0.1", port=proxy.port, query=query).render_as_string(hide_password=False))
    eng.deploy_files([BPMN / "approval.bpmn"])
    with eng.db.transaction() as session:
        users.create_user(session, "sec", PASSWORD, [Grant("secretariat")], actor="test")
    app = create_app(engine=eng)
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "sec", "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    yield eng, client, headers, proxy, app_name
    proxy.stop()
    eng.close()


def assert_503(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert "database" in response.get_json()["detail"]
    assert int(response.headers["Retry-After"]) >= 1


def test_database_away_gives_503_and_recovers(proxied):
    eng, client, headers, proxy, _ = proxied
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    proxy.stop()
    assert_503(client.get("/api/v1/me", headers=headers))
    assert_503(client.post("/api/v1/instances", json={"process_key": "approval"}, headers=headers))
    assert_503(client.get("/api/v1/tasks", headers=headers))
    assert_503(client.post("/api/v1/auth/token", json={"username": "sec", "password": PASSWORD}))
    report = TimerWorker(eng).wake()  # the timer worker's pass survives the outage too
    assert report.fired == 0
    proxy.start()
    started = client.post("/api/v1/instances", json={"process_key": "approval"}, headers=headers)
    assert started.status_code == 201, started.get_json()
    listed = client.get("/api/v1/instances", headers=headers).get_json()
    assert [i["id"] for i in listed["items"]] == [started.get_json()["id"]]  # only the write made after return


def test_terminated_backends_are_replaced_transparently(proxied, pg_url):
    _, client, headers, _, app_name = proxied
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    admin = create_engine(make_url(pg_url).set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                   "WHERE application_name = :name"), {"name": app_name}).scalar()
    admin.dispose()
    assert killed >= 1
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # the pool's pre-ping reconnects
    started = client.post("/api/v1/instances", json={"process_key": "approval"}, headers=headers)
    assert started.status_code == 201
