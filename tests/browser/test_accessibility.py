"""WCAG 2.1 AA in the browser: every page, as each kind of user who sees it, has no critical or serious axe-core
violation at a desktop and a phone size in Chinese and English, and the phone layout neither clips the header
nor scrolls the page sideways. Pictures of every visit are kept under test-output/a11y/."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import OUTPUT, SIZES, axe_source, describe, picture, violations
from tests.browser.conftest import sign_in
from tests.conftest import BPMN
from tests.scenarios.notice_support import VARIABLES
from tests.scenarios.spec_stories import p9_to_vote
from tests.scenarios.spec_support import SCOPE, World, deploy, seed_committee, seed_spec, spec_scope

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SPEC = "JJF-2026-101"

# role → (account, its grants when the world has none for it, the pages it works with)
ROLES = {
    "public": (None, (), ["/notices", "/notices/{notice}", "/login"]),
    "member": ("m2", (), ["/inbox", "/tasks/{ballot}", "/notifications", "/start"]),
    "secretariat": ("sec", (), ["/inbox", "/start", "/instances", "/instances/{instance}", "/dashboard",
                                "/notifications"]),
    "auditor": ("auditor", (), ["/instances", "/instances/{instance}", "/dashboard"]),
    "authority": ("authority", (), ["/inbox", "/dashboard"]),
    "process_admin": ("padmin", ("process_admin",), ["/admin/definitions", "/admin/definitions/technical_review",
                                                      "/admin/modeler?key=technical_review", "/admin/incidents"]),
}


@pytest.fixture
def world(engine, app, clock):
    """MTC12's review of SPEC with the ballots open, and an open public notice."""
    deploy(engine, "p9_technical_review.bpmn")
    engine.deploy_files([BPMN / "notice_window.bpmn"])
    seed_committee(engine)
    w = World(engine, app.test_client(), clock)
    seed_spec(engine, SPEC, stage="review", comment_closed_at="2026-02-01T00:00:00+00:00", comments_total=2,
              comments_answered=2)
    iid = w.start("sec", "technical_review", scope=spec_scope(SPEC))["id"]
    p9_to_vote(w, iid, SPEC)
    notice = w.start("sec", "notice_window", scope=SCOPE, variables=VARIABLES)["data"]["notice_id"]
    ballot = next(t for t in w.tasks(iid, "p9_task_vote") if t["assignee"] == "m2" or t["assignee"] is None)
    return {"instance": iid, "notice": notice, "ballot": ballot["id"], "world": w}


def settle(tab) -> None:
    tab.wait_for_load_state("networkidle")
    expect(tab.locator("main .meta", has_text="加载中")).to_have_count(0)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_passes_axe_at_both_sizes_in_both_languages(page, engine, world, role):
    source = axe_source()
    account, grants, paths = ROLES[role]
    if account:
        sign_in(page, engine, account, *grants)
    failures = []
    counts = {}
    for path in paths:
        url = path.format(**world)
        name = role + "-" + path.strip("/").split("?")[0].replace("/", "_").replace("{", "").replace("}", "")
        for lang in ("zh", "en"):
            for size, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                page.goto(url + ("&" if "?" in url else "?") + "lang=" + lang)
                settle(page)
                found = violations(page, source)
                if found:
                    failures.append(f"{url} {lang} {size}: {describe(found)}")
                picture(page, f"{name}-{lang}-{size}")
                counts[f"{url} {lang} {size}"] = len(found)
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > viewport["width"]:  # nothing wider than the screen but what scrolls in its own box
                    failures.append(f"{url} {lang} {size}: the page is {wide} px wide")
    (OUTPUT / f"axe-{role}.json").write_text(json.dumps(counts, ensure_ascii=False, indent=1), "utf-8")
    assert not failures, "\n".join(failures)
