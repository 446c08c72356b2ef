"""Instances in the browser: search and filters with pages, the history in plain Chinese, a call activity that
holds live tasks painted current with a complete legend, and drilling into the called process (its diagram,
tasks and data), zoomed and panned."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import BPMN
from tests.scenarios.spec_support import World, deploy, seed_committee

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_the_project_history_reads_in_chinese_and_opens_the_called_process(page, engine, app, clock):
    deploy(engine)
    seed_committee(engine, term_end=date(2038, 12, 31))
    w = World(engine, app.test_client(), clock)
    iid = w.start("sec", "spec_project")["id"]
    assert w.open_elements(iid) == ["p6_task_proposal"]

    sign_in(page, engine, "auditor")
    page.goto(f"/instances/{iid}")
    expect(page.locator("#instance")).to_have_attribute("data-active", "p6_task_proposal")
    call = page.locator("#diagram .djs-element[data-element-id='project_call_p6']")
    expect(call).to_have_class(re.compile(r"\bactive\b"))  # current, not "waiting" orange
    assert "waiting" not in call.get_attribute("class")
    expect(page.locator(".legend span")).to_have_text(["已完成", "进行中", "等待中", "当前步骤"], use_inner_text=True)
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("流程启动")
    expect(timeline.locator("li[data-type='task_ready']").first).to_contain_text("任务待办 · “填写立项申请”")
    assert "task_ready" not in timeline.inner_text() and "p6_task_proposal" not in timeline.inner_text()

    viewport = page.locator("#diagram .viewport")
    before = viewport.get_attribute("transform")
    page.click(".diagram-tools[data-for='diagram'] .zoom-in")
    expect(viewport).not_to_have_attribute("transform", before)
    page.shot("instance-project")

    page.click("#called-list button[data-process='project_approval']")
    view = page.locator("#called-view")
    expect(view).to_have_attribute("data-active", "p6_task_proposal")
    expect(view.locator(".djs-element.active[data-element-id='p6_task_proposal']")).to_have_count(1)
    expect(page.locator("#called-tasks")).to_contain_text("填写立项申请")
    expect(page.locator("#called-title")).to_have_text("计量技术规范立项")
    page.shot("instance-called-process")


def test_instances_search_filters_and_pages(page, engine, admin, login):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    for n in range(27):
        created = sec.post("/instances", json={"process_key": "web_review", "scope": {"committee": "MTC-12"},
                                               "business_key": f"BK-{n:03d}"})
        assert created.status_code == 201, created.get_json()
    sign_in(page, engine, "auditor1", "auditor")
    page.goto("/instances")
    rows = page.locator("#instances tbody tr")
    expect(rows).to_have_count(25)
    expect(page.locator("#page-info")).to_have_text("第 1 / 2 页，共 27 条")
    state_cell = rows.first.locator("td").nth(3)
    box = state_cell.bounding_box()
    assert box["height"] < 40, box  # one line, not a character per line
    page.click("#next")
    expect(rows).to_have_count(2)
    page.shot("instances-page-2")

    page.fill("#filters input[name=business_key]", "BK-007")
    page.click("#filters button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-business-key", "BK-007")
    assert "business_key=BK-007" in page.url

    page.fill("#filters input[name=business_key]", "")
    page.fill("#filters input[name=q]", "BK-01")
    page.select_option("#filters select[name=state]", "completed")
    expect(rows).to_have_count(1)
    expect(page.locator("#instances tbody")).to_have_text("无")
    page.select_option("#filters select[name=state]", "")
    expect(rows).to_have_count(10)
    page.shot("instances-search")
