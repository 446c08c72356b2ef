"""The inbox: mine, claimable, filters, due-date order, overdue, pagination — within the caller's scopes."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from engine.runtime.models import Task
from tests.api.roles_support import person, start


@pytest.fixture
def inbox(app, engine, admin, clock):
    """Secretariats of two committees with five instances each; due dates one day apart, one without."""
    admin.deploy("approval.bpmn", "parallel.bpmn")
    client = app.test_client()
    sec12 = person(engine, client, "sec12", "secretariat:committee/MTC-12")
    sec13 = person(engine, client, "sec13", "secretariat:committee/MTC-13")
    tasks = []
    for n in range(5):
        inst = start(sec12, "approval", {"committee": "MTC-12", "specification": f"JJF-{n}"})
        tasks.append(inst["tasks"][0]["id"])
        start(sec13, "approval", {"committee": "MTC-13"})
        clock.advance(minutes=1)
    with engine.db.transaction() as session:
        for n, task_id in enumerate(tasks[:4]):
            due = clock.now() + timedelta(days=[3, -2, 1, -1][n])
            session.execute(update(Task).where(Task.id == task_id).values(due_at=due))
    return sec12, sec13, tasks


def ids(caller, **query):
    body = caller.get("/tasks", query_string=query).get_json()
    return [t["id"] for t in body["items"]]


def test_sorted_by_due_date_without_due_last(inbox):
    sec12, _, tasks = inbox
    assert ids(sec12) == [tasks[1], tasks[3], tasks[2], tasks[0], tasks[4]]
    assert ids(sec12, sort="-due_at") == [tasks[0], tasks[2], tasks[3], tasks[1], tasks[4]]
    assert ids(sec12, sort="created_at") == tasks


def test_overdue_and_due_before(inbox, clock):
    sec12, _, tasks = inbox
    assert ids(sec12, overdue="true") == [tasks[1], tasks[3]]
    before = (clock.now() + timedelta(days=2)).isoformat()
    assert ids(sec12, due_before=before) == [tasks[1], tasks[3], tasks[2]]


def test_mine_claimable_and_filters(inbox):
    sec12, sec13, tasks = inbox
    sec12.post(f"/tasks/{tasks[2]}/claim")
    assert ids(sec12, mine="true") == [tasks[2]]
    assert ids(sec12, claimable="true") == [tasks[1], tasks[3], tasks[0], tasks[4]]
    assert ids(sec12, specification="JJF-3") == [tasks[3]]
    assert ids(sec12, committee="MTC-13") == []
    assert ids(sec12, process_key="parallel") == []
    assert ids(sec12, state="claimed") == [tasks[2]]
    assert len(ids(sec13)) == 5 and not set(ids(sec13)) & set(tasks)


def test_pagination(inbox):
    sec12, _, tasks = inbox
    page = sec12.get("/tasks", query_string={"per_page": 2, "page": 2}).get_json()
    assert (page["total"], page["page"], page["per_page"], page["total_capped"]) == (5, 2, 2, False)
    assert [t["id"] for t in page["items"]] == [tasks[2], tasks[0]]
    assert sec12.get("/tasks", query_string={"sort": "priority"}).status_code == 422


def test_total_is_counted_up_to_the_cap(inbox, monkeypatch, app):
    """Past the cap the total says the cap and total_capped is true; the pages themselves are unchanged."""
    sec12, _, tasks = inbox
    monkeypatch.setattr("engine.access.inbox.TOTAL_CAP", 3)
    page = sec12.get("/tasks", query_string={"per_page": 2, "page": 3}).get_json()
    assert (page["total"], page["total_capped"], [t["id"] for t in page["items"]]) == (3, True, [tasks[4]])
    assert sec12.get("/tasks", query_string={"mine": "true"}).get_json()["total_capped"] is False
    monkeypatch.setattr("engine.access.inbox.TOTAL_CAP", 5)
    assert (sec12.get("/tasks").get_json()["total"], sec12.get("/tasks").get_json()["total_capped"]) == (5, False)
    schema = app.test_client().get("/api/v1/openapi.json").get_json()["components"]["schemas"]["TaskCappedPage"]
    assert schema["properties"]["total_capped"]["type"] == "boolean"


def test_completed_tasks_stay_in_my_history(inbox):
    sec12, _, tasks = inbox
    assert sec12.complete(tasks[0], {"title": "x"}).status_code == 200
    assert ids(sec12, state="completed") == [tasks[0]]
    assert tasks[0] not in ids(sec12)
