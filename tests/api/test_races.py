"""Many clients racing on one task, one instance, one timer: exactly one winner per race, a 409 problem for
every loser, a consistent instance afterwards (the ``engine`` fixture replays every instance and verifies
the chains after each test, on SQLite and PostgreSQL)."""
from collections import Counter

from sqlalchemy import func, select

from engine.history.models import Event
from engine.runtime.models import Task
from tests.api.test_concurrency import race

CLIENTS = 8


def post_as(app, callers):
    clients = [app.test_client() for _ in callers]

    def post(i, path, json=None):
        response = clients[i].post(f"/api/v1{path}", json=json if json is not None else {},
                                   headers={"Authorization": f"Bearer {callers[i].token}"})
        return response.status_code, response.get_json(), response.mimetype

    return post


def assert_losers_409(results, winners=1):
    codes = Counter(code for code, _, _ in results)
    assert codes == Counter({200: winners, 409: len(results) - winners}), results
    for code, body, mimetype in results:
        if code == 409:
            assert mimetype == "application/problem+json" and body["status"] == 409 and body["detail"]


def events(engine, instance_id, type_):
    with engine.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Event).where(
            Event.stream == instance_id, Event.type == type_))


def test_many_clients_complete_one_task(admin, login, app, engine):
    admin.deploy("approval.bpmn")
    callers = [login(f"sec{i}", "secretariat") for i in range(CLIENTS)]
    inst = callers[0].start("approval")
    task_id = inst["tasks"][0]["id"]
    post = post_as(app, callers)

    results = race(CLIENTS, lambda i: post(i, f"/tasks/{task_id}/complete", {"data": {"title": f"t{i}"}}))
    assert_losers_409(results)
    winner = next(i for i, (code, _, _) in enumerate(results) if code == 200)
    final = callers[0].get(f"/instances/{inst['id']}").get_json()
    assert final["data"]["title"] == f"t{winner}"
    assert [t["element_id"] for t in final["tasks"]] == ["review"]
    assert events(engine, inst["id"], "task_completed") == 1
    with engine.db.transaction() as session:
        assert session.get(Task, task_id).completed_by == callers[winner].username


def test_many_clients_claim_then_only_the_holder_completes(admin, login, app, engine):
    admin.deploy("approval.bpmn")
    callers = [login(f"sec{i}", "secretariat") for i in range(CLIENTS)]
    inst = callers[0].start("approval")
    task_id = inst["tasks"][0]["id"]
    post = post_as(app, callers)

    claims = race(CLIENTS, lambda i: post(i, f"/tasks/{task_id}/claim"))
    assert_losers_409(claims)
    holder = next(i for i, (code, _, _) in enumerate(claims) if code == 200)
    completes = race(CLIENTS, lambda i: post(i, f"/tasks/{task_id}/complete", {"data": {"title": f"t{i}"}}))
    assert_losers_409(completes)
    assert completes[holder][0] == 200
    assert events(engine, inst["id"], "task_claimed") == 1
    assert events(engine, inst["id"], "task_completed") == 1


def test_parallel_branches_of_one_instance(admin, login, app, engine):
    """Two races at once on the two branches of one instance: one winner each, and the join sees both."""
    admin.deploy("parallel.bpmn")
    members = [login(f"m{i}", "member") for i in range(CLIENTS // 2)]
    chairs = [login(f"c{i}", "chair") for i in range(CLIENTS // 2)]
    callers = members + chairs
    inst = members[0].start("parallel")
    task_of = {t["element_id"]: t["id"] for t in inst["tasks"]}
    post = post_as(app, callers)

    def complete(i):
        element = "task_a" if i < len(members) else "task_b"
        return post(i, f"/tasks/{task_of[element]}/complete", {"data": {}})

    results = race(CLIENTS, complete)
    assert_losers_409(results[:len(members)])
    assert_losers_409(results[len(members):])
    final = members[0].get(f"/instances/{inst['id']}").get_json()
    assert final["state"] == "completed" and final["tasks"] == []
    assert events(engine, inst["id"], "task_completed") == 2
    assert events(engine, inst["id"], "instance_completed") == 1


def test_cancel_races_complete_on_one_instance(admin, login, app, engine):
    admin.deploy("approval.bpmn")
    callers = [login(f"sec{i}", "secretariat") for i in range(CLIENTS)]
    inst = callers[0].start("approval")
    task_id = inst["tasks"][0]["id"]
    post = post_as(app, callers)

    def act(i):
        if i % 2:
            return post(i, f"/instances/{inst['id']}/cancel", {"reason": f"race {i}"})
        return post(i, f"/tasks/{task_id}/complete", {"data": {"title": f"t{i}"}})

    results = race(CLIENTS, act)
    cancels, completes = results[1::2], results[0::2]
    assert_losers_409(cancels)  # the instance is cancelled exactly once
    completed = sum(code == 200 for code, _, _ in completes)
    assert_losers_409(completes, winners=completed)
    assert completed <= 1  # a completion either happened before the cancel, once, or not at all
    final = callers[0].get(f"/instances/{inst['id']}").get_json()
    assert final["state"] == "cancelled" and final["tasks"] == []
    assert events(engine, inst["id"], "instance_cancelled") == 1
    assert events(engine, inst["id"], "task_completed") == completed


def test_many_operators_fire_one_timer(admin, login, app, engine):
    admin.deploy("timer_wait.bpmn")
    authorities = [login(f"a{i}", "authority") for i in range(CLIENTS)]
    inst = authorities[0].start("timer_wait")
    timer_id = inst["timers"][0]["id"]
    post = post_as(app, authorities)

    results = race(CLIENTS, lambda i: post(i, f"/timers/{timer_id}/fire", {"reason": f"operator {i}"}))
    assert_losers_409(results)
    assert events(engine, inst["id"], "timer_fired") == 1
    assert events(engine, inst["id"], "timer_fire_requested") == 1
    final = authorities[0].get(f"/instances/{inst['id']}").get_json()
    assert [t["element_id"] for t in final["tasks"]] == ["decide"] and final["timers"] == []
