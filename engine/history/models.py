"""Tables of the record: the hash-chained event log, state snapshots by content hash, audit anchors."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


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
    key_id: Mapped[str | None] = mapped_column(String(64))  # which configured key made ``mac`` (rotation)
    mac: Mapped[str | None] = mapped_column(String(64))  # HMAC-SHA256, key outside the database


class AnchorHead(Base):
    __tablename__ = "anchor_heads"
    __table_args__ = (Index("ix_anchor_heads_stream", "stream", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    anchor_id: Mapped[int] = mapped_column(ForeignKey("audit_anchors.id"), index=True)
    stream: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
