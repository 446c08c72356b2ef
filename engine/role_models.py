"""Tables of the duty rules: declared conflicts of interest (BR4) and the specification facts an
instance carries (BR3, BR7) until the specification registry becomes their source."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, _now


class ConflictDeclaration(Base):
    """A user's declared conflict of interest with one specification (回避); never withdrawn."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("user_id", "specification", name="uq_conflict_user_spec"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    specification: Mapped[str] = mapped_column(String(100), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(default=_now)


class InstanceFact(Base):
    """One fact per row (``drafter``/``drafting_unit``/``livelihood``), so the inbox can filter on it in SQL."""

    __tablename__ = "instance_facts"

    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
