"""P11 effect evaluation (实施效果评价) over HTTP: started by a schedule after the effective date, the report with
its reminder and overdue warning, the chair's return, and the findings kept for the re-review."""
from datetime import date

import pytest

from tests.scenarios.spec_support import World, deploy, seed_committee, seed_spec, spec_scope

SPEC = "JJF-2021-001"
REPORT = {"evaluation_period": "2021—2024", "application": "全国 300 余家计量技术机构使用",
          "problems": "部分条款与新型号不适应", "findings": "总体适用", "suggestion": "revise"}


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p11_effect_evaluation.bpmn")
    seed_committee(engine)
    seed_spec(engine, SPEC, stage="published", number="JJF 1901—2021", publication_date=date(2021, 3, 1),
              effective_date=date(2021, 6, 1))
    return World(engine, app.test_client(), clock)


def test_a_schedule_starts_it_after_the_effective_date_then_the_main_path(w, engine):
    created = w.as_("authority").post("/schedules", json={
        "process_key": "effect_evaluation", "name": "实施效果评价",
        "rule": {"kind": "after", "duration": "effect_evaluation_after"}, "subjects": "effective_specifications"})
    assert created.status_code == 201, created.get_json()
    w.advance(days=1)  # effective 2021-06-01 + 3 years is long past: catch-up starts it now
    started = w.as_("auditor").get("/instances", query_string={"process_key": "effect_evaluation"}).get_json()
    assert started["total"] == 1
    iid = started["items"][0]["id"]
    assert w.instance(iid)["scope"]["specification"] == SPEC and w.instance(iid)["started_by"] == "system"
    task = w.task(iid, "p11_task_evaluate")
    assert task["due_at"].startswith("2026-06-01")  # effect_evaluation_window: 90 days
    w.do("sec", iid, "p11_task_evaluate", REPORT)
    w.do("chair", iid, "p11_task_review", {"evaluation_review": "accept"})
    assert w.instance(iid)["state"] == "completed"
    spec = w.spec(SPEC)
    assert spec["stage"] == "published" and spec["evaluation"]["suggestion"] == "revise"
    assert spec["evaluation"]["accepted_by"] == "chair"
    assert [c["action"] for c in spec["changes"]] == ["effect_evaluation_started", "effect_evaluated"]
    assert [n["kind"] for n in w.notifications("authority")] == ["evaluation"]
    w.advance(days=1)
    assert w.as_("auditor").get("/instances", query_string={"process_key": "effect_evaluation"}).get_json()[
        "total"] == 1  # once per occurrence


def test_chair_returns_the_report(w):
    iid = w.start("sec", "effect_evaluation", scope=spec_scope(SPEC))["id"]
    w.do("sec", iid, "p11_task_evaluate", REPORT)
    w.do("chair", iid, "p11_task_review", {"evaluation_review": "return", "evaluation_review_opinion": "补充数据"})
    assert w.open_elements(iid) == ["p11_task_evaluate"]
    w.do("sec", iid, "p11_task_evaluate", {**REPORT, "findings": "补充数据后：总体适用"})
    w.do("chair", iid, "p11_task_review", {"evaluation_review": "accept"})
    assert w.spec(SPEC)["evaluation"]["findings"] == "补充数据后：总体适用"


def test_reminder_then_overdue_warning_to_the_authority(w):
    iid = w.start("sec", "effect_evaluation", scope=spec_scope(SPEC))["id"]
    w.advance(days=83, seconds=1)  # 90 - task_reminder_lead (7)
    assert [n["kind"] for n in w.notifications("sec")] == ["reminder"]
    assert w.notifications("authority") == []
    w.advance(days=7)
    assert [n["message"] for n in w.notifications("authority")] == ["效果评价逾期"]
    assert w.open_elements(iid) == ["p11_task_evaluate"]  # a late report is still accepted
    w.do("sec", iid, "p11_task_evaluate", REPORT)
    assert w.open_elements(iid) == ["p11_task_review"]


def test_only_published_specifications_are_evaluated(w, engine):
    seed_spec(engine, "JJF-2026-101", stage="drafting")
    response = w.start("sec", "effect_evaluation", scope=spec_scope("JJF-2026-101"), status=409)
    assert "only published" in response["detail"]
