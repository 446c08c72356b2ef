"""Instance diagrams zoom with Ctrl + mouse wheel and pan by dragging (bpmn-js' navigated viewer)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.roles_support import start
from tests.browser.conftest import sign_in
from tests.conftest import BPMN

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_instance_diagram_zooms_and_pans(page, engine, admin, login):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, "web_review", {"committee": "MTC-12"})
    login("auditor1", "auditor")
    sign_in(page, engine, "auditor1")
    page.goto(f"/instances/{inst['id']}")
    viewport = page.locator("#diagram svg g.viewport").first
    expect(page.locator("#diagram .djs-element.active[data-element-id='submit']")).to_have_count(1)
    before = viewport.get_attribute("transform")
    box = page.locator("#diagram").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    expect(viewport).not_to_have_attribute("transform", before)
    zoomed = viewport.get_attribute("transform")
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 80, steps=5)
    page.mouse.up()
    expect(viewport).not_to_have_attribute("transform", zoomed)
