"""Regression tests for what the API fuzzer and outside testers found (tests/api/test_fuzz.py, issue 18), on
SQLite and PostgreSQL."""
import io
import json

import pytest

from engine.access.actors import Grant
from engine.config import Settings
from tests.conftest import BPMN


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_unknown_query_parameters_are_refused(admin):
    """webargs ignored them (EXCLUDE) despite the schemas' RAISE: a misspelt filter returned everything."""
    body = problem(admin.get("/definitions", query_string={"kye": "approval"}), 422)
    assert "kye" in body["errors"]["query"]
    assert admin.get("/definitions", query_string={"key": "approval"}).status_code == 200


def test_huge_integer_ids_are_not_found(admin):
    """A 40-digit id reached the driver (OverflowError on SQLite, out of range on PostgreSQL): a 500."""
    problem(admin.get("/notices/" + "9" * 40), 404)
    problem(admin.get(f"/notices/{2**31}"), 404)
    document = admin.get("/openapi.json").get_json()
    parameter = document["paths"]["/api/v1/notices/{notice_id}"]["parameters"][0]
    assert parameter["schema"]["maximum"] == 2**31 - 1


def test_values_postgresql_refuses_are_422(admin, engine):
    """A NUL character in a filter made PostgreSQL raise a DataError: a 500. SQLite stores it."""
    response = admin.get("/instances", query_string={"business_key": "a\x00b"})
    if engine.db.dialect == "postgresql":
        assert "NUL" in problem(response, 422)["detail"]
    else:
        assert response.status_code == 200


def test_overlong_file_name_is_refused(admin):
    """The name column holds 500 characters: PostgreSQL refused longer ones with a driver error (500)."""
    response = admin.post("/definitions", data=(BPMN / "approval.bpmn").read_bytes(), content_type="application/xml",
                          query_string={"filename": "x" * 600})
    problem(response, 422)
    assert admin.get("/definitions").get_json()["total"] == 0


# ----- issue 18: server errors ---------------------------------------------------------------------------------
def nested(depth: int):
    value: object = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def nested_text(depth: int) -> str:
    """As JSON text: the test's own encoder would recurse as deep as the server's decoder did."""
    return '{"a": ' * depth + "{}" + "}" * depth


def test_deeply_nested_json_is_refused(admin, login, engine):
    """1,000 levels in variables or task data raised RecursionError while decoding: a 500 on both stores."""
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    deep = '{"process_key": "approval", "variables": {"x": ' + nested_text(1000) + "}}"
    body = problem(sec.post("/instances", data=deep, content_type="application/json"), 422)
    assert "nesting deeper than" in body["detail"]
    limit = engine.settings.json_max_depth
    problem(sec.post("/instances", json={"process_key": "approval", "variables": {"x": nested(limit)}}), 422)
    assert sec.get("/instances").get_json()["total"] == 0
    assert sec.post("/instances", json={"process_key": "approval", "variables": {"x": nested(limit - 3)}}) \
        .status_code == 201
    task = sec.get("/tasks").get_json()["items"][0]
    deep = '{"data": {"title": "x", "x": ' + nested_text(1000) + "}}"
    problem(sec.post(f"/tasks/{task['id']}/complete", data=deep, content_type="application/json"), 422)
    assert sec.get(f"/tasks/{task['id']}").get_json()["state"] in ("ready", "claimed")


def test_depth_limit_is_configuration(engine):
    from dataclasses import replace

    from api.app import create_app

    assert Settings.from_env().json_max_depth == 32
    app = create_app(replace(engine.settings, json_max_depth=3), engine=engine)
    assert app.config["MTCFLOW_JSON_MAX_DEPTH"] == 3
    client = app.test_client()
    response = client.post("/api/v1/auth/token", json={"username": {"a": {"b": {"c": 1}}}, "password": "x"})
    assert "nesting deeper than 3" in problem(response, 422)["detail"]


