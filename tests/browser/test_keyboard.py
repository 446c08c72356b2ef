"""Keyboard only: a member signs in, finds the ballot in the inbox, claims it and casts a vote, and an auditor
replays an instance, with Tab, Enter and Space (and the arrow keys a select or a slider is operated with), never
the mouse. Focus is never lost, errors are announced and linked, and axe finds nothing serious on the way."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import axe_source, describe, picture, violations
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import SPEC, world  # noqa: F401  (the fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def focused(tab, selector: str) -> bool:
    return tab.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(tab, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on what the selector names, as someone without a mouse would."""
    for _ in range(limit):
        if focused(tab, selector):
            return
        tab.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached in {limit} presses of Tab")


def keyboard_sign_in(tab, username: str) -> None:
    tab.goto("/login")
    tab_to(tab, "input[name=username]")
    tab.keyboard.type(username)
    tab.keyboard.press("Tab")
    tab.keyboard.type(PASSWORD)
    tab.keyboard.press("Enter")
    tab.wait_for_url(lambda url: "/login" not in url)


def no_serious(tab, source: str) -> None:
    found = violations(tab, source)
    assert not found, describe(found)


def test_a_member_votes_with_the_keyboard_only(page, engine, world):  # noqa: F811
    source = axe_source()
    keyboard_sign_in(page, "m2")
    page.goto("/inbox")
    page.wait_for_load_state("networkidle")
    tab_to(page, f"a[href='/tasks/{world['ballot']}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tasks/{world['ballot']}")
    expect(page.locator("#claim")).to_be_visible()

    tab_to(page, "#claim")
    page.keyboard.press("Space")
    choice = page.get_by_label("表决")
    expect(choice).to_be_focused()  # the claim button hides itself: focus goes to the first field, not <body>
    expect(page.locator("#claim")).to_be_hidden()

    tab_to(page, "#complete")
    page.keyboard.press("Enter")  # nothing chosen yet: refused at the field, the alert lists it
    expect(choice).to_be_focused()
    expect(choice).to_have_attribute("aria-invalid", "true")
    described = choice.get_attribute("aria-describedby").split()
    assert page.locator(".field[data-field='ballot.choice'] .field-error").get_attribute("id") in described
    expect(page.locator("#errors[role=alert] li a")).to_have_text(["表决：请选择一项"])
    no_serious(page, source)
    picture(page, "keyboard-vote-refused")

    page.keyboard.press("ArrowDown")  # a closed select steps through its options with the arrows
    page.keyboard.press("ArrowDown")
    expect(choice.locator("option:checked")).to_have_text("不赞成")
    tab_to(page, "textarea")
    page.keyboard.type("第 5 章需补充示例。")
    tab_to(page, "#complete")
    page.keyboard.press("Enter")
    expect(page.locator("#back-to-inbox")).to_be_focused()  # the way on has the focus
    no_serious(page, source)
    picture(page, "keyboard-vote-cast")

    ballot = page.context.request.get(f"/api/v1/tasks/{world['ballot']}").json()  # the member's own session
    assert (ballot["state"], ballot["completed_by"]) == ("completed", "m2")
    w = world["world"]
    w.advance(days=16)  # the vote window closes; the secretariat counts: the ballot says what was chosen
    w.do("sec", world["instance"], "p9_task_count", {"count_note": "计票完毕"})
    assert [(b["voter"], b["choice"]) for b in w.spec(SPEC)["review"]["ballots"]] == [("m2", "no")]


def test_an_auditor_replays_with_the_keyboard_only(page, engine, world):  # noqa: F811
    source = axe_source()
    keyboard_sign_in(page, "auditor")
    page.goto("/instances")
    page.wait_for_load_state("networkidle")
    tab_to(page, f"a[href='/instances/{world['instance']}']")
    page.keyboard.press("Enter")
    root = page.locator("#instance")
    page.wait_for_function("() => document.getElementById('instance').dataset.step")
    last = int(root.get_attribute("data-step"))

    slider = page.get_by_role("slider", name="回放")  # named by its label, not by the step it shows
    tab_to(page, "#replay")
    expect(slider).to_be_focused()
    page.keyboard.press("Home")
    expect(root).to_have_attribute("data-step", "1")
    expect(slider).to_have_attribute("aria-valuetext", f"步骤 1 / {last}")
    page.keyboard.press("ArrowRight")
    expect(root).to_have_attribute("data-step", "2")
    expect(page.locator("#timeline li.current")).to_have_attribute("data-seq", "2")

    tab_to(page, "#timeline li[data-seq='4'] a")  # the history's entries are links: Enter jumps there
    page.keyboard.press("Enter")
    expect(root).to_have_attribute("data-step", "4")
    expect(slider).to_have_value("4")
    no_serious(page, source)
    picture(page, "keyboard-replay")


def test_diagram_labels_are_drawn_in_the_simplified_chinese_font_on_english_pages(page, engine, world):  # noqa: F811
    sign_in(page, engine, "auditor")
    page.goto(f"/instances/{world['instance']}?lang=en")
    label = page.locator("#diagram .djs-label").first
    expect(label).to_be_attached()
    font = label.evaluate("(e) => getComputedStyle(e).fontFamily + ' ' + getComputedStyle(e).fontSize")
    assert font.startswith('"Noto Sans CJK SC"') and font.endswith(("12px", "13px")), font
    picture(page, "diagram-labels-en")
