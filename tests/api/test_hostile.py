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


# Valid diagrams that only misbehave when run: each fails its instance instead (tests below).
RUNTIME = {"script_loop.bpmn", "loop_depth.bpmn", "loop_split.bpmn"}


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.bpmn") if p.name not in RUNTIME))
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


def test_loop_past_the_safe_depth_fails_instead_of_completing(admin, login):
    """SpiffWorkflow sees only 1,000 levels of its task tree: without the bound this instance was reported
    'completed' after ~500 rounds of a loop whose exit condition never holds."""
    admin.deploy(HOSTILE / "loop_depth.bpmn")
    inst = login("sec", "secretariat").start("hostile")
    assert inst["state"] == "error" and inst["ended_at"] is None
    assert "safe depth" in inst["error"]


def test_flows_that_loop_into_themselves_are_refused(admin):
    response = admin.post("/definitions", data=(HOSTILE / "loop_self.bpmn").read_bytes(),
                          content_type="application/xml")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "loop back" in response.get_json()["detail"]


def test_splitting_loop_stops_at_the_time_budget(admin, login, monkeypatch):
    """Each round of this loop costs more than the last (six minutes to reach the depth bound unchecked)."""
    from engine.runtime import step_budget

    monkeypatch.setattr(step_budget, "MAX_SECONDS", 0.5)
    admin.deploy(HOSTILE / "loop_split.bpmn")
    inst = login("sec", "secretariat").start("hostile")
    assert inst["state"] == "error"
    assert "longer than 0.5 s" in inst["error"]
