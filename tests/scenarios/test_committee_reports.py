"""P3a annual report and P4 chair's report over HTTP: the yearly schedule follows the registry, reminders and
overdue warnings, BR8 counting misses until the committee is flagged for assessment, returns and acceptance,
and the reports and flags in the registry after each story."""
from datetime import date

import pytest

from tests.scenarios.committee_support import AUTHORITY, Walker, deploy, seed_committee
from tests.timer_support import run_worker, utc

REPORT = {"year": 2026, "basic_data": "委员 25 人", "spec_status": "在研 4 项", "work_done": "审定规范 2 项"}
CHAIR_REPORT = {"period": "2026", "summary": "组织审定规范 3 项"}


@pytest.fixture
def walker(engine, login):
    deploy(engine)
    return Walker(engine, login)


def instances(caller, year):
    """The annual-report instances the schedule started for ``year``, by committee."""
    page = caller.get("/instances", query_string={"process_key": "annual_report", "per_page": 100}).get_json()
    return {i["scope"]["committee"]: i["id"] for i in page["items"] if i["business_key"].endswith(f":{year}")}


def test_annual_reports_follow_the_registry_and_count_misses(walker, engine, login, clock, app):
    for code, status in (("MTC60", "active"), ("MTC61", "rectification"), ("MTC62", "suspended"),
                         ("MTC63", "revoked"), ("MTC64", "preparing")):
        seed_committee(engine, code, status=status)
    authority = login("samr", AUTHORITY)
    sec60, sec61 = login("sec60", "secretariat:committee/MTC60"), login("sec61", "secretariat:committee/MTC61")
    created = authority.post("/schedules", json={"name": "年度工作报告", "process_key": "annual_report",
                                                 "rule": {"kind": "yearly", "date": "annual_report_start"},
                                                 "subjects": "active_committees"})
    assert created.status_code == 201, created.get_json()
    clock.set(utc(2027, 1, 1, 1, 0, 1))
    assert len(run_worker(engine)[1]) == 2  # the working committees only
    walker.fresh(authority, sec60, sec61)
    first = instances(authority, 2027)
    assert sorted(first) == ["MTC60", "MTC61"]

    clock.set(utc(2027, 1, 31, 16, 0, 1))  # the deadline passed: both missed
    run_worker(engine)
    walker.fresh(authority, sec60, sec61)
    assert {n["message"] for n in authority.get("/notifications").get_json()["items"]} == {"年度报告逾期未报"}
    public = app.test_client()
    mtc60 = public.get("/api/v1/committees/MTC60").get_json()
    assert mtc60["annual_report_misses"] == 1 and mtc60["assessment_flag"] is None
    assert [(r["kind"], r["period"], r["missed"], r["accepted_at"]) for r in mtc60["reports"]] == [
        ("annual", "2027", True, None)]
    walker.do(sec60, first["MTC60"], "task_write_report", REPORT)  # late, still taken
    walker.do(authority, first["MTC60"], "task_review_report", {"decision": "return", "comment": "补充经费情况"})
    walker.do(sec60, first["MTC60"], "task_write_report", {**REPORT, "funds": "专项经费 30 万元"})
    walker.do(authority, first["MTC60"], "task_review_report", {"decision": "accept"})
    done = authority.get(f"/instances/{first['MTC60']}").get_json()
    assert done["state"] == "completed" and done["data"]["annual_report_on_time"] is False
    [report] = public.get("/api/v1/committees/MTC60").get_json()["reports"]
    assert report["missed"] is True and report["accepted_at"] is not None

    clock.set(utc(2028, 1, 1, 1, 0, 1))
    assert len(run_worker(engine)[1]) == 2
    walker.fresh(authority, sec60, sec61)
    second = instances(authority, 2028)
    walker.do(sec61, second["MTC61"], "task_write_report", {**REPORT, "year": 2027})  # on time this year
    walker.do(authority, second["MTC61"], "task_review_report", {"decision": "accept"})
    assert authority.get(f"/instances/{second['MTC61']}").get_json()["data"]["annual_report_on_time"] is True
    clock.set(utc(2028, 1, 31, 16, 0, 1))
    run_worker(engine)
    walker.fresh(authority)
    messages = [n["message"] for n in authority.get("/notifications").get_json()["items"]]
    assert messages.count("年度报告多次逾期，委员会已列入考核") == 1  # MTC60: second miss (BR8)
    flagged = public.get("/api/v1/committees", query_string={"flagged": "true"}).get_json()
    assert [c["code"] for c in flagged["items"]] == ["MTC60"]
    mtc60 = public.get("/api/v1/committees/MTC60").get_json()
    assert mtc60["annual_report_misses"] == 2 and "逾期 2 次" in mtc60["assessment_flag"]
    assert public.get("/api/v1/committees/MTC61").get_json()["annual_report_misses"] == 1


