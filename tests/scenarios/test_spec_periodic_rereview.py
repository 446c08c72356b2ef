"""P12 periodic re-review (复审) over HTTP: started by a schedule rereview_interval after the effective date,
keep / revise (a revision project runs as a call activity) / abolish (after an abolition notice), the
authority's return, the reminder and overdue warning, and the registry after each story."""
from datetime import date

import pytest

from tests.scenarios.spec_support import PROPOSAL, World, deploy, seed_committee, seed_spec, spec_scope

SPEC = "JJF-2021-001"


@pytest.fixture
def w(engine, app, clock):
    deploy(engine)
    seed_committee(engine)
    seed_spec(engine, SPEC, stage="published", number="JJF 1901—2021", publication_date=date(2021, 3, 1),
              effective_date=date(2021, 6, 1), evaluation={"suggestion": "keep", "findings": "总体适用"})
    return World(engine, app.test_client(), clock)


def start(w) -> str:
    return w.start("sec", "periodic_rereview", scope=spec_scope(SPEC))["id"]


def conclude(w, iid: str, recommendation: str) -> None:
    w.do("sec", iid, "p12_task_proposal", {"rereview_proposal": recommendation, "rereview_reasons": "复审意见"})
    w.do("chair", iid, "p12_task_conclude", {"rereview_recommendation": recommendation,
                                               "rereview_opinion": "委员会结论"})


def instances_of(w, key: str) -> list[dict]:
    return w.as_("auditor").get("/instances", query_string={"process_key": key}).get_json()["items"]


def test_schedule_starts_it_five_years_after_the_effective_date_and_keep(w):
    created = w.as_("authority").post("/schedules", json={
        "process_key": "periodic_rereview", "name": "复审",
        "rule": {"kind": "after", "duration": "rereview_interval"}, "subjects": "effective_specifications"})
    assert created.status_code == 201, created.get_json()
    w.advance(days=1)
    assert instances_of(w, "periodic_rereview") == []  # 2026-06-01 is not here yet
    w.clock.set(w.clock.now().replace(month=6, day=1, hour=1, minute=0))  # 09:00 Beijing time
    w.advance(seconds=1)
    [started] = instances_of(w, "periodic_rereview")
    iid = started["id"]
    assert w.instance(iid)["data"]["latest_evaluation"]["findings"] == "总体适用"  # P11 feeds P12
    assert w.spec(SPEC)["stage"] == "rereview"
    conclude(w, iid, "keep")
    w.do("authority", iid, "p12_task_keep_review", {"keep_decision": "confirm", "keep_opinion": "同意继续有效"})
    assert w.instance(iid)["state"] == "completed"
    spec = w.spec(SPEC)
    assert spec["stage"] == "published" and spec["rereview_outcome"] == "keep"
    assert spec["last_rereview_on"] == "2026-06-01"
    w.advance(days=30)
    assert len(instances_of(w, "periodic_rereview")) == 1  # the next one counts from today: 2031


def test_abolish_after_the_notice(w):
    iid = start(w)
    conclude(w, iid, "abolish")
    w.do("authority", iid, "p12_task_abolition", {"abolition_publish": "publish", "abolition_reason": "已被新规范覆盖"})
    notice_id = w.instance(iid)["data"]["notice_id"]
    notice = w.client.get(f"/api/v1/notices/{notice_id}").get_json()
    assert notice["kind"] == "abolition" and notice["subject"].startswith("废止公示：JJF 1901—2021")
    objection = w.client.post(f"/api/v1/notices/{notice_id}/comments",
                              json={"author": "某检测站", "text": "仍在使用", "kind": "objection"})
    assert objection.status_code == 201
    w.advance(days=30, seconds=1)  # abolition_notice_window
    assert w.instance(iid)["data"]["notice_objection_count"] == 1
    w.do("authority", iid, "p12_task_abolition_decide", {"abolition_decision": "abolish", "abolished_on": "2026-07-01",
                                                     "abolition_opinion": "异议已处理"})
    spec = w.spec(SPEC)
    assert (spec["stage"], spec["abolished_on"], spec["rereview_outcome"]) == ("abolished", "2026-07-01", "abolish")
    assert w.client.get("/api/v1/specifications", query_string={"stage": "abolished"}).get_json()["total"] == 1


