"""The notice registry: public notices (公示, 征求意见) that processes open and close, and their comments.

A process opens a notice with the service ``notice_open``, waits with a timer on the same rule-profile key
as the window (``comment_window``), then calls ``notice_close``, which returns the comments received so
the deciding task sees them (BR12). Anyone may read open and recent notices and comment while the window
is open (``opens_at`` ≤ now < ``closes_at``); the HTTP side is api/routes/notices.py.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.access.scopes import SCOPE_VARIABLES
from engine.errors import Conflict, InvalidInput, NotFound
from engine.history import log as history
from engine.notices.models import Document, Notice, NoticeComment, NoticeDocument
from engine.rules.expressions import TimerExpressionError, resolve
from engine.rules.profiles import ProfileError, selector
from engine.runtime.models import Instance

KINDS = ("establishment", "composition", "project", "comment_draft", "abolition", "approval", "revocation")
KIND_TITLES = {"establishment": "筹建公示", "composition": "组建方案公示", "project": "立项公示",
               "comment_draft": "征求意见", "abolition": "废止公示", "approval": "批准发布公告",
               "revocation": "撤销公示"}
ANNOUNCEMENT_KINDS = ("approval",)  # 公告: published, not put up for comment
COMMENT_KINDS = ("comment", "objection")
STATUSES = ("open", "closed")
RECENT_DAYS = 90  # closed notices stay on the public list this long
PUBLIC_ACTOR = "public"
TEXT_MAX = 5000
MAX_DOCUMENTS = 50
ENDED_STATES = ("completed", "cancelled")  # as engine.runtime.actions; a notice of an ended process is withdrawn


def open_request(kind: str, window: str, subject: str, ref: str, document_ids: list[int] | None = None) -> dict:
    """The variables the ``notice_open`` service reads, as a parameters service hands them to it."""
    return {"notice_kind": kind, "notice_window": window, "notice_subject": subject, "notice_ref": ref,
            "notice_document_ids": list(document_ids or [])}


def text_variable(data: dict, name: str, max_length: int, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"The service needs the variable '{name}'.", [{"field": name, "message": "required"}])
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InvalidInput(f"Variable '{name}' must be text.", [{"field": name, "message": "not text"}])
    value = str(value).strip()
    if len(value) > max_length:
        raise InvalidInput(f"Variable '{name}' is longer than {max_length} characters.",
                           [{"field": name, "message": "too long"}])
    return value


def window_end(window: str, level: str | None, jurisdiction: str | None, now: datetime) -> tuple[datetime, dict]:
    """When a window named by a profile key (or a duration such as ``P30D`` / ``P20WD``) that starts now
    ends, resolved exactly as a timer with that value in the same instance resolves it."""
    try:
        resolved = resolve(window, "due", selector(level, jurisdiction), now)
    except (TimerExpressionError, ProfileError, ValueError) as err:
        raise InvalidInput(f"notice_window {window!r}: {err}",
                           [{"field": "notice_window", "message": str(err)}]) from err
    if resolved is None or resolved.due is None:
        raise InvalidInput(f"notice_window {window!r} is not a rule-profile key or a duration.",
                           [{"field": "notice_window", "message": "not a time rule"}])
    if resolved.due <= now:
        raise InvalidInput(f"notice_window {window!r} ends at once; a notice needs a window.",
                           [{"field": "notice_window", "message": "empty window"}])
    return resolved.due, resolved.note or {"expression": window}


def document_ids(value) -> list[int]:
    if value in (None, "", []):
        return []
    if isinstance(value, int | str):
        value = [value]
    if not isinstance(value, list) or len(value) > MAX_DOCUMENTS:
        raise InvalidInput(f"notice_document_ids must be a list of at most {MAX_DOCUMENTS} document ids.",
                           [{"field": "notice_document_ids", "message": "not a list of ids"}])
    ids = []
    for item in value:
        try:
            ids.append(int(item))
        except (TypeError, ValueError):
            raise InvalidInput(f"notice_document_ids: {item!r} is not a document id.",
                               [{"field": "notice_document_ids", "message": "not an id"}]) from None
    return list(dict.fromkeys(ids))


def _linkable(document: Document, owner: Instance | None, instance_id: str, scope: dict) -> bool:
    """A notice may publish documents of its own instance, or of an instance about the same specification
    (or, for committee notices, the same committee): a process handing over to the next."""
    if document.instance_id == instance_id:
        return True
    if owner is None:
        return False
    if scope["specification"]:
        return owner.specification == scope["specification"]
    return bool(scope["committee"]) and owner.committee == scope["committee"] and not owner.specification


def scope_of(instance: Instance, data: dict) -> dict:
    """The instance's scope as the process sees it now: a service earlier in the same action (``spec_register``)
    may have set ``spec_id`` or ``committee_code``, which reach the instance row only when the action ends."""
    return {column: data.get(variable) if isinstance(data.get(variable), str) and data.get(variable).strip()
            else getattr(instance, column) for column, variable in SCOPE_VARIABLES.items()}


def open_notice(session: Session, instance: Instance, actor: str | None, kind: str, subject: str, window: str,
                ref: str | None, document_ids: list[int], scope: dict | None = None,
                content: dict | None = None) -> Notice:
    """Open a notice now; its window ends as a timer on ``window`` in this instance ends (the instance's level
    and jurisdiction as the workflow was loaded, which is what the diagram's timer reads)."""
    scope = scope or scope_of(instance, {})
    if kind not in KINDS:
        raise InvalidInput(f"notice_kind must be one of {', '.join(KINDS)}, not {kind!r}.",
                           [{"field": "notice_kind", "message": "unknown kind"}])
    now = clock.now()
    closes_at, note = window_end(window, instance.level, instance.jurisdiction, now)
    documents = []
    for document_id in document_ids:
        document = session.get(Document, document_id)
        if document is None:
            raise InvalidInput(f"notice_document_ids: no document {document_id}.",
                               [{"field": "notice_document_ids", "message": f"no document {document_id}"}])
        if not _linkable(document, session.get(Instance, document.instance_id), instance.id, scope):
            raise InvalidInput(f"Document {document_id} belongs to another committee or specification and "
                               "cannot be published with this notice.",
                               [{"field": "notice_document_ids", "message": f"document {document_id} not linkable"}])
        documents.append(document)
    notice = Notice(kind=kind, subject=subject, ref=ref or scope["specification"] or scope["committee"],
                    level=scope["level"], jurisdiction=scope["jurisdiction"], committee=scope["committee"],
                    specification=scope["specification"], instance_id=instance.id,
                    process_key=instance.process_key, window_key=window, window_rule=note, status="open",
                    opens_at=now, closes_at=closes_at, created_at=now, created_by=actor, content=content)
    session.add(notice)
    session.flush()
    for document in documents:
        session.add(NoticeDocument(notice_id=notice.id, document_id=document.id))
        if document.published_at is None:
            document.published_at = now
    history.record(session, instance, "notice_opened", actor=actor, process_key=instance.process_key,
                   process_version=instance.process_version,
                   data={"notice_id": notice.id, "kind": kind, "subject": subject, "ref": notice.ref,
                         "window": window, "opens_at": now.isoformat(), "closes_at": closes_at.isoformat(),
                         "documents": [{"id": d.id, "sha256": d.sha256} for d in documents],
                         "content_sha256": _content_hash(content)})
    session.flush()
    return notice


def _content_hash(content: dict | None) -> str | None:
    """The history keeps the hash of what the public was shown, so a later edit of the row would show."""
    if not content:
        return None
    body = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def announce(session: Session, instance: Instance, actor: str | None, kind: str, subject: str, ref: str | None,
             content: dict, scope: dict) -> Notice:
    """Publish an announcement (公告, e.g. 批准发布): on the board from now, closed to comments from the start,
    since it informs of a decision rather than asking for opinions."""
    if kind not in ANNOUNCEMENT_KINDS:
        raise InvalidInput(f"{kind!r} is not an announcement kind.", [{"field": "notice_kind", "message": "not"}])
    now = clock.now()
    notice = Notice(kind=kind, subject=subject, ref=ref, level=scope["level"], jurisdiction=scope["jurisdiction"],
                    committee=scope["committee"], specification=scope["specification"], instance_id=instance.id,
                    process_key=instance.process_key, window_key="announcement", window_rule=None,
                    status="closed", opens_at=now, closes_at=now, closed_at=now, closed_by=actor, created_at=now,
                    created_by=actor, content=content)
    session.add(notice)
    session.flush()
    history.record(session, instance, "announcement_published", actor=actor, process_key=instance.process_key,
                   process_version=instance.process_version,
                   data={"notice_id": notice.id, "kind": kind, "subject": subject, "ref": ref,
                         "content_sha256": _content_hash(content)})
    return notice


def comments_of(session: Session, notice_id: int) -> list[NoticeComment]:
    return list(session.scalars(select(NoticeComment).where(NoticeComment.notice_id == notice_id)
                                .order_by(NoticeComment.at, NoticeComment.id)))


def comment_view(comment: NoticeComment) -> dict:
    """A comment as the deciding task sees it (and the public board shows it)."""
    return {"id": comment.id, "author": comment.author, "unit": comment.unit, "kind": comment.kind,
            "text": comment.text, "at": comment.at.isoformat()}


def close_notice(session: Session, notice: Notice, actor: str | None, instance: Instance | None) -> dict:
    """Close a notice (idempotent) and return its comments for the process."""
    if notice.status != "closed":
        notice.status, notice.closed_at, notice.closed_by = "closed", clock.now(), actor
    comments = comments_of(session, notice.id)
    result = {"notice_comment_count": len(comments),
              "notice_objection_count": sum(1 for c in comments if c.kind == "objection"),
              "notice_comments": [comment_view(c) for c in comments]}
    if instance is not None:
        history.record(session, instance, "notice_closed", actor=actor, process_key=instance.process_key,
                       process_version=instance.process_version,
                       data={"notice_id": notice.id, "comments": result["notice_comment_count"],
                             "objections": result["notice_objection_count"],
                             "comment_sha256": [c.sha256 for c in comments]})
    session.flush()
    return result


# ----- the public board ----------------------------------------------------------------------------
def phase(notice: Notice, now: datetime | None = None, instance_state: str | None = None) -> str:
    """``upcoming``, ``open`` (accepting comments), ``ended`` (window over, not yet closed), ``closed``,
    ``withdrawn`` (its process ended without closing it, e.g. cancelled), or ``announced`` (a 公告)."""
    now = now or clock.now()
    if notice.kind in ANNOUNCEMENT_KINDS:
        return "announced"
    if notice.status == "closed":
        return "closed"
    if instance_state in ENDED_STATES:
        return "withdrawn"
    if now < notice.opens_at:
        return "upcoming"
    return "open" if now < notice.closes_at else "ended"


@dataclass(frozen=True)
class NoticeFilter:
    kind: str | None = None
    status: str | None = None  # open | closed; none: open and recent
    ref: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    committee: str | None = None
    specification: str | None = None
    instance_id: str | None = None


def list_notices(session: Session, filters: NoticeFilter, page: int, per_page: int,
                 recent_days: int = RECENT_DAYS) -> tuple[list[Notice], int]:
    now = clock.now()
    query = select(Notice).outerjoin(Instance, Instance.id == Notice.instance_id)
    for column in ("kind", "ref", "level", "jurisdiction", "committee", "specification", "instance_id"):
        value = getattr(filters, column)
        if value:
            query = query.where(getattr(Notice, column) == value)
    live = (Notice.status == "open") & or_(Instance.id.is_(None), Instance.state.not_in(ENDED_STATES))
    accepting = live & (Notice.opens_at <= now) & (Notice.closes_at > now)
    if filters.status == "open":
        query = query.where(accepting)
    elif filters.status == "closed":
        query = query.where(~accepting)
    if not filters.instance_id and not filters.ref:  # the board: open and recent
        cutoff = now - timedelta(days=recent_days)
        query = query.where(or_(live, Notice.closed_at >= cutoff, Instance.ended_at >= cutoff))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(Notice.opens_at.desc(), Notice.id.desc())
                           .limit(per_page).offset((page - 1) * per_page))
    return list(rows), total or 0


