"""The services diagrams call to open and close a public notice (the contract of the lifecycle issue).

``notice_open``: ``notice_kind``, ``notice_subject``, ``notice_window`` (a rule-profile key), ``notice_ref``,
optional ``notice_document_ids`` → ``notice_id``, ``notice_closes_at``. The diagram then waits with a timer on
the same key and calls ``notice_close``: ``notice_id`` → ``notice_comment_count``, ``notice_objection_count``,
``notice_comments`` (BR12: the deciding task sees every comment and objection).
"""
from __future__ import annotations

from ..errors import Conflict, InvalidInput
from ..service_tasks import ServiceContext, service
from .notice_models import Notice
from .notices import close_notice, document_ids, open_notice, scope_of, text_variable


@service("notice_open")
def notice_open_service(ctx: ServiceContext, data: dict) -> dict:
    """Inputs ``notice_kind``, ``notice_subject``, ``notice_window`` (profile key), ``notice_ref``, optional
    ``notice_document_ids``; returns ``notice_id`` and ``notice_closes_at`` (ISO 8601)."""
    kind = text_variable(data, "notice_kind", 30)
    subject = text_variable(data, "notice_subject", 500)
    window = text_variable(data, "notice_window", 200)
    ref = text_variable(data, "notice_ref", 100, required=False)
    notice = open_notice(ctx.session, ctx.instance, getattr(ctx.actor, "username", None), kind, subject, window,
                         ref, document_ids(data.get("notice_document_ids")), scope_of(ctx.instance, data))
    return {"notice_id": notice.id, "notice_closes_at": notice.closes_at.isoformat()}


@service("notice_close")
def notice_close_service(ctx: ServiceContext, data: dict) -> dict:
    """Input ``notice_id``; returns ``notice_comment_count``, ``notice_objection_count``, ``notice_comments``."""
    try:
        notice_id = int(data.get("notice_id"))
    except (TypeError, ValueError):
        raise InvalidInput("notice_close needs the variable 'notice_id' (set by notice_open).",
                           [{"field": "notice_id", "message": "required"}]) from None
    notice = ctx.session.get(Notice, notice_id, with_for_update=True)
    if notice is None:
        raise InvalidInput(f"notice_close: no notice {notice_id}.", [{"field": "notice_id", "message": "unknown"}])
    if notice.instance_id not in (None, ctx.instance.id):
        raise Conflict(f"Notice {notice_id} belongs to another instance.")
    return close_notice(ctx.session, notice, getattr(ctx.actor, "username", None), ctx.instance)
