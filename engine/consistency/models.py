"""The search document of each specification: its terms per field, fed to the store's full-text index (SQLite
FTS5 table ``spec_search_fts``; PostgreSQL ``spec_search_documents.document`` tsvector with a GIN index, both
made by migration 0017), and the consistency findings kept with the proposal or filing that asked for them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, _now


class SearchDocument(Base):
    """One row per specification, rewritten in the transaction that changes the specification."""

    __tablename__ = "spec_search_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the full-text row id
    spec_id: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")  # space-separated terms
    quantity: Mapped[str] = mapped_column(Text, default="")  # measured quantity / instrument
    field: Mapped[str] = mapped_column(Text, default="")  # 专业领域
    scope: Mapped[str] = mapped_column(Text, default="")  # 适用范围 and filed text
    updated_at: Mapped[datetime] = mapped_column(default=_now)


class Finding(Base):
    """The ranked overlaps found for a specification when it was proposed (P6) or filed (备案)."""

    __tablename__ = "consistency_findings"
    __table_args__ = (Index("ix_consistency_findings_spec", "spec_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec_id: Mapped[str] = mapped_column(String(40))
    occasion: Mapped[str] = mapped_column(String(20))  # proposal | filing
    instance_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(default=_now)
    matches: Mapped[list] = mapped_column(JSON, default=list)
    national_overlap: Mapped[bool] = mapped_column(default=False)  # an in-force national spec above the bar
    reason: Mapped[str | None] = mapped_column(Text)  # the proposer's reason for the overlap
