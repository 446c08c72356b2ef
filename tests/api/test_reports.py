"""The cycle-time report behind the dashboard chart: averages per process over completed tasks, for readers
with an oversight role only."""
from __future__ import annotations

from tests.api.roles_support import person, start
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
