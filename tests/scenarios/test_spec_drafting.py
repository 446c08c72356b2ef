"""P7 drafting (起草) over HTTP: submission with its documents, the reminder, extensions asked in time and
decided by the authority, and BR10 when the deadline passes (flag for the next plan year, or cancel)."""
from contextlib import contextmanager
from dataclasses import replace

import pytest

from tests.scenarios.spec_stories import p7_submit
from tests.scenarios.spec_support import World, deploy, seed_committee, seed_spec, spec_scope
from tests.timer_support import timers

DUE = "2027-03-02T16:00:00+00:00"  # 24:00 Beijing time, 2 March 2027


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p7_drafting.bpmn")
    seed_committee(engine)
    world = World(engine, app.test_client(), clock)
    seed_spec(engine, "JJF-2026-101", stage="planned", drafting_due=DUE)
    world.grant("drafter", "drafter:spec/JJF-2026-101")
    return world


def start(w) -> str:
    return w.start("drafter", "drafting", scope=spec_scope("JJF-2026-101"))["id"]


@contextmanager
def rule(engine, key: str, value):
    """The engine's national profile with one rule changed, for the length of the block."""
    current = engine.profiles
    national = current.get("national")
    changed = replace(current, profiles={**current.profiles,
                                         "national": replace(national, rules={**national.rules, key: value})})
    engine.profiles = changed
    try:
        yield
    finally:
        engine.profiles = current


def waiting(engine, iid) -> dict[str, str]:
    return {t.element_id: t.due_at.isoformat() for t in timers(engine, iid) if t.state == "waiting"}


def test_main_path_hands_in_the_comment_draft(w, engine):
    iid = start(w)
    assert w.spec("JJF-2026-101")["stage"] == "drafting"
    assert waiting(engine, iid) == {"p7_timer_reminder": "2027-01-01T16:00:00+00:00", "p7_timer_overdue": DUE}
    p7_submit(w, iid)
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["drafting_outcome"] == "drafted"
    spec = w.spec("JJF-2026-101")
    drafting = spec["documents"]["drafting"]
    assert set(drafting) == {"征求意见稿", "编写说明", "试验报告", "测量不确定度评定"}
    assert all(len(d[0]["sha256"]) == 64 for d in drafting.values())
    assert [c["action"] for c in spec["changes"]] == ["drafting_started", "comment_draft_submitted"]


def test_submission_needs_every_document_of_this_specification(w, engine):
    iid = start(w)
    incomplete = w.do("drafter", iid, "p7_task_draft", {"drafting_action": "submit", "comment_draft_document_id": 1},
                      status=422)
    assert "explanatory_note_document_id" in str(incomplete.get_json()["errors"])
    foreign = {f: 999 for f in ("comment_draft_document_id", "explanatory_note_document_id",
                                "test_report_document_id", "uncertainty_document_id")}
    refused = w.do("drafter", iid, "p7_task_draft", {"drafting_action": "submit", **foreign}, status=422)
    assert "not a document of specification" in refused.get_json()["detail"]
    assert w.open_elements(iid) == ["p7_task_draft"]


def test_reminder_before_the_deadline_keeps_the_task(w, engine):
    iid = start(w)
    w.clock.set(w.clock.now().replace(year=2027, month=1, day=1, hour=15))
    w.advance(hours=2)
    assert w.open_elements(iid) == ["p7_task_draft"]
    reminders = [n for n in w.notifications("drafter") if n["kind"] == "reminder"]
    assert len(reminders) == 1 and reminders[0]["message"] == "起草期限即将届满"
    assert "p7_timer_reminder" not in waiting(engine, iid)


def test_extension_approved_moves_the_deadline_and_its_timers(w, engine):
    iid = start(w)
    w.advance(days=300)  # 2026-12-27: more than 30 days before the deadline
    w.do("drafter", iid, "p7_task_draft", {"drafting_action": "request_extension", "extension_until": "2027-09-30",
                                        "extension_reason": "试验数据需补充一个季度"})
    assert w.open_elements(iid) == ["p7_task_extension"]
    w.do("authority", iid, "p7_task_extension", {"extension_approved": True, "extension_opinion": "同意延期"})
    assert w.open_elements(iid) == ["p7_task_draft"]
    spec = w.spec("JJF-2026-101")
    assert spec["drafting_due"] == "2027-09-30T16:00:00+00:00"
    assert spec["extensions"][0]["status"] == "approved" and spec["extensions"][0]["decided_by"] == "authority"
    assert waiting(engine, iid) == {"p7_timer_reminder": "2027-08-01T16:00:00+00:00",
                                    "p7_timer_overdue": "2027-09-30T16:00:00+00:00"}
    w.clock.set(w.clock.now().replace(year=2027, month=3, day=10))
    w.advance(seconds=1)
    assert w.open_elements(iid) == ["p7_task_draft"]  # the old deadline passed harmlessly (BR10 allows it)
    assert w.spec("JJF-2026-101")["drafting_flags"] == 0


