"""The Chinese text of each mail: a subject, a body with the link to the task, and the daily digest."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.access.actors import ROLES
from engine.rules.workdays import BEIJING

SUBJECTS = {"task": "新任务", "reminder": "提醒", "overdue": "逾期警告", "reassigned": "任务转派",
            "notice": "公示结束", "decision": "办理结果"}
PREFIX = "[mtcflow]"


@dataclass(frozen=True)
class Facts:
    """What a mail says: filled from one history event and the rows it names."""

    kind: str
    lead: str  # the sentence that says what happened
    process: str
    instance_id: str
    task_name: str | None = None
    role: str | None = None
    due_at: datetime | None = None
    link: str = ""


def role_label(role: str | None) -> str:
    return ROLES.get(role, role) if role else ""


def when(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y年%m月%d日 %H:%M（北京时间）")


def subject(facts: Facts) -> str:
    return f"{PREFIX} {SUBJECTS[facts.kind]}：{facts.task_name or facts.process}"


def body(username: str, facts: Facts, settings_url: str) -> str:
    lines = [f"{username}，您好：", "", facts.lead, "", f"流程：{facts.process}（实例 {facts.instance_id}）"]
    if facts.task_name:
        lines.append(f"任务：{facts.task_name}")
    if facts.role:
        lines.append(f"角色：{role_label(facts.role)}")
    if facts.due_at:
        lines.append(f"办理期限：{when(facts.due_at)}")
    lines += [f"办理链接：{facts.link}", "", *footer(settings_url)]
    return "\n".join(lines)


def footer(settings_url: str) -> list[str]:
    return ["—", f"此邮件由 mtcflow 自动发送，请勿直接回复。更改邮件提醒设置：{settings_url}"]


def digest(username: str, items: list[tuple[str, str]], settings_url: str) -> tuple[str, str]:
    """One mail for a day's ``(subject, link)`` items."""
    lines = [f"{username}，您好：", "", f"以下是您今天的 {len(items)} 条 mtcflow 通知：", ""]
    for number, (text, link) in enumerate(items, 1):
        lines += [f"{number}. {text.removeprefix(PREFIX).strip()}", f"   {link}"]
    lines += ["", *footer(settings_url)]
    return f"{PREFIX} 每日通知摘要（{len(items)} 条）", "\n".join(lines)
