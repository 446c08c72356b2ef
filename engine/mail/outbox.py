"""The outbox: history events of a transaction become mails in that same transaction, just before it commits.

Attached to the engine's Database after the history log (``outbox.attach``), a ``before_commit`` listener
reads the events the transaction wrote (``history.written``) and adds one outbox row per recipient who wants
that kind by e-mail. A rollback drops the events and the rows together, so no mail reports an action that
did not happen; the sender (``engine.mail.sender``) delivers the rows after the commit.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.config import MailSettings
from engine.history import log as history
from engine.history.models import Event
from engine.mail import compose, preferences
from engine.mail.compose import Facts
from engine.mail.models import MailOutbox
from engine.rules.workdays import BEIJING
from engine.runtime.models import Instance, Task
from engine.runtime.notifications import role_holders

OVERDUE_WORDS = ("overdue", "escalat", "逾期", "超期")
MAILED = frozenset({"task_ready", "task_assigned", "notification_sent", "notice_closed", "instance_completed",
                    "instance_cancelled"})


def attach(db, settings: MailSettings) -> None:
    """Queue mails on ``db``'s sessions; call after ``history.attach`` so every event is written first."""
    db.listen("before_commit", lambda session: enqueue(session, settings))


def enqueue(session: Session, settings: MailSettings) -> int:
    """Outbox rows for the events this transaction wrote; returns how many."""
    events = [(instance, event) for instance, event in history.written(session) if event["type"] in MAILED]
    if not events:
        return 0
    # an event written inside a savepoint that rolled back (a failing service task) is no longer there
    kept = set(session.scalars(select(Event.hash).where(Event.stream.in_({e["stream"] for _, e in events}),
                                                        Event.hash.in_([e["hash"] for _, e in events]))))
    events = [(instance, event) for instance, event in events if event["hash"] in kept]
    wanted: dict[str, dict] = {}
    now, count = clock.now(), 0
    for instance, event in events:
        for username, facts in _addressed(session, instance, event, settings.base_url):
            prefs = wanted.setdefault(username, preferences.get(session, username))
            if not prefs["address"] or facts.kind not in prefs["kinds"]:
                continue
            session.add(MailOutbox(
                username=username, address=prefs["address"], kind=facts.kind, subject=compose.subject(facts),
                body=compose.body(username, facts, f"{settings.base_url}/notifications"), link=facts.link,
                instance_id=instance.id, digest=prefs["digest"],
                send_after=next_digest(now, settings.digest_hour) if prefs["digest"] else now, created_at=now))
            count += 1
    if count:
        session.flush()
    return count


def next_digest(now: datetime, hour: int) -> datetime:
    """The next ``hour``:00 China time after ``now``, in UTC (as every stored time)."""
    local = now.astimezone(BEIJING)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return (at if at > local else at + timedelta(days=1)).astimezone(UTC)


def _addressed(session: Session, instance: Instance, event: dict, base_url: str) -> Iterator[tuple[str, Facts]]:
    """Who should hear of one event, and what to tell them."""
    type_, actor, data = event["type"], event.get("actor"), event.get("data") or {}
    task = session.get(Task, event["task_id"]) if event.get("task_id") else None
    link = f"{base_url}/tasks/{task.id}" if task else f"{base_url}/instances/{instance.id}"

    def facts(kind: str, lead: str) -> Facts:
        return Facts(kind=kind, lead=lead, process=instance.process_key, instance_id=instance.id,
                     task_name=(task.name or task.element_id) if task else None, role=task.role if task else None,
                     due_at=task.due_at if task else None, link=link)

    if type_ == "task_ready" and task is not None:
        people = [task.assignee] if task.assignee else role_holders(session, task.role, instance) if task.role else []
        lead = (f"有一项新任务等待您办理（您的角色：{compose.role_label(task.role)}）。" if not task.assignee
                else "有一项新任务分配给您办理。")
        yield from ((name, facts("task", lead)) for name in people if name != actor)
    elif type_ == "task_assigned" and data.get("to") and data["to"] != actor:
        reason = f"理由：{data['reason']}" if data.get("reason") else ""
        yield data["to"], facts("reassigned", f"{actor or '系统'} 已将此任务转派给您。{reason}")
    elif type_ == "notification_sent":
        overdue = any(word in str(data.get("kind", "")).lower() for word in OVERDUE_WORDS)
        kind, label = ("overdue", "逾期警告") if overdue else ("reminder", "提醒")
        for name in data.get("recipients") or []:
            yield name, facts(kind, f"{label}：{data.get('message') or ''}")
    elif type_ == "notice_closed" and instance.started_by:
        lead = (f"您发起事项的公示已结束：收到意见 {data.get('comments', 0)} 条，"
                f"其中异议 {data.get('objections', 0)} 条。")
        yield instance.started_by, facts("notice", lead)
    elif type_ in ("instance_completed", "instance_cancelled") and instance.started_by \
            and instance.started_by != actor:
        outcome = "已办结" if type_ == "instance_completed" else f"已撤销（{data.get('reason') or '未说明理由'}）"
        yield instance.started_by, facts("decision", f"您提交的事项{outcome}，请登录查看结果。")


# ----- what operators see ------------------------------------------------------------------------------
def listing(state: str | None = None):
    """The outbox, newest first, optionally one state (pending, sent, failed)."""
    query = select(MailOutbox)
    if state:
        query = query.where(MailOutbox.state == state)
    return query.order_by(MailOutbox.created_at.desc(), MailOutbox.id.desc())


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(MailOutbox.state, func.count()).group_by(MailOutbox.state))
    return {"pending": 0, "sent": 0, "failed": 0, **dict(rows.all())}

