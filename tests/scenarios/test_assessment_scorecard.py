"""Assessment from the record (62号 九) over HTTP: a committee that missed its annual report and one that filed on
time, each figure pointing at the events of its history; members' ballots counted from the vote; the member
assessment recorded by the secretary-general only."""
import pytest

from tests.scenarios import spec_support
from tests.scenarios.committee_support import AUTHORITY, Walker
from tests.scenarios.committee_support import deploy as deploy_committees
from tests.scenarios.committee_support import seed_committee as seed_plain_committee
from tests.scenarios.spec_stories import p9_to_vote, vote
from tests.scenarios.test_committee_reports import REPORT, instances
from tests.timer_support import run_worker, utc

SPEC = "JJF-2026-101"


def indicator(card: dict, key: str) -> dict:
    return next(i for i in card["indicators"] if i["key"] == key)


def history_ids(caller, instance_id: str) -> set[tuple[int, str]]:
    """The (seq, hash) of each event of the instance, as the auditor reads its history."""
    page = caller.get(f"/instances/{instance_id}/history", query_string={"per_page": 200}).get_json()
    return {(e["seq"], e["hash"]) for e in page["items"]}


def evidence(figure: dict) -> set[tuple[int, str]]:
    return {(i["seq"], i["hash"]) for i in figure["items"]}


def test_scorecards_tell_a_missed_annual_report_from_one_on_time(engine, login, clock, app):
    deploy_committees(engine)
    walker = Walker(engine, login)
    seed_plain_committee(engine, "MTC60")
    seed_plain_committee(engine, "MTC61")
    authority = login("samr", AUTHORITY)
    sec60, sec61 = login("sec60", "secretariat:committee/MTC60"), login("sec61", "secretariat:committee/MTC61")
    outsider = login("sec62", "secretariat:committee/MTC62")
    auditor = login("audit", "auditor")
    created = authority.post("/schedules", json={"name": "年度工作报告", "process_key": "annual_report",
                                                 "rule": {"kind": "yearly", "date": "annual_report_start"},
                                                 "subjects": "active_committees"})
    assert created.status_code == 201, created.get_json()
    clock.set(utc(2027, 1, 1, 1, 0, 1))
    run_worker(engine)
    walker.fresh(authority, sec60, sec61, outsider, auditor)
    started = instances(authority, 2027)
    walker.do(sec61, started["MTC61"], "task_write_report", {**REPORT, "year": 2026})  # on time
    walker.do(authority, started["MTC61"], "task_review_report", {"decision": "accept"})
    clock.set(utc(2027, 1, 31, 16, 0, 1))  # MTC60's deadline passes without a report
    run_worker(engine)
    walker.fresh(authority, sec60, sec61, outsider, auditor)

    missed = authority.get("/committees/MTC60/scorecard", query_string={"year": 2027})
    assert missed.status_code == 200, missed.get_json()
    annual = indicator(missed.get_json(), "annual_report_on_time")
    assert (annual["value"], annual["total"], annual["rate"]) == (0, 1, 0.0)
    assert annual["items"][0]["type"] == "annual_report_missed" and annual["items"][0]["ok"] is False
    assert annual["instance_ids"] == [started["MTC60"]]
    assert evidence(annual) <= history_ids(auditor, started["MTC60"])  # the auditor follows the number

    on_time = sec61.get("/committees/MTC61/scorecard", query_string={"year": 2027}).get_json()
    annual = indicator(on_time, "annual_report_on_time")
    assert (annual["value"], annual["total"], annual["rate"]) == (1, 1, 1.0)
    assert annual["items"][0]["type"] == "annual_report_accepted"
    assert evidence(annual) <= history_ids(auditor, started["MTC61"])
    assert {i["key"] for i in on_time["indicators"]} >= {"review_first_ballot", "comments_answered", "tasks_on_time",
                                                         "notices_as_required", "voting_participation"}
    overdue = indicator(missed.get_json(), "tasks_on_time")  # MTC60's report task is past its due date
    assert overdue["total"] >= 1 and overdue["value"] < overdue["total"]

    assert outsider.get("/committees/MTC60/scorecard").status_code == 404  # another committee's people
    assert app.test_client().get("/api/v1/committees/MTC60/scorecard").status_code == 401


@pytest.fixture
def w(engine, app, clock):
    spec_support.deploy(engine, "p9_technical_review.bpmn")
    spec_support.seed_committee(engine)
    world = spec_support.World(engine, app.test_client(), clock)
    spec_support.seed_spec(engine, SPEC, stage="review", comment_closed_at="2026-02-01T00:00:00+00:00",
                           comments_total=2, comments_answered=2)
    world.grant("drafter", f"drafter:spec/{SPEC}")
    return world


def test_member_participation_counts_ballots_and_the_secretary_general_records_it(w):
    iid = w.start("sec", "technical_review", scope=spec_support.spec_scope(SPEC))["id"]
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {"m2": "yes", "m3": "yes", "m4": "no"})
    year = w.clock.now().year
    page = w.as_("secgen").get("/committees/MTC12/participation", query_string={"year": year})
    assert page.status_code == 200, page.get_json()
    members = {m["username"]: m for m in page.get_json()["members"]}
    assert members["m2"]["figures"]["ballots_cast"]["value"] == 1
    assert members["m5"]["figures"]["ballots_cast"]["value"] == 0
    assert members["m5"]["figures"]["attendance"] == {**members["m5"]["figures"]["attendance"], "value": 0, "total": 1}
    assert members["m1"]["figures"]["review_work"]["value"] == 1  # the chief reviewer's opinion
    [ballot] = members["m2"]["evidence"]["ballots_cast"]
    assert ballot["instance_id"] == iid and (ballot["seq"], ballot["hash"]) in history_ids(w.as_("auditor"), iid)

    body = {"year": year, "username": "m5", "grade": "基本称职", "comment": "本年度审定未参加表决"}
    refused = w.as_("sec").post("/committees/MTC12/member-assessments", json=body)
    assert refused.status_code == 403, refused.get_json()
    assert w.as_("secgen").post("/committees/MTC12/member-assessments",
                                json={**body, "grade": "甲等"}).status_code == 422
    recorded = w.as_("secgen").post("/committees/MTC12/member-assessments", json=body)
    assert recorded.status_code == 201, recorded.get_json()
    row = recorded.get_json()
    assert row["grade"] == "基本称职" and row["participation"]["ballots_cast"]["value"] == 0 and row["event_id"]
    listed = w.as_("authority").get("/committees/MTC12/member-assessments", query_string={"year": year}).get_json()
    assert [(r["username"], r["grade"]) for r in listed["items"]] == [("m5", "基本称职")]
