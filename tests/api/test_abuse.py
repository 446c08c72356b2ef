"""Abuse: login rate limit, growing delays after failed logins, logout, security headers, no secrets in logs,
a required secret key outside the demo."""
import logging
from datetime import timedelta

import pytest
from click.testing import CliRunner

import api.cli.main as cli_main
from api.security.login import guard_key
from engine.access.login_guard import Backoff
from engine.access.models import LoginFailure
from tests.conftest import PASSWORD


def token_request(client, username, password):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def assert_429(response):
    assert response.status_code == 429, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    # Flask-Limiter raises Retry-After to its own window's reset when that is later; never below ours
    assert int(response.headers["Retry-After"]) >= body.get("retry_after", 1)
    return body


def test_login_rate_limit_per_address(app, login):
    login("li", "secretariat")
    app.config["MTCFLOW_LOGIN_LIMIT"] = "3 per minute"
    client = app.test_client()
    codes = [token_request(client, f"nobody{i}", "wrong-password").status_code for i in range(3)]
    assert codes == [401, 401, 401]
    body = assert_429(token_request(client, "li", PASSWORD))  # even the right password: the address is limited
    assert body["rule"] == "rate-limit"


def test_failed_logins_lock_the_account_for_growing_delays(app, login, engine, clock):
    login("wang", "secretariat")
    client = app.test_client()
    backoff = Backoff(engine.settings.login_free_failures, engine.settings.login_delay_seconds,
                      engine.settings.login_delay_max_seconds)
    for _ in range(backoff.free):
        assert token_request(client, "wang", "guess-guess").status_code == 401
    assert token_request(client, "wang", "guess-again").status_code == 401  # the first delayed failure
    first = assert_429(token_request(client, "wang", PASSWORD))
    assert first["rule"] == "login-backoff"
    assert first["retry_after"] == backoff.delay(backoff.free + 1)

    clock.advance(timedelta(seconds=backoff.delay(backoff.free + 1)))
    assert token_request(client, "wang", "guess-more").status_code == 401
    second = assert_429(token_request(client, "wang", PASSWORD))
    assert second["retry_after"] == backoff.delay(backoff.free + 2) > backoff.delay(backoff.free + 1)
    with engine.db.transaction() as session:
        assert session.get(LoginFailure, guard_key("wang", "127.0.0.1")).failures == backoff.free + 2

    clock.advance(timedelta(seconds=backoff.delay(backoff.free + 2)))
    assert token_request(client, "wang", PASSWORD).status_code == 200
    with engine.db.transaction() as session:
        assert session.get(LoginFailure, guard_key("wang", "127.0.0.1")) is None  # success clears the record
    assert token_request(client, "wang", "one-typo").status_code == 401  # free attempts again


def test_unknown_names_are_delayed_like_accounts(app, engine):
    client = app.test_client()
    responses = [token_request(client, "ghost", "whatever1") for _ in range(engine.settings.login_free_failures + 1)]
    assert {r.status_code for r in responses} == {401}
    assert_429(token_request(client, "ghost", "whatever1"))


