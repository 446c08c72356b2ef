"""P5 assessment, rectification and exit over HTTP: a pass clears the BR8 flag; 不合格 puts the committee into
rectification (BR9 through status_of); the secretariat's report or the end of the period leads to reassessment;
failing again leads to reorganisation, a new secretariat host, suspension or revocation with the open
specifications reassigned; the registry after each story."""
from datetime import UTC, datetime

import pytest

from engine import clock as engine_clock
from engine.committees import registry as committee_registry
from engine.committees.models import CommitteeReport
from engine.specifications.models import Specification
from tests.scenarios.committee_support import AUTHORITY, PLAN, Walker, candidate, candidates, composition, deploy
from tests.scenarios.committee_support import seed_committee as seed

RECTIFIED = {"rectification_summary": "补齐年度报告，充实秘书处", "measures": "建立报告提醒制度"}


@pytest.fixture
def walker(engine, login):
    deploy(engine)
    return Walker(engine, login)


@pytest.fixture
def authority(login):
    return login("samr", AUTHORITY)


def members():
    pool = candidates()
    return [{**c, "role": e["role"]} for c, e in zip(pool, composition(pool), strict=True)]


def state(engine, code):
    with engine.db.transaction() as session:
        return committee_registry.status_of(session, code)


def assess(walker, authority, code):
    started = authority.post("/instances", json={"process_key": "committee_assessment",
                                                 "scope": {"committee": code, "level": "national"}})
    assert started.status_code == 201, started.get_json()
    return started.get_json()["id"]


def fail_twice(walker, engine, login, authority, code):
    """Graded 不合格, rectified at once, reassessed 不合格: the authority must decide."""
    seed(engine, code, members=members())
    sec = login(f"sec_{code}", f"secretariat:committee/{code}")
    iid = assess(walker, authority, code)
    walker.do(authority, iid, "task_grade", {"grade": "不合格", "comment": "连续两年未报年度报告"})
    walker.do(sec, iid, "task_rectify", RECTIFIED)
    walker.do(authority, iid, "task_reassess", {"reassessment_grade": "不合格", "reassessment_comment": "整改不到位"})
    assert walker.open_elements(authority, iid) == ["task_decide"]
    return iid, sec


def test_a_pass_clears_the_flag(walker, engine, authority, app):
    seed(engine, "MTC70", members=members(), assessment_flag="年度工作报告自上次考核以来逾期 2 次",
         flagged_at=datetime(2026, 2, 1, tzinfo=UTC))
    with engine.db.transaction() as session:
        for year in ("2025", "2026"):
            session.add(CommitteeReport(committee_code="MTC70", kind="annual", period=year, missed=True,
                                        missed_at=datetime(int(year), 2, 1, tzinfo=UTC)))
    iid = assess(walker, authority, "MTC70")
    seen = authority.get(f"/instances/{iid}").get_json()["data"]
    assert seen["annual_report_misses"] == 2 and seen["assessment_flag"].startswith("年度工作报告")
    walker.do(authority, iid, "task_grade", {"grade": "优秀", "comment": "—"}, status=422)
    walker.do(authority, iid, "task_grade", {"grade": "二级", "comment": "报告已补交，工作基本正常"})
    assert authority.get(f"/instances/{iid}").get_json()["state"] == "completed"
    committee = app.test_client().get("/api/v1/committees/MTC70").get_json()
    assert (committee["status"], committee["last_grade"], committee["assessment_flag"]) == ("active", "二级", None)
    assert committee["annual_report_misses"] == 0  # counted since the last assessment
    assert [(a["kind"], a["grade"], a["passed"]) for a in committee["assessments"]] == [("assessment", "二级", True)]


def test_rectification_blocks_projects_until_restored(walker, engine, login, authority, app):
    seed(engine, "MTC70", members=members())
    sec = login("sec70", "secretariat:committee/MTC70")
    iid = assess(walker, authority, "MTC70")
    assert state(engine, "MTC70").project_refusal() is None  # BR9 allows an active committee
    walker.do(authority, iid, "task_grade", {"grade": "不合格", "comment": "秘书处长期空缺"})
    rectifying = state(engine, "MTC70")
    assert rectifying == "rectification" and rectifying.project_refusal()[0] == "BR9"
    assert rectifying.rectification_until == datetime(2026, 9, 2, 9, 0, tzinfo=UTC)  # rectification_period 6 months
    assert rectifying.review_refusal() is None  # running reviews go on; only new 立项 is refused
    public = app.test_client().get("/api/v1/committees/MTC70").get_json()
    assert public["status"] == "rectification" and public["accepts_projects"] is False
    task = walker.task(sec, iid, "task_rectify")
    assert task["due_at"].startswith("2026-09-02")
    walker.do(sec, iid, "task_rectify", RECTIFIED)
    walker.do(authority, iid, "task_reassess", {"reassessment_grade": "三级", "reassessment_comment": "整改基本到位"})
    assert authority.get(f"/instances/{iid}").get_json()["state"] == "completed"
    restored = state(engine, "MTC70")
    assert restored == "active" and restored.project_refusal() is None and restored.rectification_until is None
    grades = [(a["kind"], a["grade"]) for a in app.test_client().get("/api/v1/committees/MTC70").get_json()[
        "assessments"]]
    assert grades == [("assessment", "不合格"), ("reassessment", "三级")]