def test_chair_report_returned_graded_and_overdue(walker, engine, login, clock, app):
    seed_committee(engine, "MTC60")
    chair, authority = login("chair60", "chair:committee/MTC60"), login("samr", AUTHORITY)

    def start():
        response = authority.post("/instances", json={"process_key": "chair_report", "business_key": "MTC60-2026",
                                                  "scope": {"committee": "MTC60", "level": "national"}})
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    first = start()
    assert first["tasks"][0]["due_at"].startswith("2026-04-01")  # chair_report_window: 30 days
    walker.do(chair, first["id"], "task_submit_report", CHAIR_REPORT)
    walker.do(authority, first["id"], "task_evaluate_report", {"decision": "return", "grade": "称职",
                                                               "comment": "补充问题分析"})
    walker.do(chair, first["id"], "task_submit_report", {**CHAIR_REPORT, "problems": "会议组织不够及时"})
    walker.do(authority, first["id"], "task_evaluate_report", {"decision": "accept", "grade": "称职"})
    assert authority.get(f"/instances/{first['id']}").get_json()["state"] == "completed"
    reports = app.test_client().get("/api/v1/committees/MTC60").get_json()["reports"]
    assert [(r["kind"], r["period"], r["grade"]) for r in reports] == [("chair", "2026", "称职")]

    late = start()
    walker.advance(clock, days=30, seconds=1)  # chair_report_window
    walker.fresh(chair, authority)
    assert [n["message"] for n in chair.get("/notifications").get_json()["items"]] == ["述职报告已逾期"]
    assert [n["message"] for n in authority.get("/notifications").get_json()["items"]] == ["主任委员述职逾期"]
    assert walker.open_elements(chair, late["id"]) == ["task_submit_report"]


def test_chair_report_without_a_committee_still_runs(walker, login):
    chair, authority = login("chair", "chair"), login("authority", "authority")
    started = authority.start("chair_report", business_key="MTC-12-2026")
    walker.do(chair, started["id"], "task_submit_report", CHAIR_REPORT)
    walker.do(authority, started["id"], "task_evaluate_report", {"decision": "accept", "grade": "优秀"})
    done = authority.get(f"/instances/{started['id']}").get_json()
    assert done["state"] == "completed" and done["data"]["chair_report_recorded"] is False


def test_chair_report_scheduled_every_interval_and_called_by_the_authority(walker, engine, login, clock, app):
    seed_committee(engine, "MTC65", term_start=date(2026, 1, 15), term_end=date(2031, 1, 14))
    seed_committee(engine, "MTC66", status="suspended")
    chair, authority = login("chair65", "chair:committee/MTC65"), login("samr", AUTHORITY)
    scope = {"committee": "MTC65", "level": "national"}
    refused = chair.post("/instances", json={"process_key": "chair_report", "scope": scope})
    assert refused.status_code == 403  # the chair reports when called, not when it suits
    created = authority.post("/schedules", json={"name": "主任委员述职", "process_key": "chair_report",
                                                 "rule": {"kind": "every", "duration": "chair_report_interval"},
                                                 "subjects": "serving_committees"})
    assert created.status_code == 201, created.get_json()
    clock.set(utc(2027, 1, 15, 0, 59))
    assert run_worker(engine)[1] == []  # chair_report_interval (1 year) after the term start, 09:00 Beijing time
    clock.set(utc(2027, 1, 15, 1, 0, 1))
    [first] = run_worker(engine)[1]
    assert run_worker(engine)[1] == []  # once per interval
    walker.fresh(chair, authority)
    seen = authority.get(f"/instances/{first}").get_json()
    assert seen["scope"]["committee"] == "MTC65" and seen["data"]["schedule_period"] == "every:2026-01-15:1"
    walker.do(chair, first, "task_submit_report", {**CHAIR_REPORT, "period": "2026—2027"})
    walker.do(authority, first, "task_evaluate_report", {"decision": "accept", "grade": "称职"})
    # the authority calls for a report between intervals (e.g. after a complaint)
    called = authority.post("/instances", json={"process_key": "chair_report", "scope": scope,
                                                "variables": {"period": "专项述职"}})
    assert called.status_code == 201, called.get_json()
    clock.set(utc(2028, 1, 15, 1, 0, 1))
    [second] = run_worker(engine)[1]
    walker.fresh(authority)
    assert authority.get(f"/instances/{second}").get_json()["data"]["schedule_period"] == "every:2026-01-15:2"
    runs = authority.get(f"/schedules/{created.get_json()['id']}").get_json()
    assert {r["subject"] for r in runs["runs"]} == {"committee:MTC65"}  # the suspended committee is not called