def test_huge_numbers_are_refused(admin, login):
    """version 2**63 overflowed SQLite's integer (500; PostgreSQL 422); 5,000 digits broke int() on both (500)."""
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    problem(sec.post("/instances", json={"process_key": "approval", "version": 9223372036854775808}), 422)
    problem(sec.post("/instances", json={"process_key": "approval", "version": 2**31}), 422)  # beyond any row id
    for literal in ("9" * 5000, "-" + "9" * 30, "1e400", "NaN", "-Infinity"):
        text = '{"process_key": "approval", "variables": {"n": ' + literal + "}}"
        body = problem(sec.post("/instances", data=text, content_type="application/json"), 422)
        assert "not accept" in body["detail"], literal
    assert sec.get("/instances").get_json()["total"] == 0
    safe = sec.post("/instances", json={"process_key": "approval", "variables": {"n": 2**53 - 1, "f": 1.5e300}})
    assert safe.status_code == 201


def test_lone_surrogates_are_refused(admin, login, app):
    """``"\\ud800"`` cannot be encoded as UTF-8: storing it failed in the driver (500), even without a login."""
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    for body in ({"process_key": "approval", "business_key": "\ud800"},
                 {"process_key": "approval", "variables": {"note": ["ok", "\udfff"]}},
                 {"process_key": "approval", "variables": {"x": {"\ud83d": 1}}}):
        sent = sec.post("/instances", data=json.dumps(body), content_type="application/json")  # as \ud800 escapes
        assert "surrogate" in problem(sent, 422)["detail"]
    assert sec.get("/instances").get_json()["total"] == 0
    anonymous = app.test_client().post("/api/v1/notices/1/comments", data='{"author": "\\ud800", "text": "x"}',
                                       content_type="application/json")
    assert "surrogate" in problem(anonymous, 422)["detail"]
    assert sec.post("/instances", json={"process_key": "approval", "business_key": "😀 计量"}).status_code == 201


# ----- issue 18: login page --------------------------------------------------------------------------------------
def _login_page(app, engine, target):
    import re

    from engine.access import accounts as users
    from tests.conftest import PASSWORD

    with engine.db.transaction() as session:
        users.create_user(session, "sec", PASSWORD, [Grant.parse("secretariat")], actor="test")
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    return client.post("/login", query_string={"next": target},
                       data={"username": "sec", "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("target", ["/\n/x", "/\r\nSet-Cookie: a=b", "/\x00x"])
def test_login_next_with_control_characters_is_not_a_500(app, engine, target):
    """``?next=/%0A/x`` put a newline into the Location header: "Header values must not contain newline"."""
    response = _login_page(app, engine, target)
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\t\t/evil.example", "/ /evil.example", "/\\evil.example",
                                    "/\x7f/evil.example"])
def test_login_next_is_no_open_redirect(app, engine, target):
    """``?next=/%09/evil.example`` answered ``Location: //evil.example``: browsers drop the tab, another host."""
    response = _login_page(app, engine, target)
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"


def test_login_next_keeps_same_site_paths(app, engine):
    assert _login_page(app, engine, "/tasks/abc?x=1").headers["Location"] == "/tasks/abc?x=1"


# ----- issue 18: authorization -----------------------------------------------------------------------------------
def test_messages_to_another_committees_instance_are_not_found(admin, login):
    """A 409 "No matching instance is waiting" told that an id of another committee exists (unknown: 404)."""
    admin.deploy("message_wait.bpmn")
    owner = login("sec_b", "secretariat:committee/MTC-B")
    other = owner.post("/instances", json={"process_key": "message_wait",
                                                "scope": {"committee": "MTC-B"}}).get_json()
    stranger = login("sec_a", "secretariat:committee/MTC-A")
    theirs = problem(stranger.post("/messages", json={"name": "decision_received", "instance_id": other["id"]}), 404)
    unknown = problem(stranger.post("/messages", json={"name": "decision_received",
                                                       "instance_id": "00000000-0000-0000-0000-000000000000"}), 404)
    assert theirs["title"] == unknown["title"] and theirs.keys() == unknown.keys()
    assert owner.get(f"/instances/{other['id']}").get_json()["state"] != "completed"  # nothing delivered
    assert owner.post("/messages", json={"name": "decision_received", "instance_id": other["id"]}).status_code == 200


