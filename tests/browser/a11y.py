"""Accessibility checks for browser tests: axe-core (npm, a dev dependency) run inside the page, and pictures of
a page at a desktop and a phone size kept under test-output/ for people to look at."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from api.web import vendor
from engine.config import ROOT

OUTPUT = ROOT / "test-output" / "a11y"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}
BLOCKING = ("critical", "serious")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    """The axe-core build, or skip (fail under MTCFLOW_REQUIRE_BROWSER) with the reason."""
    path = vendor.node_modules() / "axe-core" / "axe.min.js"
    if not path.is_file():
        reason = f"axe-core is not installed ({path} missing: run npm ci, it is a devDependency in package.json)"
        if os.environ.get("MTCFLOW_REQUIRE_BROWSER"):
            pytest.fail(f"MTCFLOW_REQUIRE_BROWSER is set but {reason}")
        pytest.skip(reason)
    return path.read_text("utf-8")


def violations(tab, source: str, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """The page's WCAG 2.1 A/AA violations of these impacts, each with the selectors of the nodes at fault.
    Evaluated through the driver, so the page's Content-Security-Policy does not stop it."""
    if not tab.evaluate("() => !!window.axe"):
        tab.evaluate(source)
    found = tab.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                         ".then((r) => r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
                         " nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)})))", WCAG)
    return [v for v in found if v["impact"] in impacts]


def picture(tab, name: str) -> Path:
    """A full-page picture under test-output/a11y/, named by what the page is and how it was seen."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def describe(found: list[dict]) -> str:
    return "; ".join(f"{v['impact']} {v['id']} ({v['help']}) at {', '.join(v['nodes'])}" for v in found)
