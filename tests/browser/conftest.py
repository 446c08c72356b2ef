"""Browser tests: the app served from a thread on a per-test SQLite database, driven by Playwright through
Debian's chromium. Without chromium (or the npm packages) they skip with the reason, unless
MTCFLOW_REQUIRE_BROWSER is set (CI), where they fail instead."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api.web import vendor
from tests.api.roles_support import make_user
from tests.conftest import PASSWORD

SCREENS = Path("/tmp/mtcflow-screens")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def _unavailable(reason: str):
    if os.environ.get("MTCFLOW_REQUIRE_BROWSER"):
        pytest.fail(f"MTCFLOW_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    path = os.environ.get("MTCFLOW_CHROMIUM") or next(filter(None, map(shutil.which, CANDIDATES)), None)
    if not path or not os.path.exists(path):
        _unavailable("no chromium found (apt-get install chromium, or set MTCFLOW_CHROMIUM)")
    if not vendor.installed():
        _unavailable("the front-end packages are not installed (run ./dev.sh test, which runs npm ci)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def live(app):
    """The app on a free loopback port, in a thread, for this test only."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def page(chromium, live, request, tmp_path):
    context = chromium.new_context(base_url=live, locale="zh-CN", viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    tab.js_errors = errors
    tab.shot = lambda name: _screenshot(tab, tmp_path, request.node.name, name)
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _screenshot(tab, tmp_path: Path, test: str, name: str) -> Path:
    """Keep a picture of the page in the test's output, and a copy where a person can look at it."""
    path = tmp_path / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENS / f"{test.split('[')[0]}-{name}.png")
    return path


def sign_in(tab, engine, username: str, *grants: str) -> None:
    """Create the account (if new) and log in through the login page."""
    with contextlib.suppress(Exception):  # already there
        make_user(engine, username, *grants)
    tab.goto("/login")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(lambda url: "/login" not in url)
