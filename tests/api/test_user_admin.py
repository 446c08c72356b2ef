"""User administration (API and CLI), revocation during a claimed task, reassignment with its reason."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from api.cli.main import main
from engine.history import log as history
from engine.history.models import Event
from tests.api.roles_support import log_in, person, refused, start
from tests.conftest import PASSWORD, make_engine


@pytest.fixture
def ua(login):
    return login("ua", "user_admin")


def global_events(engine, type_):
    with engine.db.transaction() as session:
        return [(e.actor, e.data) for e in session.scalars(
            select(Event).where(Event.stream == history.GLOBAL_STREAM, Event.type == type_).order_by(Event.seq))]


def test_create_grant_revoke_record_who_and_why(app, engine, ua):
    created = ua.post("/users", json={"username": "zhang", "password": PASSWORD, "display_name": "张三",
                                      "unit": "江苏省计量院", "grants": ["member:committee/MTC-12"],
                                      "reason": "第三届委员会委员"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["unit"], body["active"]) == ("江苏省计量院", True) and "password" not in body
    [first] = body["assignments"]
    assert (first["grant"], first["granted_by"], first["reason"]) == \
        ("member:committee/MTC-12", "ua", "第三届委员会委员")

    granted = ua.post("/users/zhang/grants", json={"grant": "chief_reviewer:spec/JJF-2026-001",
                                                   "reason": "秘书处推荐为主审人"})
    assert granted.status_code == 201 and granted.get_json()["scope"] == "spec/JJF-2026-001"
    revoked = ua.post(f"/users/zhang/grants/{first['id']}/revoke", json={"reason": "换届"})
    assert revoked.status_code == 200
    assert (revoked.get_json()["revoked_by"], revoked.get_json()["revoked_reason"]) == ("ua", "换届")
    assert ua.post(f"/users/zhang/grants/{first['id']}/revoke", json={"reason": "again"}).status_code == 409
    assert ua.post("/users/zhang/grants/99999/revoke", json={"reason": "x"}).status_code == 404

    zhang = log_in(app.test_client(), "zhang")
    assert zhang.get("/me").get_json()["roles"] == [{"role": "chief_reviewer", "scope": "spec/JJF-2026-001"}]
    listed = ua.get("/users", query_string={"role": "chief_reviewer"}).get_json()
    assert [u["username"] for u in listed["items"]] == ["zhang"]
    assert global_events(engine, "role_granted")[-1] == ("ua", {
        "user": "zhang", "role": "chief_reviewer", "scope": "spec/JJF-2026-001", "reason": "秘书处推荐为主审人",
        "assignment": granted.get_json()["id"]})
    assert global_events(engine, "role_revoked") == [("ua", {
        "user": "zhang", "role": "member", "scope": "committee/MTC-12", "reason": "换届", "assignment": first["id"]})]


@pytest.mark.parametrize("grant, status, rule", [
    ("authority", 403, "BR11"),
    ("authority:committee/MTC-12", 403, "BR11"),
    ("drafter", 422, None),
    ("secretariat:spec/JJF-1", 422, None),
    ("auditor:committee/MTC-12", 422, None),
    ("wizard", 422, None),
    ("member:galaxy/far", 422, None),
    ("system", 422, None),
    ("member:committee/MTC-12", 409, None),
    ("auditor", 409, None),
])
def test_grant_policy(app, engine, ua, grant, status, rule):
    person(engine, app.test_client(), "li", "member:committee/MTC-12")
    response = ua.post("/users/li/grants", json={"grant": grant, "reason": "test"})
    assert response.status_code == status, response.get_json()
    if rule:
        assert response.get_json()["rule"] == rule


def test_nobody_administers_their_own_account(ua):
    refused(ua.post("/users/ua/grants", json={"grant": "auditor", "reason": "me"}), "self-admin")
    refused(ua.post("/users/ua/deactivate", json={"reason": "me"}), "self-admin")
    refused(ua.client.patch("/api/v1/users/ua", json={"unit": "x", "reason": "me"}, headers=ua._headers()),
            "self-admin")


def test_deactivated_users_tokens_stop_working(app, engine, ua, admin):
    admin.deploy("approval.bpmn")
    sec = person(engine, app.test_client(), "sec", "secretariat:committee/MTC-12")
    task = start(sec, "approval", {"committee": "MTC-12"})["tasks"][0]["id"]
    sec.post(f"/tasks/{task}/claim")
    result = ua.post("/users/sec/deactivate", json={"reason": "离职"})
    assert result.status_code == 200
    assert (result.get_json()["active"], result.get_json()["tokens_revoked"]) == (False, 1)
    assert result.get_json()["claimed_tasks"] == [task]
    assert sec.get("/me").status_code == 401
    assert app.test_client().post("/api/v1/auth/token", json={"username": "sec", "password": PASSWORD}
                                  ).status_code == 401
    assert global_events(engine, "user_deactivated")[-1] == ("ua", {"user": "sec", "reason": "离职",
                                                                    "tokens_revoked": 1})


def test_unit_change_is_recorded(app, engine, ua):
    person(engine, app.test_client(), "wang", "member:committee/MTC-12", unit="A大学")
    response = ua.client.patch("/api/v1/users/wang", json={"unit": "B研究院", "reason": "工作调动"},
                               headers=ua._headers())
    assert response.status_code == 200 and response.get_json()["unit"] == "B研究院"
    assert global_events(engine, "user_updated")[-1][1] == {"user": "wang", "before": {"unit": "A大学"},
                                                            "after": {"unit": "B研究院"}, "reason": "工作调动"}


def test_revoked_grant_stops_completion_and_the_task_is_reassigned(app, engine, ua, admin):
    admin.deploy("approval.bpmn")
    client = app.test_client()
    sec = person(engine, client, "sec", "secretariat:committee/MTC-12")
    colleague = person(engine, client, "sec2", "secretariat:committee/MTC-12")
    inst = start(sec, "approval", {"committee": "MTC-12"})
    task = inst["tasks"][0]["id"]
    assert sec.post(f"/tasks/{task}/claim").status_code == 200
    assignment_id = ua.get("/users/sec").get_json()["assignments"][0]["id"]
    ua.post(f"/users/sec/grants/{assignment_id}/revoke", json={"reason": "调离秘书处"})

    refused(sec.complete(task, {"title": "申请书"}), "lane-role")
    assert sec.get(f"/tasks/{task}").get_json()["assignee"] == "sec"
    assert colleague.complete(task, {"title": "x"}).status_code == 409
    reassigned = colleague.post(f"/tasks/{task}/assign", json={"assignee": "sec2", "reason": "原经办人调离"})
    assert reassigned.status_code == 200 and reassigned.get_json()["assignee"] == "sec2"
    assert colleague.complete(task, {"title": "申请书"}).status_code == 200

    events = colleague.get(f"/instances/{inst['id']}/history", query_string={"type": "task_assigned"}).get_json()
    [event] = events["items"]
    assert (event["actor"], event["task_id"]) == ("sec2", task)
    assert event["data"] == {"from": "sec", "to": "sec2", "reason": "原经办人调离"}


def test_a_revocation_between_request_and_action_counts(engine, admin, app):
    """The engine re-reads grants inside the action's transaction, not trusting the caller's Actor."""
    from engine.access import accounts as users
    from engine.errors import Forbidden

    admin.deploy("approval.bpmn")
    sec = person(engine, app.test_client(), "sec", "secretariat:committee/MTC-12")
    task = start(sec, "approval", {"committee": "MTC-12"})["tasks"][0]["id"]
    with engine.db.transaction() as session:
        stale = users.actor_for(session, users.get_user(session, "sec"))
        users.revoke_grant(session, users.get_user(session, "sec"), stale.grants[0].id, actor="ua", reason="x")
    with pytest.raises(Forbidden) as refusal, engine.db.transaction() as session:
        engine.runtime.claim(session, stale, task)
    assert refusal.value.rule == "lane-role"


def test_cli_users(sqlite_url, monkeypatch):
    import api.cli.main as cli_main

    eng = make_engine(sqlite_url)  # one engine for every command: cheap hashing, forms loaded once
    eng.migrate = lambda: None  # the template database is migrated already
    monkeypatch.setattr(cli_main, "_engine", lambda: eng)
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(main, list(args), catch_exceptions=False)
        return result.exit_code, result.output

    code, out = run("users", "create", "zhao", "--password", PASSWORD, "--role", "member:committee/MTC-12",
                    "--unit", "上海市计量测试技术研究院")
    assert code == 0, out
    assert run("users", "create", "qian", "--password", PASSWORD, "--role", "authority")[0] == 1
    code, out = run("users", "grant", "zhao", "chief_reviewer:spec/JJF-2026-001", "--reason", "主审人")
    assert code == 0 and "granted chief_reviewer:spec/JJF-2026-001 to zhao" in out
    code, out = run("users", "list")
    assert "#2 chief_reviewer:spec/JJF-2026-001" in out and "主审人" in out
    code, out = run("users", "revoke", "zhao", "--grant", "member:committee/MTC-12", "--reason", "换届")
    assert code == 0 and "revoked member:committee/MTC-12" in out
    assert run("users", "revoke", "zhao", "1", "--reason", "again")[0] == 1
    assert "revoked by cli:" in run("users", "list", "--all")[1]
    code, out = run("users", "deactivate", "zhao", "--reason", "退休")
    assert code == 0 and "deactivated zhao" in out
    assert "[deactivated]" in run("users", "list", "--all")[1] and "zhao" not in run("users", "list")[1]
    eng.close()
