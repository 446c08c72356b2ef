"""Responses compressed for slow links (a phone, an intranet over VPN): pages, stylesheets, scripts (ours and the
front-end packages') and SVG, in the best encoding the browser accepts (flask-compress). API JSON is not
compressed: clients of the API (and its contract tests) read it plain, and a compressed body beside a token is
what BREACH needs."""
from __future__ import annotations

from flask import Flask
from flask_compress import Compress

MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/xml",
             "application/xml"]
# files are sent streamed; these endpoints still answer 304 to a browser that has the compressed copy
FILE_ENDPOINTS = ["web.static", "vendor.asset", "static"]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_STREAMING_ENDPOINT_CONDITIONAL", FILE_ENDPOINTS)
    Compress(app)
