"""Races on one task: exactly one winner, a clear 409 for the loser, a consistent instance."""
import threading

from sqlalchemy import func, select

from engine.history.models import Event
from engine.runtime.models import Task


def race(n, action):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        barrier.wait()
        results[i] = action(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_two_threads_complete_the_same_task(admin, login, app, engine):
    admin.deploy("approval.bpmn")
    callers = [login("sec1", "secretariat"), login("sec2", "secretariat")]
    inst = callers[0].start("approval")
    task_id = inst["tasks"][0]["id"]
    clients = [app.test_client() for _ in callers]

    def complete(i):
        response = clients[i].post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"title": f"t{i}"}},
                                   headers={"Authorization": f"Bearer {callers[i].token}"})
        return response.status_code, response.get_json()

    results = race(2, complete)
    codes = sorted(code for code, _ in results)
    assert codes == [200, 409], results
    loser = next(body for code, body in results if code == 409)
    assert loser["status"] == 409 and loser["detail"]

    final = callers[0].get(f"/instances/{inst['id']}").get_json()
    assert [t["element_id"] for t in final["tasks"]] == ["review"]
    winner = next(i for i, (code, _) in enumerate(results) if code == 200)
    assert final["data"]["title"] == f"t{winner}"
    with engine.db.transaction() as session:
        completed = session.scalar(select(func.count()).select_from(Event).where(
            Event.stream == inst["id"], Event.type == "task_completed"))
        assert completed == 1
        assert session.get(Task, task_id).completed_by == callers[winner].username


def test_claim_race_has_one_winner(admin, login, app):
    admin.deploy("approval.bpmn")
    callers = [login(f"s{i}", "secretariat") for i in range(4)]
    task_id = callers[0].start("approval")["tasks"][0]["id"]
    clients = [app.test_client() for _ in callers]

    def claim(i):
        return clients[i].post(f"/api/v1/tasks/{task_id}/claim",
                               headers={"Authorization": f"Bearer {callers[i].token}"}).status_code

    codes = race(4, claim)
    assert sorted(codes) == [200, 409, 409, 409]
    task = callers[0].get(f"/tasks/{task_id}").get_json()
    assert task["assignee"] == callers[codes.index(200)].username
