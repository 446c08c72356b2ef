"""The main path of each specification phase, as the people of MTC12 walk it; scenarios compose them and
branch off where they test something else."""
from __future__ import annotations

from tests.scenarios.spec_support import PROPOSAL, World


def p6_to_decision(w: World, iid: str, proposal: dict | None = None, comments: int = 0) -> str:
    """Proposal → evaluation → forwarding → 立项公示 (with ``comments`` public comments) → the decision task."""
    w.do("sec", iid, "p6_task_proposal", proposal or PROPOSAL)
    w.do("secgen", iid, "p6_task_evaluate", {"evaluation_decision": "recommend", "evaluation_opinion": "必要、可行"})
    w.do("sec", iid, "p6_task_forward", {"forward_note": "经委员会评估，建议立项"})
    w.do("authority", iid, "p6_task_publish", {"publish_decision": "publish"})
    notice_id = w.instance(iid)["data"]["notice_id"]
    for i in range(comments):
        response = w.client.post(f"/api/v1/notices/{notice_id}/comments",
                                 json={"author": f"公众{i}", "unit": "某计量院", "text": f"建议{i}：扩大适用范围。"})
        assert response.status_code == 201, response.get_json()
    w.advance(days=31)
    w.task(iid, "p6_task_decide")
    return notice_id


def p6_include(w: World, iid: str, proposal: dict | None = None) -> str:
    p6_to_decision(w, iid, proposal)
    w.do("authority", iid, "p6_task_decide", {"plan_decision": "include", "plan_opinion": "列入 2026 年计划"})
    spec_id = w.instance(iid)["data"]["spec_id"]
    w.grant("drafter", f"drafter:spec/{spec_id}")
    return spec_id


def p7_submit(w: World, iid: str) -> None:
    documents = {field: w.upload("drafter", iid, "p7_task_draft", f"{field}.txt", field.encode())
                 for field in ("comment_draft_document_id", "explanatory_note_document_id",
                               "test_report_document_id", "uncertainty_document_id")}
    w.do("drafter", iid, "p7_task_draft", {"drafting_action": "submit", **documents,
                                         "international_basis": "等同采用 OIML R 76-1"})


def p8_through(w: World, iid: str, comments: int = 2) -> list[int]:
    """Check, publish for comment, ``comments`` public comments, the window closes, every one answered."""
    w.do("sec", iid, "p8_task_check", {"draft_complete": True, "units_sent": 25})
    notice_id = w.instance(iid)["data"]["notice_id"]
    ids = []
    for i in range(comments):
        response = w.client.post(f"/api/v1/notices/{notice_id}/comments",
                                 json={"author": f"专家{i}", "unit": f"计量院{i}", "text": f"第{i + 1}条建议修改。"})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    w.advance(days=31)
    draft = w.upload("drafter", iid, "p8_task_handle", "review_draft.txt", b"review draft")
    w.do("drafter", iid, "p8_task_handle", {"handling": [{"comment_id": c, "answer": "adopted"} for c in ids],
                                          "review_draft_document_id": draft})
    return ids


# who attends a review meeting unless a story says otherwise: every account of MTC12 (those who do not vote there,
# the drafter or the corresponding member, attend without counting)
ATTENDEES = ("chair", "vice", "colleague", "m1", "m2", "m3", "m4", "m5", "corr", "drafter")


def meeting(w: World, attendees=ATTENDEES, place: str = "北京 中国计量科学研究院") -> dict:
    """What the secretariat records when the review meeting (会审) is held today."""
    from engine.rules.workdays import BEIJING

    return {"meeting_held_on": w.clock.now().astimezone(BEIJING).date().isoformat(), "meeting_place": place,
            "attendees": list(attendees), "vote_note": "审定会议"}


def register_chief(w: World, name: str, code: str = "MTC12") -> None:
    """``name`` in the committee's chief-reviewer register (granted by the committee), once."""
    listed = w.as_("sec").get("/chief-reviewers", query_string={"committee": code}).get_json()["items"]
    if name not in [e["username"] for e in listed]:
        response = w.as_("sec").post("/chief-reviewers", json={
            "committee": code, "username": name, "field": "质量计量", "qualification": "高级工程师，从事质量计量 15 年",
            "granted_by_body": "committee", "reason": "委员会全体会议通过"})
        assert response.status_code == 201, response.get_json()


def designate(w: World, iid: str, chief: str) -> None:
    """The secretariat designates ``chief`` (registered first) as the chief reviewer (P9 step 2)."""
    register_chief(w, chief)
    w.do("sec", iid, "p9_task_designate", {"chief_reviewer": chief, "designation_reason": "专业对口"})


def p9_to_vote(w: World, iid: str, spec_id: str, chief: str = "m1", mode: str = "meeting",
               attendees=ATTENDEES) -> None:
    """Completeness, the chair's consent, papers, the chief reviewer, papers_before_review later the vote: the
    meeting held with ``attendees`` (会审), or the correspondence ballot opened (函审)."""
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True, "consent_opinion": "同意提交审定"})
    designate(w, iid, chief)
    w.do("sec", iid, "p9_task_papers", {"review_mode": mode, "meeting_date": "2026-12-01"} if mode == "meeting"
         else {"review_mode": mode})
    w.do(chief, iid, "p9_task_chief", {"chief_opinion": "技术内容正确", "chief_recommendation": "pass"})
    w.advance(days=30, seconds=1)  # papers_before_review: its reminder timer fires, the vote may open
    w.do("sec", iid, "p9_task_open_vote", meeting(w, attendees) if mode == "meeting" else {"vote_note": "函审"})


def vote(w: World, iid: str, choices: dict[str, str]) -> None:
    """Each named voter takes one open ballot and casts it."""
    for name, choice in choices.items():
        task = next(t for t in w.tasks(iid, "p9_task_vote") if t["assignee"] is None)
        w.do(name, iid, "p9_task_vote", {"ballot": {"choice": choice, "opinion": f"{name}：{choice}"}}, task=task)


def p9_pass(w: World, iid: str, spec_id: str, mode: str = "meeting") -> None:
    """Every appointed voter the vote opened with (but the drafting unit's colleague) votes yes."""
    p9_to_vote(w, iid, spec_id, mode=mode)
    vote(w, iid, {name: "yes" for name in w.instance(iid)["data"]["voters"] if name != "colleague"})
    w.advance(days=16)  # the corresponding member and observers did not answer: their window closes
    w.do("sec", iid, "p9_task_count")
    w.do("sec", iid, "p9_task_minutes", {"review_conclusion": "pass", "minutes": "审定会议纪要：一致通过。"})


def p10_approve(w: World, iid: str, publication_date: str = "2027-06-01") -> None:
    draft = w.upload("drafter", iid, "p10_task_package", "submission.txt", b"submission draft")
    w.do("drafter", iid, "p10_task_package", {"submission_draft_document_id": draft})
    w.do("sec", iid, "p10_task_check", {"package_complete": True})
    w.do("authority", iid, "p10_task_decide", {"approval_decision": "approve", "publication_date": publication_date,
                                           "approval_opinion": "批准发布"})
