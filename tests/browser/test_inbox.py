"""Each role's inbox and the pages around it, walked in Chromium: only what the user can act on, what they did,
notifications, starting, reassigning, cancelling, and the errors a person runs into."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from engine import clock as engine_clock
from engine.runtime.models import Notification
from tests.api.roles_support import make_user, start
from tests.browser.conftest import sign_in
from tests.conftest import BPMN, PASSWORD

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
OUT = Path("test-output")
SCOPE = {"committee": "MTC-12", "specification": "JJF-A", "level": "national"}
MEMBER = ("member:committee/MTC-12",)


def shot(page, name: str) -> None:
    """The conftest's screenshot, and a copy under test-output/ for the issue."""
    path = page.shot(name)
    OUT.mkdir(exist_ok=True)
    shutil.copy(path, OUT / f"inbox-{name}.png")


def rows(page, element: str):
    return page.locator(f"#inbox tr[data-element='{element}']")


def test_member_inbox_after_voting_shows_only_what_is_left(page, engine, admin, login):
    admin.deploy("roles_review.bpmn")
    sec = login("sec", "secretariat:committee/MTC-12")
    make_user(engine, "m1", *MEMBER)
    inst = start(sec, "roles_review", SCOPE, {"voters": ["m1", "m2", "m3", "m4"], "livelihood": False,
                                             "drafters": [], "drafting_units": []})
    ballots = [t["id"] for t in inst["tasks"] if t["element_id"] == "vote"]
    sign_in(page, engine, "m1")
    expect(rows(page, "vote")).to_have_count(4)
    shot(page, "member-before-vote")

    page.goto(f"/tasks/{ballots[0]}")
    page.click("#claim")
    expect(page.locator("#complete")).to_be_visible()
    voter = login("m1")
    assert voter.complete(ballots[0], {"ballot": {"voter": "m1", "choice": "yes"}}).status_code == 200

    page.goto("/inbox")
    expect(page.locator("#inbox-guide")).to_be_visible()  # nothing left to do: guidance, not a blank table
    expect(page.locator("#inbox-guide")).to_contain_text("您当前没有需要办理的任务")
    shot(page, "member-after-vote")
    page.click("#views button[data-view='done']")
    expect(page.locator("#inbox tbody tr")).to_have_count(1)
    expect(page.locator(f"#inbox tr[data-task-id='{ballots[0]}']")).to_contain_text("已完成")
    shot(page, "member-done")

    page.goto(f"/tasks/{ballots[1]}")  # a stale link to another ballot: refused, in Chinese, once
    page.click("#claim")
    expect(page.locator("#errors")).to_have_text("您在本次表决中已领取或已投出一票，不能再领取其他表决票。")
    shot(page, "claim-refused")
    assert sec.get(f"/tasks/{ballots[1]}").get_json()["state"] == "ready"


def test_auditor_and_provincial_authority_see_guidance_and_filters_work(page, engine, admin, login):
    admin.deploy("roles_review.bpmn")
    sec = login("sec", "secretariat:committee/MTC-12")
    start(sec, "roles_review", SCOPE, {"voters": ["m1"], "livelihood": False, "drafters": [], "drafting_units": []})
    sign_in(page, engine, "aud", "auditor")
    expect(page.locator("#inbox-guide")).to_contain_text("审计角色只读")
    expect(page.locator("#inbox")).to_be_hidden()
    shot(page, "auditor-empty")

    page.context.clear_cookies()
    sign_in(page, engine, "js_amr", "authority:level/provincial/320000")
    expect(page.locator("#inbox-guide")).to_contain_text("authority @ level/provincial/320000")
    shot(page, "provincial-empty")

    page.context.clear_cookies()
    sign_in(page, engine, "sec2", "secretariat:committee/MTC-12")
    expect(page.locator("#inbox tbody tr")).to_have_count(1)  # the secretariat's own step, no ballots
    page.fill("input[name=q]", "不存在的任务")
    page.click("#filters button[type=submit]")
    expect(page.locator("#inbox tbody")).to_contain_text("没有符合筛选条件的任务")
    assert "q=" in page.url  # the filter is in the address, so it can be bookmarked
    page.click("#views button[data-view='claimable']")
    page.fill("input[name=q]", "")
    page.fill("input[name=committee]", "MTC-99")
    page.click("#filters button[type=submit]")
    expect(page.locator("#inbox tbody")).to_contain_text("没有符合筛选条件的任务")
    shot(page, "filtered")