def test_user_admin_cannot_revoke_own_grant(login):
    """Every other self-administration was refused; revoking one's own grant answered 200."""
    ua = login("ua", "user_admin")
    me = ua.get("/users/ua").get_json()
    grant_id = me["assignments"][0]["id"]
    body = problem(ua.post(f"/users/ua/grants/{grant_id}/revoke", json={"reason": "自我撤销"}), 403)
    assert body["rule"] == "self-admin"
    assert ua.get("/users/ua").get_json()["assignments"][0]["revoked_at"] is None


def test_provincial_authority_needs_a_jurisdiction(login):
    """``authority:level/provincial`` was granted (201) and then saw every province's instances."""
    ua = login("ua", "user_admin")
    ua.post("/users", json={"username": "js", "password": "a-long-password", "grants": [], "reason": "新人"})
    for grant in ("authority:level/provincial", "authority:level/ministry"):
        assert problem(ua.post("/users/js/grants", json={"grant": grant, "reason": "x"}), 403)["rule"] == "BR11"
    assert ua.post("/users/js/grants", json={"grant": "authority:level/provincial/江苏", "reason": "x"}) \
        .status_code == 201
    assert ua.post("/users/js/grants", json={"grant": "authority:level/national", "reason": "x"}).status_code == 201


@pytest.mark.parametrize("grant", ["secretariat:committee/*", "secretariat:committee/%", "secretariat:committee/..",
                                   "secretariat:committee/../MTC-B", "drafter:spec/JJF_%", "member:committee/.x",
                                   "authority:level/provincial/*"])
def test_junk_scopes_are_refused(login, grant):
    ua = login("ua", "user_admin")
    ua.post("/users", json={"username": "u1", "password": "a-long-password", "grants": [], "reason": "新人"})
    problem(ua.post("/users/u1/grants", json={"grant": grant, "reason": "x"}), 422)
    assert ua.get("/users/u1").get_json()["assignments"] == []


def test_names_are_scope_values(login):
    ua = login("ua", "user_admin")
    ua.post("/users", json={"username": "u1", "password": "a-long-password", "grants": [], "reason": "新人"})
    for grant in ("secretariat:committee/MTC-12", "drafter:spec/JJF 1001—2026", "member:committee/MTC_A"):
        assert ua.post("/users/u1/grants", json={"grant": grant, "reason": "x"}).status_code == 201, grant


def test_usernames_differing_in_case_are_one_name(login):
    ua = login("ua", "user_admin")
    new = {"password": "a-long-password", "grants": [], "reason": "新人"}
    assert ua.post("/users", json={"username": "Wang", **new}).status_code == 201
    for name in ("wang", "WANG", "wAnG"):
        problem(ua.post("/users", json={"username": name, **new}), 409)
    assert ua.get("/users").get_json()["total"] == 2  # ua and Wang


