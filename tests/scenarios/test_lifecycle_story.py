"""The whole mission in one story over HTTP, as the people live it: a committee is applied for, prepared,
composed, publicly noticed and established (P1); it takes a project through 立项, drafting, comment, review,
approval and numbering (P6–P10); the specification is evaluated three years after it took effect (P11);
the committee is renewed before its term ends (P3b → P2); five years on the re-review (P12) revises it and
the revision supersedes it. The registries are asserted after every chapter."""
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.scenarios import committee_support as cs
from tests.scenarios.spec_stories import p6_include, p7_submit, p8_through, p9_pass, p10_approve
from tests.scenarios.spec_support import CODE, PROPOSAL, World, deploy

TERM_REPORT = {"term_summary": "本届完成规范 1 项", "specs_completed": 1, "specs_overdue": 0,
               "attendance": "委员平均出席率 95%", "next_term_plan": "修订电子天平校准规范"}


@pytest.fixture
def w(engine, app, clock):
    deploy(engine)
    cs.deploy(engine)
    return World(engine, app.test_client(), clock)


def committee(w) -> dict:
    response = w.client.get(f"/api/v1/committees/{CODE}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# the world's people take the first seats (chair, vice-chairs, secretary-general, members); recruits fill the rest
ACCOUNTS = ["chair", "vice", "vice2", "secgen", "m1", "m2", "m3", "m4", "m5", "colleague",
            *(f"x{i:02d}" for i in range(10, 25))]


def compose(w, walker, iid: str, prefix: str) -> None:
    """Recruit and plan 25 members, each linked to an account (BR14: appointed members vote)."""
    pool = [cs.candidate(i, name=f"{prefix}{i:02d}", username=ACCOUNTS[i]) for i in range(25)]
    w.accounts(pool)
    walker.do(w.as_("sec"), iid, "task_recruit", {"call_summary": "公开征集委员", "candidates": pool})
    walker.do(w.as_("sec"), iid, "task_plan", {**cs.PLAN, "composition": cs.composition(pool)})
    walker.do(w.as_("authority"), iid, "task_review", {"composition_decision": "approve"})
    w.advance(days=30, seconds=1)  # composition_notice_window, no objection


def test_from_establishment_to_a_revised_specification(w, engine, login):
    walker = cs.Walker(engine, login)
    sec, authority = w.as_("sec"), w.as_("authority")

    # P1: 筹建 → 组建 → 公示 → 成立
    assert w.client.get(f"/api/v1/committees/{CODE}").status_code == 404
    started = sec.post("/instances", json={"process_key": "committee_establishment", "scope": w_scope()})
    assert started.status_code == 201, started.get_json()
    p1 = started.get_json()["id"]
    walker.do(sec, p1, "task_apply", {**cs.APPLICATION, "committee_name": "全国质量密度计量技术委员会"})
    [plan] = w.client.get("/api/v1/notices", query_string={"ref": CODE}).get_json()["items"]
    assert (plan["kind"], plan["status"]) == ("establishment", "open")  # P1.2: the plan is public (BR12)
    w.advance(days=30, seconds=1)  # establishment_notice_window, no objection
    walker.do(authority, p1, "task_review_application", {"application_decision": "approve"})
    assert committee(w)["status"] == "preparing"
    compose(w, walker, p1, "委员")
    walker.do(w.as_("authority"), p1, "task_approve", {"establishment_decision": "approve",
                                                       "approval_document": "市监计量函〔2026〕12号"})
    established = committee(w)
    assert established["status"] == "active" and established["name"] == "全国质量密度计量技术委员会"
    assert established["term"] == {"number": 1, "start": "2026-05-01", "end": "2031-04-30", "expired": False}
    assert len(established["members"]) == 25 and established["accepts_projects"] is True
    assert {m["name"] for m in established["members"] if m["role"] == "chair"} == {"委员00"}

    # P6–P10: 立项 → 起草 → 征求意见 → 审定 → 报批 → 批准发布（编号）
    iid = w.start("sec", "spec_project")["id"]
    spec_id = p6_include(w, iid)
    assert w.spec(spec_id)["committee"] == CODE and w.spec(spec_id)["stage"] == "drafting"
    p7_submit(w, iid)
    assert w.spec(spec_id)["stage"] == "comment"
    p8_through(w, iid)
    assert w.spec(spec_id)["stage"] == "review"
    p9_pass(w, iid, spec_id, mode="correspondence")  # 函审: the whole appointed committee votes
    assert w.spec(spec_id)["stage"] == "approval"
    p10_approve(w, iid, publication_date="2026-08-01")
    first = w.spec(spec_id)
    assert (first["stage"], first["number"], first["effective_date"]) == ("published", "JJF 1001—2026", "2026-11-01")

    for key, duration in (("effect_evaluation", "effect_evaluation_after"), ("periodic_rereview", "rereview_interval")):
        created = w.as_("authority").post("/schedules", json={
            "process_key": key, "rule": {"kind": "after", "duration": duration},
            "subjects": "effective_specifications"})
        assert created.status_code == 201, created.get_json()

    # P11: three years after it took effect
    w.clock.set(datetime(2029, 11, 1, 2, tzinfo=UTC))
    w.advance(seconds=1)
    [evaluation] = instances(w, "effect_evaluation")
    w.do("sec", evaluation, "p11_task_evaluate", {
        "evaluation_period": "2026—2029", "application": "广泛使用", "problems": "新型天平不适用",
        "findings": "需修订", "suggestion": "revise"})
    w.do("chair", evaluation, "p11_task_review", {"evaluation_review": "accept"})
    assert w.spec(spec_id)["evaluation"]["suggestion"] == "revise"

    # P3b → P2: renewed before the term ends (else BR13 would stop the revision's review)
    w.clock.set(datetime(2031, 1, 2, 2, tzinfo=UTC))
    renewal = w.start("sec", "committee_renewal", scope=w_scope())["id"]
    w.do("sec", renewal, "task_write_term_report", TERM_REPORT)
    w.do("authority", renewal, "task_review_term_report", {"term_report_decision": "accept"})
    compose(w, walker, renewal, "新委员")
    w.do("authority", renewal, "task_approve_renewal", {"renewal_decision": "approve",
                                                        "approval_document": "市监计量函〔2031〕12号"})
    renewed = committee(w)
    # approved in February; the second term follows the first without a gap or an overlap
    assert renewed["term"] == {"number": 2, "start": "2031-05-01", "end": "2036-04-30", "expired": False}
    assert {m["name"] for m in renewed["members"] if m["role"] == "chair"} == {"新委员00"}
    assert [(r["kind"], r["period"]) for r in renewed["reports"]] == [("term", "term-1")]

    # P12: five years after it took effect, the re-review revises it; the revision runs P6–P10
    w.clock.set(datetime(2031, 11, 1, 2, tzinfo=UTC))
    w.advance(seconds=1)
    [rereview] = instances(w, "periodic_rereview")
    assert w.spec(spec_id)["stage"] == "rereview"
    w.do("sec", rereview, "p12_task_proposal", {"rereview_proposal": "revise", "rereview_reasons": "技术进步"})
    w.do("chair", rereview, "p12_task_conclude", {"rereview_recommendation": "revise", "rereview_opinion": "修订"})
    revision_id = w.instance(rereview)["scope"]["specification"]
    p6_include(w, rereview, {**PROPOSAL, "project_kind": "revision", "replaces": "JJF 1001—2026",
                             "title": "电子天平校准规范（修订）"})
    p7_submit(w, rereview)
    p8_through(w, rereview, comments=1)
    p9_pass(w, rereview, revision_id, mode="correspondence")
    p10_approve(w, rereview, publication_date=(w.clock.now().date() + timedelta(days=30)).isoformat())
    assert w.instance(rereview)["state"] == "completed"

    old, new = w.spec(spec_id), w.spec(revision_id)
    assert (new["stage"], new["number"], new["replaces"]) == ("published", "JJF 1001—2032", spec_id)
    assert (old["stage"], old["superseded_by"], old["rereview_outcome"]) == ("superseded", revision_id, "revise")
    assert [c["action"] for c in old["changes"]][:4] == ["proposed", "committee_evaluated", "project_notice",
                                                         "included_in_plan"]
    assert committee(w)["status"] == "active"
    listed = w.client.get("/api/v1/specifications", query_string={"committee": CODE}).get_json()["items"]
    assert sorted((s["number"], s["stage"]) for s in listed) == [("JJF 1001—2026", "superseded"),
                                                                 ("JJF 1001—2032", "published")]
    assert date.fromisoformat(new["effective_date"]) > date.fromisoformat(old["effective_date"])


def w_scope() -> dict:
    return {"committee": CODE, "level": "national"}


def instances(w, key: str) -> list[str]:
    return [i["id"] for i in w.as_("auditor").get("/instances", query_string={"process_key": key}).get_json()["items"]]
