"""Declared conflicts of interest (BR4): a reviewer declares one per specification and is excluded from
its review duties from then on. Declarations are permanent: withdrawing one would let a reviewer pick
which reviews to sit out."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.models import ConflictDeclaration, User
from engine.errors import InvalidInput
from engine.history import log as history


def declare(session: Session, user: User, specification: str, reason: str) -> tuple[ConflictDeclaration, bool]:
    """Record the declaration with its time and reason; declaring again returns the first one."""
    specification, reason = (specification or "").strip(), (reason or "").strip()
    if not specification or len(specification) > 100:
        raise InvalidInput("A specification id of 1–100 characters is required.",
                           [{"field": "specification", "message": "invalid"}])
    if not reason:
        raise InvalidInput("Say why you have a conflict of interest.", [{"field": "reason", "message": "required"}])
    existing = session.scalar(select(ConflictDeclaration).where(ConflictDeclaration.user_id == user.id,
                                                                ConflictDeclaration.specification == specification))
    if existing is not None:
        return existing, False
    row = ConflictDeclaration(user_id=user.id, specification=specification, reason=reason, declared_at=clock.now())
    session.add(row)
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "conflict_declared", actor=user.username,
                   data={"user": user.username, "specification": specification, "reason": reason})
    return row, True


def has(session: Session, username: str, specification: str | None) -> bool:
    if not specification:
        return False
    return session.scalar(select(ConflictDeclaration.id).join(User, User.id == ConflictDeclaration.user_id)
                          .where(User.username == username, ConflictDeclaration.specification == specification)
                          .limit(1)) is not None


def specs_of(session: Session, username: str) -> list[str]:
    return list(session.scalars(select(ConflictDeclaration.specification)
                                .join(User, User.id == ConflictDeclaration.user_id)
                                .where(User.username == username).order_by(ConflictDeclaration.specification)))


def of_specification(session: Session, specification: str, username: str | None = None) -> list[dict]:
    """Declarations for one specification (only ``username``'s when given)."""
    query = (select(ConflictDeclaration, User.username).join(User, User.id == ConflictDeclaration.user_id)
             .where(ConflictDeclaration.specification == specification)
             .order_by(ConflictDeclaration.declared_at, ConflictDeclaration.id))
    if username is not None:
        query = query.where(User.username == username)
    return [view(row, name) for row, name in session.execute(query)]


def view(row: ConflictDeclaration, username: str) -> dict:
    return {"specification": row.specification, "username": username, "reason": row.reason,
            "declared_at": row.declared_at}
