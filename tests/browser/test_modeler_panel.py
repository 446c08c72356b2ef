"""A process admin sets our mtc: attributes, conditions and names in the modeler's properties panel and deploys
them; the modeler refuses diagrams with lint errors or bpmn-js' default process id, keeps a draft across a
language switch, and members are not offered the definition pages."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import BPMN

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def open_modeler(page, url: str) -> list[str]:
    """Open the modeler and return the console messages it logs."""
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(url)
    expect(page.locator("#modeler-page[data-ready='1']")).to_have_count(1)
    return console


def select(page, element_id: str) -> None:
    page.evaluate("id => { const m = window.mtcModeler;"
                  " m.get('selection').select(m.get('elementRegistry').get(id)); }", element_id)


def open_group(page) -> None:
    header = page.locator("#properties .bio-properties-panel-group-header", has_text="mtcflow 扩展属性")
    header.click()


def deployed_xml(admin, version: int) -> str:
    return admin.get(f"/definitions/web_review/versions/{version}/xml").get_data(as_text=True)


def test_panel_sets_role_form_key_and_due_which_deploy(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "modeller", "process_admin")
    console = open_modeler(page, "/admin/modeler?key=web_review&version=1")

    select(page, "lane_auth")
    open_group(page)
    role = page.locator("#bio-properties-panel-mtc-role")
    expect(role).to_have_value("authority")
    expect(role.locator("option[value='chair']")).to_have_text("主任委员 (chair)")
    role.select_option("chair")

    select(page, "review")
    expect(page.locator("#bio-properties-panel-mtc-formKey")).to_be_visible()  # the group stays open
    page.fill("#bio-properties-panel-mtc-formKey", "test_submit")
    page.fill("#bio-properties-panel-mtc-due", "P20WD")
    page.locator("#bio-properties-panel-mtc-duty").select_option("chief_review")
    page.shot("panel-user-task")
    page.wait_for_timeout(400)  # the panel's text fields commit after a short debounce

    page.click("#deploy")
    expect(page.locator("#modeler-status")).to_contain_text("web_review v2")
    xml = deployed_xml(admin, 2)
    assert 'id="lane_auth" name="批准机关" mtc:role="chair"' in xml
    assert 'mtc:formKey="test_submit"' in xml.split('id="review"')[1].split(">")[0]
    assert 'mtc:due="P20WD"' in xml and 'mtc:duty="chief_review"' in xml
    assert not [m for m in console if "unsupported configuration" in m]


def test_panel_sets_a_gateway_condition(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "modeller", "process_admin")
    open_modeler(page, "/admin/modeler?key=web_review&version=1")
    page.evaluate("""() => {  // the review becomes a decision: f3 now leaves an exclusive gateway
        const m = window.mtcModeler;
        m.get('bpmnReplace').replaceElement(m.get('elementRegistry').get('review'), { type: 'bpmn:ExclusiveGateway' });
    }""")
    select(page, "f3")
    open_group(page)
    page.fill("#bio-properties-panel-mtc-condition", 'decision == "approve"')
    page.wait_for_timeout(400)
    page.click("#deploy")
    expect(page.locator("#modeler-status")).to_contain_text("web_review v2")
    flow = deployed_xml(admin, 2).split('id="f3"')[1].split("</bpmn:sequenceFlow>")[0]
    assert 'decision == "approve"' in flow.replace("&#34;", '"').replace("&quot;", '"')


def test_lint_errors_block_deploy(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "modeller", "process_admin")
    open_modeler(page, "/admin/modeler?key=web_review&version=1")
    page.evaluate("""() => {  // cut the flow into the review: it can never be reached
        const m = window.mtcModeler;
        m.get('modeling').removeElements([m.get('elementRegistry').get('f2')]);
    }""")
    page.click("#deploy")
    expect(page.locator("#modeler-status")).to_contain_text("存在规则检查错误，不能部署")
    expect(page.locator("#findings li[data-element='review']").first).to_contain_text("no-implicit-start")
    page.shot("lint-refused")
    assert [v["version"] for v in admin.get("/definitions/web_review").get_json()["versions"]] == [1]


def test_blank_diagram_with_default_id_is_refused(page, engine, admin):
    sign_in(page, engine, "modeller", "process_admin")
    open_modeler(page, "/admin/modeler")
    page.click("#deploy")
    expect(page.locator("#modeler-status")).to_contain_text("请先设置流程标识和名称")
    expect(page.locator("#modeler-status")).to_contain_text("Process_1")
    assert admin.get("/definitions").get_json()["items"] == []


def test_language_switch_keeps_the_draft(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "modeller", "process_admin")
    console = open_modeler(page, "/admin/modeler?key=web_review&version=1")
    page.evaluate("""() => {
        const m = window.mtcModeler;
        m.get('modeling').updateLabel(m.get('elementRegistry').get('submit'), '尚未部署的名称');
    }""")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en**")
    expect(page.locator("#modeler-page[data-ready='1']")).to_have_count(1)
    assert "key=web_review" in page.url and "version=1" in page.url
    expect(page.locator(".djs-element[data-element-id='submit'] .djs-label")).to_contain_text("尚未部署的名称")
    expect(page.locator("#modeler-status")).to_contain_text("Restored the changes")
    page.reload()  # the draft is used once: a reload shows the stored version again
    expect(page.locator(".djs-element[data-element-id='submit'] .djs-label")).to_contain_text("提交申请")
    assert not [m for m in console if "unsupported configuration" in m]


def test_members_are_not_offered_process_management(page, engine, admin):
    admin.deploy(BPMN / "web_review.bpmn")
    sign_in(page, engine, "member1", "member")
    page.goto("/inbox")
    expect(page.get_by_role("link", name="我的待办")).to_be_visible()
    expect(page.get_by_role("link", name="流程管理")).to_have_count(0)
    page.goto("/admin/definitions/web_review")
    expect(page.locator("#versions tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="在建模器中编辑")).to_have_count(0)
    page.goto("/admin/definitions")
    expect(page.get_by_role("link", name="新建流程")).to_have_count(0)


def test_missing_front_end_packages_are_explained(page, engine):
    sign_in(page, engine, "modeller", "process_admin")
    page.route("**/vendor/lint/properties.js", lambda route: route.fulfill(status=404, body="not found"))
    page.goto("/admin/modeler")
    expect(page.locator("#modeler-status")).to_contain_text("建模器所需的前端组件未安装")
    expect(page.locator("#deploy")).to_be_disabled()