def test_period_runs_out_then_revocation_reassigns_open_specifications(walker, engine, login, authority, clock, app):
    login("chair70"), login("m70")  # two members with accounts: their appointment grants end with the committee
    appointed = members()
    appointed[0]["username"], appointed[10]["username"] = "chair70", "m70"
    seed(engine, "MTC70", members=appointed)
    seed(engine, "MTC71", name="全国几何量计量技术委员会")
    now = engine_clock.now()
    with engine.db.transaction() as session:
        for spec_id, stage in (("JJF-2026-070", "drafting"), ("JJG-2025-070", "review"), ("JJF-2020-070", "abolished")):
            session.add(Specification(id=spec_id, type=spec_id[:3], title=f"规范 {spec_id}", committee="MTC70",
                                      level="national", stage=stage, created_at=now, updated_at=now))
    login("sec70", "secretariat:committee/MTC70")
    iid = assess(walker, authority, "MTC70")
    walker.do(authority, iid, "task_grade", {"grade": "不合格", "comment": "无年度报告"})
    walker.advance(clock, days=184, seconds=1)  # past 2 September: the period ran out without a report
    assert walker.open_elements(authority, iid) == ["task_reassess"]
    walker.do(authority, iid, "task_reassess", {"reassessment_grade": "不合格", "reassessment_comment": "未整改"})
    decision = {"exit_action": "revoke", "decision_reason": "整改期满未整改，予以撤销"}
    walker.do(authority, iid, "task_decide", decision, status=422)  # a successor must be named
    refused = walker.do(authority, iid, "task_decide", {**decision, "successor_code": "MTC99"}, status=409)
    assert "MTC99" in refused.get_json()["detail"]
    walker.do(authority, iid, "task_decide", {**decision, "successor_code": "MTC70"}, status=409)
    walker.do(authority, iid, "task_decide", {**decision, "successor_code": "MTC71"})
    # the revocation is publicly noticed first (BR12); the committee is revoked once the window has closed
    [notice] = app.test_client().get("/api/v1/notices", query_string={"kind": "revocation"}).get_json()["items"]
    assert notice["status"] == "open" and notice["committee"] == "MTC70" and "MTC71" in notice["subject"]
    assert state(engine, "MTC70") == "rectification"
    walker.advance(clock, days=30, seconds=1)  # revocation_notice_window
    walker.fresh(authority)
    walker.do(authority, iid, "task_confirm_revocation", {"revocation_decision": "revoke",
                                                          "revocation_opinion": "公示期内无异议"})
    done = authority.get(f"/instances/{iid}").get_json()
    assert done["state"] == "completed"
    assert sorted(done["data"]["reassigned_specifications"]) == ["JJF-2026-070", "JJG-2025-070"]
    committee = app.test_client().get("/api/v1/committees/MTC70").get_json()
    assert (committee["status"], committee["successor_code"]) == ("revoked", "MTC71")
    assert committee["members"] == [] and committee["assessments"][-1]["outcome"] == "revoke"
    admin = login("uadmin", "user_admin")  # BR14: revoking the committee revokes its members' grants
    for name, roles in (("chair70", {"chair", "member"}), ("m70", {"member"})):
        held = [g for g in admin.get(f"/users/{name}").get_json()["assignments"] if g["scope"] == "committee/MTC70"]
        assert {g["role"] for g in held} == roles and all(g["revoked_by"] == "samr" for g in held)
        assert all("撤销 MTC70" in g["revoked_reason"] for g in held)
    with engine.db.transaction() as session:
        owners = {s.id: s.committee for s in session.query(Specification)}
    assert owners == {"JJF-2026-070": "MTC71", "JJG-2025-070": "MTC71", "JJF-2020-070": "MTC70"}
    assert state(engine, "MTC70").project_refusal()[0] == "BR9"
    active = app.test_client().get("/api/v1/committees", query_string={"status": "active"}).get_json()
    assert [c["code"] for c in active["items"]] == ["MTC71"]


