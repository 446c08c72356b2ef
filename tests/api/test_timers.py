"""Timers through the API with a moving clock: reminders keep the task, deadlines escalate, gateways race
message against timer, cycles fire exactly N times, cancelled instances never fire, operators see and fire."""
from datetime import timedelta

from tests.timer_support import events, run_worker, timers, utc


def instance(caller, instance_id):
    return caller.get(f"/instances/{instance_id}").get_json()


def test_boundary_reminder_keeps_task_and_deadline_escalates(admin, login, engine, clock):
    admin.deploy("timer_deadline.bpmn")
    drafter, authority = login("drafter1", "drafter"), login("auth", "authority")
    inst = drafter.start("timer_deadline")
    [draft] = inst["tasks"]
    deadline = clock.now() + timedelta(days=366 + 365)  # drafting_deadline: 2 years (2026-03-02 → 2028-03-02)
    assert draft["due_at"] == deadline.isoformat()
    assert drafter.get("/tasks").get_json()["items"][0]["due_at"] == deadline.isoformat()
    due = {t["element_id"]: t["due_at"] for t in inst["timers"]}
    assert due == {"overdue": deadline.isoformat(), "remind": (deadline - timedelta(days=60)).isoformat()}

    clock.set(deadline - timedelta(days=60, seconds=1))
    assert run_worker(engine)[0].fired == 0
    clock.advance(seconds=2)
    report, _ = run_worker(engine)
    assert report.fired == 1 and report.lateness == [1.0]
    drafter, authority = login("drafter1"), login("auth")  # tokens expire as the clock moves
    after = instance(drafter, inst["id"])
    assert [t["id"] for t in after["tasks"]] == [draft["id"]]  # non-interrupting: the task stays
    assert [t["element_id"] for t in after["timers"]] == ["overdue"]
    notes = drafter.get("/notifications").get_json()
    assert notes["unread"] == 1
    [note] = notes["items"]
    assert (note["kind"], note["task_id"], note["message"]) == ("reminder", draft["id"], "起草期限即将届满")
    assert note["due_at"] == deadline.isoformat()
    assert authority.get("/notifications").get_json()["total"] == 0

    clock.set(deadline + timedelta(hours=3))
    run_worker(engine)
    drafter, authority = login("drafter1"), login("auth")
    after = instance(drafter, inst["id"])
    assert [t["element_id"] for t in after["tasks"]] == ["escalate"] and after["timers"] == []
    assert drafter.get(f"/tasks/{draft['id']}").get_json()["state"] == "cancelled"
    assert [t["element_id"] for t in authority.get("/tasks").get_json()["items"]] == ["escalate"]
    kinds = [n["kind"] for n in drafter.get("/notifications").get_json()["items"]]
    assert kinds == ["overdue", "reminder"]
    fired = events(engine, inst["id"], "timer_fired")
    remind_due = deadline - timedelta(days=60)
    assert [(e.element_id, e.data["due_at"], e.data["fired_at"]) for e in fired] == [
        ("remind", remind_due.isoformat(), (remind_due + timedelta(seconds=1)).isoformat()),
        ("overdue", deadline.isoformat(), (deadline + timedelta(hours=3)).isoformat())]
    assert all(e.actor == "system" for e in fired)


def test_event_gateway_message_wins_or_timer_wins(admin, login, engine, clock):
    admin.deploy("timer_gateway.bpmn")
    sec = login("sec", "secretariat")
    by_message = sec.start("timer_gateway", business_key="ask-1")
    by_timer = sec.start("timer_gateway", business_key="ask-2")
    assert [t["element_id"] for t in by_message["timers"]] == ["no_reply"]
    clock.advance(days=3)
    sec = login("sec")  # tokens expire as the clock moves
    response = sec.post("/messages", json={"name": "reply_received", "business_key": "ask-1"})
    assert response.status_code == 200
    replied = instance(sec, by_message["id"])
    assert [t["element_id"] for t in replied["tasks"]] == ["got_reply"] and replied["timers"] == []
    assert [t.state for t in timers(engine, by_message["id"])] == ["cancelled"]

    clock.advance(days=11, seconds=1)
    report, _ = run_worker(engine)
    assert report.fired == 1
    sec = login("sec")
    chased = instance(sec, by_timer["id"])
    assert [t["element_id"] for t in chased["tasks"]] == ["chase"] and chased["timers"] == []
    assert sec.post("/messages", json={"name": "reply_received", "business_key": "ask-2"}).status_code == 409
    assert [t["element_id"] for t in instance(sec, by_message["id"])["tasks"]] == ["got_reply"]


def test_cycle_reminder_fires_exactly_three_times(admin, login, engine, clock):
    admin.deploy("timer_cycle.bpmn")
    sec, other = login("sec", "secretariat:committee/MTC-12"), login("sec13", "secretariat:committee/MTC-13")
    inst = sec.start("timer_cycle", {"committee_code": "MTC-12"})
    [task] = inst["tasks"]
    for week in range(1, 6):
        clock.advance(days=7, seconds=1)
        report, _ = run_worker(engine)
        assert report.fired == (1 if week <= 3 else 0), week
    sec, other = login("sec"), login("sec13")
    notes = sec.get("/notifications").get_json()
    assert notes["total"] == 3 and {n["task_id"] for n in notes["items"]} == {task["id"]}
    assert other.get("/notifications").get_json()["total"] == 0  # another committee's secretariat
    assert [t.state for t in timers(engine, inst["id"])] == ["fired"] * 3
    assert len(events(engine, inst["id"], "notification_sent")) == 3
    assert [t["id"] for t in instance(sec, inst["id"])["tasks"]] == [task["id"]]
    assert sec.complete(task["id"]).status_code == 200


