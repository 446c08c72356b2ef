"""Serve the front-end packages that `npm ci` installed (package.json at the repository root); only the
built `dist` folders are reachable, and nothing is copied into the repository."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

from engine.config import ROOT

PACKAGES = {  # URL name → folder under node_modules with the browser builds
    "bpmn-js": "bpmn-js/dist",
    "json-editor": "@json-editor/json-editor/dist",
    "swagger-ui": "swagger-ui-dist",
    "bpmnlint": "bpmn-js-bpmnlint/dist/assets",
    "lint": ".mtcflow",  # frontend/build-lint.cjs: bpmn-js-bpmnlint + our rules, bundled at setup
}
bp = Blueprint("vendor", __name__)


def node_modules() -> Path:
    return Path(os.environ.get("MTCFLOW_NODE_MODULES") or ROOT / "node_modules")


def installed() -> bool:
    return all((node_modules() / folder).is_dir() for folder in PACKAGES.values())


@bp.get("/vendor/<name>/<path:filename>")
def asset(name: str, filename: str):
    folder = PACKAGES.get(name)
    if folder is None:
        abort(404)
    return send_from_directory(node_modules() / folder, filename, max_age=3600)


def swagger_ui_url() -> str:
    """The local swagger-ui-dist when npm installed it, else the public CDN."""
    if (node_modules() / PACKAGES["swagger-ui"]).is_dir():
        return "/vendor/swagger-ui/"
    return "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
