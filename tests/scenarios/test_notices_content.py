"""BR15 over HTTP, as the public sees it without login and with the clock advanced: each notice shows what the
public is asked to judge (the establishment plan, the proposed member list without private data, the project's
scope and necessity), and approval publishes an announcement (公告) with its number and the specifications it
covers, which takes no comments."""
import pytest

from tests.scenarios import committee_support as cs
from tests.scenarios.spec_stories import p6_to_decision, p10_approve
from tests.scenarios.spec_support import PROPOSAL, SCOPE, World, seed_spec, spec_scope
from tests.scenarios.spec_support import deploy as deploy_specs
from tests.scenarios.spec_support import seed_committee as seed_spec_committee

PLANNED = "委员 25 人：企业 8、用户 6、检测机构 5、科研院所 4、监管部门 2；主任委员拟由中国计量院推荐"
PASSED = {"review": {"quorum_met": True, "passed": True, "cast": 8, "yes": 8, "voting_members": 8},
          "review_passed": True, "minutes": "审定会议纪要"}


@pytest.fixture
def public(app):
    client = app.test_client()
    return lambda path, **query: client.get(f"/api/v1{path}", query_string=query).get_json()


@pytest.fixture
def walker(engine, login):
    cs.deploy(engine)
    return cs.Walker(engine, login)


def board(public, **query) -> list[dict]:
    return public("/notices", per_page=100, **query)["items"]


