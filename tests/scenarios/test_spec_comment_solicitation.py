"""P8 comment solicitation (征求意见) over HTTP: completeness check, the comment window, every comment answered
(BR2) before the review draft, and the registry after each story."""
import pytest

from tests.scenarios.spec_stories import p8_through
from tests.scenarios.spec_support import World, deploy, seed_committee, seed_spec, spec_scope


@pytest.fixture
def w(engine, app, clock):
    deploy(engine, "p8_comment_solicitation.bpmn")
    seed_committee(engine)
    world = World(engine, app.test_client(), clock)
    seed_spec(engine, "JJF-2026-101", stage="drafting")
    world.grant("drafter", "drafter:spec/JJF-2026-101")
    return world


def start(w) -> str:
    return w.start("sec", "comment_solicitation", scope=spec_scope("JJF-2026-101"))["id"]


def comment(w, notice_id: int, text: str, kind: str = "comment"):
    response = w.client.post(f"/api/v1/notices/{notice_id}/comments",
                             json={"author": "李四", "unit": "某省计量院", "text": text, "kind": kind})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_main_path_every_comment_answered(w):
    iid = start(w)
    ids = p8_through(w, iid, comments=3)
    instance = w.instance(iid)
    assert instance["state"] == "completed"
    spec = w.spec("JJF-2026-101")
    assert spec["stage"] == "review"
    assert spec["comments_total"] == 3 and spec["comments_answered"] == 3
    assert [row["comment_id"] for row in spec["comment_handling"]] == ids
    assert spec["documents"]["comment"]["送审稿"][0]["filename"] == "review_draft.txt"
    notice = w.client.get(f"/api/v1/notices/{spec['comment_notice_id']}").get_json()
    assert notice["kind"] == "comment_draft" and notice["status"] == "closed" and notice["comment_count"] == 3
    assert [c["action"] for c in spec["changes"]] == ["comment_phase_started", "comment_notice_opened",
                                                      "comment_window_closed", "comments_answered"]


def test_incomplete_draft_goes_back_to_the_drafter(w):
    iid = start(w)
    w.do("sec", iid, "p8_task_check", {"draft_complete": False, "missing_items": "缺编写说明"})
    assert w.open_elements(iid) == ["p8_task_supplement"]
    w.do("drafter", iid, "p8_task_supplement", {"supplement_note": "已补充编写说明"})
    assert w.open_elements(iid) == ["p8_task_check"]
    w.do("sec", iid, "p8_task_check", {"draft_complete": True, "units_sent": 30})
    assert w.spec("JJF-2026-101")["comment_notice_id"] is not None


def test_the_draft_goes_to_enough_units(w):
    iid = start(w)
    refused = w.do("sec", iid, "p8_task_check", {"draft_complete": True, "units_sent": 12}, status=422)
    assert "at least 20" in refused.get_json()["detail"]  # comment_min_units of the national profile
    missing = w.do("sec", iid, "p8_task_check", {"draft_complete": True}, status=422)
    assert "units_sent" in str(missing.get_json()["errors"])


def test_window_timer_then_the_handling_table(w):
    iid = start(w)
    w.do("sec", iid, "p8_task_check", {"draft_complete": True, "units_sent": 25})
    instance = w.instance(iid)
    notice_id = instance["data"]["notice_id"]
    assert [t["element_id"] for t in instance["timers"]] == ["p8_timer_comment"]
    assert instance["timers"][0]["due_at"].startswith("2026-04-01")  # comment_window: 30 days
    first = comment(w, notice_id, "第3条建议修改")
    w.advance(days=29)
    assert w.open_elements(iid) == []
    second = comment(w, notice_id, "反对第5条", kind="objection")
    w.advance(days=1, seconds=1)
    assert w.open_elements(iid) == ["p8_task_handle"]
    late = w.client.post(f"/api/v1/notices/{notice_id}/comments", json={"author": "王五", "text": "晚了"})
    assert late.status_code == 409  # the window closed
    data = w.instance(iid)["data"]
    assert [c["id"] for c in data["notice_comments"]] == [first, second] and data["notice_objection_count"] == 1
    assert w.spec("JJF-2026-101")["comment_closed_at"] is not None


def test_br2_refuses_the_review_draft_until_every_comment_is_answered(w):
    iid = start(w)
    w.do("sec", iid, "p8_task_check", {"draft_complete": True, "units_sent": 25})
    notice_id = w.instance(iid)["data"]["notice_id"]
    first, second = comment(w, notice_id, "意见一"), comment(w, notice_id, "意见二")
    w.advance(days=31)
    draft = w.upload("drafter", iid, "p8_task_handle", "review_draft.txt", b"v1")
    partial = {"handling": [{"comment_id": first, "answer": "adopted"},
                            {"comment_id": None, "source": "letter", "text": "函件意见", "answer": "adopted"}],
               "review_draft_document_id": draft}
    refused = w.do("drafter", iid, "p8_task_handle", partial, status=403)
    body = refused.get_json()
    assert body["rule"] == "BR2" and body["open_comments"] == [second]
    assert w.spec("JJF-2026-101")["comments_answered"] == 0
    reasons = w.do("drafter", iid, "p8_task_handle", {
        "handling": [{"comment_id": first, "answer": "adopted"}, {"comment_id": second, "answer": "not_adopted"}],
        "review_draft_document_id": draft}, status=422)
    assert "reason" in str(reasons.get_json()["errors"])  # an answer that does not adopt gives its reason
    unknown = w.do("drafter", iid, "p8_task_handle", {
        "handling": [{"comment_id": 424242, "answer": "adopted"}], "review_draft_document_id": draft}, status=422)
    assert "did not receive" in unknown.get_json()["detail"]
    complete = {"handling": [*partial["handling"], {"comment_id": second, "answer": "not_adopted",
                                                    "reason": "与 OIML 建议不一致"}], "review_draft_document_id": draft}
    w.do("drafter", iid, "p8_task_handle", complete)
    spec = w.spec("JJF-2026-101")
    assert spec["stage"] == "review" and spec["comments_answered"] == 2 and len(spec["comment_handling"]) == 3


def test_a_window_without_comments_still_needs_the_review_draft(w):
    iid = start(w)
    w.do("sec", iid, "p8_task_check", {"draft_complete": True, "units_sent": 25})
    w.advance(days=31)
    missing = w.do("drafter", iid, "p8_task_handle", {"handling": []}, status=422)
    assert "review_draft_document_id" in str(missing.get_json()["errors"])
    draft = w.upload("drafter", iid, "p8_task_handle", "review_draft.txt", b"v1")
    w.do("drafter", iid, "p8_task_handle", {"handling": [], "review_draft_document_id": draft})
    assert w.spec("JJF-2026-101")["stage"] == "review"
