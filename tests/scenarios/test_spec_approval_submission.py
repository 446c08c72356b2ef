"""P10 approval submission (报批 → 批准发布) over HTTP: the package, BR1 at submission, approve / return / reject,
the number per range across years (never a duplicate, also with concurrent approvals), dates and supersession."""
import threading
from datetime import date

import pytest

from engine.specifications import numbering as spec_numbering
from tests.scenarios.spec_stories import p10_approve
from tests.scenarios.spec_support import SCOPE, World, deploy, seed_committee, seed_spec, spec_scope

RULE = spec_numbering.NumberRule({})
PASSED = {"review": {"quorum_met": True, "passed": True, "cast": 8, "yes": 8, "voting_members": 8},
          "review_passed": True, "minutes": "审定会议纪要"}


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p10_approval_submission.bpmn")
    seed_committee(engine)
    world = World(engine, app.test_client(), clock)
    seed(w=world, spec_id="JJF-2026-101")
    return world


def seed(w, spec_id: str, **fields) -> str:
    seed_spec(w.engine, spec_id, stage="review", **{**PASSED, **fields})
    w.grant("drafter", f"drafter:spec/{spec_id}")
    return spec_id


def start(w, spec_id: str = "JJF-2026-101", scope: dict | None = None) -> str:
    return w.start("drafter", "approval_submission", scope=scope or spec_scope(spec_id))["id"]


def test_main_path_numbers_and_publishes(w):
    iid = start(w)
    assert w.spec("JJF-2026-101")["stage"] == "approval"
    p10_approve(w, iid, publication_date="2026-05-20")
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["approval_outcome"] == "approved"
    spec = w.spec("JJF-2026-101")
    assert spec["stage"] == "published" and spec["number"] == "JJF 1001—2026"
    assert spec["publication_date"] == "2026-05-20" and spec["effective_date"] == "2026-08-20"  # effective_after
    assert spec["documents"]["approval"]["报批稿"][0]["filename"] == "submission.txt"
    assert [c["action"] for c in spec["changes"]] == ["approval_started", "approval_package_submitted",
                                                      "submitted_for_approval", "approved"]
    public = w.client.get("/api/v1/specifications", query_string={"number": "JJF 1001—2026"}).get_json()
    assert public["total"] == 1 and public["items"][0]["in_force"] is False  # published, not yet effective
    w.clock.set(w.clock.now().replace(year=2026, month=8, day=21))
    assert w.client.get("/api/v1/specifications", query_string={"in_force": "true"}).get_json()["total"] == 1


def test_numbers_run_per_range_across_years(w):
    seed(w, "JJG-2026-102", type="JJG")
    seed(w, "JJG-2026-103", type="检定系统表")
    seed(w, "JJF-2026-104", type="型式评价大纲")
    for spec_id, published in (("JJF-2026-101", "2026-05-20"), ("JJG-2026-102", "2026-05-20"),
                               ("JJG-2026-103", "2026-06-01"), ("JJF-2026-104", "2027-01-05")):
        p10_approve(w, start(w, spec_id), publication_date=published)
    numbers = {s: w.spec(s)["number"] for s in ("JJF-2026-101", "JJG-2026-102", "JJG-2026-103", "JJF-2026-104")}
    assert numbers == {"JJF-2026-101": "JJF 1001—2026", "JJG-2026-102": "JJG 1—2026",  # not zero-padded
                       "JJG-2026-103": "JJG 2001—2026",  # a verification scheme table: the JJG 2001 range
                       "JJF-2026-104": "JJF 1002—2027"}  # a new year runs on
    # the national profile's spec_number_first: JJF from 1001, JJG from 1, 检定系统表 from 2001


def test_return_then_reject(w):
    iid = start(w)
    draft = w.upload("drafter", iid, "p10_task_package", "submission.txt", b"v1")
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": False, "check_note": "缺试验报告"})
    assert w.open_elements(iid) == ["p10_task_package"]
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": True})
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "return", "approval_opinion": "术语不规范"})
    assert w.open_elements(iid) == ["p10_task_package"]
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": True})
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "reject", "approval_opinion": "技术路线已淘汰"})
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["approval_outcome"] == "rejected"
    spec = w.spec("JJF-2026-101")
    assert spec["stage"] == "cancelled" and spec["number"] is None
    assert [c["action"] for c in spec["changes"]][-2:] == ["submitted_for_approval", "approval_rejected"]


