"""Task forms in the browser: a member's ballot is never cast without a choice, and a drafter hands in P7's
documents through the form's file fields, and completing a task leads on to the user's next one; checked
through the API, not just on the page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.roles_support import start
from tests.browser.conftest import sign_in
from tests.conftest import BPMN
from tests.scenarios.spec_stories import p9_to_vote
from tests.scenarios.spec_support import World, deploy, seed_committee, seed_spec, spec_scope

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SPEC = "JJF-2026-101"
DOCUMENTS = {"征求意见稿": "征求意见稿.txt", "编写说明": "编写说明.txt", "试验报告": "试验报告.csv",
             "测量不确定度评定": "不确定度评定.txt"}


@pytest.fixture
def voting(engine, app, clock):
    """Committee MTC12's review of SPEC with the ballots open."""
    deploy(engine, "p9_technical_review.bpmn")
    seed_committee(engine)
    w = World(engine, app.test_client(), clock)
    seed_spec(engine, SPEC, stage="review", comment_closed_at="2026-02-01T00:00:00+00:00", comments_total=2,
              comments_answered=2)
    w.grant("drafter", f"drafter:spec/{SPEC}")
    iid = w.start("sec", "technical_review", scope=spec_scope(SPEC))["id"]
    p9_to_vote(w, iid, SPEC)
    return w, iid


def test_a_ballot_is_not_cast_until_the_member_chooses(page, engine, voting):
    w, iid = voting
    ballot = next(t for t in w.tasks(iid, "p9_task_vote") if t["assignee"] is None)
    sign_in(page, engine, "m2")
    page.goto(f"/tasks/{ballot['id']}")
    page.click("#claim")
    choice = page.get_by_label("表决")
    expect(choice).to_be_focused()  # focus moves into the form, not lost with the hidden button
    expect(choice).to_have_value("")  # nothing chosen for the member
    expect(choice.locator("option")).to_have_text(["请选择…", "赞成", "不赞成", "弃权"])
    expect(choice).to_have_attribute("aria-required", "true")
    expect(page.get_by_label("意见")).to_have_js_property("tagName", "TEXTAREA")  # 5000 characters: a text area
    assert page.locator("[name*='root['], [id*='opt-in']").count() == 0  # no internal names for screen readers

    page.click("#complete")
    expect(page.locator(".field[data-field='ballot.choice'] .field-error")).to_have_text("请选择一项")
    expect(choice).to_have_attribute("aria-invalid", "true")
    expect(choice).to_be_focused()
    expect(page.locator("#errors li")).to_have_text(["表决：请选择一项"])
    page.shot("ballot-unchosen")
    task = w.as_("m2").get(f"/tasks/{ballot['id']}").get_json()
    assert (task["state"], task["assignee"]) == ("claimed", "m2")  # still open: no ballot was cast
    refused = w.as_("m2").complete(ballot["id"], {"ballot": {"opinion": "未选择"}})  # nor by the API
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "ballot"

    page.goto(f"/tasks/{ballot['id']}?lang=en")  # back and in English: still nothing chosen, labels from the form
    expect(page.get_by_label("表决")).to_have_value("")
    expect(page.get_by_label("表决").locator("option").first).to_have_text("Choose…")
    page.goto(f"/tasks/{ballot['id']}?lang=zh")
    page.get_by_label("表决").select_option(label="不赞成")
    page.get_by_label("意见").fill("第 5 章的不确定度评定需补充示例。")
    page.click("#complete")
    expect(page.locator("#task-message .ok")).to_be_visible()
    expect(page.locator("#back-to-inbox")).to_be_focused()  # one ballot each: nothing more for m2 here
    page.shot("ballot-cast")
    task = w.as_("m2").get(f"/tasks/{ballot['id']}").get_json()
    assert (task["state"], task["completed_by"]) == ("completed", "m2")
    w.advance(days=16)  # the vote window closes; the secretariat counts
    w.do("sec", iid, "p9_task_count", {"count_note": "计票完毕"})
    ballots = w.spec(SPEC)["review"]["ballots"]
    assert [(b["voter"], b["choice"]) for b in ballots] == [("m2", "no")]


@pytest.fixture
def drafting(engine, app, clock):
    deploy(engine, "p7_drafting.bpmn")
    seed_committee(engine)
    w = World(engine, app.test_client(), clock)
    seed_spec(engine, SPEC, stage="planned", drafting_due="2027-03-02T16:00:00+00:00")
    w.grant("drafter", f"drafter:spec/{SPEC}")
    iid = w.start("drafter", "drafting", scope=spec_scope(SPEC))["id"]
    return w, iid


