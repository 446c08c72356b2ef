"""P9 technical review (审定) over HTTP: consent, papers, the chief reviewer, the vote and its tally (quorum 2/3,
pass 3/4 of those voting, non-voters recorded apart), pass / pass with changes / fail twice, the vote window,
and the rules BR1, BR2, BR3, BR4, BR7, BR13 refusing and allowing."""
from datetime import date, timedelta

import pytest

from tests.scenarios.spec_stories import designate, meeting, p9_to_vote, vote
from tests.scenarios.spec_support import (
    MEMBERS,
    VOTERS,
    World,
    appoint,
    deploy,
    member_entries,
    seed_committee,
    seed_spec,
    set_committee,
    spec_scope,
)

SPEC = "JJF-2026-101"


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p9_technical_review.bpmn")
    seed_committee(engine)
    world = World(engine, app.test_client(), clock)
    seed_spec(engine, SPEC, stage="review", comment_closed_at="2026-02-01T00:00:00+00:00", comments_total=2,
              comments_answered=2)
    world.grant("drafter", f"drafter:spec/{SPEC}")
    return world


def start(w) -> str:
    return w.start("sec", "technical_review", scope=spec_scope(SPEC))["id"]


def count(w, iid: str) -> dict:
    w.do("sec", iid, "p9_task_count", {"count_note": "计票完毕"})
    return w.spec(SPEC)["review"]


def fail_minutes(w, iid: str, minutes: str = "审定未通过，退回修改。") -> None:
    """The minutes of a failed round: kept like any other (the conclusion follows the tally)."""
    w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "fail", "minutes": minutes})


def test_main_path_passes_with_ballots_and_recorded_opinions(w):
    w.grant("observer", f"observer:spec/{SPEC}")
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    data = w.instance(iid)["data"]
    assert sorted(data["voters"]) == sorted(VOTERS) and data["observers"] == ["observer"]
    assert data["corresponding_members"] == ["corr"]
    assert len(w.tasks(iid, "p9_task_vote")) == len(VOTERS)
    vote(w, iid, {name: "yes" for name in VOTERS})
    w.do("corr", iid, "p9_task_opinion", {"opinion": {"text": "建议增加附录示例"}})
    w.do("observer", iid, "p9_task_observe", {"observation": {"text": "关注消费者权益"}})
    result = count(w, iid)
    assert result["voting_members"] == 8 and result["cast"] == 8 and result["yes"] == 8
    assert result["quorum_met"] and result["passed"] and result["quorum_required"] == 6
    assert sorted(b["voter"] for b in result["ballots"]) == sorted(VOTERS)  # each ballot carries its voter
    assert next(b for b in result["ballots"] if b["voter"] == "m2")["unit"] == "单位2"
    assert [o["by"] for o in result["corresponding_opinions"]] == ["corr"]  # recorded, not counted (BR7)
    assert [o["text"] for o in result["observer_opinions"]] == ["关注消费者权益"]
    w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "pass", "minutes": "审定会议纪要"})
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["review_outcome"] == "passed"
    spec = w.spec(SPEC)
    assert spec["review_passed"] and spec["minutes"] == "审定会议纪要" and spec["review_conclusion"] == "pass"
    assert spec["consent"]["by"] == "chair" and spec["papers_sent_at"] is not None
    assert [c["action"] for c in spec["changes"]] == [
        "review_round_started", "review_consented", "chief_reviewer_designated", "review_papers_sent", "review_opened",
        "review_tallied",
        "review_minutes", "review_passed"]


def test_pass_with_changes_until_the_chief_reviewer_confirms(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {name: "yes" for name in VOTERS})
    w.advance(days=16)
    count(w, iid)
    w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "pass_with_changes", "minutes": "修改后通过",
                                      "required_changes": "修改第 5 章"})
    w.do("drafter", iid, "p9_task_changes", {"changes_summary": "已修改第 5 章"})
    w.do("m1", iid, "p9_task_confirm", {"changes_confirmed": False, "confirm_opinion": "5.2 仍需修改"})
    assert w.open_elements(iid) == ["p9_task_changes"]
    w.do("drafter", iid, "p9_task_changes", {"changes_summary": "已修改 5.2"})
    w.do("m1", iid, "p9_task_confirm", {"changes_confirmed": True})
    assert w.instance(iid)["data"]["review_outcome"] == "passed"
    assert w.spec(SPEC)["review_conclusion"] == "pass_with_changes"


