"""P2 renewal with P3b end-of-term report over HTTP: the schedule from the registry starts it renewal_lead before
the term ends; the report's reminder, overdue and return paths; the term ending mid-renewal (BR13); the
renewal returned; a committee that does not work is not renewed; the next term follows the old (or extended) one
without a gap; the registry after each story."""
from datetime import date

import pytest

from engine.committees import registry as committee_registry
from engine.config import ROOT
from tests.scenarios.committee_support import AUTHORITY, PLAN, Walker, candidate, candidates, composition, deploy
from tests.scenarios.committee_support import seed_committee as seed
from tests.timer_support import run_worker, utc

TERM_REPORT = {"term_summary": "本届完成规范 12 项", "specs_completed": 12, "specs_overdue": 1,
               "attendance": "委员平均出席率 92%", "next_term_plan": "加强新领域规范体系建设"}


@pytest.fixture
def walker(engine, login):
    deploy(engine)
    return Walker(engine, login)


def members(pool):
    return [{**c, "role": e["role"]} for c, e in zip(pool, composition(pool), strict=True)]


@pytest.fixture
def mtc50(engine):
    seed(engine, "MTC50", name="全国质量密度计量技术委员会", term_end=date(2026, 6, 30), members=members(candidates()))


@pytest.fixture
def people(login):
    return login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY)


def compose(walker, clock, sec, authority, iid, prefix="新委员"):
    pool = [candidate(i, name=f"{prefix}{i:02d}") for i in range(25)]
    walker.do(sec, iid, "task_recruit", {"call_summary": "换届征集", "candidates": pool})
    walker.do(sec, iid, "task_plan", {**PLAN, "composition": composition(pool)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    return pool


def committee(engine, code="MTC50"):
    with engine.db.transaction() as session:
        return committee_registry.status_of(session, code)


def test_scheduled_renewal_main_path(walker, engine, people, clock, app):
    seed(engine, "MTC50", name="全国质量密度计量技术委员会", term_end=date(2026, 9, 30), members=members(candidates()))
    sec, authority = people
    seed(engine, "MTC51", status="suspended", term_end=date(2026, 5, 31))
    seed(engine, "MTC52", status="preparing", term_end=None)
    created = authority.post("/schedules", json={"name": "换届", "process_key": "committee_renewal",
                                                 "rule": {"kind": "before", "duration": "renewal_lead"},
                                                 "subjects": "active_committees"})
    assert created.status_code == 201, created.get_json()
    assert run_worker(engine)[1] == []
    clock.set(utc(2026, 3, 30, 0, 59))  # 08:59 Beijing time, renewal_lead (6 months) before 30 September
    assert run_worker(engine)[1] == []
    clock.set(utc(2026, 3, 30, 1, 0, 1))
    _, started = run_worker(engine)
    assert len(started) == 1 and run_worker(engine)[1] == []  # MTC50 only (MTC51 suspended, MTC52 preparing)
    iid = started[0]
    walker.fresh(sec, authority)
    instance = sec.get(f"/instances/{iid}").get_json()
    assert instance["business_key"] == "committee_renewal:committee:MTC50:before:2026-09-30"
    assert [t["element_id"] for t in instance["tasks"]] == ["task_write_term_report"]
    assert instance["tasks"][0]["due_at"].startswith("2026-05-29")  # term_report_window: 60 days

    walker.advance(clock, days=45, seconds=1)
    walker.fresh(sec)
    [reminder] = sec.get("/notifications").get_json()["items"]
    assert (reminder["kind"], reminder["message"]) == ("reminder", "届末工作报告即将截止")
    walker.do(sec, iid, "task_write_term_report", TERM_REPORT)
    walker.do(authority, iid, "task_review_term_report", {"term_report_decision": "return",
                                                          "term_report_comment": "补充逾期项目原因"})
    walker.do(sec, iid, "task_write_term_report", {**TERM_REPORT, "assessment_results": "2025 年考核二级"})
    walker.do(authority, iid, "task_review_term_report", {"term_report_decision": "accept"})
    assert walker.open_elements(sec, iid) == ["task_recruit"]  # the renewal needs the accepted report first

    compose(walker, clock, sec, authority, iid)
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "approve"}, status=422)  # no document
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "approve",
                                                       "approval_document": "市监计量函〔2026〕50号"})
    assert authority.get(f"/instances/{iid}").get_json()["state"] == "completed"
    public = app.test_client().get("/api/v1/committees/MTC50").get_json()
    # approved in June; the new term starts the day after the old one ends (30 September), not on approval
    assert public["term"] == {"number": 2, "start": "2026-10-01", "end": "2031-09-30", "expired": False}
    assert {m["name"] for m in public["members"] if m["role"] == "chair"} == {"新委员00"}
    assert len(public["members"]) == 25 and all(m["term_number"] == 2 for m in public["members"])
    assert [(r["kind"], r["period"], r["accepted_at"] is not None) for r in public["reports"]] == [
        ("term", "term-1", True)]
    assert authority.get("/notifications").get_json()["total"] == 0  # renewed before the term ended
    runs = authority.get(f"/schedules/{created.get_json()['id']}").get_json()["runs"]
    assert [(r["subject"], r["period"]) for r in runs] == [("committee:MTC50", "before:2026-09-30")]


