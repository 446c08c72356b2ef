"""Scheduled starts: the annual report of every listed committee opens each year by itself, once; its due date,
reminder and overdue warning come from the profile; re-review and renewal rules; bad schedules refused."""
from datetime import timedelta

import pytest

from engine.timers import schedules
from engine.timers.models import Schedule
from tests.timer_support import run_worker, utc

COMMITTEES = ["MTC-12", "MTC-13", "MTC-14"]


@pytest.fixture
def annual(admin, login):
    admin.deploy("../../../processes/p3a_annual_report.bpmn")
    auth = login("auth", "authority:level/national")
    response = auth.post("/schedules", json={
        "name": "年度工作报告", "process_key": "annual_report",
        "rule": {"kind": "yearly", "date": "annual_report_start"},
        "subjects": [{"committee": c, "level": "national"} for c in COMMITTEES]})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_yearly_start_for_each_listed_committee_exactly_once(annual, login, engine, clock):
    assert annual["runs"] == [] and annual["rule"] == {"kind": "yearly", "date": "annual_report_start"}
    assert run_worker(engine)[1] == []  # 2026's 1 January passed before the schedule existed
    clock.set(utc(2027, 1, 1, 0, 59))  # 08:59 Beijing time
    assert run_worker(engine)[1] == []
    clock.set(utc(2027, 1, 1, 1, 0))
    _, started = run_worker(engine)
    assert len(started) == 3
    assert run_worker(engine)[1] == []  # a second wake (or a second worker) starts nothing more
    auth = login("auth")
    page = auth.get("/instances", query_string={"process_key": "annual_report"}).get_json()
    assert sorted(i["business_key"] for i in page["items"]) == [f"annual_report:committee:{c}:2027" for c in COMMITTEES]
    assert sorted(i["scope"]["committee"] for i in page["items"]) == COMMITTEES
    due = utc(2027, 1, 31, 16).isoformat()  # 31 January, 24:00 Beijing time
    assert {i["tasks"][0]["due_at"] for i in page["items"]} == {due}
    detail = auth.get(f"/schedules/{annual['id']}").get_json()
    runs = sorted((r["subject"], r["period"]) for r in detail["runs"])
    assert runs == [(f"committee:{c}", "2027") for c in COMMITTEES]

    sec12 = login("sec12", "secretariat:committee/MTC-12")
    inbox = sec12.get("/tasks").get_json()["items"]
    assert [(t["element_id"], t["due_at"]) for t in inbox] == [("task_write_report", due)]
    clock.set(utc(2027, 1, 16, 16, 0, 1))  # 15 days before the deadline
    run_worker(engine)
    sec12, auth = login("sec12"), login("auth")
    [reminder] = sec12.get("/notifications").get_json()["items"]
    assert (reminder["kind"], reminder["message"], reminder["due_at"]) == ("reminder", "年度报告即将截止", due)
    assert auth.get("/notifications").get_json()["total"] == 0
    clock.set(utc(2027, 1, 31, 16, 0, 1))
    run_worker(engine)
    sec12, auth = login("sec12"), login("auth")
    assert [n["kind"] for n in sec12.get("/notifications").get_json()["items"]] == ["overdue", "reminder"]
    warned = auth.get("/notifications").get_json()["items"]
    assert len(warned) == 3 and {n["message"] for n in warned} == {"年度报告逾期未报"}  # one per committee
    assert [t["element_id"] for t in sec12.get("/tasks").get_json()["items"]] == ["task_write_report"]

    clock.set(utc(2028, 1, 1, 2))
    assert len(run_worker(engine)[1]) == 3  # next year's reports


def test_catch_up_starts_missed_years_once(annual, engine, clock):
    clock.set(utc(2029, 6, 1))  # down since before 1 January 2027
    _, started = run_worker(engine)
    assert len(started) == 3 * 3  # 2027, 2028, 2029 for each committee
    assert run_worker(engine)[1] == []


def test_rereview_after_and_renewal_before(admin, engine, clock):
    admin.deploy("timer_wait.bpmn")
    with engine.db.transaction() as session:
        rereview = schedules.create(session, engine.definitions, engine.schedules, "admin",
                                    process_key="timer_wait",
                                    rule={"kind": "after", "duration": "rereview_interval"},
                                    subjects=[{"specification": "JJF-1001", "anchor": "2021-03-01"},
                                              {"specification": "JJF-1002", "anchor": "2026-07-01"}])
        renewal = schedules.create(session, engine.definitions, engine.schedules, "admin",
                                   process_key="timer_wait",
                                   rule={"kind": "before", "duration": "renewal_lead", "time": "08:00"},
                                   subjects=[{"committee": "MTC-12", "anchor": "2026-09-30"}])
        rereview_id, renewal_id = rereview.id, renewal.id
        assert schedules.occurrences(renewal, {"committee": "MTC-12", "anchor": "2026-09-30"}, clock.now()) == [
            ("before:2026-09-30", utc(2026, 3, 30, 0).astimezone(schedules.BEIJING))]  # 6 months before, 08:00
    _, started = run_worker(engine)
    assert len(started) == 1  # JJF-1001 took effect 2021-03-01: its re-review fell due yesterday
    clock.set(utc(2026, 3, 30, 0, 0, 1))
    assert len(run_worker(engine)[1]) == 1  # the renewal
    clock.set(utc(2031, 7, 1, 1))
    assert len(run_worker(engine)[1]) == 1  # JJF-1002's re-review, five years after it took effect
    with engine.db.transaction() as session:
        assert len(schedules.runs(session, rereview_id)) == 2 and len(schedules.runs(session, renewal_id)) == 1


