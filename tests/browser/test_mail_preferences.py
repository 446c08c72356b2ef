"""The e-mail section of the notifications page (issue 20): a user sets an address, the kinds and a daily digest."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engine.mail import preferences
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_a_user_sets_e_mail_preferences_on_the_notifications_page(page, engine):
    sign_in(page, engine, "drafter1", "drafter")
    page.goto("/notifications")
    section = page.locator("#mail-preferences")
    expect(section).to_contain_text("邮件提醒")
    expect(page.locator("#mail-off")).to_be_visible()  # no SMTP server in this test: said, not hidden
    expect(page.locator("#mail-kinds input[name=kind]")).to_have_count(len(preferences.KINDS))
    page.fill("#mail-address", "drafter1@example.cn")
    page.locator("#mail-kinds label", has_text="公示结束").locator("input").uncheck()
    page.check('input[name="mail-mode"][value="digest"]')
    page.click("#mail-form button[type=submit]")
    expect(page.locator("#mail-message")).to_contain_text("邮件设置已保存")
    page.shot("mail-preferences")
    with engine.db.transaction() as session:
        assert preferences.get(session, "drafter1") == {
            "address": "drafter1@example.cn", "kinds": [k for k in preferences.KINDS if k != "notice"],
            "digest": True}
    page.reload()
    expect(page.locator("#mail-address")).to_have_value("drafter1@example.cn")
    expect(page.locator('input[name="mail-mode"][value="digest"]')).to_be_checked()
