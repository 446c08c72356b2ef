"""Suspend and resume over HTTP: a suspended instance's tasks refuse work and its timers wait; on resume a timer
that came due meanwhile fires once; authorities suspend only within their jurisdiction."""

from tests.timer_support import events, run_worker


def test_timer_due_while_suspended_fires_once_on_resume(admin, login, engine, clock):
    admin.deploy("timer_wait.bpmn")
    authority = login("auth", "authority")
    inst = authority.start("timer_wait")
    assert inst["state"] == "waiting" and [t["element_id"] for t in inst["timers"]] == ["window"]

    suspended = admin.post(f"/instances/{inst['id']}/suspend", json={"reason": "申请材料待核实"}).get_json()
    assert suspended["state"] == "suspended"
    assert admin.post(f"/instances/{inst['id']}/suspend", json={"reason": "twice"}).status_code == 409
    clock.advance(days=31)
    assert run_worker(engine)[0].fired == 0
    assert events(engine, inst["id"], "timer_fired") == []
    admin, authority = login("admin"), login("auth")
    assert authority.get(f"/instances/{inst['id']}").get_json()["state"] == "suspended"
    assert authority.get(f"/instances/{inst['id']}/replay").get_json()["state"] == "suspended"

    resumed = authority.post(f"/instances/{inst['id']}/resume", json={"reason": "核实完毕"}).get_json()
    assert resumed["state"] == "running" and [t["element_id"] for t in resumed["tasks"]] == ["decide"]
    assert len(events(engine, inst["id"], "timer_fired")) == 1
    assert run_worker(engine)[0].fired == 0
    assert len(events(engine, inst["id"], "timer_fired")) == 1
    [suspend] = events(engine, inst["id"], "instance_suspended")
    [resume] = events(engine, inst["id"], "instance_resumed")
    assert (suspend.actor, suspend.data["reason"], resume.actor, resume.data["reason"]) == \
           ("admin", "申请材料待核实", "auth", "核实完毕")


def test_suspended_tasks_refuse_claim_and_complete(admin, login, engine, clock):
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    inst = sec.start("approval", {"applicant": "MTC-12"})
    [submit] = inst["tasks"]
    assert admin.post(f"/instances/{inst['id']}/suspend", json={"reason": "暂停"}).status_code == 200
    assert sec.post(f"/tasks/{submit['id']}/claim").status_code == 409
    refused = sec.complete(submit["id"], {"title": "t", "pages": 1})
    assert refused.status_code == 409 and "suspended" in refused.get_json()["detail"]
    assert admin.post(f"/instances/{inst['id']}/resume", json={"reason": "恢复"}).get_json()["state"] == "running"
    assert sec.complete(submit["id"], {"title": "t", "pages": 1}).status_code == 200


def test_authorities_suspend_within_their_jurisdiction(admin, login, engine):
    admin.deploy("approval.bpmn")
    sec = login("sec", "secretariat")
    js, zj = login("js", "authority:level/provincial/江苏"), login("zj", "authority:level/provincial/浙江")
    inst = sec.post("/instances", json={"process_key": "approval", "variables": {"applicant": "MTC-12"},
                                        "scope": {"level": "provincial", "jurisdiction": "江苏"}}).get_json()
    assert zj.post(f"/instances/{inst['id']}/suspend", json={"reason": "r"}).status_code == 404
    assert sec.post(f"/instances/{inst['id']}/suspend", json={"reason": "r"}).status_code == 403
    assert js.post(f"/instances/{inst['id']}/suspend", json={"reason": "r"}).status_code == 200