def test_br1_refuses_without_a_passed_review_and_allows_with_one(w, engine):
    for spec_id, fields in (("JJF-2026-201", {"review": None, "review_passed": False}),
                            ("JJF-2026-202", {"review": {**PASSED["review"], "quorum_met": False, "cast": 4},
                                              "review_passed": False}),
                            ("JJF-2026-203", {"review": {**PASSED["review"], "passed": False, "yes": 5},
                                              "review_passed": False}),
                            ("JJF-2026-204", {"minutes": None})):
        seed(w, spec_id, **fields)
        iid = start(w, spec_id)
        draft = w.upload("drafter", iid, "p10_task_package", "submission.txt", b"v1")
        w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
        refused = w.do("sec", iid, "p10_task_check", {"package_complete": True}, status=403)
        assert refused.get_json()["rule"] == "BR1", spec_id
        assert w.open_elements(iid) == ["p10_task_check"]
    assert "no quorum" in refused.get_json()["detail"] or "minutes" in refused.get_json()["detail"]
    p10_approve(w, start(w), publication_date="2026-05-20")  # a passed review with minutes: allowed
    assert w.spec("JJF-2026-101")["stage"] == "published"


def test_a_revision_supersedes_the_old_specification(w, engine):
    seed_spec(engine, "JJF-2011-007", stage="published", number="JJF 1007—2011", effective_date=date(2011, 9, 1),
              publication_date=date(2011, 6, 1))
    seed(w, "JJF-2026-105", kind="revision", replaces="JJF-2011-007")
    p10_approve(w, start(w, "JJF-2026-105"), publication_date="2026-06-01")
    old, new = w.spec("JJF-2011-007"), w.spec("JJF-2026-105")
    assert new["number"] == "JJF 1007—2026" and new["replaces"] == "JJF-2011-007"  # the serial kept, new year
    assert new["replaces_number"] == "JJF 1007—2011"
    assert old["stage"] == "superseded" and old["superseded_by"] == "JJF-2026-105"
    assert old["changes"][-1]["action"] == "superseded" and old["changes"][-1]["data"]["number"] == "JJF 1007—2026"


def test_effective_date_not_before_publication(w):
    iid = start(w)
    draft = w.upload("drafter", iid, "p10_task_package", "submission.txt", b"v1")
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": True})
    refused = w.do("authority", iid, "p10_task_decide", {
        "approval_decision": "approve", "publication_date": "2026-06-01", "effective_date": "2026-05-01"}, status=422)
    assert refused.get_json()["errors"][0]["field"] == "effective_date"
    assert w.spec("JJF-2026-101")["number"] is None  # refused as a whole: no number was used up
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "approve", "publication_date": "2026-06-01"})
    assert w.spec("JJF-2026-101")["number"] == "JJF 1001—2026"


def test_provincial_numbers_carry_the_province_mark(w, engine):
    w.grant("authority", "authority:level/provincial/江苏")
    seed(w, "JJG-苏-2026-001", type="JJG", level="provincial", jurisdiction="江苏")
    iid = start(w, "JJG-苏-2026-001", scope={**SCOPE, "specification": "JJG-苏-2026-001", "level": "provincial",
                                             "jurisdiction": "江苏"})
    p10_approve(w, iid, publication_date="2026-07-01")
    assert w.spec("JJG-苏-2026-001")["number"] == "JJG(苏)001—2026"


def test_concurrent_approvals_never_share_a_number(w, app):
    """Eight authorities' decisions at once over HTTP: eight distinct numbers, 1001 to 1008."""
    ids = [seed(w, f"JJF-2026-3{i:02d}") for i in range(8)]
    iids = []
    for spec_id in ids:
        iid = start(w, spec_id)
        draft = w.upload("drafter", iid, "p10_task_package", "submission.txt", b"v1")
        w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
        w.do("sec", iid, "p10_task_check", {"package_complete": True})
        iids.append(iid)
    tasks = [w.task(iid, "p10_task_decide") for iid in iids]
    callers = [w.as_("authority") for _ in tasks]
    for caller, task in zip(callers, tasks, strict=True):
        assert caller.post(f"/tasks/{task['id']}/claim").status_code == 200
    barrier, results = threading.Barrier(len(tasks)), []

    def decide(task):
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/tasks/{task['id']}/complete", headers={
            "Authorization": f"Bearer {callers[0].token}"}, json={"data": {
                "approval_decision": "approve", "publication_date": "2026-09-01"}})
        results.append(response.status_code)

    threads = [threading.Thread(target=decide, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200] * len(tasks)
    numbers = sorted(w.spec(spec_id)["number"] for spec_id in ids)
    assert numbers == [f"JJF {i:04d}—2026" for i in range(1001, 1009)]


def test_the_counter_under_concurrent_transactions(engine):
    """Many transactions taking numbers of one series at once: each number exactly once."""
    taken, errors = [], []
    barrier = threading.Barrier(12)

    def take():
        barrier.wait()
        for _ in range(5):
            try:
                with engine.db.transaction() as session:
                    taken.append(spec_numbering.number(session, "JJF", "national", None, 2030, RULE))
            except Exception as err:  # noqa: BLE001 - a lost race would show here
                errors.append(err)

    threads = [threading.Thread(target=take) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(taken) == sorted(f"JJF {i}—2030" for i in range(1, 61))