def test_failing_twice_cancels_the_project(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {"chair": "no", "vice": "no", "m1": "yes", "m2": "yes", "m3": "yes", "m4": "yes"})
    w.advance(days=16)  # the vote window closes
    first = count(w, iid)
    assert first["cast"] == 6 and first["quorum_met"] and not first["passed"]  # 4 yes of 8 present < 3/4
    fail_minutes(w, iid)
    assert w.open_elements(iid) == ["p9_task_revise"]
    assert w.spec(SPEC)["review_failures"] == 1
    w.do("drafter", iid, "p9_task_revise", {"revision_summary": "按意见全面修改"})
    assert w.spec(SPEC)["review_round"] == 2 and w.spec(SPEC)["consent"] is None  # a new round from the start
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {name: "no" for name in VOTERS})
    w.do("corr", iid, "p9_task_opinion", {"opinion": {"text": "不赞成"}})  # the last branch: the vote can be counted
    second = count(w, iid)
    assert second["round"] == 2 and second["cast"] == 8 and second["no"] == 8
    fail_minutes(w, iid, "第二次审定未通过。")
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["review_outcome"] == "cancelled"
    spec = w.spec(SPEC)
    assert spec["stage"] == "cancelled" and spec["review_failures"] == 2 and not spec["review_passed"]


def test_failing_once_then_passing(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {name: "no" for name in VOTERS})
    assert w.open_elements(iid) == ["p9_task_opinion"]  # the corresponding member's window is still open
    w.advance(days=16)
    count(w, iid)
    fail_minutes(w, iid)
    w.do("drafter", iid, "p9_task_revise", {"revision_summary": "修改"})
    p9_to_vote(w, iid, SPEC, mode="correspondence")  # 函审: the ballots returned make quorum and pass base
    vote(w, iid, {"chair": "yes", "vice": "yes", "m1": "yes", "m2": "yes", "m3": "yes", "m4": "abstain"})
    w.advance(days=16)
    result = count(w, iid)
    assert result["round"] == 2 and result["cast"] == 6 and result["yes"] == 5 and result["passed"]  # 5/6 ≥ 3/4
    assert w.open_elements(iid) == ["p9_task_minutes"]


def test_vote_window_closes_without_quorum(w, engine):
    iid = start(w)
    p9_to_vote(w, iid, SPEC, mode="correspondence")
    vote(w, iid, {"chair": "yes", "vice": "yes", "m1": "yes", "m2": "yes", "m3": "yes"})
    w.advance(days=14)
    assert len([t for t in w.tasks(iid, "p9_task_vote") if t["assignee"] is None]) == 3  # still open
    w.advance(days=1, seconds=1)  # review_vote_window: 15 days
    assert w.tasks(iid, "p9_task_vote") == [] and w.open_elements(iid) == ["p9_task_count"]
    result = count(w, iid)
    assert result["cast"] == 5 and result["yes"] == 5 and not result["quorum_met"] and not result["passed"]
    assert result["quorum_required"] == 6  # 2/3 of 8 voting members
    assert w.open_elements(iid) == ["p9_task_minutes"]
    fail_minutes(w, iid, "函审回函不足三分之二。")
    assert w.open_elements(iid) == ["p9_task_revise"]


def test_consent_by_a_vice_chair_refused_then_given(w):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": False, "missing_items": "缺意见汇总处理表"})
    w.do("drafter", iid, "p9_task_supplement", {"supplement_note": "已补充"})
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "vice_chair"})
    assert w.open_elements(iid) == ["p9_task_consent_vice"]
    assert w.as_("chair").post(f"/tasks/{w.task(iid, 'p9_task_consent_vice')['id']}/claim").status_code == 403
    w.do("vice", iid, "p9_task_consent_vice", {"consent": False, "consent_opinion": "技术指标需再论证"})
    assert w.open_elements(iid) == ["p9_task_supplement"]
    assert w.spec(SPEC)["consent"]["consent"] is False
    w.do("drafter", iid, "p9_task_supplement", {"supplement_note": "已论证"})
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "vice_chair"})
    w.do("vice", iid, "p9_task_consent_vice", {"consent": True})
    assert w.open_elements(iid) == ["p9_task_designate"]
    assert w.spec(SPEC)["consent"] == {**w.spec(SPEC)["consent"], "by": "vice", "role": "vice_chair", "consent": True}


