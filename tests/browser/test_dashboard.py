"""The official's dashboard: committees by status, specifications by stage, overdue tasks, notices closing
soon and the cycle-time chart; and the English switch."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from engine.runtime.models import Task
from tests.api.roles_support import start
from tests.browser.conftest import sign_in
from tests.conftest import BPMN
from tests.scenarios import notice_support
from tests.scenarios.committee_support import seed_committee
from tests.scenarios.spec_support import seed_spec

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_dashboard_shows_the_figures(page, engine, admin, login, clock):
    for code, status in (("MTC12", "active"), ("MTC13", "active"), ("MTC14", "suspended")):
        seed_committee(engine, code, status=status)
    seed_spec(engine, "JJF-2026-101", stage="planned")
    seed_spec(engine, "JJF-2026-102", stage="drafting")
    admin.deploy(BPMN / "web_review.bpmn", "notice_window.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    done = start(sec, "web_review", {"committee": "MTC-12"})["tasks"][0]["id"]
    late = start(sec, "web_review", {"committee": "MTC-12"})["tasks"][0]["id"]
    notice_support.start(sec, scope={"committee": "MTC-12", "level": "national"})
    clock.advance(hours=3)
    sec.post(f"/tasks/{done}/claim")
    assert sec.complete(done, {"title": "报告"}).status_code == 200
    with engine.db.transaction() as session:
        session.execute(update(Task).where(Task.id == late).values(due_at=clock.now() - timedelta(hours=1)))

    sign_in(page, engine, "official", "auditor")
    page.goto("/dashboard")
    expect(page.locator("#committees svg text.label")).to_have_count(2)
    expect(page.locator("#committees")).to_contain_text("暂停工作")
    expect(page.locator("#specs svg rect.bar")).to_have_count(2)
    expect(page.locator("#overdue li a")).to_have_text("提交申请")
    expect(page.locator("#closing li a")).to_contain_text("征求意见稿")
    expect(page.locator("#cycle svg text.value")).to_have_text("3")  # hours, from claim-free creation to completion
    page.shot("dashboard")

    page.goto("/inbox?lang=en")
    expect(page.locator("h1")).to_have_text("My inbox")
    expect(page.locator("#inbox-guide")).to_contain_text("Auditors read only")  # the overdue task is not theirs
    page.click("#views button[data-view='overdue']")
    expect(page.locator("#inbox tbody")).to_contain_text("No tasks")
    page.shot("inbox-english")
    page.goto("/admin/definitions")  # the language is remembered
    expect(page.locator("h1")).to_contain_text("Process definitions")
    page.shot("definitions-english")


def test_a_provincial_authority_sees_its_jurisdiction_only(page, engine, login):
    seed_committee(engine, "MTC12", status="active")  # national
    seed_committee(engine, "JS-MTC01", status="active", level="provincial", jurisdiction="江苏")
    seed_committee(engine, "ZJ-MTC01", status="suspended", level="provincial", jurisdiction="浙江")
    seed_spec(engine, "JJF-2026-101", stage="drafting")  # national
    seed_spec(engine, "JJF(苏)-2026-01", stage="planned", level="provincial", jurisdiction="江苏", committee="JS-MTC01")

    sign_in(page, engine, "auth_js", "authority:level/provincial/江苏")
    page.goto("/dashboard")
    expect(page.locator("#dashboard")).to_have_attribute("data-scope", "江苏")
    expect(page.locator("#dash-scope")).to_have_text("统计范围：江苏（省级） · 按您的授权")
    expect(page.locator("#committees svg text.value")).to_have_text(["1"])  # not the national or 浙江 ones
    expect(page.locator("#committees")).not_to_contain_text("暂停工作")
    expect(page.locator("#specs svg text.label")).to_have_count(1)
    expect(page.locator("#specs svg text.label title")).to_have_text("列入计划")
    page.shot("dashboard-provincial")

    page.context.clear_cookies()
    sign_in(page, engine, "official", "auditor")
    page.goto("/dashboard")
    expect(page.locator("#dashboard")).to_have_attribute("data-scope", "all")
    expect(page.locator("#committees svg text.value")).to_have_text(["2", "1"])