def instance_states(session: Session, notices: list[Notice]) -> dict[str, str]:
    """The state of each notice's instance, in one query (a cancelled process withdraws its open notice)."""
    ids = {n.instance_id for n in notices if n.instance_id}
    if not ids:
        return {}
    return dict(session.execute(select(Instance.id, Instance.state).where(Instance.id.in_(ids))).all())


def get_notice(session: Session, notice_id: int, lock: bool = False) -> Notice:
    notice = session.get(Notice, notice_id, with_for_update=lock)
    if notice is None:
        raise NotFound(f"No notice {notice_id}.")
    return notice


def comment_counts(session: Session, notice_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not notice_ids:
        return {}
    rows = session.execute(select(NoticeComment.notice_id, NoticeComment.kind, func.count())
                           .where(NoticeComment.notice_id.in_(notice_ids))
                           .group_by(NoticeComment.notice_id, NoticeComment.kind))
    counts: dict[int, list[int]] = {}
    for notice_id, kind, count in rows:
        entry = counts.setdefault(notice_id, [0, 0])
        entry[0] += count
        if kind == "objection":
            entry[1] += count
    return {k: (v[0], v[1]) for k, v in counts.items()}


def linked_documents(session: Session, notice_id: int) -> list[Document]:
    return list(session.scalars(select(Document).join(NoticeDocument, NoticeDocument.document_id == Document.id)
                                .where(NoticeDocument.notice_id == notice_id).order_by(Document.id)))


def _comment_hash(notice_id: int, kind: str, author: str, unit: str | None, contact: str | None, text: str,
                  at: datetime) -> str:
    body = json.dumps([notice_id, kind, author, unit, contact, text, at.isoformat()], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def add_comment(session: Session, notice_id: int, kind: str, author: str, unit: str | None, contact: str | None,
                text: str, lock_instance=None) -> NoticeComment:
    """A public comment, accepted only while the window is open; recorded in the instance's history.

    ``lock_instance(session, id)`` serializes the history append with the instance's own actions."""
    notice = get_notice(session, notice_id)
    instance = None
    if notice.instance_id and lock_instance is not None:
        instance = lock_instance(session, notice.instance_id)  # the instance first, as every action does
    notice = get_notice(session, notice_id, lock=True)
    if instance is None and notice.instance_id:
        instance = session.get(Instance, notice.instance_id)
    now = clock.now()
    state = phase(notice, now, instance.state if instance is not None else None)
    if state == "announced":
        raise Conflict(f"Notice {notice_id} is an announcement (公告) of a decision; it takes no comments.",
                       notice_id=notice_id, notice_phase=state)
    if state == "withdrawn":
        raise Conflict(f"Notice {notice_id} was withdrawn: its process ended ({instance.state}); comments are no "
                       "longer accepted.", notice_id=notice_id, notice_phase=state)
    if state == "upcoming":
        raise Conflict(f"The comment window of notice {notice_id} opens at {notice.opens_at.isoformat()}.",
                       notice_id=notice_id, opens_at=notice.opens_at.isoformat(), notice_phase=state)
    if state != "open":
        ended = notice.closes_at if state == "ended" else min(notice.closed_at or notice.closes_at, notice.closes_at)
        raise Conflict(f"The comment window of notice {notice_id} closed at {ended.isoformat()}; comments are no "
                       "longer accepted.", notice_id=notice_id, closes_at=ended.isoformat(), notice_phase=state)
    comment = NoticeComment(notice_id=notice_id, kind=kind, author=author, unit=unit, contact=contact, text=text,
                            at=now, sha256=_comment_hash(notice_id, kind, author, unit, contact, text, now))
    session.add(comment)
    session.flush()
    if instance is not None:
        history.record(session, instance, "notice_comment_received", actor=PUBLIC_ACTOR,
                       process_key=instance.process_key, process_version=instance.process_version,
                       data={"notice_id": notice_id, "comment_id": comment.id, "kind": kind,
                             "sha256": comment.sha256})
    return comment
