"""Tables of e-mail: each user's preferences and the outbox the sender drains."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


class MailPreference(Base):
    """Where and what one user wants by e-mail; no row (or no address) means no e-mail."""

    __tablename__ = "mail_preferences"

    username: Mapped[str] = mapped_column(String(150), primary_key=True)
    address: Mapped[str | None] = mapped_column(String(320))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)  # one mail a day instead of one per event
    updated_at: Mapped[datetime] = mapped_column(default=_now)


class MailOutbox(Base):
    """One message to send, written in the transaction of the action it reports (so a rollback drops it)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_state_send_after", "state", "send_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), index=True)
    address: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(1000))
    instance_id: Mapped[str | None] = mapped_column(String(36))
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending, sent, failed
    send_after: Mapped[datetime] = mapped_column(default=_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    locked_until: Mapped[datetime | None] = mapped_column()  # a sender's lease while it talks to the server
    created_at: Mapped[datetime] = mapped_column(default=_now)
    sent_at: Mapped[datetime | None] = mapped_column()
