"""BR14 over HTTP: an appointment grants the committee role for the term to the member's account; renewal, the end
of the term and revocation of the committee revoke it, with who and why, as user administrators see the grants."""
from datetime import date

import pytest

from tests.scenarios.committee_support import AUTHORITY, PLAN, Walker, candidate, composition, deploy
from tests.scenarios.committee_support import seed_committee as seed
from tests.timer_support import run_worker, utc

TERM_REPORT = {"term_summary": "本届完成规范 12 项", "specs_completed": 12, "specs_overdue": 1,
               "attendance": "委员平均出席率 92%", "next_term_plan": "加强新领域规范体系建设"}


@pytest.fixture
def walker(engine, login):
    deploy(engine)
    return Walker(engine, login)


def pool(prefix: str, usernames: list[str]) -> list[dict]:
    return [candidate(i, name=f"{prefix}{i:02d}", username=name) for i, name in enumerate(usernames)]


def appointed(entries: list[dict]) -> list[dict]:
    return [{**c, "role": e["role"]} for c, e in zip(entries, composition(entries), strict=True)]


@pytest.fixture
def mtc50(engine, login):
    names = [f"p{i:02d}" for i in range(25)]
    for name in names:
        login(name)  # accounts without any grant: the appointment gives the committee role
    seed(engine, "MTC50", term_end=date(2026, 6, 30), members=appointed(pool("委员", names)))
    return names


def grants(admin, name: str, scope: str = "committee/MTC50") -> list[dict]:
    response = admin.get(f"/users/{name}")
    assert response.status_code == 200, response.get_json()
    return [g for g in response.get_json()["assignments"] if g["scope"] == scope]


def live(admin, name: str) -> set[str]:
    return {g["role"] for g in grants(admin, name) if g["revoked_at"] is None}


def test_br14_an_appointment_grants_the_role_and_renewal_revokes_the_former_members(walker, engine, login, mtc50,
                                                                                       clock):
    admin = login("uadmin", "user_admin")
    assert live(admin, "p00") == {"chair", "member"} and live(admin, "p05") == {"member"}
    assert "聘任" in grants(admin, "p05")[0]["reason"]
    sec, authority = login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY)
    iid = sec.post("/instances", json={"process_key": "committee_renewal",
                                       "scope": {"committee": "MTC50", "level": "national"}}).get_json()["id"]
    walker.do(sec, iid, "task_write_term_report", TERM_REPORT)
    walker.do(authority, iid, "task_review_term_report", {"term_report_decision": "accept"})
    names = mtc50[:12] + [f"q{i:02d}" for i in range(12, 25)]  # 12 reappointed, 13 new
    for name in names[12:]:
        login(name)
    people = pool("新委员", names)
    walker.do(sec, iid, "task_recruit", {"call_summary": "换届征集", "candidates": people})
    walker.do(sec, iid, "task_plan", {**PLAN, "composition": composition(people)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    walker.fresh(sec, authority, admin)
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "approve",
                                                       "approval_document": "市监计量函〔2026〕50号"})
    former = grants(admin, "p20")
    assert live(admin, "p20") == set() and former[0]["revoked_by"] == "samr"
    assert "任职结束" in former[0]["revoked_reason"]
    assert live(admin, "q20") == {"member"} and live(admin, "p05") == {"member"}  # reappointed: a new grant
    assert [g["revoked_at"] is None for g in grants(admin, "p05")] == [False, True]
    members = {m["name"]: m for m in admin.get("/committees/MTC50").get_json()["members"]}
    assert len(members) == 25 and all(m["has_account"] and m["term_number"] == 2 for m in members.values())


def test_br14_the_end_of_the_term_revokes_the_members_grants(walker, engine, login, mtc50, clock):
    admin = login("uadmin", "user_admin")
    clock.set(utc(2026, 6, 30, 15, 59))  # 23:59 on the term's last day, Beijing time
    run_worker(engine)
    walker.fresh(admin)
    assert live(admin, "p05") == {"member"}
    clock.set(utc(2026, 6, 30, 16, 0, 1))
    run_worker(engine)
    walker.fresh(admin)
    [ended] = grants(admin, "p05")
    assert ended["revoked_by"] == "system" and "届满" in ended["revoked_reason"]
    assert live(admin, "p00") == set()


# ----- member changes during the term (P2c, 增补 / 调整 / 解聘) ---------------------------------------------
def propose(walker, sec, authority, change: dict, decision: str | None = "approve", reason: str = "批准") -> str:
    """Start P2c as the secretariat with ``change``; the authority decides when the rules let it reach them."""
    started = sec.post("/instances", json={"process_key": "committee_member_change",
                                           "scope": {"committee": "MTC50", "level": "national"}})
    assert started.status_code == 201, started.get_json()
    iid = started.get_json()["id"]
    walker.do(sec, iid, "task_propose_change", change)
    if decision:
        walker.do(authority, iid, "task_decide_change", {"change_decision": decision, "decision_reason": reason})
    return iid


def member_id(caller, name: str) -> int:
    return next(m["id"] for m in caller.get("/committees/MTC50").get_json()["members"] if m["name"] == name)


@pytest.fixture
def deployed(engine):
    from engine.config import ROOT

    engine.deploy_files([ROOT / "processes" / "p2c_member_change.bpmn"])


