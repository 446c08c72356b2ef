"""A reviewer opens the inbox, claims a task, gets the server's validation message inline, completes it,
and the instance moves on to the next task."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from engine.runtime.models import Task
from tests.api.roles_support import start
from tests.browser.conftest import sign_in
from tests.conftest import BPMN

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_reviewer_claims_and_completes(page, engine, admin, login, clock):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "web_review", {"committee": "MTC-12", "specification": "JJF-2026-001"})
    [task] = inst["tasks"]
    with engine.db.transaction() as session:
        session.execute(update(Task).where(Task.id == task["id"]).values(due_at=clock.now() - timedelta(days=1)))

    page.goto("/login")
    page.shot("login")
    sign_in(page, engine, "reviewer", "secretariat:committee/MTC-12")
    row = page.locator(f"tr[data-task-id='{task['id']}']")
    expect(row).to_contain_text("提交申请")
    expect(row).to_have_class("overdue")
    expect(row.locator(".badge.bad")).to_have_text("已逾期")
    page.shot("inbox")

    row.locator("a").click()
    expect(page.locator("#diagram .djs-element.current[data-element-id='submit']")).to_have_count(1)
    page.click("#claim")
    expect(page.locator("#complete")).to_be_visible()
    page.click("#complete")  # the title is required: refused in the browser, said at the field
    title = page.get_by_label("标题")
    expect(page.locator(".field[data-field='title'] .field-error")).to_have_text("此项为必填项")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_attribute("aria-describedby", "f-title-error")
    expect(page.locator("#errors")).to_contain_text("请更正以下内容")
    expect(page.locator("#errors li")).to_have_text(["标题：此项为必填项"])
    page.shot("task-errors")

    title.fill("秘书处年度工作报告")
    page.get_by_label("页数").fill("0")  # the server refuses it: its message, translated, at the field
    page.click("#complete")
    expect(page.locator(".field[data-field='pages'] .field-error")).to_have_text("不能小于 1")
    expect(page.get_by_label("页数")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field[data-field='title'] .field-error")).to_be_hidden()
    page.get_by_label("页数").fill("12")
    page.click("#complete")
    expect(page.locator("#task-message .ok")).to_be_visible()
    expect(page.locator("#back-to-inbox")).to_be_focused()  # the next task is the authority's, not theirs
    expect(page.locator("#diagram .djs-element.active[data-element-id='review']")).to_have_count(1)
    expect(page.locator("#diagram .djs-element.done[data-element-id='submit']")).to_have_count(1)
    page.shot("task-completed")

    after = sec.get(f"/instances/{inst['id']}").get_json()
    assert [t["element_id"] for t in after["tasks"]] == ["review"]
    assert (after["data"]["title"], after["data"]["pages"]) == ("秘书处年度工作报告", 12)