def test_bell_count_drops_after_marking_read(page, engine, admin, login):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "web_review", {"committee": "MTC-12"})
    with engine.db.transaction() as session:
        for kind in ("reminder", "overdue"):
            session.add(Notification(recipient="sec12", kind=kind, message=f"{kind} 提交申请", instance_id=inst["id"],
                                     process_key="web_review", element_id="submit", source_task_id=f"timer-{kind}",
                                     task_id=inst["tasks"][0]["id"], task_name="提交申请",
                                     created_at=engine_clock.now()))
    sign_in(page, engine, "sec12")
    expect(page.locator("#bell-count")).to_have_text("2")
    page.click("#bell")
    expect(page.locator("ul.notifications li.unread")).to_have_count(2)
    expect(page.locator("ul.notifications")).to_contain_text("逾期警告")
    shot(page, "notifications")
    page.locator("ul.notifications li.unread .mark-read").first.click()
    expect(page.locator("#bell-count")).to_have_text("1")
    expect(page.locator("ul.notifications li.unread")).to_have_count(1)
    assert sec.get("/notifications").get_json()["unread"] == 1
    page.click("#mark-all")
    expect(page.locator("#bell-count")).to_be_hidden()


def test_secretariat_starts_reassigns_releases_and_cancels(page, engine, admin, login):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    make_user(engine, "sec_b", "secretariat:committee/MTC-12")
    sign_in(page, engine, "sec12")
    page.click("header nav >> text=发起流程")
    page.select_option("select[name=process_key]", "web_review")
    expect(page.locator("input[name=committee]")).to_have_value("MTC-12")  # from the grant
    page.fill("input[name=business_key]", "MTC-12-2026-年报")
    shot(page, "start")
    page.click("#start-form button[type=submit]")
    expect(page.locator("#start-message .ok")).to_contain_text("流程已发起")
    instance_id = page.locator("#start-message .ok").get_attribute("data-instance-id")
    made = sec.get(f"/instances/{instance_id}").get_json()
    assert (made["process_key"], made["business_key"], made["scope"]["committee"]) == \
        ("web_review", "MTC-12-2026-年报", "MTC-12")

    page.click("#open-first-task")
    page.click("#claim")
    expect(page.locator("#unclaim")).to_be_visible()
    page.click("#unclaim")  # release: back to the pool
    expect(page.locator("#task-message")).to_contain_text("已退回任务池")
    task_id = made["tasks"][0]["id"]
    assert sec.get(f"/tasks/{task_id}").get_json()["state"] == "ready"

    page.fill("#reassign-form input[name=assignee]", "sec_b")
    page.click("#reassign-form button[type=submit]")
    expect(page.locator("#reassign-message .error")).to_have_text("请填写原因。")
    page.fill("#reassign-form input[name=reason]", "原经办人出差，改由 sec_b 办理")
    page.click("#reassign-form button[type=submit]")
    expect(page.locator("#reassign-message .ok")).to_have_text("已转派给 sec_b。")
    shot(page, "reassigned")
    history = sec.get(f"/instances/{instance_id}/history?per_page=200").get_json()["items"]
    assigned = [e for e in history if e["type"] == "task_assigned"]
    assert assigned and assigned[-1]["data"]["reason"] == "原经办人出差，改由 sec_b 办理"
    assert sec.get(f"/tasks/{task_id}").get_json()["assignee"] == "sec_b"

    page.click("#instance-link")
    expect(page.locator("#timeline")).to_contain_text("指派任务")
    page.click("#cancel-form button[type=submit]")
    expect(page.locator("#cancel-message .error")).to_have_text("请填写原因。")
    page.fill("#cancel-form input[name=reason]", "重复发起")
    page.click("#cancel-form button[type=submit]")
    expect(page.locator("#cancel-message .ok")).to_have_text("流程已撤销。")
    shot(page, "cancelled")
    assert sec.get(f"/instances/{instance_id}").get_json()["state"] == "cancelled"


def test_errors_a_person_runs_into(page, engine):
    make_user(engine, "sec12", "secretariat:committee/MTC-12")
    page.goto("/login")
    page.fill("input[name=username]", "sec12")
    page.fill("input[name=password]", "wrong-" + PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("p.error")).to_have_text("用户名或密码错误。")
    expect(page.locator("input[name=username]")).to_have_value("sec12")  # only the password to type again
    expect(page.locator("input[name=password]")).to_be_focused()
    shot(page, "login-failed")

    response = page.goto("/no-such-page")
    assert response.status == 404 and "text/html" in response.headers["content-type"]
    expect(page.locator("#error-page h1")).to_have_text("页面不存在")
    shot(page, "404")
    assert page.context.request.get("/api/v1/no-such").headers["content-type"].startswith("application/problem+json")

    sign_in(page, engine, "sec12")
    page.goto("/instances/00000000-0000-0000-0000-000000000000")
    expect(page.locator("#not-found")).to_have_text("未找到该流程实例，或您无权查看。")
    expect(page.locator("body")).not_to_contain_text("无权校验")
    shot(page, "instance-missing")
