"""Staff pages of issue 15: the national authority reads a provincial filing's ranked consistency matches with the
terms that made them match and raises an objection; a scorecard figure opens the events it was counted from,
each linking into its instance's history."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_disclosure_pages import keep
from tests.scenarios.notice_support import start as start_notice
from tests.scenarios.spec_support import CODE, World, deploy, seed_committee, seed_spec
from tests.scenarios.test_spec_filing import JS, NATIONAL_FLOW, PROVINCIAL_FLOW
from tests.timer_support import run_worker

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p6_project_approval.bpmn", "p13_spec_filing.bpmn")
    seed_committee(engine)
    return World(engine, app.test_client(), clock)


def test_national_authority_sees_the_matches_and_objects(page, w, engine):
    w.accounts([{"username": "js_amr", "unit": "江苏省市场监督管理局"}])
    w.grant("js_amr", "authority:level/provincial/江苏")
    seed_spec(engine, "JJG-2007-033", "published", type="JJG", title="电磁流量计检定规程", number="JJG 1033—2007",
              proposal=NATIONAL_FLOW)
    seed_spec(engine, "JJF(苏)-2026-001", "published", title="电磁流量计在线校准规范", number="JJF(苏)001—2026",
              committee="MTC31", proposal=PROVINCIAL_FLOW, **JS)
    iid = w.start("js_amr", "spec_filing", scope={**JS, "specification": "JJF(苏)-2026-001"})["id"]
    w.do("js_amr", iid, "filing_task_submit", {"issuing_authority": "江苏省市场监督管理局",
                                               "filing_text": "本规范适用于管道中电磁流量计的在线校准……"})
    filing_id = w.instance(iid)["data"]["filing_id"]

    sign_in(page, engine, "authority")
    page.goto("/filings")
    page.locator(f"#filings tr[data-filing-id='{filing_id}'] a").click()
    expect(page.locator("#filing")).to_have_attribute("data-status", "filed")
    expect(page.locator("#filing-text")).to_contain_text("管道中电磁流量计的在线校准")
    top = page.locator("#matches tr").first
    expect(top).to_have_attribute("data-number", "JJG 1033—2007")
    expect(top.locator("ul.reasons li[data-field='title']")).to_contain_text("电磁流量计")
    expect(top).to_contain_text("现行有效")
    keep(page, "filing-matches")

    page.select_option("#conflicts-with", "JJG 1033—2007")
    page.fill("#objection-form textarea[name=opinion]", "在线校准的计量特性与 JJG 1033—2007 不一致")
    page.click("#objection-form button[type=submit]")
    expect(page.locator("#filing-message .ok")).to_contain_text("异议已提出")
    expect(page.locator("#filing")).to_have_attribute("data-status", "objected")
    objection = page.locator("#objections li[data-answered='false']")
    expect(objection).to_contain_text("JJG 1033—2007")
    expect(page.locator("#national-actions")).to_be_hidden()  # nothing more to do until the answer
    keep(page, "filing-objected")
    detail = w.as_("authority").get(f"/filings/{filing_id}").get_json()
    assert detail["status"] == "objected"
    assert detail["objections"][0]["conflicts_with"] == "JJG 1033—2007"
    assert w.open_elements(iid) == ["filing_task_answer"]  # the issuing authority has it in its inbox

    page.context.clear_cookies()
    sign_in(page, engine, "js_amr")  # the issuing authority sees the objection awaiting its answer
    page.goto(f"/filings/{filing_id}")
    expect(page.locator("#objections li[data-answered='false']")).to_contain_text("等待发布机关答复")
    expect(page.locator("#national-actions")).to_be_hidden()


def test_scorecard_figure_links_to_its_evidence(page, w, engine, clock, admin):
    admin.deploy("notice_window.bpmn")
    started = clock.now()
    notice = start_notice(w.as_("sec"), scope={"committee": CODE, "specification": "JJF-2026-001",
                                               "level": "national"})
    clock.advance(days=31)
    run_worker(engine)  # the window closes on its timer: the notice ran its whole course
    year = started.year
    card = w.as_("auditor").get(f"/committees/{CODE}/scorecard", query_string={"year": year}).get_json()
    figure = next(i for i in card["indicators"] if i["key"] == "notices_as_required")
    assert figure["total"] == 1 and figure["instance_ids"] == [notice["id"]]
    seq = figure["items"][0]["seq"]

    sign_in(page, engine, "auditor")
    page.goto(f"/assessment?committee={CODE}&year={year}")
    row = page.locator("#indicators tr[data-key='notices_as_required']")
    expect(row.locator("a.figure")).to_have_text("1 / 1")
    expect(page.locator("#members tr[data-username='m1']")).to_have_count(1)
    row.locator("a.figure").click()
    evidence = page.locator("#evidence-list li a.evidence-link")
    expect(evidence).to_have_count(1)
    expect(evidence).to_contain_text(f"#{seq} notice_opened")
    keep(page, "scorecard-evidence")
    evidence.click()
    page.wait_for_url(f"**/instances/{notice['id']}#seq-{seq}")
    expect(page.locator(f"#timeline li[data-seq='{seq}']")).to_contain_text("notice_opened")
    keep(page, "scorecard-evidence-instance")
