"""Incidents over HTTP: a script that fails on a variable becomes an incident; the cause is fixed by a reasoned
variable edit or by a new version; the retry runs the failed step again and the instance completes and replays."""
from tests.conftest import BPMN
from tests.timer_support import events

FEE = BPMN / "incident_fee.bpmn"


def test_script_failure_is_an_incident_fixed_by_a_variable_edit(admin, login, engine):
    admin.deploy(FEE)
    sec = login("sec", "secretariat:committee/MTC-12")
    inst = sec.post("/instances", json={"process_key": "incident_fee", "variables": {"pages": 0},
                                        "scope": {"committee": "MTC-12"}}).get_json()
    assert inst["state"] == "error" and inst["tasks"] == []

    [incident] = admin.get("/incidents").get_json()["items"]
    assert (incident["instance_id"], incident["element_id"], incident["kind"], incident["state"]) == \
           (inst["id"], "fee", "script", "open")
    assert "ZeroDivisionError" in incident["error"] and incident["data"]["pages"] == 0
    assert incident["attempts"] == 1 and incident["opened_at"] and incident["version"] == 1
    assert admin.get("/incidents", query_string={"kind": "timer"}).get_json()["total"] == 0
    assert admin.get("/incidents", query_string={"element_id": "fee"}).get_json()["total"] == 1
    assert sec.get("/incidents").status_code == 403
    assert sec.post(f"/incidents/{incident['id']}/retry", json={"reason": "x"}).status_code == 403

    retried = admin.post(f"/incidents/{incident['id']}/retry", json={"reason": "没有修正也重试"}).get_json()
    assert (retried["state"], retried["attempts"], retried["instance_state"]) == ("open", 2, "error")

    fixed = admin.post(f"/incidents/{incident['id']}/retry",
                       json={"reason": "申请书页数录入为0，按原件更正为4页", "variables": {"pages": 4}}).get_json()
    assert (fixed["state"], fixed["resolved_by"], fixed["instance_state"]) == ("resolved", "admin", "running")
    assert admin.get("/incidents").get_json()["total"] == 0
    assert admin.get("/incidents", query_string={"state": "resolved"}).get_json()["total"] == 1
    assert admin.post(f"/incidents/{incident['id']}/retry", json={"reason": "again"}).status_code == 409

    [archive] = sec.get(f"/instances/{inst['id']}").get_json()["tasks"]
    assert sec.complete(archive["id"]).status_code == 200
    done = sec.get(f"/instances/{inst['id']}").get_json()
    assert done["state"] == "completed" and done["data"]["per_page"] == 250

    [edit, _] = events(engine, inst["id"], "incident_retried")[::-1]
    assert (edit.actor, edit.element_id, edit.data["variables"], edit.data["reason"]) == \
           ("admin", "fee", {"pages": 4}, "申请书页数录入为0，按原件更正为4页")
    types = [e["type"] for e in sec.get(f"/instances/{inst['id']}/history").get_json()["items"]]
    assert types.count("instance_errored") == 2 and "incident_resolved" in types
    step = types.index("incident_resolved") + 1
    replayed = sec.get(f"/instances/{inst['id']}/replay", query_string={"step": step}).get_json()
    assert replayed["state"] == "running" and [t["element_id"] for t in replayed["active"]] == ["archive"]
    failed_again = len(types) - types[::-1].index("instance_errored")  # the step of the retry that failed
    assert sec.get(f"/instances/{inst['id']}/replay", query_string={"step": failed_again}).get_json()["state"] == \
           "error"


def test_retry_on_a_new_version_completes_the_instance(admin, login, engine):
    admin.deploy(FEE)
    sec = login("sec", "secretariat")
    inst = sec.start("incident_fee", {"pages": 0})
    [incident] = admin.get("/incidents", query_string={"process_key": "incident_fee"}).get_json()["items"]
    fixed = FEE.read_text().replace("per_page = 1000 // pages", "per_page = 1000 // pages if pages else 0")
    response = admin.post("/definitions", data=fixed.encode(), content_type="application/xml")
    assert response.status_code == 201 and response.get_json()[0]["version"] == 2
    assert admin.post(f"/incidents/{incident['id']}/retry", json={"reason": "r", "version": 9}).status_code == 404

    done = admin.post(f"/incidents/{incident['id']}/retry",
                      json={"reason": "v2 处理零页申请", "version": 2}).get_json()
    assert done["state"] == "resolved"
    after = sec.get(f"/instances/{inst['id']}").get_json()
    assert after["version"] == 2 and after["data"]["per_page"] == 0
    [archive] = after["tasks"]
    assert sec.complete(archive["id"]).status_code == 200
    assert sec.get(f"/instances/{inst['id']}").get_json()["state"] == "completed"
    [retried] = events(engine, inst["id"], "incident_retried")
    assert retried.data["version"] == {"from": 1, "to": 2} and retried.process_version == 2
    assert sec.get(f"/instances/{inst['id']}/replay", query_string={"step": 2}).get_json()["version"] == 1


def test_a_version_missing_the_failed_element_is_refused(admin, login):
    admin.deploy(FEE)
    sec = login("sec", "secretariat")
    sec.start("incident_fee", {"pages": 0})
    [incident] = admin.get("/incidents").get_json()["items"]
    renamed = FEE.read_text().replace('"fee"', '"fee_v2"').replace("1000 // pages", "0")
    assert admin.post("/definitions", data=renamed.encode(), content_type="application/xml").status_code == 201
    refused = admin.post(f"/incidents/{incident['id']}/retry", json={"reason": "r", "version": 2})
    assert refused.status_code == 422 and "fee" in refused.get_json()["detail"]
    assert admin.get(f"/incidents/{incident['id']}").get_json()["state"] == "open"
