"""A process admin enters 2027's official schedule (the package knows up to 2026): the calendar counts on it at
once, the entry is in the history, and a waiting timer counted on the weekday fallback is counted again, its row
saying so; the years the package or a file know are not overridden here."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.history.models import Event
from tests.timer_support import events, run_worker, timers, utc

# Hypothetical: the real 2027 notice is published late in 2026. Spring Festival 2027 is on 6 February.
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"
SCHEDULE = {"holidays": ["2027-01-01/2027-01-03", "2027-02-05/2027-02-13"], "workdays": ["2027-02-14", "2027-02-20"],
            "source": NOTICE}


def test_entering_2027_moves_a_waiting_timer(admin, login, engine, clock):
    admin.deploy("timer_workdays.bpmn")
    clock.set(utc(2027, 2, 1, 1))  # Monday 1 Feb 2027, 09:00 Beijing
    auth = login("auth", "authority")
    inst = auth.start("timer_workdays")
    [timer] = inst["timers"]
    assert timer["due_at"] == utc(2027, 2, 8, 16).isoformat() and "2027" in timer["warning"]  # weekdays only

    pa = login("pa", "process_admin")
    before = pa.get("/calendar/years/2027").get_json()
    assert (before["kind"], before["source"]) == ("missing", None)
    refused = auth.client.put("/api/v1/calendar/years/2027", json=SCHEDULE, headers=auth._headers())
    assert refused.status_code == 403  # process admins only
    response = pa.client.put("/api/v1/calendar/years/2027", json=SCHEDULE, headers=pa._headers())
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["kind"], body["source"], body["entered_by"]) == ("entered", NOTICE, "pa")
    # 5 working days from Mon 1 Feb: 2, 3, 4 Feb, Sun 14 (调休), Mon 15 Feb: ends 24:00 Beijing on 15 Feb
    [moved] = body["recomputed"]
    assert moved["due_at"] == utc(2027, 2, 15, 16).isoformat() and moved["warning"] is None
    assert "2027 年法定节假日安排" in moved["note"] and NOTICE in moved["note"]
    [row] = timers(engine, inst["id"])
    assert row.due_at == utc(2027, 2, 15, 16) and row.state == "waiting"
    [recomputed] = events(engine, inst["id"], "timer_recomputed")
    assert recomputed.data["was"] == utc(2027, 2, 8, 16).isoformat()
    with engine.db.transaction() as session:
        entered = session.scalars(select(Event).where(Event.type == "holidays_entered")).one()
        assert (entered.actor, entered.data["year"], entered.data["make_up_days"]) == ("pa", 2027, 2)

    clock.set(utc(2027, 2, 8, 16, 0, 1))  # the fallback's due date passes: nothing fires
    assert run_worker(engine)[0].fired == 0
    clock.set(utc(2027, 2, 15, 16, 0, 1))
    assert run_worker(engine)[0].fired == 1
    listed = login("pa").get("/calendar/years").get_json()["items"]
    assert {y["year"]: y["kind"] for y in listed}[2026] == "package"
    assert {y["year"]: y["kind"] for y in listed}[2027] == "entered"


@pytest.mark.parametrize("year, body, status, field", [
    (2026, SCHEDULE, 409, None),  # the package knows 2026
    (2027, {**SCHEDULE, "workdays": ["2027-02-15"]}, 422, "workdays"),  # a Monday is no make-up day
    (2027, {**SCHEDULE, "holidays": ["2028-01-01"]}, 422, "holidays"),
    (2027, {**SCHEDULE, "holidays": []}, 422, "holidays"),
])
def test_refused_entries(login, year, body, status, field):
    pa = login("pa", "process_admin")
    response = pa.client.put(f"/api/v1/calendar/years/{year}", json=body, headers=pa._headers())
    assert response.status_code == status, response.get_json()
    if field:
        assert field in str(response.get_json()["errors"])
