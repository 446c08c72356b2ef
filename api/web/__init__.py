"""Browser pages: Jinja shells whose scripts call /api/v1 with the session cookie and CSRF header."""
from __future__ import annotations

from flask import Flask

from api.web import i18n, oversight_pages, pages, vendor  # noqa: F401 (oversight_pages adds routes to pages.bp)


def init_app(app: Flask) -> None:
    i18n.init_app(app)
    vendor.init_app(app)
    app.register_blueprint(pages.bp)