def test_assign_reveals_nothing_about_other_accounts(admin, login, engine):
    """Unknown (404), deactivated (409) and "holds role X, not for this scope" (403 scope) told who exists and
    what they hold; now one answer."""
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat:committee/MTC-A")
    login("sec_b", "secretariat:committee/MTC-B")
    login("auditor1", "auditor")
    login("gone", "secretariat:committee/MTC-A")
    with engine.db.transaction() as session:
        from engine.access import accounts as users

        users.deactivate(session, users.get_user(session, "gone"), actor="test", reason="调离")
    inst = sec.post("/instances", json={"process_key": "approval", "scope": {"committee": "MTC-A"}}).get_json()
    task = inst["tasks"][0]["id"]
    answers = [problem(sec.post(f"/tasks/{task}/assign", json={"assignee": name, "reason": "x"}), 403)
               for name in ("nobody", "sec_b", "auditor1", "gone")]
    assert {(a["rule"], a["detail"].split(":", 1)[1]) for a in answers} == {
        ("assign", " no active account of that name holds its role for this instance.")}
    assert sec.get(f"/tasks/{task}").get_json()["assignee"] is None
    login("sec2", "secretariat:committee/MTC-A")
    assert sec.post(f"/tasks/{task}/assign", json={"assignee": "sec2", "reason": "x"}).status_code == 200


def test_failed_logins_do_not_lock_the_owner_out_from_elsewhere(app, engine):
    """Anyone could make the right password answer 429 for up to 900 s by failing on purpose; the delay now
    applies to the failing account and source address only."""
    from engine.access import accounts as users
    from tests.conftest import PASSWORD

    with engine.db.transaction() as session:
        users.create_user(session, "wang", PASSWORD, [Grant.parse("member")], actor="test")
    client = app.test_client()

    def token(password, address):
        return client.post("/api/v1/auth/token", json={"username": "wang", "password": password},
                           environ_base={"REMOTE_ADDR": address})

    for _ in range(engine.settings.login_free_failures + 1):
        problem(token("guess", "203.0.113.9"), 401)
    assert problem(token(PASSWORD, "203.0.113.9"), 429)["rule"] == "login-backoff"  # the guesser waits
    assert token(PASSWORD, "198.51.100.7").status_code == 200  # the owner, elsewhere, gets in
    assert problem(token(PASSWORD, "203.0.113.9"), 429)["rule"] == "login-backoff"  # still locked there


def test_process_admin_timers_without_business_data(admin, login, engine):
    """Decided (issue 18, see the authorization matrix): process admins list timers for operations without business
    key or committee, and fire only timers the worker gave up on; early deadlines are the authority's."""
    from engine.runtime.models import Timer
    from engine.timers.service import MAX_ATTEMPTS

    admin.deploy("timer_wait.bpmn")
    auth = login("auth", "authority")
    first = auth.post("/instances", json={"process_key": "timer_wait", "business_key": "JJF-秘密",
                                          "scope": {"committee": "MTC-A"}}).get_json()
    second = auth.start("timer_wait", business_key="JJF-另一")
    rows = admin.get("/timers").get_json()["items"]
    assert len(rows) == 2 and {(r["business_key"], r["committee"]) for r in rows} == {(None, None)}
    assert {r["business_key"] for r in auth.get("/timers").get_json()["items"]} == {"JJF-秘密", "JJF-另一"}
    assert problem(admin.get("/timers", query_string={"committee": "MTC-A"}), 403)["rule"] == "role"

    waiting = first["timers"][0]["id"]
    assert problem(admin.post(f"/timers/{waiting}/fire", json={"reason": "提前"}), 403)["rule"] == "role"
    assert auth.get(f"/instances/{first['id']}").get_json()["timers"]  # still waiting
    failed = second["timers"][0]["id"]
    with engine.db.transaction() as session:
        session.get(Timer, failed).attempts = MAX_ATTEMPTS  # the worker gave up on it
    fired = admin.post(f"/timers/{failed}/fire", json={"reason": "修复后重发"})
    assert fired.status_code == 200 and fired.get_json()["business_key"] is None
    assert auth.post(f"/timers/{waiting}/fire", json={"reason": "公示期提前结束"}).status_code == 200


def test_auditors_anchor_the_record(login):
    """Decided (issue 18): an anchor fixes the chains' current heads and decides nothing, so auditors make them."""
    auditor = login("aud", "auditor")
    assert auditor.post("/audit/anchors").status_code == 201


