"""P6 project approval (立项) over HTTP: the main path, every return and reject path, the notice window, the
rules that refuse a proposal (BR9, BR13), and the registry after each story."""
from datetime import date

import pytest

from tests.scenarios.spec_stories import p6_to_decision
from tests.scenarios.spec_support import CODE, PROPOSAL, SCOPE, World, deploy, seed_committee, seed_spec, set_committee

PROBLEM = "application/problem+json"


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p6_project_approval.bpmn")
    seed_committee(engine)
    return World(engine, app.test_client(), clock)


def actions(spec: dict) -> list[str]:
    return [c["action"] for c in spec["changes"]]


def test_main_path_includes_the_project_in_the_plan(w, clock):
    iid = w.start("sec", "project_approval")["id"]
    notice_id = p6_to_decision(w, iid, comments=2)
    decide = w.instance(iid)["data"]
    assert decide["notice_comment_count"] == 2 and len(decide["notice_comments"]) == 2  # BR12: they reach the decision
    w.do("authority", iid, "p6_task_decide", {"plan_decision": "include", "plan_opinion": "列入计划",
                                              "plan_year": 2026})
    instance = w.instance(iid)
    assert instance["state"] == "completed"
    assert instance["data"]["project_outcome"] == "included"
    spec_id = instance["scope"]["specification"]
    assert spec_id == "JJF-2026-001"
    spec = w.spec(spec_id)
    assert spec["stage"] == "planned" and spec["committee"] == CODE and spec["level"] == "national"
    assert spec["type"] == "JJF" and spec["title"] == PROPOSAL["title"] and spec["kind"] == "new"
    assert spec["livelihood"] is True and spec["drafters"] == ["drafter"] and spec["drafting_units"] == ["起草单位"]
    assert spec["drafting_due"].startswith("2028-04-0")  # two years (drafting_deadline) from the decision
    assert spec["plan_decision"]["decision"] == "include" and spec["plan_decision"]["notice_id"] == notice_id
    assert spec["plan_decision"]["notice_comment_count"] == 2
    assert actions(spec) == ["proposed", "committee_evaluated", "project_notice", "included_in_plan"]
    # the 立项公示 was a public notice of kind "project" about this specification
    notice = w.client.get(f"/api/v1/notices/{notice_id}").get_json()
    assert notice["kind"] == "project" and notice["specification"] == spec_id and notice["status"] == "closed"


def test_committee_returns_then_rejects(w):
    iid = w.start("sec", "project_approval")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    spec_id = w.instance(iid)["data"]["spec_id"]
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "return", "evaluation_opinion": "补充必要性论证"})
    assert w.open_elements(iid) == ["p6_task_proposal"]
    assert w.spec(spec_id)["stage"] == "proposed"
    w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "necessity": "补充后的必要性论证"})
    assert w.instance(iid)["data"]["spec_id"] == spec_id  # the same project, adjusted
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "reject", "evaluation_opinion": "与现有规范重复"})
    assert w.instance(iid)["state"] == "completed"
    spec = w.spec(spec_id)
    assert spec["stage"] == "rejected" and spec["proposal"]["necessity"] == "补充后的必要性论证"
    assert actions(spec) == ["proposed", "proposal_returned", "proposal_resubmitted", "rejected_by_committee"]


def test_authority_returns_before_the_notice(w):
    iid = w.start("sec", "project_approval")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "可行"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "报送"})
    w.do("authority", iid, "p6_task_publish", {"publish_decision": "return", "publish_opinion": "经费来源不明"})
    assert w.open_elements(iid) == ["p6_task_proposal"]
    spec = w.spec(w.instance(iid)["data"]["spec_id"])
    assert spec["stage"] == "proposed" and spec["changes"][-1]["data"]["opinion"] == "经费来源不明"


def test_authority_rejects_after_the_notice(w):
    iid = w.start("sec", "project_approval")["id"]
    p6_to_decision(w, iid, comments=1)
    w.do("authority", iid, "p6_task_decide", {"plan_decision": "reject", "plan_opinion": "公示意见认为无必要"})
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["project_outcome"] == "rejected"
    spec = w.spec(instance["data"]["spec_id"])
    assert spec["stage"] == "rejected" and spec["plan_decision"]["decision"] == "reject"


def test_adjust_goes_round_again_with_a_new_notice(w):
    iid = w.start("sec", "project_approval")["id"]
    first = p6_to_decision(w, iid)
    w.do("authority", iid, "p6_task_decide", {"plan_decision": "adjust", "plan_opinion": "调整起草单位后重报"})
    assert w.open_elements(iid) == ["p6_task_proposal"]
    second = p6_to_decision(w, iid, {**PROPOSAL, "drafting_units": ["起草单位", "第二起草单位"]})
    assert second != first
    w.do("authority", iid, "p6_task_decide", {"plan_decision": "include", "plan_opinion": "同意"})
    spec = w.spec(w.instance(iid)["data"]["spec_id"])
    assert spec["stage"] == "planned" and spec["drafting_units"] == ["起草单位", "第二起草单位"]
    assert spec["id"] == "JJF-2026-001"  # one project throughout


def test_the_decision_waits_for_the_notice_window(w, clock):
    iid = w.start("sec", "project_approval")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "可行"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "报送"})
    w.do("authority", iid, "p6_task_publish", {"publish_decision": "publish"})
    instance = w.instance(iid)
    assert instance["tasks"] == [] and [t["element_id"] for t in instance["timers"]] == ["p6_timer_notice"]
    due = instance["timers"][0]["due_at"]
    assert due.startswith("2026-04-01")  # project_notice_window: 30 calendar days
    assert w.spec(instance["data"]["spec_id"])["stage"] == "project_notice"
    w.advance(days=29)
    assert w.open_elements(iid) == []
    w.advance(days=1, seconds=1)
    assert w.open_elements(iid) == ["p6_task_decide"]
    late = w.client.post(f"/api/v1/notices/{instance['data']['notice_id']}/comments",
                         json={"author": "迟到者", "text": "窗口已关闭后的意见"})
    assert late.status_code == 409