def test_term_report_overdue_and_term_end_mid_renewal(walker, engine, mtc50, people, clock, app):
    sec, authority = people
    started = sec.post("/instances", json={"process_key": "committee_renewal",
                                           "scope": {"committee": "MTC50", "level": "national"}})
    assert started.status_code == 201, started.get_json()
    iid = started.get_json()["id"]
    walker.advance(clock, days=60, seconds=1)  # no report within term_report_window
    walker.fresh(sec, authority)
    assert sorted(n["kind"] for n in sec.get("/notifications").get_json()["items"]) == ["overdue", "reminder"]
    [warned] = authority.get("/notifications").get_json()["items"]
    assert warned["message"] == "届末工作报告逾期未报"
    walker.do(sec, iid, "task_write_term_report", TERM_REPORT)  # late, still taken
    walker.do(authority, iid, "task_review_term_report", {"term_report_decision": "accept"})

    clock.set(utc(2026, 6, 30, 15, 59))  # 23:59 on the term's last day, Beijing time
    run_worker(engine)
    assert committee(engine).term_expired is False
    clock.set(utc(2026, 6, 30, 16, 0, 1))
    run_worker(engine)
    walker.fresh(authority)
    messages = [n["message"] for n in authority.get("/notifications").get_json()["items"]]
    assert messages[0] == "任期已届满，换届尚未完成（BR13）"
    state = committee(engine)
    assert state.term_expired is True and state == "active" and state.review_refusal()[0] == "BR13"
    expired = app.test_client().get("/api/v1/committees", query_string={"term_expired": "true"}).get_json()
    assert [c["code"] for c in expired["items"]] == ["MTC50"] and expired["items"][0]["accepts_reviews"] is False

    compose(walker, clock, sec, authority, iid)
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "return", "renewal_comment": "调整结构"})
    assert walker.open_elements(sec, iid) == ["task_recruit"]
    compose(walker, clock, sec, authority, iid, prefix="再征委员")
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "approve",
                                                       "approval_document": "市监计量函〔2026〕51号"})
    state = committee(engine)
    assert state.term_expired is False and state.review_refusal() is None and state.term_end == date(2031, 8, 29)
    assert state.term_start == date(2026, 8, 30)  # approved after the old term ended: from approval, never backdated
    names = {m["name"] for m in app.test_client().get("/api/v1/committees/MTC50").get_json()["members"]}
    assert "再征委员00" in names and "新委员00" not in names


def test_a_committee_that_does_not_work_is_not_renewed(walker, engine, login):
    seed(engine, "MTC51", status="suspended", term_end=date(2026, 5, 31))
    sec = login("sec51", "secretariat:committee/MTC51")
    started = sec.post("/instances", json={"process_key": "committee_renewal",
                                           "scope": {"committee": "MTC51", "level": "national"}}).get_json()
    assert started["state"] == "completed" and started["tasks"] == []
    assert started["data"]["renewal_allowed"] is False
    assert committee(engine, "MTC51") == "suspended"