def test_br2_refuses_the_vote_before_the_papers_period_and_allows_it_after(w):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m1")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "correspondence"})
    w.grant("m1", f"chief_reviewer:spec/{SPEC}")
    w.do("m1", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.advance(days=29)
    refused = w.do("sec", iid, "p9_task_open_vote", {}, status=403)
    assert refused.get_json()["rule"] == "BR2" and "papers_before_review" in refused.get_json()["detail"]
    assert w.tasks(iid, "p9_task_vote") == []
    w.advance(days=1)
    w.do("sec", iid, "p9_task_open_vote", {})
    assert len(w.tasks(iid, "p9_task_vote")) == 8


def test_br2_papers_before_review_is_a_visible_timer(w):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m1")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting"})
    seen = w.as_("sec").get(f"/instances/{iid}").get_json()
    [timer] = [t for t in seen["timers"] if t["element_id"] == "p9_timer_papers"]
    assert timer["due_at"][:19] == seen["data"]["earliest_vote_at"][:19].replace("+08:00", "")  # when it may open
    listed = w.as_("authority").get("/timers", query_string={"per_page": 100}).get_json()["items"]
    assert timer["id"] in [t["id"] for t in listed]  # the operators' timer list shows it too
    w.grant("m1", f"chief_reviewer:spec/{SPEC}")
    w.do("m1", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.clock.advance(timedelta(days=29))  # nobody reminded yet, and the vote may not open (BR2)
    assert not [n for n in w.notifications("sec") if "送达期满" in n["message"]]
    assert w.do("sec", iid, "p9_task_open_vote", {}, status=403).get_json()["rule"] == "BR2"
    w.clock.advance(timedelta(days=1, seconds=1))  # due, but no worker ran: an operator fires it like any timer
    fired = w.as_("authority").post(f"/timers/{timer['id']}/fire", json={"reason": "调度器停机后补发"})
    assert fired.status_code == 200, fired.get_json()
    assert [n["message"] for n in w.notifications("sec") if "送达期满" in n["message"]] == [
        "送达期满，可以召开审定会议或发起函审"]
    assert all(t["element_id"] != "p9_timer_papers" for t in w.instance(iid)["timers"])
    w.do("sec", iid, "p9_task_open_vote", meeting(w))
    assert len(w.tasks(iid, "p9_task_vote")) == 8


def test_br2_refuses_while_comments_are_open(w, engine):
    seed_spec(engine, "JJF-2026-102", stage="review", comments_total=3, comments_answered=1)
    w.grant("drafter", "drafter:spec/JJF-2026-102")
    iid = w.start("sec", "technical_review", scope=spec_scope("JJF-2026-102"))["id"]
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m1")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting"})
    w.grant("m1", "chief_reviewer:spec/JJF-2026-102")
    w.do("m1", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.advance(days=31)
    body = w.do("sec", iid, "p9_task_open_vote", {}, status=403).get_json()
    assert body["rule"] == "BR2"
    assert body["reasons"] == ["the comment window (征求意见) has not closed",
                               "2 comments have no answer in the handling table"]


def test_br13_refuses_a_review_when_the_term_expired(w, engine):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m1")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting"})
    w.grant("m1", f"chief_reviewer:spec/{SPEC}")
    w.do("m1", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.advance(days=30)
    set_committee(engine, term_end=date(2026, 3, 31))
    refused = w.do("sec", iid, "p9_task_open_vote", {}, status=403)
    assert refused.get_json()["rule"] == "BR13"
    set_committee(engine, term_end=date(2031, 3, 31))  # renewed
    w.do("sec", iid, "p9_task_open_vote", meeting(w))


def test_br3_no_drafter_nor_drafting_unit_as_chief_reviewer(w):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m2")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting"})
    task = w.task(iid, "p9_task_chief")
    for name in ("drafter", "colleague"):
        w.grant(name, f"chief_reviewer:spec/{SPEC}")
        refused = w.as_(name).post(f"/tasks/{task['id']}/claim")
        assert refused.status_code == 403 and refused.get_json()["rule"] == "BR3", name
    w.grant("m2", f"chief_reviewer:spec/{SPEC}")
    assert w.as_("m2").post(f"/tasks/{task['id']}/claim").status_code == 200
    # the secretariat assigns the chief review: the same rules apply to the assignee
    assert w.as_("sec").post(f"/tasks/{task['id']}/assign", json={"assignee": "colleague", "reason": "试"}) \
        .get_json()["rule"] == "BR3"