def test_abolition_kept_after_objections(w):
    iid = start(w)
    conclude(w, iid, "abolish")
    w.do("authority", iid, "p12_task_abolition", {"abolition_publish": "publish", "abolition_reason": "拟废止"})
    w.advance(days=31)
    w.do("authority", iid, "p12_task_abolition_decide", {"abolition_decision": "keep", "abolition_opinion": "异议成立"})
    spec = w.spec(SPEC)
    assert spec["stage"] == "published" and spec["rereview_outcome"] == "keep"


def test_authority_returns_the_abolition_proposal(w):
    iid = start(w)
    conclude(w, iid, "abolish")
    w.do("authority", iid, "p12_task_abolition", {"abolition_publish": "return", "abolition_reason": "理由不充分"})
    assert w.open_elements(iid) == ["p12_task_proposal"]
    conclude(w, iid, "keep")
    w.do("authority", iid, "p12_task_keep_review", {"keep_decision": "confirm", "keep_opinion": "同意继续有效"})
    assert w.spec(SPEC)["stage"] == "published"


def test_revise_opens_a_revision_project(w):
    iid = start(w)
    conclude(w, iid, "revise")
    instance = w.instance(iid)
    new_id = instance["scope"]["specification"]
    assert new_id == "JJF-2026-001" and instance["data"]["replaces"] == SPEC
    assert w.open_elements(iid) == ["p6_task_proposal"]  # P6 inside the project, the secretariat proposes
    new = w.spec(new_id)
    assert new["stage"] == "proposed" and new["kind"] == "revision" and new["replaces"] == SPEC
    old = w.spec(SPEC)
    assert old["stage"] == "published" and old["rereview_outcome"] == "revise"  # in force until replaced
    kept = w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "project_kind": "new"}, status=422)
    assert kept.get_json()["errors"][0]["field"] == "replaces"  # it stays the revision of the re-reviewed one
    w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "title": "数字压力计校准规范", "project_kind": "revision",
                                        "replaces": "JJF 1901—2021"})
    assert w.instance(iid)["data"]["spec_id"] == new_id and w.spec(new_id)["proposal"]["replaces"] == "JJF 1901—2021"


def test_reminder_and_overdue_warning(w):
    iid = start(w)
    w.advance(days=83, seconds=1)
    assert [n["kind"] for n in w.notifications("sec")] == ["reminder"]
    w.advance(days=7)
    assert [n["message"] for n in w.notifications("authority")] == ["复审逾期"]
    assert w.open_elements(iid) == ["p12_task_proposal"]


def test_keep_is_reported_to_the_authority_who_may_return_it(w):
    iid = start(w)
    conclude(w, iid, "keep")
    assert w.open_elements(iid) == ["p12_task_keep_review"]  # the chair's conclusion alone does not decide
    assert w.spec(SPEC)["stage"] == "rereview" and w.spec(SPEC).get("rereview_outcome") is None
    w.do("chair", iid, "p12_task_keep_review", {"keep_decision": "confirm", "keep_opinion": "确认"}, status=403)
    w.do("authority", iid, "p12_task_keep_review", {"keep_decision": "return"}, status=422)  # with its reason
    w.do("authority", iid, "p12_task_keep_review", {"keep_decision": "return",
                                                    "keep_opinion": "实施效果评价发现部分条款不适用，请重新复审"})
    assert w.open_elements(iid) == ["p12_task_proposal"]
    conclude(w, iid, "keep")
    w.do("authority", iid, "p12_task_keep_review", {"keep_decision": "confirm", "keep_opinion": "同意继续有效"})
    assert w.instance(iid)["state"] == "completed"
    assert w.spec(SPEC)["stage"] == "published" and w.spec(SPEC)["rereview_outcome"] == "keep"
