"""委员会考核记分卡 (62号 九): the committee's indicators for one year, computed from the hash-chained history of
its instances — never typed in — each with the events it was counted from. The grade stays the authority's (P5).

Annual reports are counted for the cycle due in that year (the report on year N-1, due 31 January N); the
other indicators for what happened in the year (Beijing time)."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.assessment.evidence import Indicator, in_year, item, year_bounds
from engine.history.models import Event
from engine.runtime.models import Instance, Task

TYPES = ("annual_report_missed", "annual_report_accepted", "term_report_accepted", "registry_changed",
         "notice_opened", "notice_closed")
LATE = ("flagged_overdue", "cancelled_overdue")
NAMES = {
    "annual_report_on_time": "年度工作报告按时报送",
    "term_report": "届末工作报告按时报送",
    "drafting_on_time": "起草期限内完成征求意见稿",
    "review_first_ballot": "首次审定表决通过",
    "comments_answered": "征求意见逐条处理",
    "notices_as_required": "公示按规定期限进行",
    "voting_participation": "审定表决参与率（出席）",
    "tasks_on_time": "待办任务按期办理（逾期任务）",
}


def _events(session: Session, code: str) -> list[Event]:
    """Every event of the kinds the indicators read, of the committee's instances, oldest first."""
    return list(session.scalars(select(Event).join(Instance, Instance.id == Event.stream)
                                .where(Instance.committee == code, Event.type.in_(TYPES))
                                .order_by(Event.at, Event.id)))


def _action(event: Event) -> str | None:
    return (event.data or {}).get("action") if event.type == "registry_changed" else None


def _reports(events: list[Event], year: int) -> tuple[Indicator, Indicator]:
    annual = Indicator("annual_report_on_time", NAMES["annual_report_on_time"])
    periods: dict[str, dict] = defaultdict(dict)
    for event in events:
        if event.type in ("annual_report_missed", "annual_report_accepted") \
                and str((event.data or {}).get("period")) == str(year):
            periods[event.stream][event.type] = event
    for found in periods.values():
        missed = found.get("annual_report_missed")
        evidence = missed or found["annual_report_accepted"]
        annual.count(missed is None, item(evidence, ok=missed is None, period=str(year)))
    term = Indicator("term_report", NAMES["term_report"])
    for event in events:
        if event.type == "term_report_accepted" and in_year(event.at, year):
            term.count(True, item(event, ok=True, term_number=(event.data or {}).get("term_number")))
    return annual, term


def _drafting(events: list[Event], year: int) -> Indicator:
    """A comment draft handed in before its drafting deadline (an approved extension moves the deadline; a
    project flagged or cancelled as overdue (BR10) was late)."""
    indicator = Indicator("drafting_on_time", NAMES["drafting_on_time"])
    due: dict[str, str] = {}
    late: set[str] = set()
    for event in events:
        data, action = event.data or {}, _action(event)
        spec = data.get("specification")
        if data.get("drafting_due") and action in ("drafting_started", "extension_approved"):
            due[spec] = data["drafting_due"]
        if action in LATE:
            late.add(spec)
        if action == "comment_draft_submitted" and in_year(event.at, year):
            deadline = due.get(spec)
            ok = spec not in late and (deadline is None or event.at <= datetime.fromisoformat(deadline))
            indicator.count(ok, item(event, ok=ok, specification=spec, drafting_due=deadline))
    return indicator


def _reviews(events: list[Event], year: int) -> tuple[Indicator, Indicator]:
    first = Indicator("review_first_ballot", NAMES["review_first_ballot"])
    voting = Indicator("voting_participation", NAMES["voting_participation"])
    seen: set[str] = set()
    members: dict[str, int] = {}
    for event in events:
        data, action = event.data or {}, _action(event)
        spec = data.get("specification")
        if action == "review_opened":
            members[event.stream] = int(data.get("voting_members") or 0)
        if action != "review_tallied":
            continue
        if spec not in seen and in_year(event.at, year):
            first.count(bool(data.get("passed")), item(event, ok=bool(data.get("passed")), specification=spec))
        seen.add(spec)
        if in_year(event.at, year):
            base = members.get(event.stream, 0)
            voting.count(True, item(event, specification=spec, cast=data.get("cast"), voting_members=base),
                         weight=int(data.get("cast") or 0), of=base)
    return first, voting


def _comments(events: list[Event], year: int) -> Indicator:
    indicator = Indicator("comments_answered", NAMES["comments_answered"])
    received: dict[str, int] = {}
    for event in events:
        data, action = event.data or {}, _action(event)
        if action == "comment_window_closed":
            received[event.stream] = int(data.get("comments") or 0)
        if action == "comments_answered" and in_year(event.at, year):
            expected = received.get(event.stream, int(data.get("answered") or 0))
            answered = min(int(data.get("answered") or 0), expected)
            indicator.count(True, item(event, ok=answered >= expected, specification=data.get("specification"),
                                       answered=answered, received=expected), weight=answered, of=expected)
    return indicator


def _notices(events: list[Event], year: int) -> Indicator:
    """A notice opened in the year ran its whole window: not closed before ``closes_at``."""
    indicator = Indicator("notices_as_required", NAMES["notices_as_required"])
    closed = {(e.data or {}).get("notice_id"): e for e in events if e.type == "notice_closed"}
    now = clock.now()
    for event in events:
        if event.type != "notice_opened" or not in_year(event.at, year):
            continue
        data = event.data or {}
        ends = datetime.fromisoformat(data["closes_at"])
        close = closed.get(data.get("notice_id"))
        if close is None and ends > now:
            continue  # still open: judged when it closes
        ok = close is None or close.at >= ends
        entry = item(event, ok=ok, notice_id=data.get("notice_id"), closes_at=data["closes_at"],
                     closed_event_id=close.id if close is not None else None)
        indicator.count(ok, entry)
    return indicator


def _tasks(session: Session, code: str, year: int) -> Indicator:
    """Tasks with a due date in the year: done by then, or overdue (done late, or still open past it)."""
    start, end = year_bounds(year)
    now = clock.now()
    indicator = Indicator("tasks_on_time", NAMES["tasks_on_time"])
    rows = session.scalars(select(Task).where(Task.committee == code, Task.due_at >= start, Task.due_at < end,
                                              Task.due_at < now).order_by(Task.due_at, Task.id))
    for task in rows:
        done = task.completed_at is not None and task.state == "completed"
        ok = done and task.completed_at <= task.due_at
        indicator.count(ok, {"task_id": task.id, "instance_id": task.instance_id, "ok": ok,
                             "element_id": task.element_id, "name": task.name, "due_at": task.due_at.isoformat(),
                             "completed_at": task.completed_at.isoformat() if task.completed_at else None})
    return indicator


def compute(session: Session, code: str, year: int) -> dict:
    """The committee's scorecard for ``year``: indicators with their evidence, no grade."""
    events = _events(session, code)
    annual, term = _reports(events, year)
    first, voting = _reviews(events, year)
    indicators = [annual, term, _drafting(events, year), first, _comments(events, year), _notices(events, year),
                  voting, _tasks(session, code, year)]
    return {"committee": code, "year": year, "computed_at": clock.now().isoformat(),
            "indicators": [i.view() for i in indicators],
            "note": "由审计链上的事件计算，不可手工填写；考核等级由批准机关决定（P5）。"}
