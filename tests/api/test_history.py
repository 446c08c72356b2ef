"""History over HTTP: ordered events with actors and data, replay step by step, auditors read-only."""
import json

from tests.conftest import BPMN


def run_approval(admin, login):
    admin.deploy("approval.bpmn")
    sec, auth = login("sec", "secretariat"), login("auth", "authority")
    inst = sec.start("approval", {"applicant": "MTC-12"}, business_key="case-1")
    submit = inst["tasks"][0]["id"]
    sec.post(f"/tasks/{submit}/claim")
    sec.complete(submit, {"title": "申请书"})
    review = sec.get(f"/instances/{inst['id']}").get_json()["tasks"][0]["id"]
    auth.complete(review, {"approved": True, "comment": "同意"})
    return sec, auth, inst


def test_history_in_order_with_actor_and_data(admin, login):
    sec, auth, inst = run_approval(admin, login)
    history = sec.get(f"/instances/{inst['id']}/history", query_string={"per_page": 200}).get_json()
    events = history["items"]
    assert [e["seq"] for e in events] == list(range(1, history["total"] + 1))
    types = [e["type"] for e in events]
    assert types[:2] == ["instance_started", "task_ready"]
    assert types.count("task_completed") == 2 and "task_claimed" in types
    completed = [e for e in events if e["type"] == "task_completed"]
    assert completed[0]["actor"] == "sec" and completed[0]["data"] == {"data": {"title": "申请书"}}
    assert completed[1]["actor"] == "auth" and completed[1]["element_id"] == "review"
    assert all(e["process_key"] == "approval" and e["process_version"] == 1 for e in events)
    assert all(events[i]["prev_hash"] == events[i - 1]["hash"] for i in range(1, len(events)))
    only = sec.get(f"/instances/{inst['id']}/history", query_string={"type": "task_completed"}).get_json()
    assert only["total"] == 2


def test_replay_each_step_and_last_equals_current(admin, login):
    sec, _, inst = run_approval(admin, login)
    history = sec.get(f"/instances/{inst['id']}/history", query_string={"per_page": 200}).get_json()["items"]
    claimed_step = next(e["seq"] for e in history if e["type"] == "task_claimed")
    at_claim = sec.get(f"/instances/{inst['id']}/replay", query_string={"step": claimed_step}).get_json()
    assert [(t["element_id"], t["assignee"]) for t in at_claim["active"]] == [("submit", "sec")]
    assert at_claim["data"] == {"applicant": "MTC-12"}

    first_completion = next(e["seq"] for e in history if e["type"] == "task_completed")
    after = sec.get(f"/instances/{inst['id']}/replay", query_string={"step": first_completion}).get_json()
    assert [t["element_id"] for t in after["active"]] == ["review"]
    assert "submit" in [t["element_id"] for t in after["completed"]]
    assert after["data"]["title"] == "申请书"

    last = sec.get(f"/instances/{inst['id']}/replay").get_json()
    current = sec.get(f"/instances/{inst['id']}").get_json()
    assert last["step"] == len(history)
    assert [t["id"] for t in last["active"]] == [t["id"] for t in current["tasks"]]
    assert last["data"] == current["data"] and last["state"] == current["state"]

    bad = sec.get(f"/instances/{inst['id']}/replay", query_string={"step": 999})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"


def test_replay_and_history_give_event_times_in_one_format_iso_8601(admin, login):
    from datetime import datetime

    sec, _, inst = run_approval(admin, login)
    history = sec.get(f"/instances/{inst['id']}/history", query_string={"per_page": 200}).get_json()["items"]
    for event in history[:3]:
        replayed = sec.get(f"/instances/{inst['id']}/replay", query_string={"step": event["seq"]}).get_json()
        assert replayed["event"]["at"] == event["at"]  # the same text, not RFC 1123 ("Sat, 05 Dec 2026 …")
        assert datetime.fromisoformat(replayed["event"]["at"]).tzinfo is not None


def test_replay_uses_the_stored_version_not_todays(admin, login):
    sec, _, inst = run_approval(admin, login)
    renamed = (BPMN / "approval.bpmn").read_text().replace("审查", "重新命名的审查")
    admin.post("/definitions", data=renamed.encode(), content_type="application/xml")
    step2 = sec.get(f"/instances/{inst['id']}/replay", query_string={"step": 6}).get_json()
    assert all(t["name"] != "重新命名的审查" for t in step2["completed"] + step2["active"])
    assert step2["version"] == 1


def test_verify_and_export(admin, login):
    _, _, inst = run_approval(admin, login)
    auditor = login("aud", "auditor")
    assert auditor.get("/audit/verify").get_json()["ok"] is True
    one = auditor.get("/audit/verify", query_string={"instance_id": inst["id"]}).get_json()
    assert one["ok"] is True and one["checked"] == 7
    jsonl = auditor.get(f"/instances/{inst['id']}/history/export", query_string={"format": "jsonl"})
    lines = [json.loads(line) for line in jsonl.get_data(as_text=True).splitlines()]
    assert lines[0]["type"] == "instance_started" and lines[-1]["hash"]
    csv_body = auditor.get(f"/instances/{inst['id']}/history/export", query_string={"format": "csv"})
    rows = csv_body.get_data(as_text=True).splitlines()
    assert rows[0].startswith("seq,at,actor,type") and len(rows) == len(lines) + 1
    anchor = auditor.post("/audit/anchors")
    assert anchor.status_code == 201 and anchor.get_json()["heads"] >= 2


def test_auditor_reads_everything_and_changes_nothing(admin, login):
    sec, _, inst = run_approval(admin, login)
    other = sec.start("approval")
    auditor = login("aud", "auditor")
    task_id = other["tasks"][0]["id"]
    assert auditor.get(f"/instances/{other['id']}").status_code == 200
    assert auditor.get(f"/instances/{other['id']}/history").status_code == 200
    assert task_id in [t["id"] for t in auditor.get("/tasks").get_json()["items"]]
    refused = [
        auditor.post("/instances", json={"process_key": "approval"}),
        auditor.post(f"/tasks/{task_id}/claim"),
        auditor.post(f"/tasks/{task_id}/complete", json={"data": {"title": "x"}}),
        auditor.post(f"/instances/{other['id']}/cancel", json={"reason": "x"}),
        auditor.post("/messages", json={"name": "m", "instance_id": other["id"]}),
        auditor.post("/definitions", data=(BPMN / "quick.bpmn").read_bytes(), content_type="application/xml"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert sec.get(f"/tasks/{task_id}").get_json()["state"] == "ready"
    assert auditor.get("/audit/verify").get_json()["ok"] is True
