"""Project plans (十一) over HTTP: a need from the public board screened by the secretariat, an annual plan
approved by the authority and published, adjustments approved or rejected and recorded, and P6 proposals inside
and outside the plan."""
import pytest

from api.security import ratelimit
from tests.scenarios.spec_support import CODE, PROPOSAL, World, deploy, seed_committee

API = "/api/v1"
NEED = {"title": "智能水表检定规程", "field": "流量", "reason": "智能水表大量安装，现行规程不适用。",
        "unit": "某市自来水公司", "contact": "010-12345678"}


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p13_plan_approval.bpmn", "p13b_plan_adjustment.bpmn", "p6_project_approval.bpmn")
    seed_committee(engine)
    return World(engine, app.test_client(), clock)


def open_call(w) -> int:
    response = w.as_("sec").post("/need-calls", json={"title": "2027 年度规范需求征集", "committee": CODE})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def accepted_need(w) -> int:
    call_id = open_call(w)
    need = w.client.post(f"{API}/need-calls/{call_id}/needs", json=NEED).get_json()
    assert w.as_("sec").post(f"/needs/{need['id']}/screen", json={"decision": "accept"}).status_code == 200
    return need["id"]


def draft_plan(w, need_id: int | None = None, **fields) -> dict:
    body = {"committee": CODE, "kind": "annual", "title": "MTC12 2027 年度项目计划", "start_year": 2027,
            "items": [{"title": "智能水表检定规程", "spec_type": "JJG", "field": "流量", "need_id": need_id},
                      {"title": "电子天平校准规范", "spec_type": "JJF"}], **fields}
    response = w.as_("sec").post("/plans", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def published_plan(w) -> dict:
    plan = draft_plan(w, accepted_need(w))
    iid = w.start("sec", "plan_approval")["id"]
    w.do("sec", iid, "p13_task_submit", {"plan_id": plan["id"]})
    w.do("authority", iid, "p13_task_review", {"plan_review_decision": "approve", "plan_review_opinion": "同意"})
    return w.client.get(f"{API}/plans/{plan['id']}").get_json()


def test_a_need_from_the_public_board_is_screened(w, app):
    call_id = open_call(w)
    assert w.client.get(f"{API}/need-calls", query_string={"status": "open"}).get_json()["items"][0]["id"] == call_id
    response = w.client.post(f"{API}/need-calls/{call_id}/needs", json=NEED)  # no login
    assert response.status_code == 201, response.get_json()
    need = response.get_json()
    assert need["status"] == "submitted" and "contact" not in need
    assert w.client.post(f"{API}/need-calls/{call_id}/needs", json={**NEED, "reason": ""}).status_code == 422
    registered = w.as_("m1").post(f"/need-calls/{call_id}/needs", json={**NEED, "title": "量块检定规程"}).get_json()
    # the contacts are the secretariat's and the authority's to read, not the public's nor a member's
    assert w.client.get(f"{API}/need-calls/{call_id}/needs").status_code == 401
    assert w.as_("m1").get(f"/need-calls/{call_id}/needs").status_code == 404
    staff = w.as_("sec").get(f"/need-calls/{call_id}/needs").get_json()["items"]
    assert [(n["contact"], n["submitted_by"]) for n in staff] == [(NEED["contact"], None), (NEED["contact"], "m1")]
    # screening: a member may not; a decline states its reason; a screened need stays screened
    assert w.as_("m1").post(f"/needs/{need['id']}/screen", json={"decision": "accept"}).get_json()["rule"] == "role"
    declined = w.as_("sec").post(f"/needs/{registered['id']}/screen", json={"decision": "decline"})
    assert declined.status_code == 422
    declined = w.as_("sec").post(f"/needs/{registered['id']}/screen",
                                 json={"decision": "decline", "reason": "现行 JJG 146 已覆盖"}).get_json()
    assert declined["status"] == "declined" and declined["screen_reason"] == "现行 JJG 146 已覆盖"
    accepted = w.as_("sec").post(f"/needs/{need['id']}/screen", json={"decision": "accept"}).get_json()
    assert accepted["status"] == "accepted" and accepted["screened_by"] == "sec"
    assert w.as_("sec").post(f"/needs/{need['id']}/screen", json={"decision": "decline", "reason": "x"}
                             ).status_code == 409
    # rate-limited like public comments; closed after the profile's need_call_window (30 days)
    app.config[ratelimit.COMMENT_LIMIT_KEY] = "1 per minute"
    assert w.client.post(f"{API}/need-calls/{call_id}/needs", json=NEED).status_code == 201
    assert w.client.post(f"{API}/need-calls/{call_id}/needs", json=NEED).status_code == 429
    app.config[ratelimit.COMMENT_LIMIT_KEY] = "1000 per minute"
    w.advance(days=31)
    assert w.client.post(f"{API}/need-calls/{call_id}/needs", json=NEED).status_code == 409


def test_an_annual_plan_is_returned_then_approved_and_published(w):
    need_id = accepted_need(w)
    assert w.as_("m1").post("/plans", json={"committee": CODE, "kind": "annual", "title": "x", "start_year": 2027,
                                            "items": []}).get_json()["rule"] == "role"
    assert w.as_("sec").post("/plans", json={"committee": CODE, "kind": "medium_long", "title": "两年计划",
                                             "start_year": 2026, "end_year": 2027, "items": []}).status_code == 422
    plan = draft_plan(w, need_id)
    assert plan["status"] == "draft" and plan["items"][0]["need_id"] == need_id
    assert w.client.get(f"{API}/plans/{plan['id']}").status_code == 404  # a draft is not public
    iid = w.start("sec", "plan_approval")["id"]
    w.do("sec", iid, "p13_task_submit", {"plan_id": plan["id"]})
    review = w.instance(iid)["data"]
    assert review["plan_items"][0] == "1. JJG《智能水表检定规程》（2027）"  # what the authority reviews
    assert w.do("sec", iid, "p13_task_review", {"plan_review_decision": "approve", "plan_review_opinion": "同意"},
                status=403).get_json()["rule"] == "lane-role"
    w.do("authority", iid, "p13_task_review", {"plan_review_decision": "return", "plan_review_opinion": "补充项目"})
    assert w.as_("sec").get(f"/plans/{plan['id']}").get_json()["status"] == "returned"
    revised = w.as_("sec").put(f"/plans/{plan['id']}", json={"items": [
        *[{k: i[k] for k in ("title", "spec_type", "field", "need_id")} for i in plan["items"]],
        {"title": "燃气表检定规程", "spec_type": "JJG"}]})
    assert revised.status_code == 200 and len(revised.get_json()["items"]) == 3
    w.do("sec", iid, "p13_task_submit", {"plan_id": plan["id"]})
    w.do("authority", iid, "p13_task_review", {"plan_review_decision": "approve", "plan_review_opinion": "同意发布"})
    assert w.instance(iid)["state"] == "completed"
    public = w.client.get(f"{API}/plans/{plan['id']}").get_json()  # on the public board, no login
    assert public["status"] == "published" and public["decision"]["by"] == "authority" and public["published_at"]
    assert [p["id"] for p in w.client.get(f"{API}/plans").get_json()["items"]] == [plan["id"]]
    assert w.as_("sec").put(f"/plans/{plan['id']}", json={"items": []}).status_code == 409  # adjust it instead
    medium = w.as_("sec").post("/plans", json={"committee": CODE, "kind": "medium_long", "title": "中长期计划",
                                               "start_year": 2026, "end_year": 2029, "items": []})
    assert medium.status_code == 201


def test_adjustments_are_approved_or_rejected_and_recorded(w):
    plan = published_plan(w)
    first, second = plan["items"][0]["id"], plan["items"][1]["id"]
    iid = w.start("sec", "plan_adjustment")["id"]
    w.do("sec", iid, "p13b_task_request", {"plan_id": plan["id"], "adjust_action": "drop", "item_id": first},
         status=422)  # a reason is required
    w.do("sec", iid, "p13b_task_request", {"plan_id": plan["id"], "adjust_action": "postpone", "item_id": first,
                                           "new_year": 2028, "adjust_reason": "试验数据需延长一年采集"})
    w.do("authority", iid, "p13b_task_decide", {"adjustment_decision": "approve", "adjustment_opinion": "同意推迟"})
    iid = w.start("sec", "plan_adjustment")["id"]
    w.do("sec", iid, "p13b_task_request", {"plan_id": plan["id"], "adjust_action": "drop", "item_id": second,
                                           "adjust_reason": "国际建议尚未发布"})
    w.do("authority", iid, "p13b_task_decide", {"adjustment_decision": "reject", "adjustment_opinion": "仍有需要"})
    iid = w.start("sec", "plan_adjustment")["id"]
    w.do("sec", iid, "p13b_task_request", {"plan_id": plan["id"], "adjust_action": "add", "new_year": 2027,
                                           "item_title": "超声波燃气表检定规程", "item_spec_type": "JJG",
                                           "adjust_reason": "年中新增监管需求"})
    w.do("authority", iid, "p13b_task_decide", {"adjustment_decision": "approve", "adjustment_opinion": "同意增补"})
    after = w.client.get(f"{API}/plans/{plan['id']}").get_json()
    items = {i["id"]: i for i in after["items"]}
    assert items[first]["status"] == "postponed" and items[first]["planned_year"] == 2028
    assert items[second]["status"] == "planned"  # the drop was rejected
    added = after["items"][-1]
    assert added["title"] == "超声波燃气表检定规程" and added["adjustment_id"] == after["adjustments"][-1]["id"]
    assert [(a["action"], a["status"], a["reason"]) for a in after["adjustments"]] == [
        ("postpone", "approved", "试验数据需延长一年采集"), ("drop", "rejected", "国际建议尚未发布"),
        ("add", "approved", "年中新增监管需求")]
    assert after["end_year"] == 2028 and after["adjustments"][0]["decided_by"] == "authority"


def test_a_proposal_outside_the_plan_states_its_reason_and_one_inside_names_its_item(w):
    plan = published_plan(w)
    outside = {k: v for k, v in PROPOSAL.items() if k != "outside_plan_reason"}
    iid = w.start("sec", "project_approval")["id"]
    refused = w.do("sec", iid, "p6_task_proposal", outside, status=422).get_json()
    assert "outside_plan_reason" in str(refused)
    w.do("sec", iid, "p6_task_proposal", {**outside, "outside_plan_reason": "贸易结算急需，未及列入年度计划"})
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "可行"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "报送"})
    assert w.open_elements(iid) == ["p6_task_publish"]  # the authority's task: it sees the instance's data
    seen = w.as_("authority").get(f"/instances/{iid}").get_json()["data"]
    assert seen["outside_plan_reason"] == "贸易结算急需，未及列入年度计划" and seen["in_plan"] is False
    spec = w.spec(w.instance(iid)["data"]["spec_id"], "authority")
    assert spec["proposal"]["outside_plan_reason"] == "贸易结算急需，未及列入年度计划"
    # inside the plan: the item is named, and taken by the project
    item = plan["items"][1]
    iid = w.start("sec", "project_approval")["id"]
    w.do("sec", iid, "p6_task_proposal", {**outside, "plan_item": 999999}, status=422)
    w.do("sec", iid, "p6_task_proposal", {**outside, "plan_item": item["id"]})
    data = w.instance(iid)["data"]
    assert data["in_plan"] is True and data["plan_item_title"] == item["title"]
    taken = w.client.get(f"{API}/plans/{plan['id']}").get_json()["items"][1]
    assert taken["status"] == "proposed" and taken["spec_id"] == data["spec_id"]
    other = w.start("sec", "project_approval")["id"]
    w.do("sec", other, "p6_task_proposal", {**outside, "plan_item": item["id"]}, status=422)  # taken already
