"""The incidents page: a shell for process admins whose script reads /api/v1/incidents like any client."""
from __future__ import annotations

import re

import pytest

from tests.api.roles_support import make_user
from tests.conftest import PASSWORD
from tests.web.test_sessions import csrf_of

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_incidents_page_renders_for_a_logged_in_admin(app, engine):
    make_user(engine, "ops", "process_admin")
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": "ops", "password": PASSWORD, "csrf_token": token}).status_code == 302
    html = client.get("/admin/incidents").get_data(as_text=True)
    assert 'id="incidents"' in html and "incidents.js" in html and "流程故障" in html
    script = re.search(r'src="([^"]*incidents\.js[^"]*)"', html).group(1)
    assert "/incidents/" in client.get(script).get_data(as_text=True)  # the page's script calls the API
    assert "retry" in client.get("/admin/incidents?lang=en").get_data(as_text=True).lower()
