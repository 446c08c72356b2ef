"""Deploy, version, dedupe and read definitions over HTTP."""
from tests.conftest import BPMN


def test_deploy_versions_and_dedupe(admin):
    first = admin.deploy("approval.bpmn")
    assert [(d["key"], d["version"], d["created"]) for d in first] == [("approval", 1, True)]
    again = admin.deploy("approval.bpmn")
    assert [(d["key"], d["version"], d["created"]) for d in again] == [("approval", 1, False)]
    assert again[0]["sha256"] == first[0]["sha256"]

    changed = (BPMN / "approval.bpmn").read_text().replace("审查", "技术审查")
    response = admin.post("/definitions", data=changed.encode(), content_type="application/xml")
    assert response.status_code == 201
    assert response.get_json()[0]["version"] == 2

    versions = admin.get("/definitions/approval").get_json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    xml = admin.get("/definitions/approval/versions/1/xml")
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    assert "技术审查" not in xml.get_data(as_text=True)

    listing = admin.get("/definitions", query_string={"key": "approval"}).get_json()
    assert listing["total"] == 1 and listing["items"][0]["version"] == 2


def test_multipart_upload(admin):
    with open(BPMN / "quick.bpmn", "rb") as handle:
        response = admin.post("/definitions", data={"file": (handle, "quick.bpmn")},
                              content_type="multipart/form-data")
    assert response.status_code == 201
    assert response.get_json()[0]["filename"] == "quick.bpmn"


def test_instances_stay_on_their_version(admin, login):
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    old = sec.start("approval")
    changed = (BPMN / "approval.bpmn").read_text().replace('name="提交申请"', 'name="提交申请V2"')
    assert admin.post("/definitions", data=changed.encode(), content_type="application/xml").status_code == 201
    new = sec.start("approval")
    assert (old["version"], new["version"]) == (1, 2)
    assert old["tasks"][0]["name"] == "提交申请" and new["tasks"][0]["name"] == "提交申请V2"
    task = sec.get(f"/instances/{old['id']}").get_json()["tasks"][0]
    assert task["name"] == "提交申请"


def test_validate_without_deploying(admin):
    ok = admin.post("/definitions/validate", data=(BPMN / "quick.bpmn").read_bytes(),
                    content_type="application/xml").get_json()
    assert ok == {"valid": True, "processes": ["quick"], "errors": []}
    assert admin.get("/definitions").get_json()["total"] == 0


def test_the_modelers_default_process_id_is_refused(admin):
    blank = (BPMN / "quick.bpmn").read_text().replace('"quick"', '"Process_1"')
    assert 'id="Process_1"' in blank
    found = admin.post("/definitions/validate", data=blank.encode(), content_type="application/xml").get_json()
    assert not found["valid"] and found["errors"][0]["element_id"] == "Process_1"
    assert "modeler's default" in found["errors"][0]["message"]
    refused = admin.post("/definitions", data=blank.encode(), content_type="application/xml")
    assert refused.status_code == 422 and admin.get("/definitions").get_json()["total"] == 0


def test_bundled_processes_deploy(engine):
    deployed = engine.deploy_bundled()
    keys = {key for key, _, _ in deployed}
    assert {"chair_report", "annual_report"} <= keys
    assert engine.deploy_bundled() == [(k, v, False) for k, v, _ in deployed]


def test_only_process_admin_deploys(login):
    member = login("m1", "member")
    response = member.post("/definitions", data=(BPMN / "quick.bpmn").read_bytes(),
                           content_type="application/xml")
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert member.get("/definitions").get_json()["total"] == 0