# ----- issue 18: contract ----------------------------------------------------------------------------------------
def _document(admin):
    return admin.get("/openapi.json").get_json()


def test_problem_extension_members_are_documented(admin, login):
    """A 422 of an upload carried ``accepted``, a 409 of a withdrawn notice ``notice_id``/``notice_phase``, which the
    problem schema (additionalProperties: false) did not allow."""
    schema = _document(admin)["components"]["schemas"]["Problem"]
    assert schema["additionalProperties"] is False
    assert {"accepted", "notice_id", "notice_phase", "opens_at", "closes_at", "retry_after", "rule"} <= \
        set(schema["properties"])
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("approval")
    refused = problem(sec.post(f"/instances/{inst['id']}/documents", content_type="multipart/form-data",
                               data={"file": (io.BytesIO(b"MZ\x90\x00"), "x.exe", "application/x-msdownload")}), 422)
    assert set(refused) <= set(schema["properties"]) and refused["accepted"]


def test_document_content_is_documented_with_its_types(admin, login):
    document = _document(admin)
    for path in ("/api/v1/documents/{document_id}/content", "/api/v1/notices/{notice_id}/documents/{document_id}"):
        content = document["paths"][path]["get"]["responses"]["200"]["content"]
        assert {"application/pdf", "text/plain", "image/png"} <= set(content) and "application/octet-stream" \
            not in content
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("approval")
    uploaded = sec.post(f"/instances/{inst['id']}/documents", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "a.pdf", "application/pdf")}).get_json()
    assert sec.get(f"/documents/{uploaded['id']}/content").mimetype in content


def test_overlong_upload_description_is_refused(admin, login):
    """The schema says maxLength 500; 501 characters were cut silently and the upload accepted."""
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("approval")
    pdf = (io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "a.pdf", "application/pdf")
    body = problem(sec.post(f"/instances/{inst['id']}/documents", content_type="multipart/form-data",
                            data={"file": pdf, "description": "说" * 501}), 422)
    assert "500" in body["detail"]
    assert sec.get(f"/instances/{inst['id']}/documents").get_json()["total"] == 0


def test_complete_needs_a_body(admin, login):
    """The document marks the body required, yet a bare POST completed the task with no data."""
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    task = sec.start("approval")["tasks"][0]["id"]
    assert "JSON body" in problem(sec.post(f"/tasks/{task}/complete"), 400)["detail"]
    problem(sec.post(f"/tasks/{task}/complete", data="", content_type="application/json"), 400)
    problem(sec.post(f"/tasks/{task}/complete", data='{"data": {}}', content_type="text/plain"), 400)
    assert sec.get(f"/tasks/{task}").get_json()["state"] in ("ready", "claimed")
    assert _document(admin)["paths"]["/api/v1/tasks/{task_id}/complete"]["post"]["requestBody"]["required"] is True


def test_variable_name_rule_is_in_the_schema(admin, login):
    """The server refused names the schema allowed (any string key)."""
    from engine.runtime.forms import VARIABLE_NAME

    schemas = _document(admin)["components"]["schemas"]
    for name, field in (("StartRequest", "variables"), ("CompleteRequest", "data"), ("MessageRequest", "payload")):
        assert schemas[name]["properties"][field]["x-propertyNames"]["pattern"] == VARIABLE_NAME.pattern
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    body = problem(sec.post("/instances", json={"process_key": "approval", "variables": {"1st": 1}}), 422)
    assert "variables" in body["errors"]["json"]
    assert sec.get("/instances").get_json()["total"] == 0


def test_options_of_validate_advertises_post_only(admin):
    """``/definitions/validate`` also matched ``/definitions/<key>``: OPTIONS listed GET, and GET read a key."""
    response = admin.client.options("/api/v1/definitions/validate")
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    problem(admin.get("/definitions/validate"), 405)
    assert "GET" in admin.client.options("/api/v1/definitions/approval").headers["Allow"]
