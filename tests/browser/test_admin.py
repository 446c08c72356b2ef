"""A process admin renames a task in the bpmn-js modeler, validates, deploys version n+1 and sees the change
in the version diff."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import BPMN

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_admin_edits_a_label_and_deploys_next_version(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "modeller", "process_admin")
    page.goto("/admin/definitions")
    page.get_by_role("link", name="web_review").click()
    expect(page.locator("#versions tbody tr")).to_have_count(1)
    page.shot("definition-v1")
    page.get_by_role("link", name="在建模器中编辑").click()
    expect(page.locator("#modeler-page[data-ready='1']")).to_have_count(1)

    page.locator(".djs-element[data-element-id='submit']").dblclick()  # bpmn-js direct editing
    editor = page.locator(".djs-direct-editing-parent [contenteditable]")
    expect(editor).to_be_visible()
    page.keyboard.press("Control+A")
    page.keyboard.type("提交材料")
    page.keyboard.press("Enter")  # completes the direct editing
    expect(page.locator(".djs-element[data-element-id='submit'] .djs-label")).to_contain_text("提交材料")

    page.click("#validate")
    expect(page.locator("#modeler-status")).to_contain_text("校验通过")
    page.click("#deploy")
    expect(page.locator("#modeler-status")).to_contain_text("web_review v2")
    page.shot("modeler-deployed")

    versions = admin.get("/definitions/web_review").get_json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    page.goto("/admin/definitions/web_review")
    expect(page.locator(".diff-changed li[data-id='submit']")).to_contain_text("“提交申请” → “提交材料”")
    expect(page.locator(".diff-added")).to_have_count(0)
    page.shot("definition-diff")


def test_validation_findings_are_shown(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "modeller", "process_admin")
    page.goto("/admin/modeler?key=web_review&version=1")
    expect(page.locator("#modeler-page[data-ready='1']")).to_have_count(1)
    page.evaluate("""() => {  // a gateway condition the sandbox refuses
        const m = window.mtcModeler, registry = m.get('elementRegistry');
        const flow = registry.get('f2').businessObject;
        const expr = m.get('moddle').create('bpmn:FormalExpression', { body: '__import__("os")' });
        m.get('modeling').updateProperties(registry.get('f2'), { conditionExpression: expr });
    }""")
    page.click("#validate")
    expect(page.locator("#modeler-status")).to_contain_text("校验未通过")
    expect(page.locator("#findings li").first).to_be_visible()
    page.shot("modeler-invalid")


def test_new_diagram_opens_blank_and_validates(page, engine):
    sign_in(page, engine, "modeller", "process_admin")
    page.goto("/admin/modeler?lang=en")
    expect(page.locator("#modeler-page[data-ready='1']")).to_have_count(1)
    expect(page.locator("#canvas .djs-element[data-element-id='StartEvent_1']")).to_have_count(1)
    page.click("#validate")  # the engine refuses bpmn-js' default process id, as deploy does
    expect(page.locator("#modeler-status")).to_have_text("Invalid")
    expect(page.locator("#findings li[data-element='Process_1']")).to_contain_text("modeler's default")
    # bpmnlint (recommended rules) runs as you edit: a lone start event has findings, shown on it
    expect(page.locator(".djs-overlays[data-container-id='StartEvent_1'] .bjsl-overlay")).to_have_count(1)
    expect(page.locator(".bjsl-button")).to_contain_text("Errors")
    page.shot("modeler-new")
