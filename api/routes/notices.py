"""The public notice board (公示): notices, their published documents and public comments, without login.

Reading is open to anyone; a comment or objection is accepted while the window is open, rate-limited per
client address. The committee's staff read the comments with contacts through the authenticated route.
"""
from __future__ import annotations

import io

from flask import send_file
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.notices import (
    DOWNLOAD_RESPONSES,
    CommentRequest,
    CommentSchema,
    NoticeListArgs,
    NoticePageSchema,
    NoticeSchema,
    StaffCommentListSchema,
)
from api.security import ratelimit
from api.security.auth import authenticated, current_actor, engine
from api.views import page_payload
from engine import clock
from engine.access import assignment, scopes
from engine.errors import NotFound
from engine.notices import board as notices
from engine.notices import content as notice_content
from engine.notices import documents
from engine.notices.models import Document, Notice, NoticeComment
from engine.runtime.models import Instance

blp = Blueprint("notices", __name__, description="公示与意见 · Public notices and comments (no login)")
API = "/api/v1"


def public_document(notice_id: int, d: Document) -> dict:
    return {"id": d.id, "filename": d.filename, "content_type": d.content_type, "size": d.size,
            "sha256": d.sha256, "published_at": d.published_at,
            "url": f"{API}/notices/{notice_id}/documents/{d.id}"}


def notice_view(session, n: Notice, counts: tuple[int, int] | None = None, states: dict | None = None) -> dict:
    now = clock.now()
    states = notices.instance_states(session, [n]) if states is None else states
    phase = notices.phase(n, now, states.get(n.instance_id))
    if counts is None:
        counts = notices.comment_counts(session, [n.id]).get(n.id, (0, 0))
    view = {"id": n.id, "kind": n.kind, "kind_title": notices.KIND_TITLES.get(n.kind, n.kind),
            "subject": n.subject, "ref": n.ref, "level": n.level, "jurisdiction": n.jurisdiction,
            "committee": n.committee, "specification": n.specification,
            "status": "open" if phase == "open" else "closed", "phase": phase, "window": n.window_key,
            "opens_at": n.opens_at, "closes_at": n.closes_at, "closed_at": n.closed_at,
            "comment_count": counts[0], "objection_count": counts[1], "content": n.content or {},
            "content_labels": notice_content.LABELS if n.content else {},
            "documents": [public_document(n.id, d) for d in notices.linked_documents(session, n.id)]}
    return view


# Who answers the public: a comment's contact (phone, e-mail) is personal data the other members do not need.
CONTACT_READERS = ("secretariat", "secretary_general", "chair", "vice_chair", "authority")


def comment_view(c: NoticeComment, staff: bool = False) -> dict:
    view = {"id": c.id, "notice_id": c.notice_id, "kind": c.kind, "author": c.author, "unit": c.unit,
            "text": c.text, "at": c.at, "sha256": c.sha256}
    if staff:
        view["contact"] = c.contact
    return view


@blp.route("/notices")
class NoticesResource(MethodView):
    @blp.arguments(NoticeListArgs, location="query")
    @blp.response(200, NoticePageSchema)
    def get(self, args):
        """Open and recently closed notices, newest first (no login). Filter by kind, status (open/closed),
        ref (a committee code or specification id: all its notices), level and jurisdiction (an authority's
        own notices), committee, specification."""
        page, per_page = args.pop("page"), args.pop("per_page")
        with engine().db.transaction() as session:
            items, total = notices.list_notices(session, notices.NoticeFilter(**args), page, per_page)
            counts = notices.comment_counts(session, [n.id for n in items])
            states = notices.instance_states(session, items)
            return page_payload([notice_view(session, n, counts.get(n.id, (0, 0)), states) for n in items],
                                total, page, per_page)


@blp.route("/notices/<int:notice_id>")
class NoticeResource(MethodView):
    @blp.response(200, NoticeSchema)
    def get(self, notice_id):
        """One notice with its window, comment counts and published documents (no login)."""
        with engine().db.transaction() as session:
            return notice_view(session, notices.get_notice(session, notice_id))


@blp.route("/notices/<int:notice_id>/comments")
class CommentsResource(MethodView):
    @ratelimit.limiter.limit(ratelimit.comment_limit, scope="notice-comments")
    @blp.arguments(CommentRequest)
    @blp.response(201, CommentSchema)
    def post(self, body, notice_id):
        """Send a comment (意见) or an objection (异议) while the window is open (no login; rate-limited).
        Outside the window: 409 with the time it closed (or opens)."""
        eng = engine()
        with eng.db.transaction() as session:
            comment = notices.add_comment(session, notice_id, body["kind"], body["author"].strip(),
                                          (body.get("unit") or "").strip() or None,
                                          (body.get("contact") or "").strip() or None, body["text"].strip(),
                                          eng.runtime.lock_instance)
            return comment_view(comment)

    @authenticated(blp)
    @blp.response(200, StaffCommentListSchema)
    def get(self, notice_id):
        """Every comment, for those who may see the notice's instance; the senders' contacts only for the roles that
        handle the comments (secretariat, committee officers, the authority, auditors)."""
        with engine().db.transaction() as session:
            notice = notices.get_notice(session, notice_id)
            instance = session.get(Instance, notice.instance_id) if notice.instance_id else None
            actor = assignment.current(session, current_actor())
            if instance is None or not assignment.can_see(session, actor, instance):
                raise NotFound(f"No notice {notice_id} among yours.")
            handles = actor.is_auditor or any(g.role in CONTACT_READERS and scopes.covers(g, instance)
                                              for g in actor.grants)
            items = [comment_view(c, staff=handles) for c in notices.comments_of(session, notice_id)]
            return {"items": items, "total": len(items)}


@blp.route("/notices/<int:notice_id>/documents/<int:document_id>")
class PublishedDocumentResource(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    def get(self, notice_id, document_id):
        """Download a document the notice published (no login)."""
        with engine().db.transaction() as session:
            document = documents.published(session, notice_id, document_id)
            body = documents.content(session, document)
            return download(document, body)


def download(document: Document, body: bytes):
    response = send_file(io.BytesIO(body), mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename, etag=document.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Content-SHA256"] = document.sha256
    return response
