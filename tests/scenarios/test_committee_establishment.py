"""P1 establishment over HTTP as the proposer, the authority and the public: the main path, every return and
refusal, the composition rules (BR5/BR6) refusing and allowing, the public notice with objections, the
preparation-period timer, and the registry after each story."""
import pytest

from tests.scenarios.committee_support import (
    APPLICATION,
    AUTHORITY,
    PLAN,
    Walker,
    candidate,
    candidates,
    composition,
    deploy,
    seed_committee,
)


@pytest.fixture
def walker(engine, login):
    deploy(engine)
    return Walker(engine, login)


@pytest.fixture
def public(app):
    client = app.test_client()
    return lambda path, **kw: client.get(f"/api/v1{path}", **kw)


@pytest.fixture
def people(login):
    return login("prop40", "secretariat:committee/MTC40"), login("samr", AUTHORITY)


def start(proposer, code="MTC40"):
    response = proposer.post("/instances", json={"process_key": "committee_establishment",
                                                 "scope": {"committee": code, "level": "national"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def data(caller, iid):
    return caller.get(f"/instances/{iid}").get_json()["data"]


def failed_checks(caller, iid):
    return sorted({c["check"] for c in data(caller, iid)["composition_report"]["checks"] if not c["passed"]})


def test_main_path_establishes_an_active_committee(walker, people, clock, public, app):
    proposer, authority = people
    iid = start(proposer)
    walker.do(proposer, iid, "task_apply", {**APPLICATION, "committee_name": "全国长度计量技术委员会"})
    [plan] = public("/notices", query_string={"ref": "MTC40"}).get_json()["items"]  # P1.2: the plan is public
    assert (plan["kind"], plan["status"]) == ("establishment", "open")
    assert plan["subject"] == "全国长度计量技术委员会筹建方案公示"
    objection = app.test_client().post(f"/api/v1/notices/{plan['id']}/comments", json={
        "author": "李四", "unit": "某计量院", "kind": "objection", "text": "与 MTC12 的长度业务有交叉"})
    assert objection.status_code == 201, objection.get_json()
    walker.advance(clock, days=29)
    assert walker.open_elements(authority, iid) == []  # the plan's window is still open
    walker.advance(clock, days=1, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_review_application"]
    seen = data(authority, iid)  # BR12: the objection reaches the deciding authority
    assert seen["plan_notice_objection_count"] == 1
    assert seen["plan_notice_comments"][0]["text"] == "与 MTC12 的长度业务有交叉"
    assert public(f"/notices/{plan['id']}").get_json()["status"] == "closed"
    shown = public("/committees/MTC40").get_json()  # not registered yet: the registry page shows the plan's notice
    assert shown["announced"] is True and shown["member_count"] == 0
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    preparing = public("/committees/MTC40").get_json()
    assert (preparing["status"], preparing["term"]["number"], preparing["member_count"]) == ("preparing", 0, 0)
    assert preparing["application"]["secretariat_host"] == "中国计量科学研究院"  # the plan is public (BR12)
    assert preparing["authority"] == "国家市场监督管理总局" and preparing["accepts_projects"] is False

    pool = candidates()
    walker.do(proposer, iid, "task_recruit", {"call_summary": "在官网公开征集委员", "candidates": pool})
    assert data(proposer, iid)["eligible_count"] == 25
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(pool)})
    assert data(proposer, iid)["composition_report"]["passed"] is True
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    [notice] = public("/notices", query_string={"ref": "MTC40", "kind": "composition"}).get_json()["items"]
    assert notice["status"] == "open" and notice["id"] != plan["id"]
    assert notice["subject"] == "全国长度计量技术委员会组建方案公示"
    walker.advance(clock, days=29)
    assert walker.open_elements(authority, iid) == []  # the window is still open
    walker.advance(clock, days=1, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_approve"]
    assert public(f"/notices/{notice['id']}").get_json()["status"] == "closed"
    after = data(authority, iid)  # the call activity's notice never mixes with the plan's
    assert after["notice_id"] == notice["id"] and after["notice_objection_count"] == 0
    assert after["plan_notice_id"] == plan["id"] and after["plan_notice_objection_count"] == 1
    walker.do(authority, iid, "task_approve", {"establishment_decision": "approve",
                                               "approval_document": "市监计量函〔2026〕40号"})

    instance = authority.get(f"/instances/{iid}").get_json()
    assert instance["state"] == "completed" and instance["data"]["term_end"] == "2031-04-30"
    committee = public("/committees/MTC40").get_json()
    assert committee["status"] == "active" and committee["name"] == "全国长度计量技术委员会"
    assert committee["term"] == {"number": 1, "start": "2026-05-01", "end": "2031-04-30", "expired": False}
    assert committee["approval_document"] == "市监计量函〔2026〕40号" and committee["member_count"] == 25
    roles = sorted(m["role"] for m in committee["members"])
    assert roles.count("chair") == 1 and roles.count("vice_chair") == 2 and roles.count("secretary_general") == 1
    assert {m["name"] for m in committee["members"] if m["role"] == "chair"} == {"委员00"}
    assert committee["accepts_projects"] is True and committee["accepts_reviews"] is True
    assert "username" not in committee["members"][0] and "retirement_date" not in committee["members"][0]
    listed = public("/committees", query_string={"status": "active"}).get_json()
    assert [c["code"] for c in listed["items"]] == ["MTC40"] and listed["total"] == 1
    history = authority.get(f"/instances/{iid}/history", query_string={"per_page": 200}).get_json()
    types = [e["type"] for e in history["items"]]
    assert {"committee_registered", "composition_checked", "committee_established",
            "committee_status_changed"} <= set(types)


def test_application_returned_then_rejected(walker, clock, people, public):
    proposer, authority = people
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "return"}, status=422)
    walker.do(authority, iid, "task_review_application", {"application_decision": "return",
                                                          "application_comment": "补充与现有委员会的交叉分析"})
    assert walker.open_elements(proposer, iid) == ["task_apply"]
    walker.apply(clock, proposer, iid, {**APPLICATION, "overlap_analysis": "与 MTC12 的分工已协调"})
    walker.do(authority, iid, "task_review_application", {"application_decision": "reject",
                                                          "application_comment": "领域已有委员会归口"})
    instance = authority.get(f"/instances/{iid}").get_json()
    assert instance["state"] == "completed" and instance["data"]["overlap_analysis"] == "与 MTC12 的分工已协调"
    assert public("/committees/MTC40").status_code == 404
    noticed = public("/notices", query_string={"ref": "MTC40", "kind": "establishment"}).get_json()["items"]
    assert [n["status"] for n in noticed] == ["closed", "closed"]  # the revised plan was noticed again


def test_only_the_authority_of_the_level_reviews(walker, clock, people, login):
    proposer, _ = people
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    provincial = login("js", "authority:level/provincial/江苏")
    task = walker.task(login("auditor1", "auditor"), iid, "task_review_application")
    refused = provincial.post(f"/tasks/{task['id']}/claim")
    assert refused.status_code in (403, 404)
    walker.fresh(proposer)  # the plan's 30-day notice outlived the token
    assert proposer.post(f"/tasks/{task['id']}/claim").get_json()["rule"] == "lane-role"


def test_eligibility_br6_refuses_and_allows(walker, clock, people):
    proposer, authority = people
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    pool = candidates()
    pool[5] = candidate(5, experience_years=3)
    pool[6] = candidate(6, title_level="中级")
    pool[7] = candidate(7, retirement_date="2030-12-31")  # retires within the term to 2031
    pool[8] = candidate(8, title_level="中级", title_exception="青年骨干，主持国家重点研发项目")
    walker.do(proposer, iid, "task_recruit", {"call_summary": "第一次征集", "candidates": pool})
    report = data(proposer, iid)["eligibility_report"]
    refused = {c["name"]: c["reasons"] for c in report["candidates"] if not c["eligible"]}
    assert sorted(refused) == ["委员05", "委员06", "委员07"]
    assert "3 年" in refused["委员05"][0] and "中级" in refused["委员06"][0] and "2030-12-31" in refused["委员07"][0]
    assert walker.open_elements(proposer, iid) == ["task_recruit"]  # 22 eligible < 25: the call goes on

    more = pool + [candidate(i, unit=f"补充单位{i}") for i in range(25, 28)]
    walker.do(proposer, iid, "task_recruit", {"call_summary": "补充征集", "candidates": more})
    assert data(proposer, iid)["eligible_count"] == 25
    assert walker.open_elements(proposer, iid) == ["task_plan"]
    eligible = [c for c in more if c["name"] not in refused]
    with_ineligible = composition(eligible[:24] + [more[5]])
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": with_ineligible})
    assert failed_checks(proposer, iid) == ["eligibility"]
    as_corresponding = composition(eligible) + [{"name": "委员05", "role": "corresponding_member"}]
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": as_corresponding})
    assert walker.open_elements(authority, iid) == ["task_review"]  # non-voting places need no BR6


def test_composition_br5_refuses_each_rule_and_allows(walker, clock, people, engine):
    proposer, authority = people
    busy = {"name": "委员05", "unit": "单位5", "username": "zhang5"}
    for code in ("MTC01", "MTC02", "MTC03"):
        seed_committee(engine, code, members=[busy])
    seed_committee(engine, "MTC04", status="revoked", members=[busy])  # a revoked committee does not count
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    pool = candidates(30) + [candidate(j, name=f"企业委员{j}", unit=f"企业{j}", stakeholder_category="enterprise")
                             for j in range(30, 43)]
    pool[5] = candidate(5, username="zhang5")
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": pool})
    base = [c for c in pool[:30] if c["name"] != "委员05"]

    def plan(entries):
        walker.do(proposer, iid, "task_plan", {**PLAN, "composition": entries})
        return failed_checks(proposer, iid)

    def names(*indexes):
        return [pool[i] for i in indexes]

    assert plan(composition(base[:24])) == ["size"]
    assert plan(composition(base[:26])) == ["size"]  # even
    six = composition(base[:25], vice_chairs=6)
    assert plan(six) == ["vice_chairs"]
    same_unit = composition(names(0, 9) + [c for c in base[:25] if c["name"] not in ("委员00", "委员09")][:23])
    assert plan(same_unit) == ["leadership_units"]  # chair 委员00 and vice-chair 委员09 are both 单位0
    sg_with_chair = composition(names(0, 1, 2, 9) + [c for c in base if c["name"] not in
                                                     {"委员00", "委员01", "委员02", "委员09"}][:21])
    assert plan(sg_with_chair) == ["secretary_general_unit"]
    taken = {"委员00", "委员09", "委员18", "委员27", "委员01", "委员02", "委员03", "委员04"}
    four_from_unit0 = composition(names(1, 2, 3, 4, 0, 9, 18, 27) + [c for c in base if c["name"] not in taken][:17])
    assert plan(four_from_unit0) == ["unit_cap"]
    enterprise = pool[30:43]
    others = [c for c in base if c["stakeholder_category"] != "enterprise"][:12]
    assert plan(composition(others[:4] + enterprise + others[4:])) == ["stakeholder_share"]
    with_busy = composition(base[:24] + [pool[5]])
    assert plan(with_busy) == ["committees_per_person"]  # 委员05 sits on three working committees already
    two_chairs = composition(base[:25])
    two_chairs[12]["role"] = "chair"  # 委员13 of 单位4: only the count is wrong
    assert plan(two_chairs) == ["chair"]
    no_sg = composition(base[:25])
    no_sg[3]["role"] = "member"
    assert plan(no_sg) == ["secretary_general"]
    unknown = composition(base[:25]) + [{"name": "未报名者", "role": "member"}]
    assert plan(unknown) == ["candidate"]
    report = data(proposer, iid)["composition_report"]
    assert report["passed"] is False and "未报名者不在本次征集的候选人中" in report["violations"]
    assert walker.open_elements(proposer, iid) == ["task_plan"]

    assert plan(composition(base[:25])) == []
    assert walker.open_elements(authority, iid) == ["task_review"]


def test_emerging_field_needs_an_enterprise_share(walker, clock, people):
    proposer, authority = people
    iid = start(proposer)
    walker.apply(clock, proposer, iid, {**APPLICATION, "emerging_field": True})
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    pool = candidates(25) + [candidate(j, name=f"企业委员{j}", unit=f"企业{j}", stakeholder_category="enterprise")
                             for j in range(30, 34)]
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": pool})
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(pool[:25])})
    assert failed_checks(proposer, iid) == ["enterprise_share"]  # 5 of 25 from enterprises; 1/3 needed
    enterprises = [c for c in pool if c["stakeholder_category"] == "enterprise"]
    rest = [c for c in pool if c["stakeholder_category"] != "enterprise"][:25 - len(enterprises)]
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(rest[:4] + enterprises + rest[4:])})
    assert data(proposer, iid)["composition_report"]["passed"] is True  # 9 of 25
    assert walker.open_elements(authority, iid) == ["task_review"]


