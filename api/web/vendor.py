"""Serve the front-end builds: from the package's own copy (``api/static/vendor/``, made by the wheel build and
``./dev.sh``) when present, else from the checkout's ``node_modules/`` (or ``$MTCFLOW_NODE_MODULES``). Only the
listed ``dist`` folders are reachable."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory

from api.web.vendor_files import PACKAGE_DATA, PACKAGES, complete
from engine.config import ROOT

bp = Blueprint("vendor", __name__)


def node_modules() -> Path:
    return Path(os.environ.get("MTCFLOW_NODE_MODULES") or ROOT / "node_modules")


def folder(name: str) -> Path:
    """Where the files of ``name`` are served from. An explicit $MTCFLOW_NODE_MODULES wins over the package copy."""
    if not os.environ.get("MTCFLOW_NODE_MODULES") and complete(PACKAGE_DATA):
        return PACKAGE_DATA / name
    return node_modules() / PACKAGES[name]


def installed() -> bool:
    return all(folder(name).is_dir() for name in PACKAGES)


@bp.get("/vendor/<name>/<path:filename>")
def asset(name: str, filename: str):
    if name not in PACKAGES:
        abort(404)
    return send_from_directory(folder(name), filename, max_age=3600)


def swagger_ui_url() -> str:
    """The local swagger-ui-dist when it is installed, else the public CDN."""
    if folder("swagger-ui").is_dir():
        return "/vendor/swagger-ui/"
    return "https://cdn.jsdelivr.net/npm/swagger-ui-dist/"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