def test_after_an_extension_the_next_term_starts_the_day_after_the_extended_end(walker, engine, mtc50, people,
                                                                                clock, app):
    engine.deploy_files([ROOT / "processes" / "p2b_term_extension.bpmn"])
    sec, authority = people
    started = sec.post("/instances", json={"process_key": "committee_term_extension",
                                           "scope": {"committee": "MTC50", "level": "national"}})
    assert started.status_code == 201, started.get_json()
    extension = started.get_json()["id"]
    walker.do(sec, extension, "task_request_extension", {"extension_until": "2026-12-31",
                                                         "extension_reason": "换届筹备未完成"})
    walker.do(authority, extension, "task_decide_extension", {"extension_decision": "approve",
                                                              "approval_document": "市监计量函〔2026〕88号"})
    started = sec.post("/instances", json={"process_key": "committee_renewal",
                                           "scope": {"committee": "MTC50", "level": "national"}})
    renewal = started.get_json()["id"]
    walker.do(sec, renewal, "task_write_term_report", TERM_REPORT)
    walker.do(authority, renewal, "task_review_term_report", {"term_report_decision": "accept"})
    compose(walker, clock, sec, authority, renewal)
    walker.do(authority, renewal, "task_approve_renewal", {"renewal_decision": "approve",
                                                           "approval_document": "市监计量函〔2026〕90号"})
    public = app.test_client().get("/api/v1/committees/MTC50").get_json()
    assert public["term"] == {"number": 2, "start": "2027-01-01", "end": "2031-12-31", "expired": False}


def test_renewal_lead_leaves_room_before_the_term_ends(walker, engine, people, clock, app):
    """National profile, everyone taking the time practice gives them: the report uses its whole window, the
    open call for members a month, the authority weeks for each review, the public its full notice window; the
    new term is still approved before the old one ends, and BR13 never blocks the committee's reviews."""
    seed(engine, "MTC50", name="全国质量密度计量技术委员会", term_end=date(2026, 12, 31), members=members(candidates()))
    sec, authority = people
    created = authority.post("/schedules", json={"name": "换届", "process_key": "committee_renewal",
                                                 "rule": {"kind": "before", "duration": "renewal_lead"},
                                                 "subjects": "active_committees"})
    assert created.status_code == 201, created.get_json()
    clock.set(utc(2026, 7, 1, 1, 0, 1))  # renewal_lead (6 months) before 31 December, 09:00 Beijing time
    [iid] = run_worker(engine)[1]
    walker.advance(clock, days=59)  # the end-of-term report on the last day of term_report_window (60 days)
    walker.do(sec, iid, "task_write_term_report", TERM_REPORT)
    walker.advance(clock, days=10)
    walker.do(authority, iid, "task_review_term_report", {"term_report_decision": "accept"})
    walker.advance(clock, days=30)  # a month's open call for members
    pool = [candidate(i, name=f"新委员{i:02d}") for i in range(25)]
    walker.do(sec, iid, "task_recruit", {"call_summary": "换届公开征集", "candidates": pool})
    walker.advance(clock, days=10)
    walker.do(sec, iid, "task_plan", {**PLAN, "composition": composition(pool)})
    walker.advance(clock, days=20)  # the authority's review of the plan
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)  # composition_notice_window
    walker.advance(clock, days=10)
    assert committee(engine).review_refusal() is None  # still within the term: BR13 has not blocked anything
    walker.fresh(authority)
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "approve",
                                                       "approval_document": "市监计量函〔2026〕150号"})
    assert authority.get(f"/instances/{iid}").get_json()["state"] == "completed"
    assert clock.now() < utc(2026, 12, 31, 16)  # approved before the term's last day ended (Beijing time)
    public = app.test_client().get("/api/v1/committees/MTC50").get_json()
    assert public["term"] == {"number": 2, "start": "2027-01-01", "end": "2031-12-31", "expired": False}
    assert "任期已届满，换届尚未完成（BR13）" not in [n["message"] for n in
                                                 authority.get("/notifications").get_json()["items"]]
