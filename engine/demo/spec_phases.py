"""The phases of one specification project (P6–P12) as a committee's people work them in the demo; each
stops where a later phase begins, so the seed can leave a project at any stage."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.demo.driver import Driver, Program
from engine.rules.workdays import BEIJING

AUTHORITY = "samr"


@dataclass(frozen=True)
class Team:
    """The people of one committee, by username (see people.py)."""

    code: str
    secretariat: str
    secretary_general: str
    chair: str
    voters: tuple[str, ...]
    level: str = "national"
    jurisdiction: str | None = None
    authority: str = AUTHORITY

    @property
    def scope(self) -> dict:
        return {"committee": self.code, "level": self.level,
                **({"jurisdiction": self.jurisdiction} if self.jurisdiction else {})}


def day(d: Driver, days: int = 0) -> str:
    return (d.clock.now().date() + timedelta(days=days)).isoformat()


def after_window(d: Driver, iid: str, days: int = 31, variable: str = "notice_closes_at") -> datetime:
    """``days`` from now, or just after the instance's open notice closes if that is later (a provincial window
    of working days can outlast a month around the Spring Festival or National Day holidays)."""
    closes = d.data(iid).get(variable)
    wait = d.clock.now() + timedelta(days=days)
    return max(wait, datetime.fromisoformat(closes) + timedelta(minutes=1)) if closes else wait


def propose(d: Driver, team: Team, proposal: dict, iid: str | None = None) -> str:
    """P6 step 1: the proposal enters the registry (stage proposed)."""
    iid = iid or d.start(team.secretariat, "spec_project", team.scope)
    d.do(team.secretariat, iid, "p6_task_proposal", proposal)
    return iid


def notice_project(d: Driver, team: Team, iid: str) -> int:
    """P6 steps 2–3: committee evaluation, forwarding, the authority opens the 立项 notice."""
    d.do(team.secretary_general, iid, "p6_task_evaluate",
         {"evaluation_decision": "recommend", "evaluation_opinion": "必要、可行，建议立项"})
    d.do(team.secretariat, iid, "p6_task_forward", {"forward_note": "经委员会评估，建议立项"})
    d.do(team.authority, iid, "p6_task_publish", {"publish_decision": "publish"})
    return d.data(iid)["notice_id"]


def include(d: Driver, team: Team, iid: str, drafter: str) -> Program:
    """P6 step 4 after the notice window: included in the plan; the drafter gets the specification."""
    yield after_window(d, iid)
    d.do(team.authority, iid, "p6_task_decide", {"plan_decision": "include", "plan_opinion": "列入年度计划"})
    spec_id = d.data(iid)["spec_id"]
    d.grant(drafter, f"drafter:spec/{spec_id}")
    return spec_id


def draft(d: Driver, iid: str, drafter: str, title: str) -> None:
    """P7: the comment draft with its explanatory note, test report and uncertainty analysis, as files."""
    files = {"comment_draft_document_id": "征求意见稿", "explanatory_note_document_id": "编写说明",
             "test_report_document_id": "试验报告", "uncertainty_document_id": "测量不确定度评定"}
    ids = {field: d.upload(drafter, iid, "p7_task_draft", f"{label}.txt", f"{title}（{label}）")
           for field, label in files.items()}
    d.do(drafter, iid, "p7_task_draft", {"drafting_action": "submit", **ids})


def open_comment(d: Driver, team: Team, iid: str) -> int:
    """P8: the completeness check publishes the draft for comment."""
    d.do(team.secretariat, iid, "p8_task_check", {"draft_complete": True, "units_sent": 26})
    return d.data(iid)["notice_id"]


def answer_comments(d: Driver, iid: str, drafter: str, title: str) -> Program:
    """P8 after the window: every comment answered in the handling table, the review draft filed."""
    yield after_window(d, iid)
    ids = d.data(iid).get("comments_to_answer", [])
    review_draft = d.upload(drafter, iid, "p8_task_handle", "送审稿.txt", f"{title}（送审稿）")
    d.do(drafter, iid, "p8_task_handle", {"handling": [{"comment_id": c, "answer": "adopted"} for c in ids],
                                          "review_draft_document_id": review_draft})


def open_vote(d: Driver, team: Team, iid: str, spec_id: str) -> Program:
    """P9 steps 1–3: completeness, the chair's consent, papers out, the chief reviewer, the vote opened."""
    d.do(team.secretariat, iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    d.do(team.chair, iid, "p9_task_consent_chair", {"consent": True, "consent_opinion": "同意提交审定"})
    chief = team.voters[-1]
    d.register_chief(team.secretariat, d.instance_committee(iid), chief)
    d.do(team.secretariat, iid, "p9_task_designate", {"chief_reviewer": chief, "designation_reason": "专业对口"})
    d.do(team.secretariat, iid, "p9_task_papers", {"review_mode": "meeting", "meeting_date": day(d, 31)})
    d.do(chief, iid, "p9_task_chief", {"chief_opinion": "技术内容正确，编写规范", "chief_recommendation": "pass"})
    yield 30
    held_on = d.clock.now().astimezone(BEIJING).date().isoformat()  # the review meeting (会审), all attending
    d.do(team.secretariat, iid, "p9_task_open_vote", {"meeting_held_on": held_on, "meeting_place": "审定会议会场",
                                                      "attendees": list(team.voters), "vote_note": "审定会议"})


def pass_review(d: Driver, team: Team, iid: str) -> Program:
    """P9 steps 4–5: every appointed member the vote opened with votes yes (BR14), the windows of non-voters
    close, the tally and the minutes."""
    for voter in d.data(iid)["voters"]:
        d.do(voter, iid, "p9_task_vote", {"ballot": {"choice": "yes", "opinion": "同意通过"}})
    yield 16
    d.do(team.secretariat, iid, "p9_task_count")
    d.do(team.secretariat, iid, "p9_task_minutes", {"review_conclusion": "pass", "minutes": "审定会议纪要：一致通过。"})


def submit(d: Driver, team: Team, iid: str, drafter: str, title: str) -> None:
    """P10 until the authority's decision: the submission package checked and sent (stage approval)."""
    package = d.upload(drafter, iid, "p10_task_package", "报批稿.txt", f"{title}（报批稿）")
    d.do(drafter, iid, "p10_task_package", {"submission_draft_document_id": package})
    d.do(team.secretariat, iid, "p10_task_check", {"package_complete": True})


def approve(d: Driver, iid: str, authority: str = AUTHORITY) -> None:
    """P10: approved, numbered and published."""
    d.do(authority, iid, "p10_task_decide", {"approval_decision": "approve", "publication_date": day(d, 14),
                                             "approval_opinion": "批准发布"})


def publish(d: Driver, team: Team, proposal: dict, drafter: str, iid: str | None = None,
            until: str = "published") -> Program:
    """One project from P6 on, stopped at stage ``until`` (drafting, comment, review, approval, published);
    the program's value is (instance, specification id)."""
    iid = propose(d, team, proposal, iid)
    notice_project(d, team, iid)
    spec_id = yield from include(d, team, iid, drafter)
    reach = ("drafting", "comment", "review", "approval", "published").index(until)
    if reach >= 1:
        yield 60
        draft(d, iid, drafter, proposal["title"])
        open_comment(d, team, iid)
    if reach >= 2:
        yield from answer_comments(d, iid, drafter, proposal["title"])
        yield from open_vote(d, team, iid, spec_id)
    if reach >= 3:
        yield from pass_review(d, team, iid)
        submit(d, team, iid, drafter, proposal["title"])
    if reach >= 4:
        approve(d, iid, team.authority)
    return iid, spec_id
