"""Documents of an instance or task: drafts, explanatory notes, test and uncertainty reports, minutes,
comment tables. The bytes go to ``document_blobs`` (once per content hash); the sha256 is recorded in the
instance's history (``document_uploaded``) so an audit proves which file was reviewed and approved.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import assignment
from engine.access.actors import Actor
from engine.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from engine.history import log as history
from engine.notices.models import Document, DocumentBlob, Notice, NoticeDocument
from engine.runtime.models import Instance, Task

MAX_BYTES_ENV = "MTCFLOW_DOCUMENT_MAX_BYTES"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ENDED = ("completed", "cancelled")
OPEN_TASK = ("ready", "claimed")

# content type -> (file extensions, magic prefixes; None: text that must decode as UTF-8)
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
TYPES: dict[str, tuple[tuple[str, ...], tuple[bytes, ...] | None]] = {
    "application/pdf": ((".pdf",), (b"%PDF-",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ((".docx",), _ZIP),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ((".xlsx",), _ZIP),
    "application/vnd.oasis.opendocument.text": ((".odt",), _ZIP),
    "application/vnd.oasis.opendocument.spreadsheet": ((".ods",), _ZIP),
    "application/msword": ((".doc",), _OLE),
    "application/vnd.ms-excel": ((".xls",), _OLE),
    "image/png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "text/plain": ((".txt",), None),
    "text/csv": ((".csv",), None),
}


@dataclass(frozen=True)
class DocumentPolicy:
    """What an upload may be: its size and its type (declared type, extension and content must agree)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    types: frozenset[str] = field(default_factory=lambda: frozenset(TYPES))

    @classmethod
    def from_settings(cls, settings) -> DocumentPolicy:
        extra = getattr(settings, "extra", None) or {}
        max_bytes = extra.get("document_max_bytes") or os.environ.get(MAX_BYTES_ENV) or DEFAULT_MAX_BYTES
        types = extra.get("document_types")
        return cls(int(max_bytes), frozenset(types) if types else frozenset(TYPES))


def too_large(policy: DocumentPolicy) -> TooLarge:
    return TooLarge(f"Documents may be at most {policy.max_bytes} bytes ({policy.max_bytes / 1048576:.1f} MiB).",
                    [{"field": "file", "message": "too large"}], max_bytes=policy.max_bytes)


def clean_filename(name: str | None) -> str:
    """The last path component, without control characters, at most 255 characters."""
    name = PureWindowsPath(PurePosixPath(name or "").name).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip()
    name = re.sub(r"\s+", " ", name).strip(". ")
    if not name:
        raise InvalidInput("The file needs a name.", [{"field": "file", "message": "no filename"}])
    stem, dot, ext = name.rpartition(".")
    return name if len(name) <= 255 else (stem[:254 - len(ext)] + dot + ext if dot else name[:255])


def check_content(policy: DocumentPolicy, filename: str, content_type: str | None, body: bytes) -> str:
    """The content type to store; refuses sizes, types and contents the policy does not allow."""
    if len(body) > policy.max_bytes:
        raise too_large(policy)
    if not body:
        raise InvalidInput("The file is empty.", [{"field": "file", "message": "empty"}])
    ext = os.path.splitext(filename)[1].lower()
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared in ("", "application/octet-stream"):
        declared = next((t for t, (exts, _) in TYPES.items() if ext in exts), declared)
    allowed = sorted(policy.types)
    if declared not in policy.types or declared not in TYPES:
        raise InvalidInput(f"Documents of type '{declared or 'unknown'}' are not accepted; accepted: "
                           f"{', '.join(allowed)}.", [{"field": "file", "message": "type not accepted"}],
                           accepted=allowed)
    extensions, magics = TYPES[declared]
    if ext not in extensions:
        raise InvalidInput(f"A {declared} file must be named *{' or *'.join(extensions)}, not '{filename}'.",
                           [{"field": "file", "message": "extension does not match the type"}])
    if magics is None:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"A {declared} document must be UTF-8 text.",
                               [{"field": "file", "message": "not UTF-8 text"}]) from None
    elif not body.startswith(magics):
        raise InvalidInput(f"The content of '{filename}' is not a {declared} file.",
                           [{"field": "file", "message": "content does not match the type"}])
    return declared