def test_objections_to_the_revocation_notice_lead_to_a_new_decision(walker, engine, login, authority, clock, app):
    iid, _ = fail_twice(walker, engine, login, authority, "MTC75")
    seed(engine, "MTC76", name="全国温度计量技术委员会")
    walker.do(authority, iid, "task_decide", {"exit_action": "revoke", "decision_reason": "整改不到位",
                                              "successor_code": "MTC76"})
    [notice] = app.test_client().get("/api/v1/notices", query_string={"kind": "revocation"}).get_json()["items"]
    objection = app.test_client().post(f"/api/v1/notices/{notice['id']}/comments", json={
        "author": "某计量院", "text": "该委员会归口的规范仍在大量使用，建议重组而非撤销。", "kind": "objection"})
    assert objection.status_code == 201, objection.get_json()
    walker.advance(clock, days=30, seconds=1)
    walker.fresh(authority)
    assert authority.get(f"/instances/{iid}").get_json()["data"]["notice_objection_count"] == 1  # reaches the task
    late = app.test_client().post(f"/api/v1/notices/{notice['id']}/comments", json={"author": "x", "text": "迟到"})
    assert late.status_code == 409
    walker.do(authority, iid, "task_confirm_revocation", {"revocation_decision": "reconsider"}, status=422)
    walker.do(authority, iid, "task_confirm_revocation", {"revocation_decision": "reconsider",
                                                          "revocation_opinion": "采纳异议，改为暂停"})
    assert walker.open_elements(authority, iid) == ["task_decide"]
    walker.do(authority, iid, "task_decide", {"exit_action": "suspend", "decision_reason": "暂停工作一年"})
    assert state(engine, "MTC75") == "suspended"
    committee = app.test_client().get("/api/v1/committees/MTC75").get_json()
    assert committee["successor_code"] is None and len(committee["members"]) == 25


def test_replace_host_and_suspend(walker, engine, login, authority, app):
    iid, _ = fail_twice(walker, engine, login, authority, "MTC72")
    walker.do(authority, iid, "task_decide", {"exit_action": "replace_host", "decision_reason": "秘书处无力履职"},
              status=422)
    walker.do(authority, iid, "task_decide", {"exit_action": "replace_host", "decision_reason": "秘书处无力履职",
                                              "new_secretariat_host": "上海市计量测试技术研究院"})
    replaced = app.test_client().get("/api/v1/committees/MTC72").get_json()
    assert (replaced["status"], replaced["secretariat_host"]) == ("active", "上海市计量测试技术研究院")

    iid, _ = fail_twice(walker, engine, login, authority, "MTC73")
    walker.do(authority, iid, "task_decide", {"exit_action": "suspend", "decision_reason": "暂停工作一年"})
    suspended = state(engine, "MTC73")
    assert suspended == "suspended" and suspended.project_refusal() and suspended.review_refusal()[0] == "BR13"
    listed = app.test_client().get("/api/v1/committees", query_string={"status": "suspended"}).get_json()
    assert [c["code"] for c in listed["items"]] == ["MTC73"]


