"""Tables of running work: deployed definitions, instances, and the projections of their tasks,
timers and notifications, kept in step with the workflow in the action's transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now

OPEN_TASK = text("state IN ('ready', 'claimed')")


class Definition(Base):
    __tablename__ = "definitions"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_definition_key_version"),
        UniqueConstraint("key", "sha256", name="uq_definition_key_sha"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(500))
    # the large texts load only when read: every action reads the definition row, few need its XML or specs
    xml: Mapped[str] = mapped_column(Text, deferred=True)
    specs: Mapped[str] = mapped_column(Text, deferred=True)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    deployed_at: Mapped[datetime] = mapped_column(default=_now)
    deployed_by: Mapped[str | None] = mapped_column(String(200))


class Instance(Base):
    __tablename__ = "instances"
    __table_args__ = (
        Index("ix_instances_state_created", "state", "created_at"),
        Index("ix_instances_business_key", "process_key", "business_key"),
        Index("ix_instances_level", "level", "jurisdiction"),  # roles: visibility by scope and starter
        Index("ix_instances_started_by", "started_by"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("definitions.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    process_version: Mapped[int] = mapped_column(Integer)
    business_key: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))
    workflow: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str | None] = mapped_column(String(100), index=True)
    specification: Mapped[str | None] = mapped_column(String(100), index=True)
    level: Mapped[str | None] = mapped_column(String(100))
    jurisdiction: Mapped[str | None] = mapped_column(String(100))  # roles: level/<level>/<jurisdiction>
    started_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=_now)
    updated_at: Mapped[datetime] = mapped_column(default=_now)
    ended_at: Mapped[datetime | None] = mapped_column()
    event_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    head_hash: Mapped[str | None] = mapped_column(String(64))
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": lock_version}


class Task(Base):
    """Projection of user tasks, kept in step with the workflow in the same transaction."""

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_open_role", "state", "role", "due_at"),
        Index("ix_tasks_assignee_state", "assignee", "state"),
        Index("ix_tasks_role_committee", "role", "committee", "state"),  # roles: the inbox per scope kind
        Index("ix_tasks_role_spec", "role", "specification", "state"),
        Index("ix_tasks_role_level", "role", "level", "jurisdiction", "state"),
        # open tasks in the inbox's default order: the first page of a huge pool walks this partial index
        Index("ix_tasks_open_due_order", text("(due_at IS NULL)"), "due_at", "created_at", "id",
              sqlite_where=OPEN_TASK, postgresql_where=OPEN_TASK),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    element_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(500))
    lane: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20))
    assignee: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column()
    form_key: Mapped[str | None] = mapped_column(String(200))
    committee: Mapped[str | None] = mapped_column(String(100))
    specification: Mapped[str | None] = mapped_column(String(100))
    level: Mapped[str | None] = mapped_column(String(100))
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    duty: Mapped[str | None] = mapped_column(String(30))  # mtc:duty: vote, chief_review, observe
    created_at: Mapped[datetime] = mapped_column(default=_now)
    completed_at: Mapped[datetime | None] = mapped_column()
    completed_by: Mapped[str | None] = mapped_column(String(200))


class Timer(Base):
    """Every waiting timer with its due time; the worker claims due rows from here."""

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_id", "due_at", name="uq_timer_instance_task_due"),
        Index("ix_timers_state_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    fired_at: Mapped[datetime | None] = mapped_column()
    rule: Mapped[str | None] = mapped_column(String(300))
    warning: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # why the due date changed (recomputed on an entered calendar)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """A reminder, overdue warning or escalation for one user, produced when a notify event is reached."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("source_task_id", "recipient", name="uq_notification_source_recipient"),
        Index("ix_notifications_recipient_read", "recipient", "read_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str | None] = mapped_column(String(150))
    role: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(50))
    message: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    element_id: Mapped[str] = mapped_column(String(200))
    source_task_id: Mapped[str] = mapped_column(String(36))
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(500))
    due_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=_now)
    read_at: Mapped[datetime | None] = mapped_column()


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_state_opened", "state", "opened_at"),
        Index("ix_incidents_process", "process_key", "element_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(200))
    process_version: Mapped[int] = mapped_column(Integer)
    element_id: Mapped[str | None] = mapped_column(String(200))
    task_id: Mapped[str | None] = mapped_column(String(36))
    timer_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # script, service, step_budget, timer, engine
    state: Mapped[str] = mapped_column(String(20), default="open")  # open, resolved
    error: Mapped[str] = mapped_column(Text)
    data: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by: Mapped[str | None] = mapped_column(String(200))
