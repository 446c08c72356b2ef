"""Pages, stylesheets and scripts travel compressed to a browser that accepts it, and plain to one
that does not; a cached copy is still answered with 304."""
from __future__ import annotations

import gzip

import pytest

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize("path", ["/notices", "/login", "/static/app.css", "/static/app.js"])
def test_text_is_compressed_when_the_browser_accepts_it(app, path):
    client = app.test_client()
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert packed.headers["Content-Encoding"] in ("zstd", "br", "deflate", "gzip")
    assert "Accept-Encoding" in packed.headers["Vary"]
    gzipped = client.get(path, headers={"Accept-Encoding": "gzip"})
    if gzipped.headers.get("Content-Encoding") == "gzip":  # files stream, and gzip is not offered for a stream
        assert gzip.decompress(gzipped.get_data()) == plain.get_data()
        assert len(gzipped.get_data()) < len(plain.get_data())


def test_a_cached_stylesheet_is_not_sent_again(app):
    client = app.test_client()
    first = client.get("/static/app.css", headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == "br"
    again = client.get("/static/app.css", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_pages_name_a_favicon(app):
    page = app.test_client().get("/notices").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    assert app.test_client().get("/static/favicon.svg").mimetype == "image/svg+xml"