def test_reorganise_with_a_new_composition(walker, engine, login, authority, clock, app):
    iid, sec = fail_twice(walker, engine, login, authority, "MTC74")
    walker.do(authority, iid, "task_decide", {"exit_action": "reorganise", "decision_reason": "重新组建委员会"})
    pool = [candidate(i, name=f"重组委员{i:02d}") for i in range(25)]
    walker.do(sec, iid, "task_recruit", {"call_summary": "重组征集", "candidates": pool})
    walker.do(sec, iid, "task_plan", {**PLAN, "composition": composition(pool)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    walker.fresh(authority)
    assert authority.get(f"/instances/{iid}").get_json()["state"] == "completed"
    committee = app.test_client().get("/api/v1/committees/MTC74").get_json()
    assert committee["status"] == "active" and committee["term"]["number"] == 1
    assert {m["name"] for m in committee["members"] if m["role"] == "chair"} == {"重组委员00"}
    assert committee["assessments"][-1]["outcome"] == "reorganise"


def test_restore_a_passing_assessment_lifts_the_suspension(walker, engine, login, authority, app):
    iid, _ = fail_twice(walker, engine, login, authority, "MTC77")
    walker.do(authority, iid, "task_decide", {"exit_action": "suspend", "decision_reason": "暂停工作，限期改进"})
    suspended = state(engine, "MTC77")
    assert suspended == "suspended" and suspended.project_refusal()[0] == "BR9"
    # failing while suspended goes straight to the authority's decision: no second rectification
    again = assess(walker, authority, "MTC77")
    walker.do(authority, again, "task_grade", {"grade": "不合格", "comment": "仍未改进"})
    assert walker.open_elements(authority, again) == ["task_decide"] and state(engine, "MTC77") == "suspended"
    walker.do(authority, again, "task_decide", {"exit_action": "suspend", "decision_reason": "继续暂停"})
    # a passing reassessment lifts the suspension
    restored = assess(walker, authority, "MTC77")
    walker.do(authority, restored, "task_grade", {"grade": "三级", "comment": "秘书处已充实，工作恢复"})
    assert authority.get(f"/instances/{restored}").get_json()["state"] == "completed"
    working = state(engine, "MTC77")
    assert working == "active" and working.project_refusal() is None and working.review_refusal() is None
    committee = app.test_client().get("/api/v1/committees/MTC77").get_json()
    assert committee["assessments"][-1]["outcome"] == "restore" and "恢复工作" in committee["status_reason"]


def adjust(authority, code):
    started = authority.post("/instances", json={"process_key": "committee_adjustment",
                                                 "scope": {"committee": code, "level": "national"}})
    assert started.status_code == 201, started.get_json()
    return started.get_json()["id"]


def test_dynamic_management_adjust_merge_revoke_with_reason(walker, engine, login, authority, clock, app):
    seed(engine, "MTC80", members=members(), scope="长度计量", secretariat_host="中国计量科学研究院")
    seed(engine, "MTC81", name="全国几何量计量技术委员会")
    seed(engine, "MTC82", status="revoked")
    now = engine_clock.now()
    with engine.db.transaction() as session:
        session.add(Specification(id="JJF-2026-080", type="JJF", title="规范 080", committee="MTC80",
                                  level="national", stage="drafting", created_at=now, updated_at=now))
    sec = login("sec80", "secretariat:committee/MTC80")
    refused = sec.post("/instances", json={"process_key": "committee_adjustment",
                                           "scope": {"committee": "MTC80", "level": "national"}})
    assert refused.status_code == 403  # the approving authority decides (谁审批、谁监管)
    # 调整: a reason and a change are required; the registry changes with the reason on the record
    iid = adjust(authority, "MTC80")
    walker.do(authority, iid, "task_decide", {"exit_action": "adjust", "new_scope": "长度与几何量计量"}, status=422)
    walker.do(authority, iid, "task_decide", {"exit_action": "adjust", "decision_reason": "职能调整",
                                              "new_scope": "长度计量"}, status=422)  # nothing changes
    walker.do(authority, iid, "task_decide", {"exit_action": "adjust", "decision_reason": "职能调整，业务范围扩大",
                                              "new_scope": "长度与几何量计量"})
    adjusted = app.test_client().get("/api/v1/committees/MTC80").get_json()
    assert (adjusted["status"], adjusted["scope"]) == ("active", "长度与几何量计量")
    history = authority.get(f"/instances/{iid}/history").get_json()["items"]
    assert [e["data"]["reason"] for e in history if e["type"] == "committee_adjusted"] == ["职能调整，业务范围扩大"]
    # 合并: into a working committee only, after a public notice; the open specifications follow
    iid = adjust(authority, "MTC80")
    merge = {"exit_action": "merge", "decision_reason": "与几何量委员会职能交叉"}
    walker.do(authority, iid, "task_decide", merge, status=422)  # names the committee it merges into
    walker.do(authority, iid, "task_decide", {**merge, "successor_code": "MTC82"}, status=409)  # revoked
    walker.do(authority, iid, "task_decide", {**merge, "successor_code": "MTC81"})
    [notice] = app.test_client().get("/api/v1/notices", query_string={"kind": "revocation"}).get_json()["items"]
    assert notice["status"] == "open" and "并入 MTC81" in notice["subject"]
    assert state(engine, "MTC80") == "active"  # nothing happens before the window closes
    walker.advance(clock, days=30, seconds=1)  # revocation_notice_window
    walker.fresh(authority)
    walker.do(authority, iid, "task_confirm_revocation", {"revocation_decision": "revoke",
                                                          "revocation_opinion": "公示期内无异议"})
    merged = app.test_client().get("/api/v1/committees/MTC80").get_json()
    assert (merged["status"], merged["successor_code"]) == ("revoked", "MTC81")
    assert merged["status_reason"].startswith("并入 MTC81：") and merged["members"] == []
    with engine.db.transaction() as session:
        assert session.get(Specification, "JJF-2026-080").committee == "MTC81"
    # a revoked committee is not adjusted, merged or revoked again
    iid = adjust(authority, "MTC80")
    walker.do(authority, iid, "task_decide", {"exit_action": "revoke", "decision_reason": "重复撤销",
                                              "successor_code": "MTC81"}, status=409)
