"""Filing of a provincial specification with SAMR and the consistency check (指导意见八), over HTTP: the filing
after approval with its ranked overlaps, the national authority's objection, the issuing authority's reasoned
answer; and a P6 proposal overlapping an in-force national specification, refused without a reason, allowed with
one."""
import pytest

from tests.scenarios.spec_support import PROPOSAL, World, deploy, seed_committee, seed_spec

JS = {"level": "provincial", "jurisdiction": "江苏"}
NATIONAL_FLOW = {"measured_quantity": "电磁流量计", "field": "流量",
                 "application_scope": "适用于电磁流量计的首次检定、后续检定和使用中检查。"}
PROVINCIAL_FLOW = {"measured_quantity": "电磁流量计", "field": "流量",
                   "application_scope": "适用于管道中电磁流量计的在线校准。"}


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p6_project_approval.bpmn", "p13_spec_filing.bpmn")
    seed_committee(engine)
    world = World(engine, app.test_client(), clock)
    from engine.access import accounts as users
    from engine.access.actors import Grant
    from tests.conftest import PASSWORD

    with engine.db.transaction() as session:
        users.create_user(session, "js_amr", PASSWORD, [Grant.parse("authority:level/provincial/江苏")],
                          unit="江苏省市场监督管理局", actor="test")
    seed_spec(engine, "JJG-2007-033", "published", type="JJG", title="电磁流量计检定规程", number="JJG 1033—2007",
              proposal=NATIONAL_FLOW)
    seed_spec(engine, "JJF-2012-059", "published", title="测量不确定度评定与表示", number="JJF 1059.1—2012",
              proposal={"field": "通用计量"})
    seed_spec(engine, "JJF(苏)-2026-001", "published", title="电磁流量计在线校准规范", number="JJF(苏)001—2026",
              committee="MTC31", proposal=PROVINCIAL_FLOW, **JS)
    return world


def test_provincial_spec_filed_objected_and_answered(w, clock):
    iid = w.start("js_amr", "spec_filing", scope={**JS, "specification": "JJF(苏)-2026-001"})["id"]
    w.do("js_amr", iid, "filing_task_submit", {"issuing_authority": "江苏省市场监督管理局",
                                               "filing_text": "本规范适用于管道中电磁流量计的在线校准……",
                                               "filing_note": "补充国家规程未覆盖的在线校准"})
    data = w.instance(iid)["data"]
    filing_id = data["filing_id"]
    top = data["consistency_matches"][0]
    assert top["number"] == "JJG 1033—2007" and top["status"] == "in_force" and top["level"] == "national"
    assert {r["field"] for r in top["reasons"]} >= {"title", "quantity"}
    assert "电磁流量计" in next(r for r in top["reasons"] if r["field"] == "title")["terms"]
    assert all(m["number"] != "JJF 1059.1—2012" for m in data["consistency_matches"])  # unrelated: not listed

    national = w.as_("authority")
    listed = national.get("/filings").get_json()["items"]
    assert [f["id"] for f in listed] == [filing_id] and listed[0]["status"] == "filed"
    detail = national.get(f"/filings/{filing_id}").get_json()
    assert detail["text"].startswith("本规范适用于") and detail["finding"]["matches"][0]["number"] == "JJG 1033—2007"
    # only the national authority objects; the issuing authority and auditors cannot
    assert w.as_("js_amr").post(f"/filings/{filing_id}/objections", json={"opinion": "x"}).status_code == 403
    assert w.as_("auditor").post(f"/filings/{filing_id}/objections", json={"opinion": "x"}).status_code == 403
    raised = national.post(f"/filings/{filing_id}/objections",
                           json={"opinion": "在线校准的计量特性与 JJG 1033—2007 不一致",
                                 "conflicts_with": "JJG 1033—2007"})
    assert raised.status_code == 201, raised.get_json()
    assert national.post(f"/filings/{filing_id}/acceptance").status_code == 409  # the answer is awaited first
    assert w.open_elements(iid) == ["filing_task_answer"]
    w.do("js_amr", iid, "filing_task_answer", {"resolution": "keep",
                                               "answer": "国家规程为实验室检定，本规范为在线校准，二者互补。"})
    detail = national.get(f"/filings/{filing_id}").get_json()
    assert detail["status"] == "answered"
    objection = detail["objections"][0]
    assert objection["raised_by"] == "authority" and objection["answered_by"] == "js_amr"
    assert objection["resolution"] == "keep" and objection["answer"].startswith("国家规程")
    assert national.post(f"/filings/{filing_id}/acceptance").status_code == 200
    assert w.instance(iid)["state"] == "completed"
    assert national.get(f"/filings/{filing_id}").get_json()["status"] == "accepted"
    assert w.as_("auditor").get("/specifications/JJF(苏)-2026-001/consistency").get_json()["items"][0][
        "occasion"] == "filing"


def test_only_an_approved_local_spec_is_filed(w):
    seed_spec(w.engine, "JJF(苏)-2026-002", "drafting", title="水表在线校准规范", committee="MTC31", **JS)
    iid = w.start("js_amr", "spec_filing", scope={**JS, "specification": "JJF(苏)-2026-002"})["id"]
    response = w.do("js_amr", iid, "filing_task_submit", {"issuing_authority": "江苏省市场监督管理局",
                                                          "filing_text": "全文"}, status=422)
    assert "备案" in response.get_json()["detail"] or "filed" in response.get_json()["detail"]


def test_p6_overlapping_an_in_force_national_spec_needs_a_reason(w):
    iid = w.start("sec", "project_approval")["id"]
    overlapping = {**PROPOSAL, "spec_type": "JJF", "title": "电磁流量计校准规范", "measured_quantity": "电磁流量计",
                   "field": "流量", "application_scope": "适用于电磁流量计的校准。"}
    refused = w.do("sec", iid, "p6_task_proposal", overlapping, status=422).get_json()
    assert "JJG 1033—2007" in refused["detail"]
    assert w.open_elements(iid) == ["p6_task_proposal"]  # nothing registered: the proposal stays open
    w.do("sec", iid, "p6_task_proposal", {**overlapping, "overlap_reason": "JJG 1033 为检定规程，校准方法缺失。"})
    assert w.open_elements(iid) == ["p6_task_evaluate"]
    spec_id = w.instance(iid)["data"]["spec_id"]
    findings = w.as_("authority").get(f"/specifications/{spec_id}/consistency").get_json()["items"]
    assert findings[0]["national_overlap"] is True and findings[0]["reason"].startswith("JJG 1033")
    # every level is searched: the national regulation and the provincial calibration specification lead
    assert {m["number"] for m in findings[0]["matches"][:2]} == {"JJG 1033—2007", "JJF(苏)001—2026"}


def test_consistency_search_over_http(w):
    found = w.as_("authority").post("/consistency/search", json={"title": "电磁流量计"}).get_json()["items"]
    assert found[0]["number"] in ("JJG 1033—2007", "JJF(苏)001—2026")
    assert w.as_("m1").post("/consistency/search", json={"title": "电磁流量计"}).status_code == 403
    assert w.client.post("/api/v1/consistency/search", json={"title": "电磁流量计"}).status_code == 401
