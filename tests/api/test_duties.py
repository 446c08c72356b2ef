"""Separation of duties over HTTP: each rule refuses (naming itself) and allows; the inbox agrees."""
from __future__ import annotations

import pytest

from engine.rules import profiles
from tests.api.roles_support import person, refused, start
from tests.conftest import BPMN

SCOPE = {"committee": "MTC-12", "specification": "JJF-A", "level": "national"}
UNIT = "中国计量科学研究院"
REVIEWER = ("member:committee/MTC-12", "chief_reviewer:spec/JJF-A")


@pytest.fixture
def review(app, engine, admin):
    """Deploys the review diagram; returns (people factory, starter of review instances)."""
    admin.deploy("roles_review.bpmn")
    client = app.test_client()
    sec = person(engine, client, "sec", "secretariat:committee/MTC-12")

    def people(name, *grants, unit=None):
        return person(engine, client, name, *grants, unit=unit)

    def open_review(voters=("outsider", "m", "r", "o"), livelihood=True, drafters=("drafter",)):
        """``voters`` are those the vote is opened for (BR14: only they take a ballot)."""
        inst = start(sec, "roles_review", SCOPE, {"voters": list(voters), "livelihood": livelihood,
                                                  "drafters": list(drafters), "drafting_units": [UNIT]})
        tasks = {}
        for task in inst["tasks"]:
            tasks.setdefault(task["element_id"], []).append(task["id"])
        return inst, tasks

    return people, open_review, sec


def claimable(caller, instance_id):
    items = caller.get("/tasks", query_string={"claimable": "true", "instance_id": instance_id}).get_json()["items"]
    return sorted(t["element_id"] for t in items)


def test_br3_a_drafter_neither_chief_reviews_nor_votes(review):
    people, open_review, _ = review
    drafter = people("drafter", "drafter:spec/JJF-A", *REVIEWER, unit=UNIT)
    outsider = people("outsider", *REVIEWER, unit="清华大学")
    inst, tasks = open_review()
    assert claimable(drafter, inst["id"]) == []
    refused(drafter.post(f"/tasks/{tasks['chief_review'][0]}/claim"), "BR3")
    refused(drafter.post(f"/tasks/{tasks['vote'][0]}/claim"), "BR3")
    assert claimable(outsider, inst["id"]) == ["chief_review", "vote", "vote", "vote", "vote"]
    assert outsider.post(f"/tasks/{tasks['chief_review'][0]}/claim").status_code == 200
    assert outsider.complete(tasks["vote"][0], {"ballot": {"voter": "outsider", "choice": "yes"}}).status_code == 200


def test_br3_nobody_from_a_drafting_unit_is_chief_reviewer(review):
    people, open_review, sec = review
    colleague = people("colleague", *REVIEWER, unit=UNIT)
    inst, tasks = open_review()
    assert "chief_review" not in claimable(colleague, inst["id"])
    body = refused(colleague.post(f"/tasks/{tasks['chief_review'][0]}/claim"), "BR3")
    assert "drafting unit" in body["detail"]
    refused(sec.post(f"/tasks/{tasks['chief_review'][0]}/assign", json={"assignee": "colleague", "reason": "x"}),
            "BR3")


def test_br3_drafting_unit_holds_at_most_a_quarter_of_the_voters(review):
    people, open_review, _ = review
    first, second = people("c1", *REVIEWER, unit=UNIT), people("c2", *REVIEWER, unit=UNIT)
    inst, tasks = open_review(voters=("c1", "c2", "v3", "v4"))
    assert first.post(f"/tasks/{tasks['vote'][0]}/claim").status_code == 200
    body = refused(second.post(f"/tasks/{tasks['vote'][1]}/claim"), "BR3")
    assert "1/4" in body["detail"]
    _, small = open_review(voters=("c1", "c2", "v3"))
    refused(first.post(f"/tasks/{small['vote'][0]}/claim"), "BR3")


def test_br3_share_comes_from_the_rule_profile(review, engine):
    people, open_review, _ = review
    first, second = people("c1", *REVIEWER, unit=UNIT), people("c2", *REVIEWER, unit=UNIT)
    national = profiles.Profile("national", {"max_drafting_unit_voter_share": {"value": "1/2"}})
    previous, engine.profiles = engine.profiles, profiles.ProfileSet({"national": national})
    try:
        inst, tasks = open_review(voters=("c1", "c2", "v3", "v4"))
        assert first.post(f"/tasks/{tasks['vote'][0]}/claim").status_code == 200
        assert second.post(f"/tasks/{tasks['vote'][1]}/claim").status_code == 200
    finally:
        engine.profiles = previous


def test_one_ballot_per_voter(review):
    people, open_review, _ = review
    member = people("m", *REVIEWER)
    inst, tasks = open_review()
    assert member.post(f"/tasks/{tasks['vote'][0]}/claim").status_code == 200
    refused(member.post(f"/tasks/{tasks['vote'][1]}/claim"), "one-ballot")


