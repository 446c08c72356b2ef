"""Browser sessions: the cookie authenticates like a bearer token, writes need the CSRF header, bearer
clients are unaffected, logout revokes the session's token."""
from __future__ import annotations

import re

import pytest

from tests.api.roles_support import make_user
from tests.conftest import PASSWORD

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


@pytest.fixture
def browser(app, engine):
    """A test client logged in through the login form, with the page's CSRF token."""
    make_user(engine, "sec", "secretariat:committee/MTC-12")
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "sec", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    client.csrf = csrf_of(client.get("/inbox").get_data(as_text=True))
    return client


def test_session_cookie_reads_the_api(browser):
    response = browser.get("/api/v1/me")
    assert response.status_code == 200
    assert response.get_json()["username"] == "sec"


def test_write_without_csrf_header_is_refused(browser, admin):
    admin.deploy("approval.bpmn")
    body = {"process_key": "approval", "variables": {}, "scope": {"committee": "MTC-12"}}
    refused = browser.post("/api/v1/instances", json=body)
    assert refused.status_code == 400
    assert refused.mimetype == "application/problem+json"
    assert "CSRF" in refused.get_json()["detail"]
    accepted = browser.post("/api/v1/instances", json=body, headers={"X-CSRFToken": browser.csrf})
    assert accepted.status_code == 201, accepted.get_json()


def test_bearer_clients_need_no_csrf(admin):
    assert admin.deploy("approval.bpmn")[0]["key"] == "approval"


def test_login_form_needs_csrf_and_right_password(app, engine):
    make_user(engine, "sec", "secretariat:committee/MTC-12")
    client = app.test_client()
    assert client.post("/login", data={"username": "sec", "password": PASSWORD}).status_code == 401
    token = csrf_of(client.get("/login").get_data(as_text=True))
    wrong = client.post("/login", data={"username": "sec", "password": "nope", "csrf_token": token})
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 401


def test_logout_revokes_the_session(browser):
    assert browser.post("/logout", data={"csrf_token": browser.csrf}).status_code == 302
    assert browser.get("/api/v1/me").status_code == 401
    assert browser.get("/inbox").status_code == 302


def test_pages_need_login_but_the_notice_board_does_not(app):
    client = app.test_client()
    assert client.get("/inbox").headers["Location"].startswith("/login")
    assert client.get("/notices").status_code == 200
    english = client.get("/notices?lang=en")
    assert "Public notices" in english.get_data(as_text=True)
    assert "lang=en" in english.headers["Set-Cookie"]


@pytest.mark.parametrize("target, lands", [("/dashboard", "/dashboard"), ("//evil.example/x", "/inbox"),
                                           ("/\\evil.example", "/inbox"), ("https://evil.example", "/inbox")])
def test_login_returns_only_to_this_site(app, engine, target, lands):
    make_user(engine, "sec", "secretariat:committee/MTC-12")
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", query_string={"next": target},
                           data={"username": "sec", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == lands


def test_login_page_and_token_endpoint_share_the_backoff(app, engine):
    """Failures at either door count towards one lock; a locked name is refused at both, even with the right
    password."""
    make_user(engine, "sec", "secretariat:committee/MTC-12")
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    for _ in range(engine.settings.login_free_failures):
        assert client.post("/login", data={"username": "sec", "password": "nope", "csrf_token": token}).status_code \
            == 401
    assert client.post("/api/v1/auth/token", json={"username": "sec", "password": "nope"}).status_code == 401
    locked = client.post("/login", data={"username": "sec", "password": PASSWORD, "csrf_token": token})
    assert locked.status_code == 429 and "暂时锁定" in locked.get_data(as_text=True)
    assert client.post("/api/v1/auth/token", json={"username": "sec", "password": PASSWORD}).status_code == 429
    assert client.get("/api/v1/me").status_code == 401


def test_session_cookie_is_secure_behind_tls(engine):
    from dataclasses import replace

    from api.app import create_app

    for secure, expected in ((False, False), (True, True)):
        app = create_app(replace(engine.settings, secure_cookies=secure), engine=engine)
        app.config["TESTING"] = True
        make_user(engine, f"u{int(secure)}", "secretariat:committee/MTC-12")
        client = app.test_client()
        token = csrf_of(client.get("/login").get_data(as_text=True))
        answer = client.post("/login", data={"username": f"u{int(secure)}", "password": PASSWORD, "csrf_token": token})
        cookie = answer.headers.get("Set-Cookie", "")
        assert answer.status_code == 302 and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        assert ("Secure" in cookie) is expected, cookie
