"""Working-day windows on the official calendar end to end, the recorded warning for a year nobody entered,
and timer values refused at deployment with the element id."""
import json

import pytest

from engine.rules import workdays
from tests.conftest import BPMN
from tests.timer_support import events, run_worker, timers, utc

PROVINCE = {"level": "provincial", "jurisdiction": "江苏"}


def test_working_day_window_across_spring_festival(admin, login, engine, clock):
    admin.deploy("timer_window.bpmn", "timer_workdays.bpmn")
    clock.set(utc(2026, 2, 10, 1))  # Tuesday, 09:00 Beijing time
    auth = login("auth_js", "authority:level/provincial/江苏")
    national = login("auth_cn", "authority:level/national")
    provincial = auth.post("/instances", json={"process_key": "timer_window", "scope": PROVINCE}).get_json()
    by_calendar = national.post("/instances", json={"process_key": "timer_window",
                                                    "scope": {"level": "national"}}).get_json()
    clock.set(utc(2026, 2, 13, 1))  # Friday before the holiday
    national = login("auth_cn")  # tokens expire as the clock moves
    five = national.post("/instances", json={"process_key": "timer_workdays",
                                             "scope": {"level": "national"}}).get_json()
    # 20 working days: ends 24:00 Beijing on Mon 16 Mar (weekends only would end on Tue 10 Mar)
    assert provincial["timers"][0]["due_at"] == utc(2026, 3, 16, 16).isoformat()
    assert by_calendar["timers"][0]["due_at"] == utc(2026, 3, 12, 1).isoformat()  # 30 calendar days
    # 5 working days from Fri 13 Feb: Sat 14 (make-up), 24–27 Feb: ends 24:00 on Fri 27 Feb
    assert five["timers"][0]["due_at"] == utc(2026, 2, 27, 16).isoformat()
    assert timers(engine, provincial["id"])[0].rule == "comment_window (provincial)"

    clock.set(utc(2026, 3, 16, 15, 59, 59))
    assert run_worker(engine)[0].fired == 2
    auth, national = login("auth_js"), login("auth_cn")
    assert auth.get(f"/instances/{provincial['id']}").get_json()["tasks"] == []
    assert [t["element_id"] for t in national.get(f"/instances/{five['id']}").get_json()["tasks"]] == ["close"]
    clock.advance(seconds=2)
    assert run_worker(engine)[0].fired == 1
    auth = login("auth_js")
    [close] = auth.get(f"/instances/{provincial['id']}").get_json()["tasks"]
    assert close["element_id"] == "close"
    [fired] = events(engine, provincial["id"], "timer_fired")
    assert fired.data == {"due_at": utc(2026, 3, 16, 16).isoformat(),
                          "fired_at": utc(2026, 3, 16, 16, 0, 1).isoformat()}


def test_year_nobody_entered_is_recorded_not_silent(admin, login, engine, clock, tmp_path):
    admin.deploy("timer_workdays.bpmn")
    clock.set(utc(2026, 12, 28, 1))
    auth, admin = login("auth", "authority"), login("admin")
    inst = auth.start("timer_workdays")
    [timer] = inst["timers"]
    assert timer["due_at"] == utc(2027, 1, 5, 16).isoformat() and "2027" in timer["warning"]
    [warning] = events(engine, inst["id"], "calendar_warning")
    assert warning.element_id == "window" and "2027.json" in warning.data["warning"]
    listed = admin.get("/timers", query_string={"with_warning": "true"}).get_json()["items"]
    assert [t["id"] for t in listed] == [timer["id"]] and listed[0]["warning"] == timer["warning"]

    (tmp_path / "2027.json").write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01/2027-01-03"],
                                                    "workdays": []}), encoding="utf-8")
    previous, engine.calendar = engine.calendar, workdays.WorkCalendar(tmp_path)
    try:
        entered = auth.start("timer_workdays")
    finally:
        engine.calendar = previous
    assert entered["timers"][0]["warning"] is None
    assert entered["timers"][0]["due_at"] == utc(2027, 1, 5, 16).isoformat()


BAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:mtc="http://mtcflow.dev/bpmn/1.0"
                  id="d" targetNamespace="http://mtcflow.dev/test">
  <bpmn:process id="bad_timers" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:userTask id="work" {due}/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
    <bpmn:endEvent id="end" {notify}/>
    <bpmn:boundaryEvent id="limit" attachedToRef="work">
      <bpmn:timerEventDefinition id="t1"><bpmn:{tag}>{value}</bpmn:{tag}></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="limit" targetRef="end2"/>
    <bpmn:endEvent id="end2"/>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize("tag, value, due, notify, element, message", [
    ("timeDuration", "P3X", "", "", "limit", "not a valid ISO 8601"),
    ("timeDuration", "coment_window", "", "", "limit", "unknown rule-profile key 'coment_window'"),
    ("timeDate", "2025-12-31T00:00:00+08:00", "", "", "limit", "already past"),
    ("timeCycle", "R3/comment_window", "", "", "limit", "working days cannot repeat"),
    ("timeDuration", "P30D", 'mtc:due="drafting_dedline"', "", "work", "unknown rule-profile key"),
    ("timeDuration", "P30D", "", 'mtc:notify="reminder"', "end", "needs mtc:notifyRole"),
])
def test_bad_timer_values_refused_at_deploy_with_element_id(admin, tag, value, due, notify, element, message):
    xml = BAD.format(tag=tag, value=value, due=due, notify=notify)
    response = admin.post("/definitions", data=xml.encode(), content_type="application/xml")
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert [e["element_id"] for e in errors] == [element], errors
    assert message in errors[0]["message"]
    assert admin.post("/definitions/validate", data=xml.encode(),
                      content_type="application/xml").get_json()["valid"] is False
    assert admin.get("/definitions/bad_timers").status_code == 404


def test_good_timer_values_deploy(admin):
    xml = BAD.format(tag="timeDuration", value="drafting_deadline - P30D", due='mtc:due="drafting_deadline"',
                     notify='mtc:notify="done" mtc:notifyRole="authority"')
    assert admin.post("/definitions", data=xml.encode(), content_type="application/xml").status_code == 201


def test_event_gateway_with_two_timers_is_refused(admin):
    xml = (BPMN / "timer_gateway.bpmn").read_text(encoding="utf-8").replace(
        '<bpmn:messageEventDefinition id="m_reply" messageRef="msg_reply"/>',
        '<bpmn:timerEventDefinition id="t_reply"><bpmn:timeDuration>P7D</bpmn:timeDuration>'
        '</bpmn:timerEventDefinition>')
    response = admin.post("/definitions", data=xml.encode(), content_type="application/xml")
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["element_id"] == "wait" and "one timer only" in error["message"]
