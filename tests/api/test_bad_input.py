"""Bad input: a precise 4xx problem response, nothing stored, never a 500."""
import pytest

from tests.conftest import FIXTURES


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"] and body["title"]
    return body


@pytest.fixture
def started(admin, login):
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    return sec, sec.start("approval")


def test_malformed_json(started):
    sec, _ = started
    body = problem(sec.post("/instances", data="{not json", content_type="application/json"), 400)
    assert "JSON" in body["detail"]


def test_unknown_field_and_wrong_type(started):
    sec, _ = started
    body = problem(sec.post("/instances", json={"process_key": "approval", "colour": "red"}), 422)
    assert "colour" in str(body["errors"])
    body = problem(sec.post("/instances", json={"process_key": 12}), 422)
    assert "process_key" in str(body["errors"])
    problem(sec.post("/instances", json={"process_key": "approval", "variables": [1, 2]}), 422)
    problem(sec.post("/instances", json={"process_key": "approval", "variables": {"__class__": 1}}), 422)
    problem(sec.get("/tasks", query_string={"per_page": "many"}), 422)


def test_unknown_ids(started):
    sec, _ = started
    problem(sec.get("/instances/nope"), 404)
    problem(sec.post("/tasks/nope/complete", json={"data": {}}), 404)
    problem(sec.post("/instances", json={"process_key": "no_such_process"}), 404)
    problem(sec.get("/definitions/no_such_process"), 404)
    problem(sec.get("/definitions/approval/versions/9/xml"), 404)


def test_form_validation_refuses_and_keeps_task(started):
    sec, inst = started
    task_id = inst["tasks"][0]["id"]
    body = problem(sec.complete(task_id, {"pages": "three"}), 422)
    fields = {e["field"] for e in body["errors"]}
    assert "pages" in fields and any("title" in e["message"] for e in body["errors"])
    problem(sec.complete(task_id, {"title": "x", "extra": 1}), 422)
    assert sec.get(f"/tasks/{task_id}").get_json()["state"] == "ready"
    history_free = sec.get(f"/instances/{inst['id']}").get_json()
    assert history_free["tasks"][0]["id"] == task_id and history_free["data"] == {}


def test_task_not_ready_and_other_role(started, login):
    sec, inst = started
    task_id = inst["tasks"][0]["id"]
    member = login("mem", "member")
    body = problem(member.post(f"/tasks/{task_id}/claim"), 403)
    assert body["rule"] == "lane-role"
    problem(member.complete(task_id, {"title": "x"}), 403)
    assert sec.complete(task_id, {"title": "x"}).status_code == 200
    problem(sec.complete(task_id, {"title": "x"}), 409)
    problem(sec.post(f"/tasks/{task_id}/claim"), 409)


def test_claimed_by_someone_else(started, login):
    sec, inst = started
    other = login("sec2", "secretariat")
    task_id = inst["tasks"][0]["id"]
    assert sec.post(f"/tasks/{task_id}/claim").status_code == 200
    problem(other.post(f"/tasks/{task_id}/claim"), 409)
    problem(other.complete(task_id, {"title": "x"}), 409)
    problem(other.post(f"/tasks/{task_id}/unclaim"), 409)
    assert sec.post(f"/tasks/{task_id}/unclaim").get_json()["state"] == "ready"


def test_finished_instance(started, login):
    sec, inst = started
    sec.post(f"/instances/{inst['id']}/cancel", json={"reason": "test"})
    problem(sec.post(f"/instances/{inst['id']}/cancel", json={"reason": "test"}), 409)
    problem(sec.post(f"/instances/{inst['id']}/cancel", json={}), 422)


def test_authentication_errors(app, started):
    client = app.test_client()
    problem(client.get("/api/v1/tasks"), 401)
    problem(client.get("/api/v1/tasks", headers={"Authorization": "Bearer forged"}), 401)
    problem(client.post("/api/v1/auth/token", json={"username": "sec", "password": "wrong-password"}), 401)
    problem(client.post("/api/v1/auth/token", json={"username": "ghost", "password": "whatever1"}), 401)
    problem(client.post("/api/v1/auth/token", json={"username": "sec"}), 422)


def test_token_expires(app, started, clock):
    sec, _ = started
    clock.advance(hours=9)
    problem(sec.get("/tasks"), 401)


@pytest.mark.parametrize("name", ["not_xml.bpmn", "wrong_namespace.bpmn", "no_start.bpmn", "dangling_flow.bpmn",
                                  "bad_timer.bpmn"])
def test_invalid_bpmn_is_refused_with_element(admin, name):
    data = (FIXTURES / "invalid" / name).read_bytes()
    body = problem(admin.post("/definitions", data=data, content_type="application/xml"), 422)
    assert body["errors"]
    if name in ("no_start.bpmn", "dangling_flow.bpmn", "bad_timer.bpmn"):
        assert any(e["element_id"] for e in body["errors"]), body
    assert admin.get("/definitions").get_json()["total"] == 0
    report = admin.post("/definitions/validate", data=data, content_type="application/xml").get_json()
    assert report["valid"] is False and report["errors"]


def test_wrong_content_type_for_deploy(admin):
    problem(admin.post("/definitions", json={"xml": "<x/>"}), 422)


def test_method_not_allowed_has_allow_header(admin):
    response = admin.client.delete("/api/v1/definitions", headers=admin._headers())
    problem(response, 405)
    assert "GET" in response.headers["Allow"]
