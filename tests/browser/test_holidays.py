"""A process admin enters 2027's official holidays on the page: the waiting timer counted on the weekday fallback
moves to its real due date, its row says why, the instance's history says so in Chinese, and the instances search
by business key finds the instance."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.timer_support import timers, utc

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"


def test_process_admin_enters_2027_and_the_timer_moves(page, engine, admin, login, clock):
    admin.deploy("timer_workdays.bpmn")
    clock.set(utc(2027, 2, 1, 1))  # Monday 1 Feb 2027, 09:00 Beijing; the package knows up to 2026
    auth = login("auth", "authority")
    inst = auth.start("timer_workdays", business_key="JJF-2027-007")
    assert inst["timers"][0]["due_at"] == utc(2027, 2, 8, 16).isoformat()  # Monday–Friday guessed

    sign_in(page, engine, "pa", "process_admin")
    page.goto("/admin/holidays")
    expect(page.locator("#years tr[data-year='2027']")).to_have_attribute("data-kind", "missing")
    expect(page.locator("#missing")).to_contain_text("2027")
    expect(page.locator("#years tr[data-year='2026']")).to_contain_text("软件包已收录")
    page.shot("holidays-missing")
    expect(page.locator("#year")).to_have_value("2027")
    page.fill("#holidays", "2027-01-01 至 2027-01-03\n2027-02-05/2027-02-13")
    page.fill("#workdays", "2027-02-14\n2027-02-20")
    page.click("#save")
    expect(page.locator("#form-message .error")).to_have_text("请填写依据的通知")  # the notice is the source
    page.fill("#source", NOTICE)
    page.click("#save")
    expect(page.locator("#form-message .ok")).to_contain_text("重新计算了 1 个")
    expect(page.locator("#recomputed-list li")).to_contain_text("2027 年法定节假日安排")
    expect(page.locator("#years tr[data-year='2027']")).to_have_attribute("data-kind", "entered")
    expect(page.locator("#years tr[data-year='2027']")).to_contain_text(NOTICE)
    page.shot("holidays-entered")

    [row] = timers(engine, inst["id"])
    assert row.due_at == utc(2027, 2, 15, 16) and row.warning is None and "原 2027-02-09 00:00" in row.note

    page.context.clear_cookies()  # the authority, who started it, finds it (a process admin sees no business)
    sign_in(page, engine, "auth")
    page.goto("/instances")
    page.fill("#filters input[name=business_key]", "JJF-2027-007")
    page.click("#filters button[type=submit]")
    found = page.locator("#instances tbody tr")
    expect(found).to_have_count(1)
    found.locator("td:first-child a").click()
    expect(page.locator("#timeline")).to_contain_text("按法定节假日重新计算定时")
    expect(page.locator("#timeline")).to_contain_text("日历提示（节假日未录入）")
    page.shot("instance-recomputed")
