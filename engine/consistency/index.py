"""Keep the full-text index in step with the specification registry: every flush that adds a specification or
changes what is searched of it (title, proposal, filed text) rewrites its search document in the same
transaction, so a rollback takes the index change with it."""
from __future__ import annotations

from sqlalchemy import insert, inspect, select, text, update
from sqlalchemy.orm import Session

from engine.consistency import tokenizer
from engine.consistency.models import SearchDocument
from engine.specifications.models import Specification

SEARCHED = ("title", "proposal", "documents")
FIELDS = ("title", "quantity", "field", "scope")

_SQLITE_DELETE = text("DELETE FROM spec_search_fts WHERE rowid = :id")
_SQLITE_INSERT = text("INSERT INTO spec_search_fts (rowid, title, quantity, field, scope) "
                      "VALUES (:id, :title, :quantity, :field, :scope)")
# the terms are already segmented: array_to_tsvector takes them as lexemes, bypassing PostgreSQL's parser
_PG_UPDATE = text("UPDATE spec_search_documents SET document = "
                  "setweight(array_to_tsvector(string_to_array(:title, ' ')), 'A') || "
                  "setweight(array_to_tsvector(string_to_array(:quantity, ' ')), 'A') || "
                  "setweight(array_to_tsvector(string_to_array(:field, ' ')), 'C') || "
                  "setweight(array_to_tsvector(string_to_array(:scope, ' ')), 'D') WHERE id = :id")


def searched_text(spec: Specification) -> dict[str, str]:
    """What is searched of a specification, per field, as it stands."""
    proposal = spec.proposal or {}
    filed = (spec.documents or {}).get("filing") or {}
    scope = " ".join(str(v) for v in (proposal.get("application_scope"), filed.get("text")) if v)
    return {"title": spec.title or "", "quantity": str(proposal.get("measured_quantity") or ""),
            "field": str(proposal.get("field") or ""), "scope": scope}


def document_terms(spec: Specification) -> dict[str, str]:
    return {name: tokenizer.joined(value) for name, value in searched_text(spec).items()}


def sync(session: Session, spec: Specification) -> None:
    """Write the search document of ``spec`` and its full-text row. Core statements on the session's connection,
    so it may run while the session flushes."""
    values = document_terms(spec)
    table = SearchDocument.__table__
    connection = session.connection()
    doc_id = connection.scalar(select(table.c.id).where(table.c.spec_id == spec.id))
    row = {**values, "updated_at": spec.updated_at}
    if doc_id is None:
        doc_id = connection.execute(insert(table).values(spec_id=spec.id, **row)).inserted_primary_key[0]
    else:
        connection.execute(update(table).where(table.c.id == doc_id).values(**row))
    write_fulltext(session, doc_id, values)


def write_fulltext(session: Session, doc_id: int, values: dict[str, str]) -> None:
    connection = session.connection()
    params = {"id": doc_id, **{name: values[name] for name in FIELDS}}
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_UPDATE, params)
    else:
        connection.execute(_SQLITE_DELETE, {"id": doc_id})
        connection.execute(_SQLITE_INSERT, params)


def _changed(spec: Specification) -> bool:
    state = inspect(spec)
    return state.pending or any(state.attrs[name].history.has_changes() for name in SEARCHED)


def _before_flush(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault("consistency_pending", set())
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Specification) and _changed(obj):
            pending.add(obj)


def _after_flush_postexec(session: Session, _context) -> None:
    pending = session.info.pop("consistency_pending", set())
    for spec in pending:
        sync(session, spec)


def attach(db) -> None:
    """Index the specifications of ``db``'s sessions (an engine.db.session Database) as they change."""
    db.listen("before_flush", _before_flush)
    db.listen("after_flush_postexec", _after_flush_postexec)


def rebuild(session: Session) -> int:
    """Index every specification again (after a restore, or for a database indexed before 0017)."""
    count = 0
    for spec in session.scalars(select(Specification).order_by(Specification.id)):
        sync(session, spec)
        count += 1
    return count


def backfill(session: Session) -> int:
    """Index the specifications that have no search document yet (a database upgraded past 0017 with a registry
    already in it); nothing to do on a database the engine has kept indexed."""
    indexed = select(SearchDocument.spec_id)
    missing = select(Specification).where(~Specification.id.in_(indexed)).order_by(Specification.id)
    count = 0
    for spec in session.scalars(missing):
        sync(session, spec)
        count += 1
    return count