def test_br4_a_declared_conflict_excludes_from_the_vote(w):
    w.as_("m1").post(f"/specifications/{SPEC}/conflicts", json={"reason": "本单位为该规范主要使用方"})
    iid = start(w)
    p9_to_vote(w, iid, SPEC, chief="m2")
    assert "m1" not in w.instance(iid)["data"]["voters"] and w.instance(iid)["data"]["voting_member_count"] == 7
    task = w.tasks(iid, "p9_task_vote")[0]
    refused = w.as_("m1").post(f"/tasks/{task['id']}/claim")
    assert refused.status_code == 403 and refused.get_json()["rule"] == "BR4"


def test_br7_corresponding_members_do_not_vote(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    task = w.tasks(iid, "p9_task_vote")[0]
    refused = w.as_("corr").post(f"/tasks/{task['id']}/claim")
    assert refused.status_code == 403 and refused.get_json()["rule"] == "BR7"
    w.do("m1", iid, "p9_task_vote", {"ballot": {"choice": "yes"}}, task=task)
    second = w.tasks(iid, "p9_task_vote")[0]
    assert w.as_("m1").post(f"/tasks/{second['id']}/claim").get_json()["rule"] == "one-ballot"


def test_no_observers_for_a_specification_that_is_not_livelihood(w, engine):
    seed_spec(engine, "JJF-2026-103", stage="review", livelihood=False,
              comment_closed_at="2026-02-01T00:00:00+00:00")
    w.grant("observer", "observer:spec/JJF-2026-103")
    iid = w.start("sec", "technical_review", scope=spec_scope("JJF-2026-103"))["id"]
    p9_to_vote(w, iid, "JJF-2026-103")
    assert w.instance(iid)["data"]["observers"] == [] and w.tasks(iid, "p9_task_observe") == []


def test_br3_drafting_unit_voters_stay_within_a_quarter(w, engine):
    from engine.access import accounts as users

    with engine.db.transaction() as session:  # m1 and m2 move to the drafting unit: three of its people vote
        for name in ("m1", "m2"):
            users.update_user(session, users.get_user(session, name), actor="test", reason="调动", unit="起草单位")
    iid = start(w)
    p9_to_vote(w, iid, SPEC, chief="m3")
    assert w.instance(iid)["data"]["voting_member_count"] == 8
    vote(w, iid, {"colleague": "yes", "m1": "yes"})  # 2 of 8 ballots: within max_drafting_unit_voter_share 1/4
    task = next(t for t in w.tasks(iid, "p9_task_vote") if t["assignee"] is None)
    refused = w.as_("m2").post(f"/tasks/{task['id']}/claim")
    assert refused.status_code == 403 and refused.get_json()["rule"] == "BR3"
    assert "1/4" in refused.get_json()["detail"]
    vote(w, iid, {"m3": "yes"})  # another unit's member still votes
    assert len([t for t in w.tasks(iid, "p9_task_vote") if t["assignee"] is None]) == 5


def test_br14_a_former_member_with_a_leftover_grant_cannot_vote(w, engine):
    appoint(engine, entries=member_entries({k: v for k, v in MEMBERS.items() if k != "m5"}))  # m5 leaves
    w.grant("m5", "member:committee/MTC12")  # a grant made by hand afterwards: no appointment backs it
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    data = w.instance(iid)["data"]
    assert "m5" not in data["voters"] and data["voting_member_count"] == 7
    assert len(w.tasks(iid, "p9_task_vote")) == 7
    inbox = w.as_("m5").get("/tasks", query_string={"instance_id": iid}).get_json()["items"]
    assert [t for t in inbox if t["element_id"] == "p9_task_vote"] == []  # not offered
    task = w.tasks(iid, "p9_task_vote")[0]
    refused = w.as_("m5").post(f"/tasks/{task['id']}/claim")
    assert refused.status_code == 403 and refused.get_json()["rule"] == "BR14"
    w.do("m4", iid, "p9_task_vote", {"ballot": {"choice": "yes"}}, task=task)  # an appointed member votes


def test_br14_the_quorum_base_is_the_appointed_voting_members(w, engine):
    roles = {**MEMBERS, "drafter": "member", "observer": "observer"}
    entries = member_entries(roles) + [{"name": f"无账号委员{i}", "role": "member", "unit": f"单位丙{i}"}
                                       for i in range(2)]
    appoint(engine, entries=entries)  # two members without an account; the drafter is a member too (BR3)
    w.as_("m1").post(f"/specifications/{SPEC}/conflicts", json={"reason": "本单位为该规范主要使用方"})  # BR4
    w.grant("m2", "member:committee/MTC99")  # grants elsewhere do not count
    iid = start(w)
    p9_to_vote(w, iid, SPEC, chief="m3")
    data = w.instance(iid)["data"]
    voters = sorted(set(VOTERS) - {"m1"})
    assert sorted(data["voters"]) == voters and data["corresponding_members"] == ["corr"]
    assert data["voting_member_count"] == 9  # 7 with accounts + 2 without; not the drafter, m1, corr, observer
    vote(w, iid, {name: "yes" for name in ("chair", "vice", "m2", "m3", "m4", "m5")})
    w.advance(days=16)
    result = count(w, iid)
    base = result["voting_base"]
    assert base["count"] == 9 and len(base["member_ids"]) == 9 and base["without_account"] == ["无账号委员0",
                                                                                                   "无账号委员1"]
    assert sorted((e["username"], e["rule"]) for e in base["excluded"]) == [("drafter", "BR3"), ("m1", "BR4")]
    assert result["voting_members"] == 9 and result["quorum_required"] == 6 and result["cast"] == 6
    assert result["quorum_met"] and result["passed"]
    members = w.client.get("/api/v1/committees/MTC12").get_json()["members"]  # the auditor recounts the base
    counted = sorted(m["name"] for m in members if m["id"] in base["member_ids"])
    assert counted == sorted(["委员chair", "委员vice", "委员colleague", *(f"委员m{i}" for i in range(2, 6)),
                              "无账号委员0", "无账号委员1"])
    assert [m["has_account"] for m in members if m["name"].startswith("无账号")] == [False, False]


def test_br14_review_min_voters_counts_the_appointed_committee_not_grants(w, engine):
    appoint(engine, entries=member_entries({"chair": "chair", "m1": "member", "corr": "corresponding_member"}))
    for name in ("m2", "m3", "m4", "m5"):
        w.grant(name, "member:committee/MTC12")  # grant holders who are not appointed
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m2")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting"})
    w.grant("m2", f"chief_reviewer:spec/{SPEC}")
    w.do("m2", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.advance(days=30)
    refused = w.do("sec", iid, "p9_task_open_vote", {}, status=409).get_json()
    assert refused["rule"] == "review_min_voters" and "Only 2 appointed members" in refused["detail"]
    assert w.tasks(iid, "p9_task_vote") == []


def test_ballots_are_due_when_the_vote_window_closes(w):
    """The 表决期限 boundary timer is each ballot's due date, so the inbox sorts and flags ballots by it."""
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    deadline = next(t["due_at"] for t in w.instance(iid)["timers"] if t["element_id"] == "p9_timer_vote")
    assert {t["due_at"] for t in w.tasks(iid, "p9_task_vote")} == {deadline}
    mine = w.as_(VOTERS[0]).get("/tasks", query_string={"instance_id": iid, "actionable": "true"}).get_json()
    assert {t["due_at"] for t in mine["items"] if t["element_id"] == "p9_task_vote"} == {deadline}


# ----- 会审 and 函审 (issue 14 item 4) ---------------------------------------------------------------------
def test_meeting_review_records_the_meeting_and_counts_attendance_against_the_quorum(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC, attendees=("chair", "vice", "m1", "m2", "m3", "drafter"))  # 5 of 8 voting members
    data = w.instance(iid)["data"]
    assert data["review_mode"] == "meeting" and sorted(data["voters"]) == ["chair", "m1", "m2", "m3", "vice"]
    held = data["meeting"]
    assert held["place"] and held["attendance"] == 5 and held["quorum_required"] == 6 and not held["quorate"]
    assert held["not_counted"] == [{"username": "drafter", "counted": False, "why": "not an appointed voting member"}]
    assert sorted(held["absent"]) == ["colleague", "m4", "m5"]
    assert len(w.tasks(iid, "p9_task_vote")) == 5  # those present vote; the absent get no ballot
    vote(w, iid, {name: "yes" for name in ("chair", "vice", "m1", "m2", "m3")})
    w.advance(days=16)
    result = count(w, iid)
    assert result["mode"] == "meeting" and result["present"] == 5 and result["yes"] == 5
    assert not result["quorum_met"] and not result["passed"]  # 5 present < 2/3 of 8, however they voted
    fail_minutes(w, iid, "出席委员不足三分之二，会议不能形成审定结论。")
    assert w.open_elements(iid) == ["p9_task_revise"]


def test_meeting_review_pass_share_counts_the_members_present(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC, attendees=("chair", "vice", "m1", "m2", "m3", "m4"))  # 6 of 8: quorate
    assert w.instance(iid)["data"]["meeting"]["quorate"]
    task = w.tasks(iid, "p9_task_vote")[0]
    refused = w.as_("m5").post(f"/tasks/{task['id']}/claim")  # absent from the meeting: no ballot
    assert refused.status_code == 403 and refused.get_json()["rule"] == "BR14"
    vote(w, iid, {"chair": "yes", "vice": "yes", "m1": "yes", "m2": "yes", "m3": "yes", "m4": "abstain"})
    w.do("corr", iid, "p9_task_opinion", {"opinion": {"text": "无意见"}})
    result = count(w, iid)  # every member present voted, the opinions are in: no need to wait for the window
    assert result["present"] == 6 and result["pass_required"] == 5 and result["passed"]  # 5 of 6 present ≥ 3/4
    w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "pass", "minutes": "审定会议纪要：通过。"})
    assert w.spec(SPEC)["review"]["meeting"]["date"] == w.instance(iid)["data"]["meeting"]["date"]


