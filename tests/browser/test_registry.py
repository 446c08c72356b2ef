"""Registry pages, as the public and as staff: a committee in its 筹建公示 (not in the registry yet) and in its
组建公示 (no member appointed yet) shows what the notices say instead of "not found" or "0 members"; a
specification shows its stage, number and history in Chinese and is reached from the task page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.scenarios import committee_support as cs
from tests.scenarios.spec_support import PROPOSAL, SCOPE, World
from tests.scenarios.spec_support import deploy as deploy_specs
from tests.scenarios.spec_support import seed_committee as seed_spec_committee

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_a_committee_in_its_notices_shows_what_they_say(page, engine, app, login, clock):
    cs.deploy(engine)
    walker = cs.Walker(engine, login)
    proposer, authority = login("prop40", "secretariat:committee/MTC40"), login("samr", cs.AUTHORITY)
    iid = proposer.post("/instances", json={"process_key": "committee_establishment",
                                            "scope": {"committee": "MTC40", "level": "national"}}).get_json()["id"]
    walker.do(proposer, iid, "task_apply", {**cs.APPLICATION, "committee_name": "全国测试计量技术委员会"})
    walker.advance(clock, days=10)  # the establishment plan is on the board
    public = app.test_client()
    body = public.get("/api/v1/committees/MTC40").get_json()
    assert body["announced"] is True and body["status"] == "establishment_notice"  # was 404

    page.goto("/registry/committees/MTC40")  # the public, no login
    expect(page.locator("#title")).to_have_text("全国测试计量技术委员会（MTC40）")
    expect(page.locator("#announced")).to_be_visible()
    expect(page.locator("#status")).to_have_text("筹建公示中")
    expect(page.locator("#detail")).to_contain_text(cs.APPLICATION["committee_scope"])
    expect(page.locator("#notices li[data-kind='establishment']")).to_contain_text("公示中")
    page.shot("committee-establishment-notice")

    walker.advance(clock, days=20, seconds=1)
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    people = cs.candidates()
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": people})
    walker.do(proposer, iid, "task_plan", {**cs.PLAN, "composition": cs.composition(people)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=10)  # the composition notice is open
    body = public.get("/api/v1/committees/MTC40").get_json()
    assert len(body["proposed_members"]) == 25 and "prop40" not in str(body["proposed_members"])

    page.goto("/registry/committees/MTC40")
    expect(page.locator("#members tbody tr")).to_have_count(25)  # was "0 members"
    expect(page.locator("#detail")).to_contain_text("组建公示中的拟任委员（25 人）")
    expect(page.locator("#notices li")).to_have_count(2)
    page.shot("committee-composition-notice")

    page.goto("/registry/committees?q=MTC")
    expect(page.locator("#list tbody")).to_be_visible()
    page.goto("/registry/committees/NOPE")
    expect(page.locator("#not-found")).to_have_text("名录和公示中均没有该委员会。")


def test_a_specification_from_its_task(page, engine, app, clock):
    deploy_specs(engine, "p6_project_approval.bpmn")
    seed_spec_committee(engine)
    w = World(engine, app.test_client(), clock)
    iid = w.start("sec", "project_approval", scope=SCOPE)["id"]
    w.do("sec", iid, "p6_task_proposal", PROPOSAL)
    spec_id = w.instance(iid)["scope"]["specification"]
    task = w.task(iid, "p6_task_evaluate")

    sign_in(page, engine, "secgen")
    page.goto(f"/tasks/{task['id']}")
    page.locator(f"#task-meta a[href='/registry/specifications/{spec_id}']").click()
    expect(page.locator("#stage")).to_have_text("立项申请")
    expect(page.locator("#title")).to_contain_text(PROPOSAL["title"])
    expect(page.locator("#changes tbody tr").first).to_contain_text("提出立项申请")
    expect(page.locator("#detail")).to_contain_text("MTC12")
    assert "null" not in page.locator("#detail").inner_text() and "undefined" not in page.content()
    page.shot("specification")
    page.locator("#detail a[href='/registry/committees/MTC12']").first.click()
    expect(page.locator("#members tbody tr").first).to_be_visible()
    expect(page.locator("#status")).to_have_text("正常运行")
    page.shot("committee")