def test_bad_schedules_are_refused(admin, login):
    admin.deploy("timer_wait.bpmn")
    sec = login("sec", "secretariat")

    def post(caller, **body):
        payload = {"process_key": "timer_wait", "rule": {"kind": "yearly", "date": "01-01"},
                   "subjects": [{"committee": "MTC-12"}], **body}
        return caller.post("/schedules", json=payload)

    assert post(sec).status_code == 403
    assert post(admin, process_key="nope").status_code == 404
    assert post(admin, rule={"kind": "weekly"}).status_code == 422
    assert post(admin, rule={"kind": "yearly", "date": "review_quorum"}).status_code == 422
    assert post(admin, rule={"kind": "after", "duration": "P5Y"}).status_code == 422  # no anchor
    assert post(admin, subjects=[{"committe": "MTC-12"}]).status_code == 422
    assert post(admin, subjects="no_such_provider").status_code == 422  # no provider registered by that name
    created = post(admin)
    assert created.status_code == 201
    schedule_id = created.get_json()["id"]
    assert admin.get("/schedules").get_json()["total"] == 1
    stopped = admin.post(f"/schedules/{schedule_id}/deactivate", json={"reason": "委员会撤销"})
    assert stopped.get_json()["active"] is False


def test_subject_provider_plugs_in_the_registry(admin, engine, clock, monkeypatch):
    admin.deploy("timer_wait.bpmn")
    monkeypatch.setitem(engine.schedules.providers, "active_committees",
                        lambda session: [{"committee": "MTC-20"}, {"committee": "MTC-21"}])
    created = admin.post("/schedules", json={"process_key": "timer_wait", "subjects": "active_committees",
                                             "rule": {"kind": "yearly", "date": "03-02", "time": "17:30"}})
    assert created.status_code == 201, created.get_json()
    clock.advance(timedelta(hours=0, minutes=30, seconds=1))  # 09:00 UTC + 30 min = 17:30 Beijing time
    assert len(run_worker(engine)[1]) == 2
    with engine.db.transaction() as session:
        assert session.get(Schedule, created.get_json()["id"]).subjects == "active_committees"


def test_an_authority_schedules_only_within_its_level_and_jurisdiction(admin, login, engine, monkeypatch):
    """谁审批、谁监管: 江苏's authority plans, reads and stops schedules of 江苏's subjects only; a registry-wide
    provider needs an unscoped grant; process admins and auditors reach every schedule."""
    admin.deploy("timer_wait.bpmn")
    monkeypatch.setitem(engine.schedules.providers, "active_committees",
                        lambda session: [{"committee": "MTC-20"}])
    jiangsu = login("js", "authority:level/provincial/江苏")
    zhejiang = login("zj", "authority:level/provincial/浙江")
    auditor = login("aud", "auditor")

    def plan(caller, *subjects):
        return caller.post("/schedules", json={"process_key": "timer_wait", "rule": {"kind": "yearly", "date": "01-15"},
                                               "subjects": list(subjects) or "active_committees"})

    ours = {"committee": "MTC-31", "level": "provincial", "jurisdiction": "江苏"}
    theirs = {"committee": "MTC-41", "level": "provincial", "jurisdiction": "浙江"}
    created = plan(jiangsu, ours)
    assert created.status_code == 201
    schedule_id = created.get_json()["id"]
    for refused in (plan(jiangsu, theirs), plan(jiangsu, ours, theirs), plan(jiangsu), plan(jiangsu, {})):
        assert refused.status_code == 403 and refused.get_json()["rule"] == "scope", refused.get_json()
    assert plan(admin).status_code == 201  # the process admin runs the registry-wide schedules

    assert [s["id"] for s in jiangsu.get("/schedules").get_json()["items"]] == [schedule_id]
    assert zhejiang.get("/schedules").get_json()["total"] == 0
    assert zhejiang.get(f"/schedules/{schedule_id}").status_code == 404
    assert zhejiang.post(f"/schedules/{schedule_id}/deactivate", json={"reason": "越权"}).status_code == 404
    assert auditor.get("/schedules").get_json()["total"] == 2
    assert jiangsu.post(f"/schedules/{schedule_id}/deactivate", json={"reason": "委员会撤销"}).get_json()["active"] \
        is False