def test_review_return_and_public_objections_send_the_plan_back(walker, people, clock, app, public):
    proposer, authority = people
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    pool = candidates(27)
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": pool})
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(pool[:25])})
    walker.do(authority, iid, "task_review", {"composition_decision": "return",
                                              "composition_comment": "增加用户方委员"})
    assert walker.open_elements(proposer, iid) == ["task_plan"]
    assert data(proposer, iid)["composition_comment"] == "增加用户方委员"
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(pool[:25])})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})

    notice_id = data(authority, iid)["notice_id"]
    client = app.test_client()
    objection = client.post(f"/api/v1/notices/{notice_id}/comments", json={
        "author": "李四", "unit": "某计量院", "kind": "objection", "text": "委员03 已在三个委员会任职"})
    assert objection.status_code == 201, objection.get_json()
    walker.advance(clock, days=30, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_objections"]  # the authority decides, not the count
    walker.do(authority, iid, "task_objections", {"objection_decision": "uphold",
                                                  "objection_reason": "经核实，委员03 已任三个委员会委员"})
    assert walker.open_elements(proposer, iid) == ["task_plan"]  # upheld: back to step 4 (domain P1.5)
    seen = data(proposer, iid)
    assert seen["notice_objection_count"] == 1 and seen["notice_comments"][0]["text"] == "委员03 已在三个委员会任职"
    late = client.post(f"/api/v1/notices/{notice_id}/comments", json={"author": "王五", "text": "补充意见"})
    assert late.status_code == 409

    replaced = composition(pool[:3] + pool[4:26])
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": replaced, "plan_note": "委员03 不再列入"})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    second = data(authority, iid)["notice_id"]
    assert second != notice_id
    comment = client.post(f"/api/v1/notices/{second}/comments", json={"author": "赵六", "text": "支持组建"})
    assert comment.status_code == 201
    walker.advance(clock, days=30, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_approve"]  # a comment is not an objection
    assert data(authority, iid)["notice_comment_count"] == 1
    notices = public("/notices", query_string={"ref": "MTC40", "kind": "composition"}).get_json()
    assert sorted((n["objection_count"], n["status"]) for n in notices["items"]) == [(0, "closed"), (1, "closed")]


def test_establishment_returned_then_refused(walker, people, clock, public):
    proposer, authority = people
    iid = establish_until_approval(walker, clock, proposer, authority)
    walker.do(authority, iid, "task_approve", {"establishment_decision": "approve"}, status=422)  # no document
    walker.do(authority, iid, "task_approve", {"establishment_decision": "return", "establishment_comment": "重新征集"})
    assert walker.open_elements(proposer, iid) == ["task_recruit"]
    pool = candidates()
    walker.do(proposer, iid, "task_recruit", {"call_summary": "重新征集", "candidates": pool})
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(pool)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    walker.do(authority, iid, "task_approve", {"establishment_decision": "reject"}, status=422)  # no reason
    walker.do(authority, iid, "task_approve", {"establishment_decision": "reject",
                                               "establishment_comment": "秘书处保障条件不落实"})
    committee = public("/committees/MTC40").get_json()
    assert (committee["status"], committee["status_reason"]) == ("revoked", "秘书处保障条件不落实")
    assert committee["members"] == [] and committee["term"]["number"] == 0


def establish_until_approval(walker, clock, proposer, authority):
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    pool = candidates()
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": pool})
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(pool)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    return iid


def test_preparation_period_runs_out(walker, people, clock):
    proposer, authority = people
    iid = start(proposer)
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    walker.advance(clock, days=364)
    walker.fresh(authority)
    assert authority.get("/notifications").get_json()["total"] == 0
    walker.advance(clock, days=1, seconds=1)
    walker.fresh(authority, proposer)
    [warning] = authority.get("/notifications").get_json()["items"]
    assert (warning["kind"], warning["message"]) == ("overdue", "筹建期限已满，委员会尚未组建完成")
    assert walker.open_elements(proposer, iid) == ["task_recruit"]  # the work goes on


def test_code_in_use_is_refused(walker, clock, engine, login, public):
    seed_committee(engine, "MTC41", name="全国温度计量技术委员会")
    proposer, authority = login("prop41", "secretariat:committee/MTC41"), login("samr", AUTHORITY)
    iid = start(proposer, "MTC41")
    walker.apply(clock, proposer, iid, APPLICATION)
    refused = walker.do(authority, iid, "task_review_application", {"application_decision": "approve"}, status=409)
    assert "MTC41" in refused.get_json()["detail"] and "全国温度计量技术委员会" in refused.get_json()["detail"]
    walker.do(authority, iid, "task_review_application", {"application_decision": "reject",
                                                          "application_comment": "代号已被使用"})
    assert public("/committees/MTC41").get_json()["status"] == "active"


def test_subcommittee_names_its_committee(walker, clock, engine, login, public):
    seed_committee(engine, "MTC40")
    proposer, authority = login("prop40sc", "secretariat:committee/MTC40/SC1"), login("samr", AUTHORITY)
    iid = start(proposer, "MTC40/SC1")
    walker.apply(clock, proposer, iid, APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"}, status=422)
    walker.do(authority, iid, "task_review_application", {"application_decision": "return",
                                                          "application_comment": "请注明所属技术委员会"})
    walker.apply(clock, proposer, iid, {**APPLICATION, "parent_code": "MTC40"})
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    assert public("/committees/MTC40/SC1").get_json()["parent_code"] == "MTC40"
    assert public("/committees/MTC40").get_json()["subcommittees"] == ["MTC40/SC1"]


def test_provincial_plan_is_noticed_for_working_days(walker, clock, login, public):
    """The provincial profile counts the plan's window in working days (15), so it outlasts 15 calendar days;
    the provincial authority of the jurisdiction decides after it."""
    from datetime import datetime

    proposer = login("js31", "secretariat:committee/MTC31")
    authority = login("js", "authority:level/provincial/江苏")
    started = proposer.post("/instances", json={"process_key": "committee_establishment", "scope": {
        "committee": "MTC31", "level": "provincial", "jurisdiction": "江苏"}})
    assert started.status_code == 201, started.get_json()
    iid = started.get_json()["id"]
    walker.do(proposer, iid, "task_apply", {**APPLICATION, "approval_level": "provincial", "jurisdiction": "江苏",
                                            "committee_name": "江苏省长度计量技术委员会"})
    [plan] = public("/notices", query_string={"ref": "MTC31"}).get_json()["items"]
    assert (plan["kind"], plan["level"], plan["jurisdiction"]) == ("establishment", "provincial", "江苏")
    assert plan["window"] == "establishment_notice_window"
    span = datetime.fromisoformat(plan["closes_at"]) - datetime.fromisoformat(plan["opens_at"])
    assert span.days >= 20  # 15 working days: three weeks at least
    walker.advance(clock, days=15, seconds=1)
    assert walker.open_elements(authority, iid) == []  # 15 calendar days are not 15 working days
    clock.set(datetime.fromisoformat(plan["closes_at"]))
    walker.advance(clock, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_review_application"]
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    preparing = public("/committees/MTC31").get_json()
    assert (preparing["status"], preparing["level"], preparing["authority"]) == ("preparing", "provincial",
                                                                                 "江苏市场监督管理局")
