"""Tables of the public notice board and of documents: notices, their public comments, uploaded documents
and the blobs that hold their bytes (outside the main tables, deduplicated by content hash)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


class Notice(Base):
    """A public notice (公示 / 征求意见) opened by a process; comments are accepted while its window is open."""

    __tablename__ = "notices"
    __table_args__ = (
        Index("ix_notices_status_closes", "status", "closes_at"),
        Index("ix_notices_level_jurisdiction", "level", "jurisdiction"),
        Index("ix_notices_kind_ref", "kind", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(500))
    ref: Mapped[str | None] = mapped_column(String(100))  # committee code or specification id
    level: Mapped[str | None] = mapped_column(String(100))
    jurisdiction: Mapped[str | None] = mapped_column(String(100))
    committee: Mapped[str | None] = mapped_column(String(100))
    specification: Mapped[str | None] = mapped_column(String(100))
    instance_id: Mapped[str | None] = mapped_column(ForeignKey("instances.id"), index=True)
    process_key: Mapped[str | None] = mapped_column(String(200))
    window_key: Mapped[str] = mapped_column(String(200))  # the profile key (or duration) of the window
    window_rule: Mapped[dict | None] = mapped_column()  # profile, expression, calendar warnings
    content: Mapped[dict | None] = mapped_column()  # what the public is asked to judge (notice_content.py)
    status: Mapped[str] = mapped_column(String(20))  # open | closed
    opens_at: Mapped[datetime] = mapped_column()
    closes_at: Mapped[datetime] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=_now)
    created_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(200))


class NoticeComment(Base):
    """A comment or objection sent by anyone while the notice's window was open."""

    __tablename__ = "notice_comments"
    __table_args__ = (Index("ix_notice_comments_notice_at", "notice_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"))
    kind: Mapped[str] = mapped_column(String(20))  # comment | objection
    author: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))  # kept for the committee, never shown publicly
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # of the canonical comment, recorded in the history
    at: Mapped[datetime] = mapped_column(default=_now)


class Document(Base):
    """A file uploaded to an instance (or one of its tasks); its bytes live in ``document_blobs``."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("document_blobs.sha256"), index=True)
    description: Mapped[str | None] = mapped_column(String(500))
    uploaded_by: Mapped[str | None] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(default=_now)
    published_at: Mapped[datetime | None] = mapped_column()  # set when a notice first links it


class DocumentBlob(Base):
    """The bytes of documents, once per content hash."""

    __tablename__ = "document_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=_now)


class NoticeDocument(Base):
    """A published document linked to a notice; the public may download it."""

    __tablename__ = "notice_documents"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True, index=True)
