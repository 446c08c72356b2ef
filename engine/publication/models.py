"""Tables of full-text disclosure (全文公开): the approved text of each published specification, kept when the
approval announcement goes out, with the sha256 the public can check a download against."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base


class PublishedText(Base):
    """The approved document (报批稿 as approved) of one specification; ``text`` is what full-text search reads."""

    __tablename__ = "published_texts"

    spec_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    announcement_notice_id: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column()