def test_br9_refuses_a_committee_in_rectification_and_allows_it_after(w, engine):
    set_committee(engine, status="rectification")
    iid = w.start("sec", "project_approval")["id"]
    refused = w.do("sec", iid, "p6_task_proposal", PROPOSAL, status=403)
    assert refused.mimetype == PROBLEM and refused.get_json()["rule"] == "BR9"
    assert "整改" in refused.get_json()["detail"]
    assert w.open_elements(iid) == ["p6_task_proposal"]  # nothing happened, nothing registered
    assert w.as_("auditor").get("/specifications").get_json()["total"] == 0
    set_committee(engine, status="active")  # reassessment passed
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    assert w.open_elements(iid) == ["p6_task_evaluate"]


def test_br9_refuses_a_suspended_committee(w, engine):
    set_committee(engine, status="suspended")
    iid = w.start("sec", "project_approval")["id"]
    assert w.do("sec", iid, "p6_task_proposal", PROPOSAL, status=403).get_json()["rule"] == "BR9"


def test_br13_refuses_a_committee_whose_term_expired(w, engine, clock):
    set_committee(engine, term_end=date(2026, 3, 1))
    iid = w.start("sec", "project_approval")["id"]
    refused = w.do("sec", iid, "p6_task_proposal", PROPOSAL, status=403)
    assert refused.get_json()["rule"] == "BR13"
    set_committee(engine, term_end=date(2031, 3, 1))  # renewed
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)


def test_a_revision_names_a_published_specification(w, engine):
    iid = w.start("sec", "project_approval")["id"]
    bad = w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "project_kind": "revision", "replaces": "JJF 9999—2001"},
               status=422)
    assert bad.get_json()["errors"][0]["field"] == "replaces"
    missing = w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "project_kind": "revision"}, status=422)
    assert "replaces" in str(missing.get_json()["errors"])
    seed_spec(engine, "JJF-2011-007", stage="published", number="JJF 1007—2011", effective_date=date(2011, 9, 1))
    w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "project_kind": "revision", "replaces": "JJF 1007—2011"})
    spec = w.spec(w.instance(iid)["data"]["spec_id"])
    assert spec["kind"] == "revision" and spec["replaces"] == "JJF-2011-007"


def test_drafters_are_user_accounts(w):
    iid = w.start("sec", "project_approval")["id"]
    bad = w.do("sec", iid, "p6_task_proposal", {**PROPOSAL, "drafters": ["nobody"]}, status=422)
    assert bad.get_json()["errors"][0]["field"] == "drafters"


def test_only_the_committees_own_secretariat_proposes(w):
    other = {**SCOPE, "committee": "MTC13"}
    assert w.start("sec", "project_approval", scope=other, status=403)["rule"] == "scope"
    assert w.start("m1", "project_approval", status=403)["rule"] == "lane-role"


def test_the_public_sees_a_project_from_its_notice_on(w):
    iid = w.start("sec", "project_approval")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    spec_id = w.instance(iid)["data"]["spec_id"]
    public = w.client.get("/api/v1/specifications").get_json()
    assert public["total"] == 0  # a proposal is not public yet (BR12)
    assert w.client.get(f"/api/v1/specifications/{spec_id}").status_code == 404
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "可行"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "报送"})
    w.do("authority", iid, "p6_task_publish", {"publish_decision": "publish"})
    seen = w.client.get(f"/api/v1/specifications/{spec_id}").get_json()
    assert seen["stage"] == "project_notice" and seen["full"] is False and "drafters" not in seen
    assert seen["changes"] == []
    inside = w.spec(spec_id, "sec")
    assert inside["full"] is True and inside["drafters"] == ["drafter"]
    assert w.spec(spec_id, "corr")["full"] is True  # any role of the committee covers it


def test_br11_only_the_authority_of_the_projects_level_decides(w):
    w.grant("m5", "authority:level/provincial/江苏")
    iid = w.start("sec", "project_approval")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "可行"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "报送"})
    task = w.task(iid, "p6_task_publish")
    refused = w.as_("m5").post(f"/tasks/{task['id']}/claim")
    assert refused.status_code == 403 and refused.get_json()["rule"] == "BR11"
    w.do("authority", iid, "p6_task_publish", {"publish_decision": "publish"})


def test_scope_follows_the_spec_id_set_inside_the_called_p6(w, engine):
    """A project instance (P6–P10 as called processes) takes the specification scope as soon as P6 sets
    ``spec_id``, not when P6 ends: the specification's task filter and spec-scoped grants reach every P6 task."""
    deploy(engine)
    iid = w.start("sec", "spec_project")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    instance = w.instance(iid)
    spec_id = instance["data"]["spec_id"]
    assert instance["scope"]["specification"] == spec_id
    listed = w.as_("auditor").get("/tasks", query_string={"specification": spec_id}).get_json()["items"]
    assert [t["element_id"] for t in listed] == ["p6_task_evaluate"]
    w.grant("drafter", f"drafter:spec/{spec_id}")  # a spec-scoped grant sees the instance and its P6 tasks
    assert w.as_("drafter").get(f"/instances/{iid}").status_code == 200
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "可行"})
    listed = w.as_("auditor").get("/tasks", query_string={"specification": spec_id}).get_json()["items"]
    assert [t["element_id"] for t in listed] == ["p6_task_forward"]