def upload(session: Session, runtime, actor: Actor, policy: DocumentPolicy, instance_id: str,
           filename: str | None, content_type: str | None, body: bytes, task_id: str | None = None,
           description: str | None = None) -> Document:
    """Store a document on an instance (or one of its open tasks) and record its hash in the history."""
    actor = assignment.current(session, actor)
    assignment.require_writer(actor)
    task = None
    if task_id is not None:
        task = assignment.visible_task(session, actor, task_id)
        instance_id = task.instance_id
    instance = assignment.visible_instance(session, actor, instance_id)
    instance = runtime.lock_instance(session, instance.id)
    if task is not None:
        if task.state not in OPEN_TASK:
            raise Conflict(f"Task '{task.name or task.element_id}' is {task.state}; documents go to open tasks.")
        if not actor.is_system:
            assignment.require_can_work(session, actor, task, instance)
            assignment.require_holder(actor, task)
    elif instance.state in ENDED:
        raise Conflict(f"The instance is {instance.state}; documents go to running instances.")
    elif not actor.is_system and not assignment.acting_any(actor, instance) \
            and instance.started_by != actor.username:
        raise Forbidden("Documents of this instance are uploaded by the roles of its scope.",
                                   rule="scope")
    filename = clean_filename(filename)
    stored_type = check_content(policy, filename, content_type, body)
    sha = hashlib.sha256(body).hexdigest()
    if session.get(DocumentBlob, sha) is None:
        session.add(DocumentBlob(sha256=sha, size=len(body), body=body, created_at=clock.now()))
        session.flush()
    document = Document(instance_id=instance.id, task_id=task.id if task else None, filename=filename,
                        content_type=stored_type, size=len(body), sha256=sha,
                        description=(description or "").strip()[:500] or None, uploaded_by=actor.username,
                        uploaded_at=clock.now())
    session.add(document)
    session.flush()
    history.record(session, instance, "document_uploaded", actor=actor.username, process_key=instance.process_key,
                   process_version=instance.process_version, element_id=task.element_id if task else None,
                   task_id=task.id if task else None,
                   data={"document_id": document.id, "filename": filename, "content_type": stored_type,
                         "size": len(body), "sha256": sha})
    return document


def of_instance(session: Session, actor: Actor, instance_id: str) -> list[Document]:
    instance = assignment.visible_instance(session, assignment.current(session, actor), instance_id)
    return list(session.scalars(select(Document).where(Document.instance_id == instance.id)
                                .order_by(Document.id)))


def of_task(session: Session, actor: Actor, task_id: str) -> list[Document]:
    task: Task = assignment.visible_task(session, assignment.current(session, actor), task_id)
    return list(session.scalars(select(Document).where(Document.task_id == task.id).order_by(Document.id)))


def visible(session: Session, actor: Actor, document_id: int) -> Document:
    """A document of an instance the caller may see (404 otherwise, as if it did not exist)."""
    document = session.get(Document, document_id)
    instance = session.get(Instance, document.instance_id) if document else None
    if document is None or not assignment.can_see(session, assignment.current(session, actor), instance):
        raise NotFound(f"No document {document_id}.")
    return document


def published(session: Session, notice_id: int, document_id: int) -> Document:
    """A document a notice links: anyone may download it."""
    link = session.get(NoticeDocument, (notice_id, document_id))
    if link is None or session.get(Notice, notice_id) is None:
        raise NotFound(f"Notice {notice_id} has no document {document_id}.")
    return session.get(Document, document_id)


def content(session: Session, document: Document) -> bytes:
    return session.get(DocumentBlob, document.sha256).body
