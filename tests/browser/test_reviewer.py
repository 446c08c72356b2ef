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
    page.click("#complete")  # the title is required: the server's message appears at the field
    expect(page.locator(".server-error[data-field='title']")).to_have_text("此项为必填项")
    expect(page.locator("#errors")).to_contain_text("请更正以下内容")
    page.shot("task-errors")

    page.fill("[name='root[title]']", "秘书处年度工作报告")
    page.locator(".json-editor-opt-in").check()  # the optional page count, given as 0
    page.fill("[name='root[pages]']", "0")
    page.click("#complete")
    expect(page.locator(".server-error[data-field='pages']")).to_have_text("不能小于 1")
    expect(page.locator(".server-error[data-field='title']")).to_have_count(0)
    page.fill("[name='root[pages]']", "12")
    page.click("#complete")
    expect(page.locator("#task-message .ok")).to_be_visible()
    expect(page.locator("#diagram .djs-element.active[data-element-id='review']")).to_have_count(1)
    expect(page.locator("#diagram .djs-element.done[data-element-id='submit']")).to_have_count(1)
    page.shot("task-completed")

    after = sec.get(f"/instances/{inst['id']}").get_json()
    assert [t["element_id"] for t in after["tasks"]] == ["review"]
    assert (after["data"]["title"], after["data"]["pages"]) == ("秘书处年度工作报告", 12)