def test_br5_br6_an_addition_that_breaks_the_composition_is_refused(walker, deployed, login, mtc50):
    sec, authority = login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY)
    iid = propose(walker, sec, authority, {"change_kind": "dismiss", "change_reason": "调离本专业领域",
                                           "member_id": member_id(sec, "委员24")})
    assert sec.get(f"/instances/{iid}").get_json()["state"] == "completed"
    data = sec.get(f"/instances/{iid}").get_json()["data"]
    assert data["change_ok"] and any("24 人" in v for v in data["change_report"]["existing_violations"] +
                                     [c["message"] for c in data["change_report"]["checks"] if not c["passed"]])
    # 单位0 already has 3 members (max_members_per_unit): BR5 refuses a fourth
    iid = propose(walker, sec, authority, {"change_kind": "add", "change_reason": "增补",
                                           "new_member": {**candidate(30, unit="单位0"), "role": "member"}},
                  decision=None)
    data = sec.get(f"/instances/{iid}").get_json()["data"]
    assert data["change_ok"] is False and any("单位0" in v for v in data["change_report"]["violations"])
    assert walker.open_elements(sec, iid) == ["task_propose_change"]  # back to the secretariat
    # retiring within the term (BR6) is refused as well
    walker.do(sec, iid, "task_propose_change", {"change_kind": "add", "change_reason": "增补",
                                                "new_member": {**candidate(30, unit="单位7",
                                                                           retirement_date="2026-05-01"),
                                                               "role": "member"}})
    data = sec.get(f"/instances/{iid}").get_json()["data"]
    assert data["change_ok"] is False and any("退休" in v for v in data["change_report"]["violations"])
    assert len(sec.get("/committees/MTC50").get_json()["members"]) == 24  # nothing changed


def test_br14_an_approved_addition_grants_the_committee_role(walker, deployed, login, mtc50):
    sec, authority, admin = login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY), \
        login("uadmin", "user_admin")
    login("newbie")
    propose(walker, sec, authority, {"change_kind": "dismiss", "change_reason": "本人辞去委员",
                                     "member_id": member_id(sec, "委员24")})
    addition = {"change_kind": "add", "change_reason": "补足检测校准机构委员",
                "new_member": {**candidate(24, name="新增委员", unit="单位7", username="newbie"), "role": "member"}}
    iid = propose(walker, sec, authority, addition, decision="return", reason="请补充推荐单位意见")
    assert walker.open_elements(sec, iid) == ["task_propose_change"] and live(admin, "newbie") == set()
    walker.do(sec, iid, "task_propose_change", {**addition, "change_reason": "补足检测校准机构委员；推荐单位同意"})
    walker.do(authority, iid, "task_decide_change", {"change_decision": "approve"})
    assert live(admin, "newbie") == {"member"}
    [grant] = grants(admin, "newbie")
    assert grant["granted_by"] == "samr" and "增补" in grant["reason"]
    members = {m["name"]: m for m in sec.get("/committees/MTC50").get_json()["members"]}
    assert len(members) == 25 and members["新增委员"]["has_account"] and members["新增委员"]["term_number"] == 1


def test_br14_an_adjustment_moves_the_grants_with_the_role(walker, deployed, login, mtc50):
    sec, authority, admin = login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY), \
        login("uadmin", "user_admin")
    propose(walker, sec, authority, {"change_kind": "adjust", "change_reason": "增设副主任委员",
                                     "member_id": member_id(sec, "委员05"), "new_role": "vice_chair"})
    assert live(admin, "p05") == {"vice_chair", "member"}
    iid = sec.post("/instances", json={"process_key": "committee_member_change",
                                       "scope": {"committee": "MTC50", "level": "national"}}).get_json()["id"]
    refused = walker.do(sec, iid, "task_propose_change", {"change_kind": "adjust", "change_reason": "无变化",
                                                          "member_id": member_id(sec, "委员06")}, status=422)
    assert refused.get_json()["errors"][0]["message"] == "nothing changes"  # the task stays with the secretariat


def test_br14_an_approved_dismissal_revokes_the_grant_so_the_member_cannot_take_a_ballot(engine, app, clock):
    from tests.scenarios import spec_support
    from tests.scenarios.spec_stories import p9_to_vote

    spec_support.deploy(engine, "p9_technical_review.bpmn", "p2c_member_change.bpmn")
    spec_support.seed_committee(engine)
    w = spec_support.World(engine, app.test_client(), clock)
    spec = spec_support.seed_spec(engine, "JJF-2026-101", stage="review",
                                  comment_closed_at="2026-02-01T00:00:00+00:00", comments_total=1,
                                  comments_answered=1)
    w.grant("drafter", f"drafter:spec/{spec}")
    m5 = next(m["id"] for m in w.as_("sec").get("/committees/MTC12").get_json()["members"] if m["name"] == "委员m5")
    iid = w.start("sec", "committee_member_change")["id"]
    w.do("sec", iid, "task_propose_change", {"change_kind": "dismiss", "change_reason": "连续三次无故缺席审定会",
                                             "member_id": m5})
    w.do("authority", iid, "task_decide_change", {"change_decision": "approve", "decision_reason": "同意解聘"})
    history = w.as_("auditor").get(f"/instances/{iid}/history").get_json()
    changed = [e for e in history["items"] if e["type"] == "committee_member_changed"]
    assert changed and changed[0]["data"]["kind"] == "dismiss" and changed[0]["actor"] == "authority"
    review = w.start("sec", "technical_review", scope=spec_support.spec_scope(spec))["id"]
    p9_to_vote(w, review, spec, mode="correspondence")
    data = w.instance(review)["data"]
    assert "m5" not in data["voters"] and data["voting_member_count"] == 7
    inbox = w.as_("m5").get("/tasks", query_string={"instance_id": review}).get_json()["items"]
    assert [t for t in inbox if t["element_id"] == "p9_task_vote"] == []
    task = w.tasks(review, "p9_task_vote")[0]
    assert w.as_("m5").post(f"/tasks/{task['id']}/claim").status_code in (403, 404)
