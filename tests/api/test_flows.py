"""Instances through the API: gateways both ways, parallel, call activity, multi-instance, cancel, messages."""


def ready(caller, instance_id):
    return caller.get(f"/instances/{instance_id}").get_json()["tasks"]


def test_start_complete_to_the_end_both_ways(admin, login):
    admin.deploy("approval.bpmn")
    sec, auth = login("sec", "secretariat"), login("auth", "authority")
    for approved, last in ((True, "archive"), (False, "revise")):
        inst = sec.start("approval", {"applicant": "MTC-12"}, business_key=f"case-{approved}")
        assert inst["state"] == "running" and inst["version"] == 1
        [submit] = inst["tasks"]
        assert (submit["element_id"], submit["role"], submit["lane"], submit["form_key"]) == \
               ("submit", "secretariat", "秘书处", "test_submit")
        assert sec.post(f"/tasks/{submit['id']}/claim").get_json()["assignee"] == "sec"
        assert sec.complete(submit["id"], {"title": "申请书", "pages": 3}).status_code == 200
        [review] = ready(auth, inst["id"])
        assert review["element_id"] == "review"
        assert auth.complete(review["id"], {"approved": approved}).status_code == 200
        [final] = ready(sec, inst["id"])
        assert final["element_id"] == last
        assert sec.complete(final["id"]).status_code == 200
        done = sec.get(f"/instances/{inst['id']}").get_json()
        assert done["state"] == "completed" and done["ended_at"] and done["tasks"] == []
        assert done["data"]["title"] == "申请书" and done["data"]["approved"] is approved


def test_parallel_gateway_waits_for_both(admin, login):
    admin.deploy("parallel.bpmn")
    member, chair = login("m", "member"), login("c", "chair")
    inst = member.start("parallel")
    tasks = {t["element_id"]: t for t in inst["tasks"]}
    assert set(tasks) == {"task_a", "task_b"}
    assert member.complete(tasks["task_a"]["id"], {"a": 1}).status_code == 200
    assert member.get(f"/instances/{inst['id']}").get_json()["state"] == "running"
    assert chair.complete(tasks["task_b"]["id"], {"b": 2}).status_code == 200
    final = member.get(f"/instances/{inst['id']}").get_json()
    assert final["state"] == "completed" and final["data"]["a"] == 1 and final["data"]["b"] == 2


def test_call_activity_runs_child_with_its_lanes(admin, login):
    admin.deploy("call_child.bpmn", "call_parent.bpmn")
    drafter, sec = login("d", "drafter"), login("s", "secretariat")
    inst = sec.start("parent")
    [child] = inst["tasks"]
    assert (child["element_id"], child["role"]) == ("child_task", "drafter")
    [where] = sec.get(f"/instances/{inst['id']}/replay").get_json()["active"]
    assert (where["element_id"], where["within"]) == ("child_task", ["call"])  # the parent's diagram marks "call"
    assert sec.complete(child["id"], {}).status_code == 403
    assert drafter.complete(child["id"], {"draft": "v1"}).status_code == 200
    [after] = ready(sec, inst["id"])
    assert after["element_id"] == "after"
    [top] = sec.get(f"/instances/{inst['id']}/replay").get_json()["active"]
    assert (top["element_id"], top["within"]) == ("after", [])
    assert sec.complete(after["id"]).status_code == 200
    assert sec.get(f"/instances/{inst['id']}").get_json()["state"] == "completed"


def test_multi_instance_user_task_collects_ballots(admin, login):
    admin.deploy("multi_vote.bpmn")
    member = login("m", "member")
    inst = member.start("multi_vote", {"voters": ["zhang", "li", "wang"]})
    tasks = inst["tasks"]
    assert len(tasks) == 3 and {t["element_id"] for t in tasks} == {"vote"}
    for task, choice in zip(tasks, ("yes", "no", "yes"), strict=True):
        response = member.complete(task["id"], {"ballot": {"choice": choice}})
        assert response.status_code == 200, response.get_json()
    final = member.get(f"/instances/{inst['id']}").get_json()
    assert final["state"] == "completed"
    assert sorted(b["choice"] for b in final["data"]["ballots"]) == ["no", "yes", "yes"]


def test_cancel_with_reason(admin, login):
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("approval")
    task_id = inst["tasks"][0]["id"]
    response = sec.post(f"/instances/{inst['id']}/cancel", json={"reason": "申请人撤回"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "cancelled" and body["tasks"] == []
    assert sec.get(f"/tasks/{task_id}").get_json()["state"] == "cancelled"
    again = sec.post(f"/instances/{inst['id']}/cancel", json={"reason": "again"})
    assert again.status_code == 409
    assert sec.complete(task_id, {"title": "x"}).status_code == 409


def test_message_correlation_by_business_key(admin, login):
    admin.deploy("message_wait.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("message_wait", business_key="MTC-12-2026")
    assert inst["state"] == "waiting"
    missing = sec.post("/messages", json={"name": "other", "business_key": "MTC-12-2026"})
    assert missing.status_code == 409
    response = sec.post("/messages", json={"name": "decision_received", "business_key": "MTC-12-2026",
                                           "payload": {"decision": "ok"}})
    assert response.status_code == 200 and response.get_json()["delivered"] == [inst["id"]]
    assert sec.get(f"/instances/{inst['id']}").get_json()["state"] == "completed"


def test_timer_is_projected_with_due_time(admin, login, clock):
    admin.deploy("timer_wait.bpmn")
    auth = login("auth", "authority")
    inst = auth.start("timer_wait")
    assert inst["state"] == "waiting" and inst["tasks"] == []
    [timer] = inst["timers"]
    assert timer["element_id"] == "window"
    assert timer["due_at"].startswith("2026-04-01T09:00")


def test_inbox_filters_and_pagination(admin, login):
    admin.deploy("approval.bpmn", "parallel.bpmn")
    sec, member = login("sec", "secretariat"), login("mem", "member")
    for n in range(5):
        sec.start("approval", business_key=f"b{n}")
    member.start("parallel")
    page = sec.get("/tasks", query_string={"per_page": 2, "page": 2}).get_json()
    assert page["total"] == 5 and page["page"] == 2 and len(page["items"]) == 2
    assert all(t["role"] == "secretariat" for t in page["items"])
    mine = member.get("/tasks").get_json()
    assert [t["element_id"] for t in mine["items"]] == ["task_a"]
    first = sec.get("/tasks").get_json()["items"][0]
    sec.post(f"/tasks/{first['id']}/claim")
    assert sec.get("/tasks", query_string={"mine": "true"}).get_json()["total"] == 1
    assert sec.get("/tasks", query_string={"claimable": "true"}).get_json()["total"] == 4
    assert sec.get("/tasks", query_string={"process_key": "parallel"}).get_json()["total"] == 0
