"""Migration over HTTP (issue 19): v1 → v2 of a lifecycle-like diagram whose review task is renamed, whose comment
window shrinks from 30 to 20 days and whose format check is gone. A dry run changes nothing; executing moves 50
running instances, refuses the one waiting at the removed format check, and every moved instance completes under
v2 and replays (the engine fixture also checks every instance replays to its stored state)."""
from datetime import timedelta

from tests.conftest import BPMN
from tests.timer_support import events, run_worker, timers

KEY = "migration_lifecycle"
PLAN = {"from_version": 1, "to_version": 2, "mappings": {"review": "technical_review"}}


def _task(caller, instance_id):
    view = caller.get(f"/instances/{instance_id}").get_json()
    assert "tasks" in view, view
    [task] = view["tasks"]
    return task


def _advance(caller, instance_ids, element_id):
    for instance_id in instance_ids:
        task = _task(caller, instance_id)
        assert task["element_id"] == element_id
        assert caller.complete(task["id"]).status_code == 200


def test_migrate_fifty_instances_from_v1_to_v2(admin, login, engine, clock):
    admin.deploy(BPMN / "migration_v1.bpmn")
    sec = login("sec", "secretariat")
    at_review = [sec.start(KEY)["id"] for _ in range(15)]
    late = [sec.start(KEY)["id"] for _ in range(6)]
    _advance(sec, at_review + late, "draft")
    clock.advance(days=31)
    run_worker(engine)
    sec, admin = login("sec"), login("admin")  # tokens expire while time passes
    _advance(sec, late, "review")
    refused, at_approve = late[0], late[1:]
    _advance(sec, at_approve, "format_check")
    at_draft = [sec.start(KEY)["id"] for _ in range(15)]
    at_window = [sec.start(KEY)["id"] for _ in range(15)]
    _advance(sec, at_window, "draft")
    admin.deploy(BPMN / "migration_v2.bpmn")
    moved = at_review + at_approve + at_draft + at_window
    before = {i: len(events(engine, i)) for i in moved + [refused]}

    assert sec.post(f"/definitions/{KEY}/migrations/plan", json=PLAN).status_code == 403
    plan = admin.post(f"/definitions/{KEY}/migrations/plan", json=PLAN).get_json()
    assert (plan["dry_run"], plan["instances"], plan["migratable"], plan["refused"]) == (True, 51, 50, 1)
    assert plan["elements"] == [{"from": "review", "to": "technical_review", "instances": 15}]
    assert plan["timers_recomputed"] == 15
    [refusal] = [i for i in plan["items"] if not i["migratable"]]
    assert refusal["instance_id"] == refused and refusal["refusals"][0]["element_id"] == "format_check"
    assert {i: len(events(engine, i)) for i in before} == before  # the dry run changed nothing
    assert sec.get(f"/instances/{at_review[0]}").get_json()["version"] == 1
    bad = admin.post(f"/definitions/{KEY}/migrations/plan", json={**PLAN, "mappings": {"nope": "approve"}})
    assert bad.status_code == 422

    result = admin.post(f"/definitions/{KEY}/migrations", json={**PLAN, "reason": "v2: 合并格式审查, 征求意见20天"})
    result = result.get_json()
    assert sorted(result["migrated"]) == sorted(moved) and result["failed"] == []
    assert sec.get(f"/instances/{refused}").get_json()["version"] == 1
    [event] = events(engine, at_review[0], "instance_migrated")
    assert (event.actor, event.process_version, event.data["reason"]) == ("admin", 2, "v2: 合并格式审查, 征求意见20天")
    assert event.data["moves"] == [{"from": "review", "to": "technical_review"}]
    [window] = [t for t in timers(engine, at_window[0]) if t.state == "waiting"]
    assert window.due_at.replace(tzinfo=None) == (clock.now() + timedelta(days=20)).replace(tzinfo=None)
    assert _task(sec, at_review[0])["element_id"] == "technical_review"
    again = admin.post(f"/definitions/{KEY}/migrations", json={**PLAN, "reason": "again"}).get_json()
    assert (again["instances"], again["migrated"]) == (1, [])

    for _ in range(4):
        for instance_id in moved:
            view = sec.get(f"/instances/{instance_id}").get_json()
            for task in view["tasks"]:
                assert sec.complete(task["id"]).status_code == 200
        clock.advance(days=21)
        run_worker(engine)
        sec = login("sec")
    for instance_id in moved:
        view = sec.get(f"/instances/{instance_id}").get_json()
        assert (view["state"], view["version"]) == ("completed", 2), (instance_id in at_draft, instance_id in at_window,
                                                                      view["timers"], view["tasks"])
        replayed = sec.get(f"/instances/{instance_id}/replay").get_json()
        assert (replayed["state"], replayed["version"]) == ("completed", 2)
        step = before[instance_id] + 1
        at_migration = sec.get(f"/instances/{instance_id}/replay", query_string={"step": step}).get_json()
        assert (at_migration["event"]["type"], at_migration["version"]) == ("instance_migrated", 2)
    completed = [e.element_id for e in events(engine, at_review[0], "task_completed")]
    assert completed == ["draft", "technical_review", "approve"]


def test_move_back_to_an_earlier_user_task(admin, login, engine):
    admin.deploy("approval.bpmn")
    sec, auth = login("sec", "secretariat"), login("auth", "authority")
    inst = sec.start("approval", {"applicant": "MTC-12"})
    assert sec.complete(_task(sec, inst["id"])["id"], {"title": "t", "pages": 1}).status_code == 200
    review = _task(auth, inst["id"])
    assert auth.complete(review["id"], {"approved": True}).status_code == 200
    assert _task(sec, inst["id"])["element_id"] == "archive"

    assert auth.post(f"/instances/{inst['id']}/move-back",
                     json={"element_id": "review", "reason": "r"}).status_code == 403
    assert sec.post(f"/instances/{inst['id']}/move-back",
                    json={"element_id": "nowhere", "reason": "r"}).status_code == 409
    back = sec.post(f"/instances/{inst['id']}/move-back",
                    json={"element_id": "review", "reason": "审查意见误提交，退回重审"})
    assert back.status_code == 200, back.get_json()
    [task] = back.get_json()["tasks"]
    assert (task["element_id"], task["id"], task["assignee"]) == ("review", review["id"], None)
    [event] = events(engine, inst["id"], "instance_moved_back")
    assert (event.actor, event.data["reason"], event.data["was_open"]) == \
           ("sec", "审查意见误提交，退回重审", ["archive"])
    replayed = sec.get(f"/instances/{inst['id']}/replay").get_json()
    assert [t["element_id"] for t in replayed["active"]] == ["review"]
    assert auth.complete(review["id"], {"approved": True}).status_code == 200
    assert sec.complete(_task(sec, inst["id"])["id"]).status_code == 200
    assert sec.get(f"/instances/{inst['id']}").get_json()["state"] == "completed"


def test_move_back_across_a_received_timer_is_refused(admin, login, engine, clock):
    admin.deploy(BPMN / "migration_v1.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start(KEY)["id"]
    _advance(sec, [inst], "draft")
    clock.advance(days=31)
    run_worker(engine)
    refused = login("admin").post(f"/instances/{inst}/move-back", json={"element_id": "draft", "reason": "r"})
    assert refused.status_code == 409 and "comment_window" in refused.get_json()["detail"]
    assert events(engine, inst, "instance_moved_back") == []
