"""An auditor opens an instance: coloured diagram, history, verification badge; moving the replay slider
moves the highlighted element."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.roles_support import start
from tests.browser.conftest import sign_in
from tests.conftest import BPMN

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_auditor_replays_the_instance(page, engine, admin, login):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "web_review", {"committee": "MTC-12"})
    task_id = inst["tasks"][0]["id"]
    assert sec.post(f"/tasks/{task_id}/claim").status_code == 200
    assert sec.complete(task_id, {"title": "年度报告"}).status_code == 200
    auditor = login("auditor1", "auditor")
    steps = auditor.get(f"/instances/{inst['id']}/replay").get_json()["steps"]

    def active_at(step: int) -> list[str]:
        replay = auditor.get(f"/instances/{inst['id']}/replay", query_string={"step": step}).get_json()
        return [a["element_id"] for a in replay["active"]]

    at_submit = next(s for s in range(1, steps + 1) if active_at(s) == ["submit"])

    sign_in(page, engine, "auditor1")
    page.goto("/instances")
    page.locator(f"tr[data-instance-id='{inst['id']}'] td:first-child a").click()
    diagram = page.locator("#diagram")
    expect(page.locator("#instance")).to_have_attribute("data-active", "review")
    expect(diagram.locator(".djs-element.active[data-element-id='review']")).to_have_count(1)
    expect(diagram.locator(".djs-element.done[data-element-id='submit']")).to_have_count(1)
    expect(page.locator("#verify")).to_have_text("记录完整 ✓")
    expect(page.locator("#timeline li")).to_have_count(steps)
    page.shot("instance-latest")

    page.locator("#replay").fill(str(at_submit))
    expect(page.locator("#instance")).to_have_attribute("data-step", str(at_submit))
    expect(diagram.locator(".djs-element.active[data-element-id='submit']")).to_have_count(1)
    expect(diagram.locator(".djs-element.active[data-element-id='review']")).to_have_count(0)
    expect(page.locator("#step-label")).to_have_text(f"{at_submit} / {steps}")
    page.shot("instance-replayed")


def test_a_process_without_layout_says_so(page, engine, admin, login):
    admin.deploy(BPMN / "approval.bpmn")  # no BPMN DI
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "approval", {"committee": "MTC-12"})
    sign_in(page, engine, "auditor1", "auditor")
    page.goto("/instances")
    expect(page.locator(f"tr[data-instance-id='{inst['id']}']")).to_contain_text("提交申请")
    page.shot("instances")
    page.goto(f"/instances/{inst['id']}")
    expect(page.locator("#diagram")).to_contain_text("没有图形信息")
    expect(page.locator("#instance")).to_have_attribute("data-active", "submit")
