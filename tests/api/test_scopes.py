"""Scopes over HTTP: set at start, updated by the process, BR11 routing to the approving authority."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.access.models import InstanceFact
from tests.api.roles_support import person, refused, start

JIANGSU = {"committee": "MTC-12", "level": "provincial", "jurisdiction": "江苏"}


@pytest.fixture
def people(app, engine, admin):
    admin.deploy("approval.bpmn", "roles_transfer.bpmn")
    client = app.test_client()
    return lambda name, *grants, unit=None: person(engine, client, name, *grants, unit=unit)


def submit(sec, inst):
    task = inst["tasks"][0]["id"]
    assert sec.complete(task, {"title": "年度计划"}).status_code == 200
    return sec.get(f"/instances/{inst['id']}").get_json()["tasks"][0]


def test_br11_supervision_goes_to_the_approving_authority(people):
    sec = people("sec", "secretariat:committee/MTC-12")
    jiangsu = people("js", "authority:level/provincial/江苏")
    zhejiang = people("zj", "authority:level/provincial/浙江")
    national = people("samr", "authority:level/national")
    unscoped = people("any_authority", "authority")
    inst = start(sec, "approval", JIANGSU)
    assert inst["scope"] == {"committee": "MTC-12", "specification": None, "level": "provincial",
                             "jurisdiction": "江苏"}
    review = submit(sec, inst)
    assert review["scope"]["jurisdiction"] == "江苏" and review["role"] == "authority"

    for outsider in (zhejiang, national):
        assert outsider.get(f"/tasks/{review['id']}").status_code == 404
        assert outsider.get(f"/instances/{inst['id']}").status_code == 404
        assert outsider.get("/tasks").get_json()["total"] == 0
        assert outsider.get("/instances").get_json()["total"] == 0
        assert outsider.post(f"/tasks/{review['id']}/claim").status_code == 404
    assert unscoped.get(f"/tasks/{review['id']}").status_code == 200
    assert unscoped.get("/tasks", query_string={"claimable": "true"}).get_json()["total"] == 0
    refused(unscoped.post(f"/tasks/{review['id']}/claim"), "BR11")
    # another province's authority: the same answer as for an unknown name (assign reveals nobody's roles)
    refused(sec.post(f"/tasks/{review['id']}/assign", json={"assignee": "zj", "reason": "误派"}), "assign")

    assert [t["id"] for t in jiangsu.get("/tasks").get_json()["items"]] == [review["id"]]
    assert jiangsu.complete(review["id"], {"approved": True}).status_code == 200


def test_national_authority_acts_on_national_instances(people):
    sec = people("sec", "secretariat:committee/MTC-12")
    national = people("samr", "authority:level/national")
    review = submit(sec, start(sec, "approval", {"committee": "MTC-12", "level": "national"}))
    assert national.complete(review["id"], {"approved": False}).status_code == 200


def test_start_checks_lane_role_scope_and_shape(people):
    sec = people("sec", "secretariat:committee/MTC-12")
    member = people("m", "member:committee/MTC-12")
    refused(member.post("/instances", json={"process_key": "approval", "scope": JIANGSU}), "lane-role")
    refused(sec.post("/instances", json={"process_key": "approval", "scope": {"committee": "MTC-13"}}), "scope")
    bad = [{"scope": {"committee": "MTC-12", "level": "provincial"}},
           {"scope": {"committee": "MTC-12", "level": "national", "jurisdiction": "江苏"}},
           {"scope": {"committee": "MTC-12", "level": "county"}},
           {"scope": {"committee": "MTC-12"}, "variables": {"committee_code": "MTC-13"}}]
    for extra in bad:
        response = sec.post("/instances", json={"process_key": "approval", **extra})
        assert response.status_code == 422, (extra, response.get_json())
    inst = start(sec, "approval", variables={"committee_code": "MTC-12"})
    assert inst["scope"]["committee"] == "MTC-12" and inst["data"]["committee_code"] == "MTC-12"


def test_the_process_moves_its_instance_to_another_scope(people, engine):
    sec12 = people("sec12", "secretariat:committee/MTC-12")
    sec13 = people("sec13", "secretariat:committee/MTC-13")
    inst = start(sec12, "roles_transfer", {"committee": "MTC-12"})
    intake = inst["tasks"][0]["id"]
    assert sec13.get(f"/instances/{inst['id']}").status_code == 404
    response = sec12.complete(intake, {"new_committee": "MTC-13", "committee_code": "MTC-99"})
    assert response.status_code == 422 and "committee_code" in response.get_json()["detail"]
    assert sec12.complete(intake, {"new_committee": "MTC-13"}).status_code == 200

    moved = sec13.get(f"/instances/{inst['id']}").get_json()
    assert moved["scope"] == {"committee": "MTC-13", "specification": "JJF-2026-007", "level": None,
                              "jurisdiction": None}
    [after] = moved["tasks"]
    assert after["scope"]["committee"] == "MTC-13"
    assert [t["id"] for t in sec13.get("/tasks").get_json()["items"]] == [after["id"]]
    assert sec12.get("/tasks").get_json()["total"] == 0
    refused(sec12.post(f"/tasks/{after['id']}/claim"), "scope")
    assert sec13.get("/tasks/" + intake).get_json()["scope"]["committee"] == "MTC-13"
    with engine.db.transaction() as session:
        facts = set(session.execute(select(InstanceFact.kind, InstanceFact.value)
                                    .where(InstanceFact.instance_id == inst["id"])))
    assert facts == {("drafter", "drafter_a"), ("livelihood", "true")}


def test_lists_never_show_other_scopes(people):
    sec12 = people("sec12", "secretariat:committee/MTC-12")
    sec13 = people("sec13", "secretariat:committee/MTC-13")
    auditor = people("aud", "auditor")
    mine = start(sec12, "approval", {"committee": "MTC-12"})
    theirs = start(sec13, "approval", {"committee": "MTC-13"})
    assert [i["id"] for i in sec12.get("/instances").get_json()["items"]] == [mine["id"]]
    assert sec12.get("/instances", query_string={"committee": "MTC-13"}).get_json()["total"] == 0
    assert sec12.get(f"/instances/{theirs['id']}/history").status_code == 404
    assert {i["id"] for i in auditor.get("/instances").get_json()["items"]} == {mine["id"], theirs["id"]}
    assert auditor.get("/tasks").get_json()["total"] == 2
    refused(auditor.post(f"/tasks/{mine['tasks'][0]['id']}/claim"), "auditor-read-only")


def test_specification_facts_must_have_their_shape(people):
    sec = people("sec", "secretariat:committee/MTC-12")
    for variables in ({"drafters": [1]}, {"drafting_units": {"a": 1}}, {"livelihood": "yes"}):
        response = sec.post("/instances", json={"process_key": "approval", "scope": {"committee": "MTC-12"},
                                                "variables": variables})
        assert response.status_code == 422, (variables, response.get_json())
    assert start(sec, "approval", {"committee": "MTC-12"}, {"drafters": "zhang", "livelihood": False})


def test_reassignment_is_recorded_with_its_reason(people):
    sec = people("sec", "secretariat:committee/MTC-12")
    first = people("js", "authority:level/provincial/江苏")
    second = people("js2", "authority:level/provincial/江苏")
    inst = start(sec, "approval", JIANGSU)
    review = submit(sec, inst)
    assert first.post(f"/tasks/{review['id']}/claim").status_code == 200

    no_reason = sec.post(f"/tasks/{review['id']}/assign", json={"assignee": "js2"})
    assert no_reason.status_code == 422 and no_reason.mimetype == "application/problem+json"
    moved = sec.post(f"/tasks/{review['id']}/assign", json={"assignee": "js2", "reason": "原审批人出差"})
    assert moved.status_code == 200 and moved.get_json()["assignee"] == "js2"

    assert [t["id"] for t in second.get("/tasks", query_string={"mine": "true"}).get_json()["items"]] == [review["id"]]
    assert first.complete(review["id"], {"approved": True}).status_code == 409  # claimed by js2 now
    events = sec.get(f"/instances/{inst['id']}/history").get_json()["items"]
    assigned = [e for e in events if e["type"] == "task_assigned"]
    assert len(assigned) == 1 and assigned[0]["actor"] == "sec"
    assert assigned[0]["data"] == {"from": "js", "to": "js2", "reason": "原审批人出差"}
    assert second.complete(review["id"], {"approved": True}).status_code == 200
