"""BR8's last step ("repeated misses start P5"), which the audit found only notified: a schedule over the
registry's ``flagged_committees`` starts the assessment assessment_after_flag after a committee is flagged,
once per flag; a committee that reports is not assessed; grading clears the flag."""
from datetime import UTC, datetime

from engine.committees.models import CommitteeReport
from tests.scenarios.committee_support import AUTHORITY, Walker, deploy, seed_committee
from tests.timer_support import run_worker, utc


def assessments(caller) -> list[dict]:
    page = caller.get("/instances", query_string={"process_key": "committee_assessment"}).get_json()
    return page["items"]


def test_a_flag_starts_the_assessment_once(engine, login, clock, app):
    deploy(engine)
    walker = Walker(engine, login)
    seed_committee(engine, "MTC60")
    seed_committee(engine, "MTC61")
    authority = login("samr", AUTHORITY)
    created = authority.post("/schedules", json={"name": "列入考核后启动考核", "process_key": "committee_assessment",
                                                 "rule": {"kind": "after", "duration": "assessment_after_flag"},
                                                 "subjects": "flagged_committees"})
    assert created.status_code == 201, created.get_json()
    reports = authority.post("/schedules", json={"name": "年度工作报告", "process_key": "annual_report",
                                                 "rule": {"kind": "yearly", "date": "annual_report_start"},
                                                 "subjects": "active_committees"})
    assert reports.status_code == 201, reports.get_json()
    with engine.db.transaction() as session:  # MTC60 missed last year's report already
        session.add(CommitteeReport(committee_code="MTC60", kind="annual", period="2026", missed=True,
                                    missed_at=datetime(2026, 2, 1, tzinfo=UTC)))

    clock.set(utc(2027, 1, 1, 1, 0, 1))
    run_worker(engine)
    clock.set(utc(2027, 1, 31, 16, 0, 1))  # neither reports in time: MTC60's second miss flags it (BR8)
    run_worker(engine)
    public = app.test_client()
    assert public.get("/api/v1/committees/MTC60").get_json()["assessment_flag"] is not None
    assert public.get("/api/v1/committees/MTC61").get_json()["assessment_flag"] is None  # one miss only
    walker.fresh(authority)
    assert assessments(authority) == []

    clock.set(utc(2027, 2, 16, 0, 59))  # 15 days after the flag (1 February, Beijing), 08:59: not yet
    run_worker(engine)
    walker.fresh(authority)
    assert assessments(authority) == []
    clock.set(utc(2027, 2, 16, 1, 0, 1))
    run_worker(engine)
    walker.fresh(authority)
    [started] = assessments(authority)
    assert started["scope"]["committee"] == "MTC60"
    assert started["business_key"].startswith("committee_assessment:committee:MTC60:after:2027-02-01")
    seen = authority.get(f"/instances/{started['id']}").get_json()
    assert seen["data"]["annual_report_misses"] == 2 and seen["data"]["assessment_flag"].startswith("年度工作报告")
    walker.do(authority, started["id"], "task_grade", {"grade": "三级", "comment": "报告已补交"})
    assert public.get("/api/v1/committees/MTC60").get_json()["assessment_flag"] is None  # graded: flag cleared

    clock.set(utc(2027, 6, 1, 1))
    run_worker(engine)
    walker.fresh(authority)
    assert len(assessments(authority)) == 1  # once per flag