def test_br4_a_declared_conflict_excludes_the_reviewer(review, clock):
    people, open_review, sec = review
    reviewer, other = people("r", *REVIEWER), people("o", *REVIEWER)
    inst, tasks = open_review()
    assert reviewer.post(f"/tasks/{tasks['chief_review'][0]}/claim").status_code == 200

    declared = reviewer.post("/specifications/JJF-A/conflicts", json={"reason": "本人单位参与了比对试验"})
    assert declared.status_code == 201
    body = declared.get_json()
    assert (body["username"], body["reason"], body["created"]) == ("r", "本人单位参与了比对试验", True)
    assert body["declared_at"].startswith("2026-03-02T09:00")
    again = reviewer.post("/specifications/JJF-A/conflicts", json={"reason": "again"})
    assert again.status_code == 200 and again.get_json()["reason"] == "本人单位参与了比对试验"
    assert reviewer.get("/me").get_json()["conflicts"] == ["JJF-A"]

    refused(reviewer.complete(tasks["chief_review"][0], {}), "BR4")
    refused(reviewer.post(f"/tasks/{tasks['vote'][0]}/claim"), "BR4")
    assert claimable(reviewer, inst["id"]) == []
    assert other.post(f"/tasks/{tasks['vote'][0]}/claim").status_code == 200

    listed = sec.get("/specifications/JJF-A/conflicts").get_json()["items"]
    assert [(c["username"], c["reason"]) for c in listed] == [("r", "本人单位参与了比对试验")]
    assert other.get("/specifications/JJF-A/conflicts").get_json()["items"] != []
    stranger = people("stranger", "member:committee/MTC-99")
    assert stranger.get("/specifications/JJF-A/conflicts").get_json()["items"] == []


def test_br14_only_the_voters_the_vote_opened_for_take_a_ballot(review):
    people, open_review, _ = review
    leftover = people("former", *REVIEWER)  # holds the member grant, but the vote was not opened for them
    inst, tasks = open_review()
    assert claimable(leftover, inst["id"]) == ["chief_review"]
    refused(leftover.post(f"/tasks/{tasks['vote'][0]}/claim"), "BR14")
    assert people("m", *REVIEWER).post(f"/tasks/{tasks['vote'][0]}/claim").status_code == 200


def test_br7_corresponding_members_and_observers_never_vote(review):
    people, open_review, _ = review
    corresponding = people("corr", "corresponding_member:committee/MTC-12")
    observer = people("obs", "observer:spec/JJF-A")
    inst, tasks = open_review()
    refused(corresponding.post(f"/tasks/{tasks['vote'][0]}/claim"), "BR7")
    refused(observer.post(f"/tasks/{tasks['vote'][0]}/claim"), "BR7")
    assert claimable(corresponding, inst["id"]) == ["comment"]
    assert corresponding.complete(tasks["comment"][0], {"opinion": "建议补充不确定度评定"}).status_code == 200


def test_br7_observers_only_on_livelihood_specifications(review, login):
    people, open_review, _ = review
    observer = people("obs", "observer:spec/JJF-A")
    plain, plain_tasks = open_review(livelihood=False)
    assert claimable(observer, plain["id"]) == []
    refused(observer.post(f"/tasks/{plain_tasks['observe'][0]}/claim"), "BR7")
    livelihood, tasks = open_review(livelihood=True)
    assert claimable(observer, livelihood["id"]) == ["observe"]
    assert observer.complete(tasks["observe"][0], {"opinion": "关注收费环节"}).status_code == 200


def test_observer_registration_is_per_livelihood_specification(review, login):
    people, open_review, _ = review
    open_review(livelihood=False)
    admin = login("ua", "user_admin")
    people("citizen")
    grant = "/users/citizen/grants"
    refused(admin.post(grant, json={"grant": "observer:spec/JJF-A", "reason": "报名"}), "BR7")
    refused(admin.post(grant, json={"grant": "observer:committee/MTC-12", "reason": "报名"}), "BR7")
    assert admin.post(grant, json={"grant": "observer:spec/JJF-NEW", "reason": "报名"}).status_code == 201


def test_duties_that_can_never_hold_are_refused_at_deploy(admin):
    response = admin.post("/definitions", data=(BPMN / "roles_bad_vote_lane.bpmn").read_bytes(),
                          content_type="application/xml")
    assert response.status_code == 422
    errors = {e["element_id"]: e["message"] for e in response.get_json()["errors"]}
    assert errors["vote"].startswith("BR7") and "judge" in errors["judge"]


def test_actionable_inbox_drops_the_other_ballots_of_a_vote_cast(review):
    """Default listing keeps the claim-time rule; ``actionable`` shows only what the voter can still take."""
    people, open_review, _ = review
    outsider = people("outsider", *REVIEWER, unit="清华大学")
    inst, tasks = open_review()
    assert outsider.complete(tasks["vote"][0], {"ballot": {"voter": "outsider", "choice": "yes"}}).status_code == 200
    assert claimable(outsider, inst["id"]) == ["chief_review", "vote", "vote", "vote"]
    now = outsider.get("/tasks", query_string={"actionable": "true", "instance_id": inst["id"]}).get_json()
    assert [t["element_id"] for t in now["items"]] == ["chief_review"]
    auditor = people("aud", "auditor")
    assert auditor.get("/tasks", query_string={"instance_id": inst["id"]}).get_json()["total"] > 0
    assert auditor.get("/tasks", query_string={"actionable": "true"}).get_json()["total"] == 0