def test_meeting_review_refuses_a_vote_without_its_meeting_record(w):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m1")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting", "meeting_date": "2026-04-01"})
    w.grant("m1", f"chief_reviewer:spec/{SPEC}")
    w.do("m1", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.advance(days=31)
    missing = w.do("sec", iid, "p9_task_open_vote", {**meeting(w), "meeting_place": ""}, status=422).get_json()
    assert [e["field"] for e in missing["errors"]] == ["meeting_place"]
    today = date.fromisoformat(meeting(w)["meeting_held_on"])
    early = w.do("sec", iid, "p9_task_open_vote", {**meeting(w), "meeting_held_on": str(today - timedelta(days=5))},
                 status=403).get_json()
    assert early["rule"] == "BR2"  # held before the papers period ended
    w.do("sec", iid, "p9_task_open_vote", {**meeting(w), "meeting_held_on": str(today + timedelta(days=1))},
         status=422)  # a meeting is recorded once held
    assert w.tasks(iid, "p9_task_vote") == []
    w.do("sec", iid, "p9_task_open_vote", meeting(w))
    assert len(w.tasks(iid, "p9_task_vote")) == 8


def test_correspondence_review_runs_the_ballot_window(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC, mode="correspondence")
    data = w.instance(iid)["data"]
    assert data["review_mode"] == "correspondence" and data["meeting"] is None
    assert len(w.tasks(iid, "p9_task_vote")) == 8  # every voting member gets a ballot
    [timer] = [t for t in w.instance(iid)["timers"] if t["element_id"] == "p9_timer_vote"]
    window = data["ballot_window"]
    assert timer["due_at"][:19] == window["closes_at"][:19]  # the ballot window is the boundary timer
    vote(w, iid, {name: "yes" for name in ("chair", "vice", "m1", "m2", "m3", "m4")})
    w.advance(days=15, seconds=1)  # review_vote_window closes the ballot
    result = count(w, iid)
    assert result["mode"] == "correspondence" and result["ballot_window"] == window
    assert result["present"] == result["cast"] == 6 and result["quorum_met"] and result["passed"]  # 6/8, 6/6


def test_minutes_are_kept_whatever_the_outcome(w):
    iid = start(w)
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {name: "no" for name in VOTERS})
    w.advance(days=16)
    count(w, iid)
    refused = w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "pass", "minutes": "通过"}, status=409)
    assert refused.get_json()["rule"] == "review_conclusion"  # the conclusion follows the tally
    fail_minutes(w, iid, "审定会议纪要：技术指标论证不足，不通过。")
    spec = w.spec(SPEC)
    assert spec["minutes"] == "审定会议纪要：技术指标论证不足，不通过。" and spec["review_conclusion"] == "fail"
    assert spec["review"]["minutes"] == spec["minutes"] and not spec["review_passed"]
    [kept] = [c for c in spec["changes"] if c["action"] == "review_minutes"]
    assert kept["data"]["conclusion"] == "fail" and kept["data"]["minutes"] == spec["minutes"]
    w.do("drafter", iid, "p9_task_revise", {"revision_summary": "修改"})
    p9_to_vote(w, iid, SPEC)
    vote(w, iid, {name: "yes" for name in VOTERS})
    w.advance(days=16)
    count(w, iid)
    refused = w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "fail", "minutes": "不通过"}, status=409)
    assert refused.get_json()["rule"] == "review_conclusion"
    w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "pass", "minutes": "第二轮通过"})
    minutes = [(c["data"]["round"], c["data"]["conclusion"]) for c in w.spec(SPEC)["changes"]
               if c["action"] == "review_minutes"]
    assert minutes == [(1, "fail"), (2, "pass")]  # each round's minutes stay on the record