def test_drafter_uploads_the_documents_through_the_form(page, engine, drafting, tmp_path):
    w, iid = drafting
    task = w.task(iid, "p7_task_draft")
    sign_in(page, engine, "drafter")
    page.goto(f"/tasks/{task['id']}")
    page.click("#claim")
    action = page.get_by_label("操作")
    expect(action).to_have_value("")
    expect(page.get_by_label("征求意见稿")).to_be_hidden()  # the documents belong to "submit", not yet chosen
    page.click("#complete")
    expect(page.locator("#errors li")).to_have_text(["操作：请选择一项"])

    action.select_option(label="提交征求意见稿")
    draft = page.get_by_label("征求意见稿")
    expect(draft).to_have_attribute("type", "file")
    limits = page.locator(".field[data-field='comment_draft_document_id'] .limits")
    expect(limits).to_contain_text("20 MB")
    expect(limits).to_contain_text("PDF")
    expect(page.get_by_label("延期至")).to_be_hidden()
    page.click("#complete")  # four files missing: said at each field, nothing sent
    expect(page.locator("#errors li")).to_have_count(4)
    expect(draft).to_have_attribute("aria-invalid", "true")

    wrong = tmp_path / "draft.exe"
    wrong.write_bytes(b"MZ\x90\x00")
    draft.set_input_files(str(wrong))
    draft_field = page.locator(".field[data-field='comment_draft_document_id']")
    expect(draft_field.locator(".field-error")).to_contain_text("不接受此类文件")
    for label, filename in DOCUMENTS.items():
        path = tmp_path / filename
        path.write_text(f"{label}：{SPEC}\n", encoding="utf-8")
        page.get_by_label(label).set_input_files(str(path))
        expect(page.locator("#documents-list li", has_text=filename)).to_have_count(1)
    expect(page.locator(".upload a")).to_have_count(4)
    page.get_by_label("采用国际文件的依据").fill("无")
    page.shot("drafting-uploaded")
    download = page.locator("#documents-list a", has_text="编写说明.txt")
    body = page.request.get(download.get_attribute("href"))
    assert body.ok and body.text() == f"编写说明：{SPEC}\n"  # attached documents download from the task page

    page.click("#complete")
    expect(page.locator("#task-message .ok")).to_be_visible()
    expect(page.locator("#back-to-inbox")).to_be_visible()
    page.shot("drafting-completed")
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["drafting_outcome"] == "drafted"
    drafting_docs = w.spec(SPEC)["documents"]["drafting"]
    assert {kind: docs[0]["filename"] for kind, docs in drafting_docs.items()} == DOCUMENTS
    page.goto(f"/instances/{iid}")  # and on the instance page
    expect(page.locator("#documents-list a")).to_have_text(list(DOCUMENTS.values()))  # upload order


def test_task_page_works_without_the_front_end_packages(page, engine, drafting, monkeypatch, tmp_path):
    monkeypatch.setenv("MTCFLOW_NODE_MODULES", str(tmp_path / "none"))  # as if npm ci never ran
    w, iid = drafting
    task = w.task(iid, "p7_task_draft")
    sign_in(page, engine, "drafter")
    page.goto(f"/tasks/{task['id']}")
    expect(page.locator("#diagram")).to_contain_text("流程图组件未安装")
    page.click("#claim")
    page.get_by_label("操作").select_option(label="申请延期")
    page.get_by_label("延期至").fill("2027-06-30")
    expect(page.get_by_label("延期至")).to_have_attribute("type", "date")
    page.get_by_label("延期理由").fill("试验数据需补充一个季度。")
    page.click("#complete")
    expect(page.locator("#task-message .ok")).to_be_visible()
    page.shot("no-packages")
    assert w.instance(iid)["data"]["extension_until"] == "2027-06-30"


def test_after_completing_the_next_task_of_the_instance_is_offered(page, engine, admin, login):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "web_review", {"committee": "MTC-12"})
    sign_in(page, engine, "both", "secretariat:committee/MTC-12", "authority")  # submits, then reviews
    page.goto(f"/tasks/{inst['tasks'][0]['id']}")
    page.click("#claim")
    page.get_by_label("标题").fill("年度报告")
    page.click("#complete")
    following = page.locator("#next-task")
    expect(following).to_be_focused()
    expect(following).to_have_text("继续办理：审查")
    following.click()
    page.click("#claim")
    approved = page.get_by_label("是否批准")  # a required yes/no starts unanswered too
    expect(approved.locator("option")).to_have_text(["请选择…", "是", "否"])
    page.click("#complete")
    expect(page.locator("#errors li")).to_have_text(["是否批准：请选择一项"])
    approved.select_option(label="否")
    page.click("#complete")
    expect(page.locator("#back-to-inbox")).to_be_focused()
    after = sec.get(f"/instances/{inst['id']}").get_json()
    assert after["state"] == "completed" and after["data"]["approved"] is False