def test_cancelled_instance_timer_never_fires(admin, login, engine, clock):
    admin.deploy("timer_wait.bpmn")
    auth = login("auth", "authority")
    inst = auth.start("timer_wait")
    assert auth.post(f"/instances/{inst['id']}/cancel", json={"reason": "撤回"}).status_code == 200
    assert [t.state for t in timers(engine, inst["id"])] == ["cancelled"]
    clock.advance(days=400)
    report, _ = run_worker(engine)
    assert report.claimed == 0 and report.fired == 0
    assert events(engine, inst["id"], "timer_fired") == []
    assert instance(login("auth"), inst["id"])["tasks"] == []


def test_operators_list_and_fire_now_with_reason(admin, login, engine, clock):
    admin.deploy("timer_wait.bpmn", "timer_gateway.bpmn")
    auth, sec, auditor = login("auth", "authority"), login("sec", "secretariat"), login("aud", "auditor")
    waits = [auth.start("timer_wait", business_key=f"w{n}") for n in range(3)]
    sec.start("timer_gateway")
    clock.advance(days=20)
    auth, sec, auditor, admin = login("auth"), login("sec"), login("aud"), login("admin")
    listing = admin.get("/timers", query_string={"per_page": 2}).get_json()
    assert listing["total"] == 4 and len(listing["items"]) == 2
    assert [t["element_id"] for t in listing["items"]] == ["no_reply", "no_reply"][:1] + ["window"]
    assert listing["items"][0]["overdue"] is True and listing["items"][1]["overdue"] is False
    assert admin.get("/timers", query_string={"overdue": "true"}).get_json()["total"] == 1
    assert admin.get("/timers", query_string={"process_key": "timer_wait"}).get_json()["total"] == 3
    assert auditor.get("/timers").get_json()["total"] == 4
    assert sec.get("/timers").status_code == 403

    target = waits[0]["timers"][0]["id"]
    assert sec.post(f"/timers/{target}/fire", json={"reason": "x"}).status_code == 403
    assert auditor.post(f"/timers/{target}/fire", json={"reason": "x"}).status_code == 403
    assert auth.post(f"/timers/{target}/fire", json={}).status_code == 422
    assert admin.post(f"/timers/{target}/fire", json={"reason": "x"}).status_code == 403  # early: a business call
    fired = auth.post(f"/timers/{target}/fire", json={"reason": "公示期提前结束（批准机关决定）"})
    assert fired.status_code == 200, fired.get_json()
    assert fired.get_json()["state"] == "fired" and fired.get_json()["overdue"] is False
    assert [t["element_id"] for t in instance(auth, waits[0]["id"])["tasks"]] == ["decide"]
    requested, timer_fired = events(engine, waits[0]["id"], "timer_fire_requested"), \
        events(engine, waits[0]["id"], "timer_fired")
    assert requested[0].actor == "auth" and requested[0].data["reason"] == "公示期提前结束（批准机关决定）"
    assert timer_fired[0].actor == "auth" and timer_fired[0].seq > requested[0].seq
    assert auth.post(f"/timers/{target}/fire", json={"reason": "again"}).status_code == 409
    assert admin.post("/timers/999999/fire", json={"reason": "x"}).status_code == 404
    fired_list = admin.get("/timers", query_string={"state": "fired"}).get_json()
    assert [t["id"] for t in fired_list["items"]] == [target]
    assert run_worker(engine)[0].fired == 1  # the gateway's timer, overdue since day 14


def test_notifications_are_private_and_marked_read(admin, login, engine, clock):
    admin.deploy("timer_cycle.bpmn")
    sec = login("sec", "secretariat")
    mate = login("sec2", "secretariat")
    sec.start("timer_cycle")
    clock.advance(days=7, seconds=1)
    run_worker(engine)
    sec, mate = login("sec"), login("sec2")
    [mine] = sec.get("/notifications").get_json()["items"]
    [theirs] = mate.get("/notifications").get_json()["items"]
    assert mine["id"] != theirs["id"]
    assert mate.post(f"/notifications/{mine['id']}/read").status_code == 404
    read = sec.post(f"/notifications/{mine['id']}/read").get_json()
    assert read["read_at"] == clock.now().isoformat()
    assert sec.get("/notifications", query_string={"unread": "true"}).get_json()["total"] == 0
    assert mate.get("/notifications").get_json()["unread"] == 1
    assert mate.post("/notifications/read-all").get_json() == {"marked": 1}
    assert mate.get("/notifications").get_json()["unread"] == 0


def test_instance_view_shows_due_times(admin, login, clock):
    admin.deploy("timer_wait.bpmn")
    auth = login("auth", "authority")
    inst = auth.start("timer_wait")
    assert inst["timers"][0]["due_at"] == utc(2026, 4, 1, 9).isoformat() and inst["timers"][0]["warning"] is None
