"""npm packages are served from node_modules' dist folders only; Swagger UI uses them when installed."""
from __future__ import annotations

import pytest

from api.web import vendor

pytestmark = [pytest.mark.parametrize("db_url", ["sqlite"], indirect=True),
              pytest.mark.skipif(not vendor.installed(), reason="front-end packages not installed (npm ci)")]


def test_dist_files_are_served(app):
    client = app.test_client()
    response = client.get("/vendor/bpmn-js/bpmn-viewer.production.min.js")
    assert response.status_code == 200 and b"BpmnJS" in response.data[:100_000] + response.data[-100_000:]
    assert client.get("/vendor/json-editor/jsoneditor.js").status_code == 200
    lint = client.get("/vendor/lint/bpmnlint.js")  # bundled by frontend/build.cjs at setup
    assert lint.status_code == 200 and b"mtcLint" in lint.data


@pytest.mark.parametrize("path", ["/vendor/bpmn-js/../package.json", "/vendor/bpmn-js/%2e%2e/package.json",
                                  "/vendor/preact/dist/preact.js", "/vendor/bpmn-js/nope.js"])
def test_nothing_outside_the_dist_folders(app, path):
    assert app.test_client().get(path).status_code == 404


def test_swagger_ui_from_the_local_package(app):
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in page and "cdn" not in page
    assert app.test_client().get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_package_copy_is_served_without_node_modules(app, tmp_path, monkeypatch):
    """What a wheel carries (api/static/vendor/, made by setup.py): served when no node_modules is there."""
    from api.web import vendor_files

    assert vendor_files.collect(vendor.node_modules(), tmp_path / "vendor")
    monkeypatch.delenv("MTCFLOW_NODE_MODULES", raising=False)
    monkeypatch.setattr(vendor, "PACKAGE_DATA", tmp_path / "vendor")
    monkeypatch.setattr(vendor, "node_modules", lambda: tmp_path / "no-checkout")
    client = app.test_client()
    panel = client.get("/vendor/lint/properties.js")
    assert panel.status_code == 200 and b"mtcPanel" in panel.data
    assert client.get("/vendor/bpmn-js/LICENSE").status_code == 200  # redistributed with its licence
    assert client.get("/vendor/bpmn-js/bpmn-modeler.development.js").status_code == 404  # duplicates left out
    assert client.get("/vendor/swagger-ui/swagger-ui-bundle.js.map").status_code == 404
