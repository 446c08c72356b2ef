"""Documents a specification phase hands in (drafts, notes, reports, minutes): checked to belong to this
specification and recorded in the registry with their sha256, so the registry says which file was reviewed
and approved."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.notices.models import Document, DocumentBlob
from engine.publication.models import PublishedText
from engine.runtime.models import Instance
from engine.specifications.models import Specification


def check(session: Session, instance: Instance, spec: Specification, ids, field: str) -> list[dict]:
    """``ids`` (one id or a list) must be documents uploaded to this instance or to another instance of the
    same specification; returns ``[{"id", "filename", "sha256"}]``."""
    if ids in (None, "", []):
        return []
    ids = ids if isinstance(ids, list) else [ids]
    found = []
    for raw in ids:
        try:
            document_id = int(raw)
        except (TypeError, ValueError):
            raise InvalidInput(f"'{field}': {raw!r} is not a document id.", [{"field": field}]) from None
        document = session.get(Document, document_id)
        owner = session.scalar(select(Instance.specification).where(Instance.id == document.instance_id)) \
            if document is not None else None
        if document is None or (document.instance_id != instance.id and owner != spec.id):
            raise InvalidInput(f"'{field}': document {document_id} is not a document of specification {spec.id}; "
                               "upload it to this task first.", [{"field": field, "message": "unknown document"}])
        found.append({"id": document.id, "filename": document.filename, "sha256": document.sha256})
    return found


def attach(spec: Specification, phase: str, entries: dict[str, list[dict]]) -> None:
    """Keep what a phase handed in under ``documents[phase]`` (a new dict, so the JSON column is saved)."""
    documents = dict(spec.documents or {})
    documents[phase] = {k: v for k, v in entries.items() if v}
    spec.documents = documents


def disclose(session: Session, spec: Specification, announcement_id: int | None, at) -> PublishedText | None:
    """全文公开: keep the approved document (the last 报批稿 of the approval phase) as the specification's public
    full text, with its sha256 and its text for search; nothing for a confidential specification (BR12)."""
    drafts = ((spec.documents or {}).get("approval") or {}).get("报批稿") or []
    if spec.confidential or not drafts:
        return None
    document = session.get(Document, drafts[-1]["id"])
    blob = session.get(DocumentBlob, document.sha256)
    text = blob.body.decode("utf-8", errors="replace") if (document.content_type or "").startswith("text/") else None
    row = session.get(PublishedText, spec.id) or PublishedText(spec_id=spec.id)
    row.document_id, row.filename, row.content_type = document.id, document.filename, document.content_type
    row.sha256, row.text, row.announcement_notice_id, row.published_at = document.sha256, text, announcement_id, at
    session.add(row)
    return row
