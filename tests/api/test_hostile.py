"""Hostile diagrams never execute: refused at validation where detectable, the instance fails otherwise."""
import os

import pytest

from tests.conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
PWNED = "/tmp/mtcflow_pwned"


@pytest.fixture(autouse=True)
def no_marker():
    if os.path.exists(PWNED):
        os.remove(PWNED)
    yield
    assert not os.path.exists(PWNED), "hostile code ran"


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.bpmn") if p.name != "script_loop.bpmn"))
def test_refused_at_deploy(admin, name):
    response = admin.post("/definitions", data=(HOSTILE / name).read_bytes(), content_type="application/xml")
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["errors"]
    assert admin.get("/definitions").get_json()["total"] == 0
    if name.startswith(("condition", "script")):
        assert any(e["element_id"] in ("fa", "fb", "script", "gw") for e in body["errors"]), body


def test_endless_script_fails_its_instance(admin, login):
    admin.deploy(HOSTILE / "script_loop.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("hostile")
    assert inst["state"] == "error"
    assert "budget" in inst["error"]
    assert inst["tasks"] == []


def test_oversized_file_refused(admin, engine):
    big = b"<?xml version='1.0'?>" + b" " * (engine.settings.max_bytes + 10)
    response = admin.post("/definitions", data=big, content_type="application/xml")
    assert response.status_code in (413, 422)
    assert response.mimetype == "application/problem+json"


def test_absurd_nesting_refused(admin):
    depth = 200
    body = ("<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL' id='d' "
            "targetNamespace='x'><bpmn:process id='p' isExecutable='true'><bpmn:startEvent id='s'/>"
            + "<bpmn:documentation>" * depth + "</bpmn:documentation>" * depth
            + "</bpmn:process></bpmn:definitions>")
    response = admin.post("/definitions", data=body.encode(), content_type="application/xml")
    assert response.status_code == 422
    assert "nest" in response.get_json()["detail"]
