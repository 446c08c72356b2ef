"""The web application works from a non-editable install: the wheel carries the browser builds (package data
copied by setup.py from node_modules), so a server run from another folder serves the modeler with its diagram
and Swagger UI without node_modules or a CDN."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from api.web import vendor_files
from tests.browser.conftest import _unavailable
from tests.conftest import BPMN, FIXTURES, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SKIP_COPY = shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "build", "*.egg-info", "__pycache__",
                                   "vendor", "tests", "bench", "docs")
pytestmark = pytest.mark.slow


def _run(*args, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def installed(tmp_path):
    """A wheel built from a copy of the checkout (node_modules linked), installed without its dependencies into
    a fresh venv that borrows them from the test run's site-packages."""
    if not shutil.which("npm"):
        _unavailable("npm is not installed: the wheel would carry no browser builds")
    if not all((ROOT / "node_modules" / folder).is_dir() for folder in vendor_files.PACKAGES.values()):
        _unavailable("the front-end packages are not installed (run ./dev.sh test, which runs npm ci)")
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=SKIP_COPY)
    (source / "node_modules").symlink_to(ROOT / "node_modules")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path / "dist"), ".",
         cwd=source)
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path)
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path).strip())
    (site / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    wheel = next((tmp_path / "dist").glob("mtcflow-*.whl"))
    _run(sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel),
         cwd=tmp_path)
    return venv


@pytest.fixture
def served(installed, tmp_path):
    """``mtcflow serve`` from the installed package, in a folder that holds no checkout."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "processes").mkdir(parents=True)
    shutil.copy(BPMN / "web_review.bpmn", elsewhere / "processes")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MTCFLOW_") and k != "PYTHONPATH"}
    env.update(MTCFLOW_DATABASE_URL=f"sqlite:///{elsewhere / 'mtcflow.db'}", MTCFLOW_SECRET_KEY="s" * 48,
               MTCFLOW_PROCESSES_DIR=str(elsewhere / "processes"), MTCFLOW_FORMS_DIR=str(FIXTURES / "forms"),
               MTCFLOW_EMBEDDED_WORKER="0")
    mtcflow = (str(installed / "bin" / "python"), "-m", "api.cli")  # pip --target writes no scripts into the venv
    where = _run(installed / "bin" / "python", "-c", "import api; print(api.__file__)", cwd=elsewhere, env=env)
    assert str(installed) in where, where  # the installed package, not the checkout
    _run(*mtcflow, "db", "upgrade", cwd=elsewhere, env=env)
    _run(*mtcflow, "users", "create", "modeller", "--password", PASSWORD, "--role", "process_admin",
         cwd=elsewhere, env=env)
    server = subprocess.Popen([*mtcflow, "serve", "--port", str(port)], cwd=elsewhere, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/notices", timeout=1)
                break
            except OSError:
                assert server.poll() is None, "mtcflow serve exited"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(10)


def test_installed_wheel_serves_the_modeler_with_its_diagram(chromium, served, tmp_path):
    docs = urllib.request.urlopen(served + "/api/v1/docs").read().decode()
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs
    assert urllib.request.urlopen(served + "/vendor/swagger-ui/swagger-ui-bundle.js").status == 200

    context = chromium.new_context(base_url=served, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto("/login")
    page.fill("input[name=username]", "modeller")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/admin/modeler?key=web_review&version=1")
    expect(page.locator("#modeler-page[data-ready='1']")).to_have_count(1)
    expect(page.locator(".djs-element[data-element-id='submit'] .djs-label")).to_contain_text("提交申请")
    expect(page.locator("#properties .bio-properties-panel")).to_have_count(1)
    page.screenshot(path=str(tmp_path / "installed-modeler.png"))
    context.close()
    assert not errors, errors
