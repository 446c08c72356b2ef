"""The cycle-time report behind the dashboard chart: averages per process over completed tasks, for readers
with an oversight role only."""
from __future__ import annotations

from tests.api.roles_support import log_in, person, start
from tests.conftest import BPMN


def test_cycle_times_per_process(app, engine, admin, login, clock):
    admin.deploy(BPMN / "web_review.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    first = start(sec, "web_review", {"committee": "MTC-12"})["tasks"][0]["id"]
    second = start(sec, "web_review", {"committee": "MTC-12"})["tasks"][0]["id"]
    for task_id, hours in ((first, 2), (second, 4)):
        clock.advance(hours=hours)
        sec = login("sec12")
        assert sec.post(f"/tasks/{task_id}/claim").status_code == 200
        assert sec.complete(task_id, {"title": "报告"}).status_code == 200

    auditor = person(engine, app.test_client(), "aud", "auditor")
    body = auditor.get("/reports/cycle-times").get_json()
    assert body["items"] == [{"process_key": "web_review", "name": "材料审查", "tasks": 2,
                              "avg_hours": 4.0, "max_hours": 6.0}]
    assert sec.get("/reports/cycle-times").status_code == 403


def test_overdue_tasks_under_the_supervising_authority(app, engine, admin, clock):
    """谁审批、谁监管: the authority of an instance's level and jurisdiction sees its overdue work, whoever holds
    it; another jurisdiction's authority does not; non-supervising roles are refused."""
    from datetime import timedelta

    from sqlalchemy import update

    from engine.runtime.models import Task

    admin.deploy("approval.bpmn")
    client = app.test_client()
    sec = person(engine, client, "sec", "secretariat:committee/MTC-12")
    jiangsu = person(engine, client, "js", "authority:level/provincial/江苏")
    zhejiang = person(engine, client, "zj", "authority:level/provincial/浙江")
    auditor = person(engine, client, "aud", "auditor")
    scope = {"committee": "MTC-12", "level": "provincial", "jurisdiction": "江苏"}
    late, on_time, undated = (start(sec, "approval", scope)["tasks"][0]["id"] for _ in range(3))
    with engine.db.transaction() as session:
        for task_id, days in ((late, -2), (on_time, 3)):
            session.execute(update(Task).where(Task.id == task_id).values(due_at=clock.now() + timedelta(days=days)))
    assert sec.post(f"/tasks/{late}/claim").status_code == 200

    assert jiangsu.get("/tasks", query_string={"overdue": "true"}).get_json()["total"] == 0  # not its to take
    body = jiangsu.get("/reports/overdue-tasks").get_json()
    assert [(t["id"], t["assignee"]) for t in body["items"]] == [(late, "sec")] and body["total"] == 1
    assert zhejiang.get("/reports/overdue-tasks").get_json()["total"] == 0
    assert auditor.get("/reports/overdue-tasks", query_string={"committee": "MTC-12"}).get_json()["total"] == 1
    assert auditor.get("/reports/overdue-tasks", query_string={"committee": "MTC-13"}).get_json()["total"] == 0
    clock.advance(days=4)
    jiangsu = log_in(client, "js")  # the old token has expired meanwhile
    assert {t["id"] for t in jiangsu.get("/reports/overdue-tasks").get_json()["items"]} == {late, on_time}
    refused = log_in(client, "sec").get("/reports/overdue-tasks")
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert jiangsu.get("/reports/overdue-tasks", query_string={"bogus": "1"}).status_code == 422


def test_cycle_times_only_of_the_callers_scopes(app, engine, admin, clock):
    """谁审批、谁监管: an authority's cycle times count only the work of its level and jurisdiction (another
    jurisdiction's durations and counts are not its to see); the auditor still sees every instance's."""
    admin.deploy(BPMN / "web_review.bpmn")
    client = app.test_client()
    sec12 = person(engine, client, "sec12", "secretariat:committee/MTC-12")
    sec13 = person(engine, client, "sec13", "secretariat:committee/MTC-13")
    for sec, committee, jurisdiction, hours in ((sec12, "MTC-12", "江苏", 2), (sec13, "MTC-13", "浙江", 8)):
        scope = {"committee": committee, "level": "provincial", "jurisdiction": jurisdiction}
        task_id = start(sec, "web_review", scope)["tasks"][0]["id"]
        clock.advance(hours=hours)
        sec = log_in(client, sec.username)
        assert sec.post(f"/tasks/{task_id}/claim").status_code == 200
        assert sec.complete(task_id, {"title": "报告"}).status_code == 200

    jiangsu = person(engine, client, "js", "authority:level/provincial/江苏")
    zhejiang = person(engine, client, "zj", "authority:level/provincial/浙江")
    auditor = person(engine, client, "aud", "auditor")

    def figures(caller):
        return [(i["tasks"], i["max_hours"]) for i in caller.get("/reports/cycle-times").get_json()["items"]]

    assert figures(jiangsu) == [(1, 2.0)] and figures(zhejiang) == [(1, 8.0)]
    assert auditor.get("/reports/cycle-times").get_json()["items"][0]["tasks"] == 2