def start_p1(proposer) -> str:
    response = proposer.post("/instances", json={"process_key": "committee_establishment",
                                                 "scope": {"committee": "MTC40", "level": "national"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_the_establishment_plan_notice_shows_the_plan(walker, login, clock, public):
    proposer = login("prop40", "secretariat:committee/MTC40")
    iid = start_p1(proposer)
    walker.do(proposer, iid, "task_apply", {**cs.APPLICATION, "planned_composition": PLANNED})
    walker.advance(clock, days=10)  # inside the window: what the public reads
    [notice] = board(public, ref="MTC40", kind="establishment")
    assert notice["phase"] == "open"
    content = notice["content"]
    assert content["scope"] == cs.APPLICATION["committee_scope"]
    assert content["host_unit"] == "中国计量科学研究院" and content["secretariat"] == cs.APPLICATION["resources"]
    assert content["planned_composition"] == PLANNED and content["committee_code"] == "MTC40"
    assert "overlap_analysis" not in content  # only what the plan notice is for
    assert notice["content_labels"]["host_unit"] == "秘书处承担单位"
    assert public(f"/notices/{notice['id']}")["content"] == content


def test_the_composition_notice_lists_the_members_without_private_data(walker, login, clock, public):
    proposer, authority = login("prop40", "secretariat:committee/MTC40"), login("samr", cs.AUTHORITY)
    iid = start_p1(proposer)
    walker.apply(clock, proposer, iid, cs.APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    people = cs.candidates(username="prop40")  # an account link is private: never on the board
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": people})
    walker.do(proposer, iid, "task_plan", {**cs.PLAN, "composition": cs.composition(people)})
    assert board(public, ref="MTC40", kind="composition") == []  # not before the authority approves the plan
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=29)
    [notice] = board(public, ref="MTC40", kind="composition")
    members = notice["content"]["members"]
    assert notice["phase"] == "open" and notice["content"]["member_count"] == len(members) == 25
    assert members[0] == {"name": "委员00", "unit": "单位0", "title": "高级工程师", "role": "chair",
                          "stakeholder_category": "enterprise"}
    assert all(set(m) <= {"name", "unit", "title", "role", "stakeholder_category"} for m in members)
    assert "prop40" not in str(notice) and "2045-06-30" not in str(notice)  # no account, no private dates


def test_the_project_notice_shows_scope_necessity_and_drafting_units(engine, app, clock, public):
    deploy_specs(engine, "p6_project_approval.bpmn")
    seed_spec_committee(engine)
    w = World(engine, app.test_client(), clock)
    iid = w.start("sec", "project_approval", scope=SCOPE)["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "必要"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "建议立项"})
    assert board(public, kind="project") == []  # not public before the authority publishes it
    w.do("authority", iid, "p6_task_publish", {"publish_decision": "publish"})
    [notice] = board(public, kind="project")
    content = notice["content"]
    assert content["application_scope"] == PROPOSAL["application_scope"]
    assert content["necessity"] == PROPOSAL["necessity"] and content["drafting_units"] == ["起草单位"]
    assert (content["title"], content["type"], content["project_kind"]) == ("电子天平校准规范", "JJF", "制定")
    assert "funding" not in content and "drafters" not in content  # the budget and accounts are not published


@pytest.fixture
def p10(engine, app, clock):
    deploy_specs(engine, "p10_approval_submission.bpmn", "p6_project_approval.bpmn")
    seed_spec_committee(engine)
    return World(engine, app.test_client(), clock)


def approve(w, spec_id: str, publication_date: str, **fields) -> None:
    seed_spec(w.engine, spec_id, stage="review", **{**PASSED, **fields})
    w.grant("drafter", f"drafter:spec/{spec_id}")
    p10_approve(w, w.start("drafter", "approval_submission", scope=spec_scope(spec_id))["id"], publication_date)


def test_approval_publishes_an_announcement_with_its_number_and_specifications(p10, public):
    seed_spec(p10.engine, "JJG-1990-041", stage="published", type="JJG", number="JJG 41—1990")
    approve(p10, "JJF-2026-101", "2026-03-02", kind="revision", replaces="JJG-1990-041")
    approve(p10, "JJF-2026-102", "2026-03-02", title="数字多用表校准规范")
    announcements = board(public, kind="approval")
    assert [a["content"]["announcement_number"] for a in announcements] == ["2026年第2号", "2026年第1号"]
    first = announcements[1]
    assert first["phase"] == "announced" and first["kind_title"] == "批准发布公告"
    assert first["content"]["issuer"] == "国家市场监督管理总局"
    assert first["content"]["specifications"] == [{
        "number": "JJF 1001—2026", "title": "数字压力计校准规范", "type": "JJF", "replaces_number": "JJG 41—1990",
        "publication_date": "2026-03-02", "effective_date": "2026-06-02"}]
    assert "JJF 1001—2026" in first["subject"]
    changes = p10.spec("JJF-2026-101")["changes"]
    assert changes[-1]["data"]["announcement_number"] == "2026年第1号"
    # an announcement informs of a decision: it takes no comments, now or later
    refused = p10.client.post(f"/api/v1/notices/{first['id']}/comments", json={"author": "公众", "text": "意见"})
    assert refused.status_code == 409 and refused.get_json()["notice_phase"] == "announced"


def test_a_confidential_specification_gets_no_public_announcement(p10, public):
    approve(p10, "JJF-2026-103", "2026-03-02", confidential=True)
    assert p10.spec("JJF-2026-103")["number"] == "JJF 1001—2026"
    assert board(public, kind="approval") == []


def test_the_announcement_stays_on_the_board_after_the_project_ended(p10, public, clock):
    approve(p10, "JJF-2026-104", "2026-03-02")
    p10.advance(days=60)
    [announcement] = board(public, kind="approval")
    assert announcement["specification"] == "JJF-2026-104"


def test_the_project_notice_lists_the_number_a_revision_replaces(p10, public):
    seed_spec(p10.engine, "JJF-2011-007", stage="published", number="JJF 1007—2011")
    iid = p10.start("sec", "project_approval", scope=SCOPE)["id"]
    p6_to_decision(p10, iid, {**PROPOSAL, "project_kind": "revision", "replaces": "JJF 1007—2011"})
    [notice] = board(public, kind="project")
    assert notice["content"]["replaces"] == "JJF 1007—2011" and notice["content"]["project_kind"] == "修订"


def to_composition_notice(walker, clock, proposer, authority) -> tuple[str, int]:
    iid = start_p1(proposer)
    walker.apply(clock, proposer, iid, cs.APPLICATION)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    people = cs.candidates()
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": people})
    walker.do(proposer, iid, "task_plan", {**cs.PLAN, "composition": cs.composition(people)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    return iid, proposer.get(f"/instances/{iid}").get_json()["data"]["notice_id"]


def test_an_objection_reaches_the_authority_who_decides_with_a_reason(walker, login, clock, app):
    proposer, authority = login("prop40", "secretariat:committee/MTC40"), login("samr", cs.AUTHORITY)
    iid, notice_id = to_composition_notice(walker, clock, proposer, authority)
    anonymous = app.test_client().post(f"/api/v1/notices/{notice_id}/comments", json={
        "author": "匿名", "kind": "objection", "text": "委员名单不合理"})
    assert anonymous.status_code == 201
    walker.advance(clock, days=30, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_objections"]  # not back to the plan by itself
    seen = authority.get(f"/instances/{iid}").get_json()["data"]
    assert seen["notice_objection_count"] == 1 and seen["notice_comments"][0]["text"] == "委员名单不合理"
    task = walker.task(authority, iid, "task_objections")
    walker.fresh(proposer)
    assert proposer.post(f"/tasks/{task['id']}/claim").status_code in (403, 404)  # the secretariat cannot decide
    walker.do(authority, iid, "task_objections", {"objection_decision": "dismiss"}, status=422)  # no reason
    walker.do(authority, iid, "task_objections", {"objection_decision": "dismiss", "objection_reason": " "},
              status=422)
    walker.do(authority, iid, "task_objections", {"objection_decision": "dismiss",
                                                  "objection_reason": "未提供具体事实，经核查名单符合规定"})
    assert walker.open_elements(authority, iid) == ["task_approve"]  # dismissed: the composition goes on
    decided = authority.get(f"/instances/{iid}").get_json()["data"]
    assert decided["objection_reason"] == "未提供具体事实，经核查名单符合规定"


def test_a_notice_without_objections_needs_no_objection_decision(walker, login, clock, app):
    proposer, authority = login("prop40", "secretariat:committee/MTC40"), login("samr", cs.AUTHORITY)
    iid, notice_id = to_composition_notice(walker, clock, proposer, authority)
    comment = app.test_client().post(f"/api/v1/notices/{notice_id}/comments", json={"author": "甲", "text": "支持"})
    assert comment.status_code == 201
    walker.advance(clock, days=30, seconds=1)
    assert walker.open_elements(authority, iid) == ["task_approve"]
