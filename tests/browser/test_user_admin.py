"""A user admin creates an account with a scoped grant, adds and revokes grants, and deactivates it, on the page;
checked through the API. An auditor reads the same list without the forms."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_user_admin_creates_grants_and_deactivates(page, engine, login):
    ua = login("ua", "user_admin")
    sign_in(page, engine, "ua")
    page.goto("/admin/users")
    expect(page.locator("#users tbody tr[data-username='ua']")).to_contain_text("用户管理员")

    form = page.locator("#create-form")
    form.get_by_label("用户名").fill("zhang")
    form.get_by_label("初始密码").fill("correct horse battery")
    form.get_by_label("姓名").fill("张三")
    form.get_by_label("工作单位").fill("江苏省计量科学研究院")
    form.get_by_label("角色").select_option("member")
    form.get_by_label("范围").fill("committee/MTC-12")
    form.get_by_label("理由").fill("第三届委员会委员")
    form.locator("button[type=submit]").click()
    expect(page.locator("#message .ok")).to_have_text("已创建账号 zhang。")
    expect(page.locator("#users tbody tr[data-username='zhang']")).to_contain_text("委员 @ committee/MTC-12")
    expect(page.locator("#detail")).to_have_attribute("data-username", "zhang")

    grant = page.locator("#grant-form")
    grant.get_by_label("角色").select_option("chief_reviewer")
    grant.get_by_label("范围").fill("spec/JJF-2026-001")
    grant.get_by_label("理由").fill("秘书处推荐为主审人")
    grant.locator("button[type=submit]").click()
    expect(page.locator("#assignments tbody tr")).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept("换届"))
    page.locator("#assignments tbody tr", has_text="委员 @ committee/MTC-12").locator("button.revoke").click()
    expect(page.locator("#assignments tbody tr", has_text="委员 @ committee/MTC-12")).to_contain_text("已撤销")
    page.shot("user-detail")

    page.locator("#deactivate-form").get_by_label("停用理由").fill("调离")
    page.locator("#deactivate-form button").click()
    expect(page.locator("#message .ok")).to_contain_text("账号已停用")
    expect(page.locator("#users tbody tr[data-username='zhang']")).to_contain_text("已停用")
    page.shot("users-deactivated")

    body = ua.get("/users/zhang").get_json()
    assert body["active"] is False and body["unit"] == "江苏省计量科学研究院"
    live = [a["grant"] for a in body["assignments"] if not a["revoked_at"]]
    assert live == ["chief_reviewer:spec/JJF-2026-001"]
    revoked = next(a for a in body["assignments"] if a["revoked_at"])
    assert (revoked["revoked_by"], revoked["revoked_reason"]) == ("ua", "换届")


def test_auditor_reads_accounts_without_the_forms(page, engine, login):
    login("ua", "user_admin")
    sign_in(page, engine, "aud", "auditor")
    page.goto("/admin/users")
    expect(page.locator("#users tbody tr[data-username='ua']")).to_be_visible()
    expect(page.locator("#create")).to_be_hidden()
    page.locator("#users tbody tr[data-username='ua'] a").click()
    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#grant-form")).to_be_hidden()
    expect(page.locator("#deactivate-form")).to_be_hidden()