# ----- the chief reviewer designated from the register (issue 14 item 4) -------------------------------------
def test_chief_reviewer_is_designated_from_the_register_not_by_a_grant(w):
    iid = start(w)
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    unlisted = w.do("sec", iid, "p9_task_designate", {"chief_reviewer": "m3"}, status=403).get_json()
    assert unlisted["rule"] == "chief-reviewer-register"  # not in the register
    refused = w.as_("m1").post("/chief-reviewers", json={"committee": "MTC12", "username": "m3", "field": "质量",
                                                         "qualification": "高工", "granted_by_body": "committee"})
    assert refused.status_code == 403 and refused.get_json()["rule"] == "chief-reviewer-register"  # a member can't
    from tests.scenarios.spec_stories import register_chief
    register_chief(w, "colleague")
    same_unit = w.do("sec", iid, "p9_task_designate", {"chief_reviewer": "colleague"}, status=403)
    assert same_unit.get_json()["rule"] == "BR3"
    designate(w, iid, "m3")
    assert w.spec(SPEC)["changes"][-1]["action"] == "chief_reviewer_designated"
    w.do("sec", iid, "p9_task_papers", {"review_mode": "correspondence"})
    w.grant("m4", f"chief_reviewer:spec/{SPEC}")  # an administrator's grant alone does not make a chief reviewer
    task = w.task(iid, "p9_task_chief")
    assert w.as_("m4").post(f"/tasks/{task['id']}/claim").get_json()["rule"] == "designation"
    w.do("m3", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    [entry] = [e for e in w.as_("sec").get("/chief-reviewers").get_json()["items"] if e["username"] == "m3"]
    revoked = w.as_("authority").post(f"/chief-reviewers/{entry['id']}/revoke", json={"reason": "试"})
    assert revoked.get_json()["rule"] == "chief-reviewer-register"  # granted by the committee: it revokes
    assert w.as_("sec").post(f"/chief-reviewers/{entry['id']}/revoke", json={"reason": "资格到期"}).status_code == 200
    assert "m3" not in [e["username"] for e in w.as_("sec").get("/chief-reviewers").get_json()["items"]]
