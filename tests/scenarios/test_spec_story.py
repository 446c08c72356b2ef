"""One specification's whole life over HTTP, as the people of MTC12 live it: 立项 → 起草 → 征求意见 → 审定 → 报批
→ 发布 → 实施效果评价 (3 years on) → 复审 (5 years on) → 修订 → the revised specification supersedes it."""
from datetime import UTC, date, datetime

import pytest

from tests.scenarios.spec_stories import p6_include, p7_submit, p8_through, p9_pass, p10_approve
from tests.scenarios.spec_support import PROPOSAL, World, deploy, seed_committee


@pytest.fixture
def w(engine, app, clock):
    deploy(engine)
    seed_committee(engine, term_end=date(2038, 12, 31))
    return World(engine, app.test_client(), clock)


def stages(w, spec_id: str) -> list[str]:
    return [c["action"] for c in w.spec(spec_id)["changes"]]


def only_instance(w, key: str) -> str:
    items = w.as_("auditor").get("/instances", query_string={"process_key": key}).get_json()["items"]
    assert len(items) == 1, items
    return items[0]["id"]


def test_from_proposal_to_a_revised_specification(w, app):
    # 立项 → 发布, one project instance calling P6–P10
    iid = w.start("sec", "spec_project")["id"]
    spec_id = p6_include(w, iid)
    assert w.spec(spec_id)["stage"] == "drafting"  # included in the plan: drafting starts at once
    assert w.instance(iid)["scope"]["specification"] == spec_id
    p7_submit(w, iid)
    assert w.spec(spec_id)["stage"] == "comment"
    p8_through(w, iid)
    notice = w.client.get(f"/api/v1/notices/{w.spec(spec_id)['comment_notice_id']}").get_json()
    assert [d["filename"] for d in notice["documents"]] == ["comment_draft_document_id.txt"]  # the draft, public
    assert w.spec(spec_id)["stage"] == "review"
    p9_pass(w, iid, spec_id)
    p10_approve(w, iid, publication_date="2026-07-01")
    assert w.instance(iid)["state"] == "completed"
    first = w.spec(spec_id)
    assert first["stage"] == "published" and first["number"] == "JJF 1001—2026"
    assert first["effective_date"] == "2026-10-01" and first["review"]["passed"]
    assert stages(w, spec_id)[:4] == ["proposed", "committee_evaluated", "project_notice", "included_in_plan"]
    assert stages(w, spec_id)[-1] == "approved"

    # the authority schedules effect evaluation and re-review for every effective specification
    for key, duration in (("effect_evaluation", "effect_evaluation_after"), ("periodic_rereview", "rereview_interval")):
        created = w.as_("authority").post("/schedules", json={
            "process_key": key, "rule": {"kind": "after", "duration": duration},
            "subjects": "effective_specifications"})
        assert created.status_code == 201, created.get_json()

    # three years after it took effect: 实施效果评价
    w.clock.set(datetime(2029, 10, 1, 2, tzinfo=UTC))
    w.advance(seconds=1)
    evaluation = only_instance(w, "effect_evaluation")
    w.do("sec", evaluation, "p11_task_evaluate", {
        "evaluation_period": "2026—2029", "application": "广泛使用", "problems": "新型天平不适用",
        "findings": "需修订", "suggestion": "revise"})
    w.do("chair", evaluation, "p11_task_review", {"evaluation_review": "accept"})
    assert w.spec(spec_id)["evaluation"]["suggestion"] == "revise"

    # five years after: 复审, which concludes 'revise' and runs the revision project
    w.clock.set(datetime(2031, 10, 1, 2, tzinfo=UTC))
    w.advance(seconds=1)
    rereview = only_instance(w, "periodic_rereview")
    assert w.instance(rereview)["data"]["latest_evaluation"]["findings"] == "需修订"
    assert w.spec(spec_id)["stage"] == "rereview"
    w.do("sec", rereview, "p12_task_proposal", {"rereview_proposal": "revise", "rereview_reasons": "技术进步"})
    w.do("chair", rereview, "p12_task_conclude", {"rereview_recommendation": "revise", "rereview_opinion": "修订"})
    revision_id = w.instance(rereview)["scope"]["specification"]
    assert revision_id == "JJF-2031-001" and revision_id != spec_id
    assert w.spec(spec_id)["stage"] == "published"  # still in force while it is revised
    p6_include(w, rereview, {**PROPOSAL, "project_kind": "revision", "replaces": "JJF 1001—2026",
                             "title": "电子天平校准规范（修订）"})
    p7_submit(w, rereview)
    p8_through(w, rereview, comments=1)
    p9_pass(w, rereview, revision_id)
    p10_approve(w, rereview, publication_date="2032-06-01")
    assert w.instance(rereview)["state"] == "completed"

    # the registry tells the whole story
    old, new = w.spec(spec_id), w.spec(revision_id)
    assert new["stage"] == "published" and new["number"] == "JJF 1001—2032" and new["kind"] == "revision"
    assert new["replaces"] == spec_id and new["title"] == "电子天平校准规范（修订）"
    assert old["stage"] == "superseded" and old["superseded_by"] == revision_id
    assert old["rereview_outcome"] == "revise" and old["last_rereview_on"] == "2031-10-01"
    assert [c["action"] for c in old["changes"]][-4:] == ["effect_evaluated", "rereview_started", "rereview_revise",
                                                          "superseded"]
    w.clock.set(datetime(2032, 9, 2, tzinfo=UTC))  # the revision is effective (effective_after: 3 months)
    public = w.client.get("/api/v1/specifications", query_string={"in_force": "true"}).get_json()
    assert [s["number"] for s in public["items"]] == ["JJF 1001—2032"]
    everything = w.client.get("/api/v1/specifications", query_string={"q": "电子天平"}).get_json()
    assert sorted(s["stage"] for s in everything["items"]) == ["published", "superseded"]


def test_a_project_the_committee_rejects_ends_there(w):
    iid = w.start("sec", "spec_project")["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "reject", "evaluation_opinion": "重复立项"})
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["project_outcome"] == "rejected"
    assert w.spec(instance["data"]["spec_id"])["stage"] == "rejected"
    assert w.as_("auditor").get(f"/instances/{iid}/history").get_json()["items"][-1]["type"] == "instance_completed"
