"""P2b term extension (延期换届) over HTTP: BR13 stops a committee whose term expired "until renewed or
extended"; the secretariat asks, the request is checked against term_extension_max, the authority approves
(the registry's term end moves and BR13 lets the committee work on), returns or rejects."""
from datetime import date

import pytest

from engine.committees import registry as committee_registry
from engine.config import ROOT
from tests.scenarios.committee_support import AUTHORITY, Walker
from tests.scenarios.committee_support import seed_committee as seed
from tests.timer_support import utc

SCOPE = {"level": "national"}


@pytest.fixture
def walker(engine, login):
    engine.deploy_files([ROOT / "processes" / "p2b_term_extension.bpmn"])
    return Walker(engine, login)


def start(caller, code: str) -> str:
    started = caller.post("/instances", json={"process_key": "committee_term_extension",
                                              "scope": {**SCOPE, "committee": code}})
    assert started.status_code == 201, started.get_json()
    return started.get_json()["id"]


def state(engine, code: str):
    with engine.db.transaction() as session:
        return committee_registry.status_of(session, code)


def test_extension_approved_after_a_return_lifts_br13(walker, engine, login, clock, app):
    seed(engine, "MTC50", term_end=date(2026, 6, 30))
    seed(engine, "MTC51", term_end=date(2026, 6, 30))
    sec, authority = login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY)
    iid = start(sec, "MTC50")
    too_long = walker.do(sec, iid, "task_request_extension", {"extension_until": "2027-07-01",
                                                              "extension_reason": "换届筹备未完成"}, status=422)
    assert "2027-06-30" in too_long.get_json()["detail"]  # term_extension_max: one year from the term end
    assert too_long.get_json()["errors"][0]["field"] == "extension_until"
    walker.do(sec, iid, "task_request_extension", {"extension_until": "2026-06-30", "extension_reason": "x"},
              status=422)  # not after the current end
    walker.do(sec, iid, "task_request_extension", {"extension_until": "2026-13-01", "extension_reason": "x"},
              status=422)
    walker.do(sec, iid, "task_request_extension", {"extension_until": "2027-06-30",
                                                   "extension_reason": "换届筹备未完成"})
    walker.do(authority, iid, "task_decide_extension", {"extension_decision": "return",
                                                        "extension_opinion": "延长期限过长"})
    walker.do(sec, iid, "task_request_extension", {"extension_until": "2026-12-31",
                                                   "extension_reason": "换届筹备未完成，拟于年底前完成"})
    walker.do(authority, iid, "task_decide_extension", {"extension_decision": "approve"}, status=422)  # no document
    walker.do(authority, iid, "task_decide_extension", {"extension_decision": "approve",
                                                        "approval_document": "市监计量函〔2026〕88号"})
    assert sec.get(f"/instances/{iid}").get_json()["state"] == "completed"
    public = app.test_client().get("/api/v1/committees/MTC50").get_json()
    assert public["term"] == {"number": 1, "start": "2024-01-01", "end": "2026-12-31", "expired": False}
    history = sec.get(f"/instances/{iid}/history").get_json()["items"]
    [extended] = [e for e in history if e["type"] == "committee_term_extended"]
    assert extended["data"]["from"] == "2026-06-30" and extended["data"]["to"] == "2026-12-31"

    clock.set(utc(2026, 7, 1, 2))  # 1 July: MTC51's term has ended, MTC50's was extended
    assert state(engine, "MTC50").review_refusal() is None
    assert state(engine, "MTC51").review_refusal()[0] == "BR13"
    assert app.test_client().get("/api/v1/committees/MTC51").get_json()["term"]["expired"] is True


def test_extension_rejected_leaves_the_term(walker, engine, login, app):
    seed(engine, "MTC52", term_end=date(2026, 6, 30))
    sec, authority = login("sec52", "secretariat:committee/MTC52"), login("samr", AUTHORITY)
    iid = start(sec, "MTC52")
    walker.do(sec, iid, "task_request_extension", {"extension_until": "2026-12-31", "extension_reason": "未完成"})
    walker.do(authority, iid, "task_decide_extension", {"extension_decision": "reject",
                                                        "extension_opinion": "应按期换届"})
    assert sec.get(f"/instances/{iid}").get_json()["state"] == "completed"
    assert app.test_client().get("/api/v1/committees/MTC52").get_json()["term"]["end"] == "2026-06-30"


def test_only_a_working_committee_is_extended_and_only_by_its_own_people(walker, engine, login):
    seed(engine, "MTC53", status="suspended", term_end=date(2026, 6, 30))
    seed(engine, "MTC54", term_end=date(2026, 6, 30))
    sec = login("sec53", "secretariat:committee/MTC53")
    iid = start(sec, "MTC53")
    refused = walker.do(sec, iid, "task_request_extension", {"extension_until": "2026-12-31",
                                                             "extension_reason": "x"}, status=409)
    assert "suspended" in refused.get_json()["detail"]
    other = login("sec54x", "secretariat:committee/MTC53")
    assert other.post("/instances", json={"process_key": "committee_term_extension",
                                          "scope": {**SCOPE, "committee": "MTC54"}}).status_code == 403
    iid = start(login("sec54", "secretariat:committee/MTC54"), "MTC54")
    task = walker.task(login("sec54", "secretariat:committee/MTC54"), iid, "task_request_extension")
    assert login("prov", "authority:level/provincial/江苏").post(f"/tasks/{task['id']}/claim").status_code in (403, 404)
