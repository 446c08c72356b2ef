"""The public (no login) comments on an open notice from the board and is refused on a closed one."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.scenarios.notice_support import start

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SCOPE = {"committee": "MTC-12", "specification": "JJF-2026-001", "level": "national"}


def test_public_comments_on_open_notice_only(page, admin, login, clock):
    admin.deploy("notice_window.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    closed = start(sec, scope=SCOPE)["data"]["notice_id"]
    clock.advance(days=20)
    sec = login("sec12")  # a fresh token: the first one expired with the clock
    opened = start(sec, scope=SCOPE, variables={"notice_kind": "comment_draft", "notice_window": "comment_window",
                                                "notice_subject": "JJF 1002—2026 征求意见稿",
                                                "notice_ref": "JJF-2026-002"})["data"]["notice_id"]
    clock.advance(days=11)  # the first window (30 days) is over, the second is open

    page.goto("/notices")
    expect(page.locator("ul.notices li")).to_have_count(2)
    expect(page.locator("ul.notices li[data-status='open']")).to_contain_text("JJF 1002")
    page.shot("board")

    page.locator("ul.notices li[data-status='open'] a").click()
    expect(page.locator("#notice")).to_have_attribute("data-status", "open")
    page.fill("input[name=author]", "王五")
    page.fill("textarea[name=text]", "第4.1条的测量范围建议扩大。")
    page.click("#comment-form button[type=submit]")
    expect(page.locator("#comment-message .ok")).to_have_text("意见已收到，谢谢。")
    page.shot("notice-commented")
    assert page.context.request.get(f"/api/v1/notices/{opened}").json()["comment_count"] == 1

    page.goto(f"/notices/{closed}")
    expect(page.locator("#notice")).to_have_attribute("data-status", "closed")
    expect(page.locator("#comment-form")).to_be_hidden()  # no form that could only be refused
    expect(page.locator("#comments-closed")).to_have_text("公示期已结束，不再接收意见。")
    page.shot("notice-refused")
    refused = page.context.request.post(f"/api/v1/notices/{closed}/comments",
                                        data={"author": "王五", "text": "迟到的意见。", "kind": "comment"})
    assert refused.status == 409
    assert page.context.request.get(f"/api/v1/notices/{closed}").json()["comment_count"] == 0


def test_staff_read_the_comments_and_objections(page, engine, admin, login, clock):
    """The secretariat sees every comment and objection with the sender's contact; the public sees none of it."""
    from tests.browser.conftest import sign_in

    admin.deploy("notice_window.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    notice = start(sec, scope=SCOPE)["data"]["notice_id"]
    for kind, text in (("comment", "建议补充术语定义。"), ("objection", "主要起草单位不具备相应能力。")):
        response = page.context.request.post(f"/api/v1/notices/{notice}/comments", data={
            "author": "赵六", "unit": "某计量院", "contact": "010-12345678", "text": text, "kind": kind})
        assert response.status == 201
    page.goto(f"/notices/{notice}")
    expect(page.locator("#notice")).to_have_attribute("data-status", "open")
    expect(page.locator("#staff-comments")).to_be_hidden()
    sign_in(page, engine, "sec12")
    page.goto(f"/notices/{notice}")
    expect(page.locator("#staff-list li")).to_have_count(2)
    expect(page.locator("#staff-list li[data-kind='objection']")).to_contain_text("异议")
    expect(page.locator("#staff-list li[data-kind='objection']")).to_contain_text("010-12345678")
    page.shot("notice-staff")


def test_api_docs_from_the_local_swagger_ui(page):
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("mtcflow")
    page.shot("api-docs")
