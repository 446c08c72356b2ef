"""P3a's reminder path (found missing in the coverage audit): annual_report_reminder_lead before the deadline
the secretariat is reminded, the task stays open, and a report filed after the reminder but in time counts as
on time: no miss in the registry (BR8 allows)."""
from tests.scenarios.committee_support import AUTHORITY, Walker, deploy, seed_committee
from tests.scenarios.test_committee_reports import REPORT, instances
from tests.timer_support import run_worker, utc


def test_reminder_before_the_deadline_then_on_time(engine, login, clock, app):
    deploy(engine)
    walker = Walker(engine, login)
    seed_committee(engine, "MTC60")
    authority, sec = login("samr", AUTHORITY), login("sec60", "secretariat:committee/MTC60")
    created = authority.post("/schedules", json={"name": "年度工作报告", "process_key": "annual_report",
                                                 "rule": {"kind": "yearly", "date": "annual_report_start"},
                                                 "subjects": "active_committees"})
    assert created.status_code == 201, created.get_json()
    clock.set(utc(2027, 1, 1, 1, 0, 1))
    run_worker(engine)
    walker.fresh(authority, sec)
    iid = instances(authority, 2027)["MTC60"]

    clock.set(utc(2027, 1, 16, 15, 59))  # 31 January 24:00 Beijing time, less 15 days, not yet
    run_worker(engine)
    walker.fresh(authority, sec)
    assert sec.get("/notifications").get_json()["total"] == 0
    clock.set(utc(2027, 1, 16, 16, 0, 1))
    run_worker(engine)
    walker.fresh(authority, sec)
    [reminder] = sec.get("/notifications").get_json()["items"]
    assert (reminder["kind"], reminder["message"]) == ("reminder", "年度报告即将截止")
    assert walker.open_elements(sec, iid) == ["task_write_report"]  # non-interrupting: the task stays

    walker.do(sec, iid, "task_write_report", REPORT)
    walker.do(authority, iid, "task_review_report", {"decision": "accept"})
    done = authority.get(f"/instances/{iid}").get_json()
    assert done["state"] == "completed" and done["data"]["annual_report_on_time"] is True
    mtc60 = app.test_client().get("/api/v1/committees/MTC60").get_json()
    assert mtc60["annual_report_misses"] == 0 and mtc60["assessment_flag"] is None
    assert [(r["period"], r["missed"]) for r in mtc60["reports"]] == [("2027", False)]
    clock.set(utc(2027, 2, 1, 0, 0))
    run_worker(engine)
    walker.fresh(authority)
    assert authority.get("/notifications").get_json()["total"] == 0  # no overdue warning after it was filed