def test_backoff_is_capped():
    backoff = Backoff(free=3, base_seconds=2, cap_seconds=60)
    assert [backoff.delay(n) for n in range(1, 10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60]


def test_logout_revokes_only_that_token(login, app):
    first = login("zhao", "secretariat")
    second = login("zhao")
    assert first.get("/me").status_code == 200
    assert first.post("/auth/logout").status_code == 204
    refused = first.get("/me")
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert first.post("/auth/logout").status_code == 401
    assert second.get("/me").status_code == 200


def test_security_headers(admin, app):
    for response in (admin.get("/me"), admin.get("/tasks/nope"), app.test_client().get("/healthz")):
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
        assert "script-src 'self';" in csp  # no inline or foreign scripts on the API and our pages
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP
    tls = app.test_client().get("/healthz", base_url="https://mtcflow.example")
    assert "max-age=31536000" in tls.headers["Strict-Transport-Security"]
    docs = app.test_client().get("/api/v1/docs")
    assert docs.status_code == 200 and "https://cdn.jsdelivr.net" in docs.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in docs.headers["Content-Security-Policy"]


def test_no_passwords_or_tokens_in_logs(app, login, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # every statement, its parameters and rows
    admin = login("useradmin", "user_admin")
    client = app.test_client()
    secret_password = "Very-Secret-Pa55word"
    created = admin.post("/users", json={"username": "sun", "password": secret_password, "grants": ["auditor"],
                                         "reason": "log test"})
    assert created.status_code == 201, created.get_json()
    assert token_request(client, "sun", "Wrong-Secret-Guess").status_code == 401
    token = token_request(client, "sun", secret_password).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert "login failed for 'sun'" in caplog.text and "login of 'sun'" in caplog.text
    assert "INSERT INTO access_tokens" in caplog.text
    for secret in (secret_password, "Wrong-Secret-Guess", token, PASSWORD, admin.token):
        assert secret not in caplog.text
    assert app.extensions["mtcflow"].db.engine.hide_parameters  # driver errors never echo statement values


@pytest.mark.parametrize("key, code", [(None, 2), ("short", 2), ("x" * 40, 0)])
def test_serve_requires_a_secret_key(monkeypatch, key, code):
    started = []
    monkeypatch.setattr(cli_main, "_engine", lambda: pytest.fail("must not build an engine"))
    if key is None:
        monkeypatch.delenv("MTCFLOW_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("MTCFLOW_SECRET_KEY", key)
    if code == 0:
        monkeypatch.setattr(cli_main, "_engine", lambda: started.append(True) or _Stub())
        monkeypatch.setattr(cli_main, "_prepare", lambda eng: None)
        monkeypatch.setattr(cli_main, "_run", lambda eng, host, port: None)
    result = CliRunner().invoke(cli_main.main, ["serve"])
    assert result.exit_code == code, result.output
    if code:
        assert "MTCFLOW_SECRET_KEY" in result.output
    else:
        assert started


def test_quickstart_runs_with_the_demo_key(monkeypatch):

    seen = []
    monkeypatch.setenv("MTCFLOW_SECRET_KEY", "")
    monkeypatch.delenv("MTCFLOW_SECRET_KEY")  # recorded, so the key quickstart sets is removed afterwards
    monkeypatch.setattr(cli_main, "_engine", lambda: _Stub())
    monkeypatch.setattr(cli_main, "_prepare", lambda eng: None)
    monkeypatch.setattr(cli_main, "ensure_demo_users", lambda eng: [])
    monkeypatch.setattr(cli_main.seed, "seeded", lambda eng: True)  # the demo dataset has its own test
    monkeypatch.setattr(cli_main, "_run", lambda eng, host, port: seen.append(__import__("os").environ[
        "MTCFLOW_SECRET_KEY"]))
    result = CliRunner().invoke(cli_main.main, ["quickstart"])
    assert result.exit_code == 0, result.output
    assert seen == [cli_main.DEMO_SECRET_KEY]


class _Stub:
    settings = None


def test_concurrent_failures_of_one_name_all_count(app, engine):
    from tests.api.test_concurrency import race

    clients = [app.test_client() for _ in range(6)]
    codes = race(6, lambda i: token_request(clients[i], "newcomer", f"guess-{i}").status_code)
    assert set(codes) <= {401, 429} and codes.count(401) >= engine.settings.login_free_failures, codes
    with engine.db.transaction() as session:
        assert session.get(LoginFailure, guard_key("newcomer", "127.0.0.1")).failures == codes.count(401)



def test_hsts_behind_a_trusted_tls_proxy_only(engine):
    from dataclasses import replace

    from api.app import create_app

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = create_app(engine=engine).test_client().get("/healthz", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers  # nobody vouches for the header: ignored
    engine.settings = replace(engine.settings, trusted_proxies=1)
    proxied = create_app(engine=engine).test_client().get("/healthz", headers=forwarded)
    assert "max-age=31536000" in proxied.headers["Strict-Transport-Security"]
