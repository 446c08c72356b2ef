"""Tables: definitions, instances with their task and timer projections, users, and the event log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from . import clock


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite (which stores naive) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict: JSON}


def _now() -> datetime:
    return clock.now()


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
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200))  # 工作单位, read by the BR3 duty rule
    password_hash: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class RoleAssignment(Base):
    __tablename__ = "role_assignments"
    __table_args__ = (Index("ix_role_assignments_user_active", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str | None] = mapped_column(String(200))
    granted_by: Mapped[str | None] = mapped_column(String(150))
    reason: Mapped[str | None] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_by: Mapped[str | None] = mapped_column(String(150))
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class AccessToken(Base):
    __tablename__ = "access_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class Event(Base):
    """Append-only history; ``stream`` is an instance id or ``"global"``, chained by hash."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("stream", "seq", name="uq_event_stream_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stream: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str | None] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(50))
    process_key: Mapped[str | None] = mapped_column(String(200))
    process_version: Mapped[int | None] = mapped_column(Integer)
    element_id: Mapped[str | None] = mapped_column(String(200))
    task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict | None] = mapped_column(JSON)
    state_sha256: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class StateSnapshot(Base):
    """Workflow states by content hash: what replay reads, so it never depends on today's definition."""

    __tablename__ = "state_snapshots"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    instance_id: Mapped[str] = mapped_column(String(36), index=True)
    body: Mapped[str] = mapped_column(Text)


class AuditAnchor(Base):
    """A signed-off set of chain heads; deleting a whole chain or its newest events breaks an anchor."""

    __tablename__ = "audit_anchors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=_now)
    created_by: Mapped[str | None] = mapped_column(String(200))
    heads: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AnchorHead(Base):
    __tablename__ = "anchor_heads"
    __table_args__ = (Index("ix_anchor_heads_stream", "stream", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    anchor_id: Mapped[int] = mapped_column(ForeignKey("audit_anchors.id"), index=True)
    stream: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


from .role_models import ConflictDeclaration, InstanceFact  # noqa: E402,F401,I001  (roles and duties)
from .timer_models import Notification, Schedule, ScheduleRun  # noqa: E402,F401  (timers and schedules)
from .lifecycle.notice_models import Document, DocumentBlob, Notice, NoticeComment, NoticeDocument  # noqa: E402,F401,I001  (notices and documents)
from .lifecycle.committee_models import Committee, CommitteeAssessment, CommitteeMember, CommitteeReport  # noqa: E402,F401,I001  (committee registry)
from .lifecycle.spec_models import SpecChange, SpecCounter, Specification  # noqa: E402,F401,I001  (specification registry)
