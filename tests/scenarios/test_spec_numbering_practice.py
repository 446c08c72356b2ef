"""Numbers and dates as national practice has them, over HTTP with the clock advanced: continuous unpadded
series, the 检定系统表 range, a revision keeping its serial, a replacement or split taking a new number with
what it replaces, and the superseded specification in force until its successor's effective date."""
from datetime import date

import pytest

from tests.scenarios.spec_stories import p10_approve
from tests.scenarios.spec_support import World, deploy, seed_committee, seed_spec, spec_scope

PASSED = {"review": {"quorum_met": True, "passed": True, "cast": 8, "yes": 8, "voting_members": 8},
          "review_passed": True, "minutes": "审定会议纪要"}


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p10_approval_submission.bpmn")
    seed_committee(engine)
    return World(engine, app.test_client(), clock)


def approve(w, spec_id: str, publication_date: str, **fields) -> dict:
    seed_spec(w.engine, spec_id, stage="review", **{**PASSED, **fields})
    w.grant("drafter", f"drafter:spec/{spec_id}")
    p10_approve(w, w.start("drafter", "approval_submission", scope=spec_scope(spec_id))["id"], publication_date)
    return w.spec(spec_id)


def published(w, spec_id: str, number: str, spec_type: str = "JJG", year: int = 2006) -> str:
    return seed_spec(w.engine, spec_id, stage="published", type=spec_type, number=number,
                     publication_date=date(year, 6, 1), effective_date=date(year, 9, 1))


def in_force(w) -> list[str]:
    listed = w.client.get("/api/v1/specifications", query_string={"in_force": "true", "per_page": 100}).get_json()
    return sorted(item["number"] for item in listed["items"])


def test_national_series_run_on_across_years_without_padding(w):
    assert approve(w, "JJF-2026-101", "2026-05-20")["number"] == "JJF 1001—2026"
    assert approve(w, "JJG-2026-102", "2026-05-20", type="JJG")["number"] == "JJG 1—2026"  # not JJG 0001
    assert approve(w, "JJF-2027-101", "2027-01-05")["number"] == "JJF 1002—2027"  # never restarts in a new year
    assert approve(w, "JJG-2027-102", "2027-01-05", type="检定系统表")["number"] == "JJG 2001—2027"
    assert approve(w, "JJG-2027-103", "2027-02-01", type="JJG")["number"] == "JJG 2—2027"  # its own range


def test_a_revision_keeps_its_predecessors_serial_with_the_new_year(w):
    published(w, "JJG-2006-098", "JJG 98—2006")
    new = approve(w, "JJG-2026-098", "2026-06-01", type="JJG", kind="revision", replaces="JJG-2006-098")
    assert new["number"] == "JJG 98—2026" and new["replaces_number"] == "JJG 98—2006"
    # and the counter of new numbers was not used up by it
    assert approve(w, "JJG-2026-099", "2026-06-01", type="JJG")["number"] == "JJG 1—2026"


def test_a_replacement_changing_the_type_takes_a_new_number_and_records_what_it_replaces(w):
    published(w, "JJG-1990-041", "JJG 41—1990", year=1990)
    new = approve(w, "JJF-2026-207", "2026-06-01", kind="revision", replaces="JJG-1990-041")
    assert new["number"] == "JJF 1001—2026" and new["replaces_number"] == "JJG 41—1990"  # 代替 JJG 41—1990
    assert w.spec("JJG-1990-041")["superseded_by"] == "JJF-2026-207"


def test_a_split_takes_new_numbers_for_every_part(w):
    published(w, "JJG-2006-099", "JJG 99—2006")
    seed_spec(w.engine, "JJG-2026-302", stage="drafting", type="JJG", kind="revision", replaces="JJG-2006-099")
    first = approve(w, "JJG-2026-301", "2026-06-01", type="JJG", kind="revision", replaces="JJG-2006-099")
    assert first["number"] == "JJG 1—2026" and first["replaces_number"] == "JJG 99—2006"


def test_a_revision_in_its_predecessors_year_is_refused_until_a_later_year(w):
    published(w, "JJG-2026-050", "JJG 50—2026", year=2026)
    seed_spec(w.engine, "JJG-2026-051", stage="review", type="JJG", kind="revision", replaces="JJG-2026-050",
              **PASSED)
    w.grant("drafter", "drafter:spec/JJG-2026-051")
    iid = w.start("drafter", "approval_submission", scope=spec_scope("JJG-2026-051"))["id"]
    draft = w.upload("drafter", iid, "p10_task_package", "submission.txt", b"v1")
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": True})
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "approve", "publication_date": "2026-06-01"},
         status=409)
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "approve", "publication_date": "2027-01-04"})
    assert w.spec("JJG-2026-051")["number"] == "JJG 50—2027"


def test_a_superseded_specification_stays_in_force_until_its_revisions_effective_date(w):
    published(w, "JJG-2006-098", "JJG 98—2006")
    assert in_force(w) == ["JJG 98—2006"]
    new = approve(w, "JJG-2026-098", "2026-03-02", type="JJG", kind="revision", replaces="JJG-2006-098")
    assert new["effective_date"] == "2026-06-02"  # effective_after of the national profile
    old = w.spec("JJG-2006-098")
    assert old["stage"] == "superseded" and old["in_force"] is True  # approved, not yet replaced: no gap
    assert in_force(w) == ["JJG 98—2006"]
    w.clock.set(w.clock.now().replace(month=6, day=1, hour=15))  # 23:00 in Beijing
    assert in_force(w) == ["JJG 98—2006"]  # the evening before, Beijing time
    w.clock.set(w.clock.now().replace(month=6, day=1, hour=16))  # midnight in Beijing
    assert in_force(w) == ["JJG 98—2026"]  # the successor's effective date: exactly one in force
    assert w.spec("JJG-2006-098")["in_force"] is False
    not_in_force = w.client.get("/api/v1/specifications", query_string={"in_force": "false"}).get_json()
    assert [i["number"] for i in not_in_force["items"]] == ["JJG 98—2006"]
