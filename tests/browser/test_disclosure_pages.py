"""Public pages of issue 15 (no login): a visitor finds a published specification by a word of its text and
downloads it, the file hashing to the sha256 the page shows; a need submitted on the needs page reaches the
secretariat's screening list and is accepted there."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.scenarios.spec_support import CODE, World, deploy, seed_committee
from tests.scenarios.test_publication_fulltext import TEXT, publish

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
OUTPUT = Path("test-output")


def keep(page, name: str) -> None:
    """The conftest's screenshot, and a copy under test-output/ beside the other reports."""
    OUTPUT.mkdir(exist_ok=True)
    page.shot(name)
    page.screenshot(path=str(OUTPUT / f"issue15-{name}.png"), full_page=True)


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p10_approval_submission.bpmn", "p6_project_approval.bpmn")
    seed_committee(engine)
    return World(engine, app.test_client(), clock)


def test_visitor_finds_a_specification_by_its_text_and_downloads_it(page, w):
    publish(w, "JJF-2026-101", TEXT, title="电子天平校准规范", field="质量", adoption_degree="MOD",
            adopted_document="OIML R 76-1:2006")
    page.goto("/public/specifications")
    expect(page.locator("#results tr[data-spec-id]")).to_have_count(1)
    page.fill("input[name=text]", "分度值")
    page.click("#search button[type=submit]")
    expect(page.locator("#result-count")).to_have_text("共找到 1 项")
    expect(page.locator("#results tr[data-spec-id='JJF-2026-101']")).to_contain_text("电子天平校准规范")
    page.fill("input[name=text]", "不存在的词语")
    page.click("#search button[type=submit]")
    expect(page.locator("#result-count")).to_have_text("共找到 0 项")
    page.fill("input[name=text]", "分度值")
    page.click("#search button[type=submit]")
    keep(page, "fulltext-search")

    page.locator("#results tr[data-spec-id='JJF-2026-101'] a").click()
    expect(page.locator("#spec")).to_have_attribute("data-loaded", "true")
    expect(page.locator("#spec-heading")).to_contain_text("JJF 1001—2026 电子天平校准规范")
    expect(page.locator("#spec-facts")).to_contain_text("MOD（修改采用）OIML R 76-1:2006")
    expect(page.locator("#spec-history li[data-action='approved']")).to_have_count(1)
    expect(page.locator("#spec-links li[data-rel='successor']")).to_contain_text("无")
    shown = page.locator("#sha256").text_content()
    keep(page, "specification")
    with page.expect_download() as info:
        page.click("#download")
    body = Path(info.value.path()).read_bytes()
    assert body == TEXT
    assert hashlib.sha256(body).hexdigest() == shown


def test_anonymous_need_is_screened_and_accepted_by_the_secretariat(page, w, engine):
    call = w.as_("sec").post("/need-calls", json={"title": "2027 年度规范需求征集", "committee": CODE}).get_json()
    page.goto("/needs")
    form = page.locator(f"section[data-call-id='{call['id']}'] form")
    form.locator("input[name=title]").fill("智能水表检定规程")
    form.locator("input[name=field]").fill("流量")
    form.locator("textarea[name=reason]").fill("智能水表大量安装，现行规程不适用。")
    form.locator("input[name=unit]").fill("某市自来水公司")
    form.locator("input[name=contact]").fill("010-12345678")
    form.locator("button[type=submit]").click()
    expect(form.locator(".need-message .ok")).to_contain_text("需求已收到")
    need_id = form.locator(".need-message .ok").get_attribute("data-need-id")
    keep(page, "need-submitted")

    sign_in(page, engine, "sec")
    page.goto(f"/needs/screening?call={call['id']}")
    row = page.locator(f"#needs tr[data-need-id='{need_id}']")
    expect(row).to_have_attribute("data-status", "submitted")
    expect(row).to_contain_text("智能水表检定规程")
    expect(row).to_contain_text("010-12345678")  # the contact is the secretariat's to read
    row.locator("button.accept").click()
    expect(row).to_have_attribute("data-status", "accepted")
    expect(page.locator("#screen-message .ok")).to_contain_text("已采纳：智能水表检定规程")
    keep(page, "need-accepted")
    staff = w.as_("sec").get(f"/need-calls/{call['id']}/needs").get_json()["items"]
    assert [(n["id"], n["status"], n["screened_by"]) for n in staff] == [(int(need_id), "accepted", "sec")]