def test_extension_refused_keeps_the_deadline(w, engine):
    iid = start(w)
    w.do("drafter", iid, "p7_task_draft", {"drafting_action": "request_extension", "extension_until": "2027-06-30",
                                        "extension_reason": "人手不足"})
    w.do("authority", iid, "p7_task_extension", {"extension_approved": False, "extension_opinion": "理由不充分"})
    assert w.open_elements(iid) == ["p7_task_draft"]
    spec = w.spec("JJF-2026-101")
    assert spec["drafting_due"] == DUE and spec["extensions"][0]["status"] == "refused"
    assert waiting(engine, iid)["p7_timer_overdue"] == DUE


def test_br10_refuses_an_extension_asked_too_late(w):
    iid = start(w)
    w.clock.set(w.clock.now().replace(year=2027, month=2, day=5))  # less than 30 days before 2 March
    w.advance(seconds=1)
    refused = w.do("drafter", iid, "p7_task_draft", {"drafting_action": "request_extension",
                                                  "extension_until": "2027-06-30", "extension_reason": "来不及"},
                   status=403)
    assert refused.get_json()["rule"] == "BR10" and "2027-01-31" in refused.get_json()["detail"]
    assert w.open_elements(iid) == ["p7_task_draft"]
    earlier = w.do("drafter", iid, "p7_task_draft", {"drafting_action": "request_extension",
                                                  "extension_until": "2027-01-01", "extension_reason": "x"},
                   status=403)
    assert earlier.get_json()["rule"] == "BR10"


def test_an_extension_ends_after_the_current_deadline(w):
    iid = start(w)
    refused = w.do("drafter", iid, "p7_task_draft", {"drafting_action": "request_extension",
                                                  "extension_until": "2027-01-01", "extension_reason": "x"},
                   status=422)
    assert refused.get_json()["errors"][0]["field"] == "extension_until"


def test_br10_flags_an_overdue_project_for_the_next_plan_year(w, engine):
    iid = start(w)
    w.clock.set(w.clock.now().replace(year=2027, month=3, day=2, hour=16))
    w.advance(seconds=1)
    assert w.open_elements(iid) == ["p7_task_draft"]  # a new drafting task with the carried-over deadline
    spec = w.spec("JJF-2026-101")
    assert spec["stage"] == "drafting" and spec["drafting_flags"] == 1
    assert spec["drafting_due"] == "2028-03-02T16:00:00+00:00"  # drafting_carryover: one year
    assert spec["changes"][-1]["action"] == "flagged_overdue" and spec["changes"][-1]["data"]["rule"] == "BR10"
    assert waiting(engine, iid)["p7_timer_overdue"] == "2028-03-02T16:00:00+00:00"


def test_br10_cancels_an_overdue_project_when_the_profile_says_so(w, engine):
    with rule(engine, "drafting_overdue_action", {"value": "cancel"}):
        iid = start(w)
        w.clock.set(w.clock.now().replace(year=2027, month=3, day=3))
        w.advance(seconds=1)
    instance = w.instance(iid)
    assert instance["state"] == "completed" and instance["data"]["drafting_outcome"] == "cancelled"
    spec = w.spec("JJF-2026-101")
    assert spec["stage"] == "cancelled" and spec["changes"][-1]["action"] == "cancelled_overdue"


def test_only_the_specifications_drafters_draft(w):
    iid = start(w)
    task = w.task(iid, "p7_task_draft")
    assert w.as_("m1").post(f"/tasks/{task['id']}/claim").get_json()["rule"] == "lane-role"
    w.grant("m1", "drafter:spec/JJF-2026-999")
    assert w.as_("m1").post(f"/tasks/{task['id']}/claim").get_json()["rule"] == "scope"
