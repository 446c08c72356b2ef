"""The services diagrams call to open and close a public notice (the contract of the lifecycle issue).

``notice_open``: ``notice_kind``, ``notice_subject``, ``notice_window`` (a rule-profile key), ``notice_ref``,
optional ``notice_document_ids`` and ``notice_content`` (else the kind's builder in notice_content.py
fills it from the process) → ``notice_id``, ``notice_closes_at``. The diagram then waits with a timer on
the same key and calls ``notice_close``: ``notice_id`` → ``notice_comment_count``, ``notice_objection_count``,
``notice_comments`` (BR12: the deciding task sees every comment and objection).

The same pair is registered under other prefixes (``plan_notice_open`` reads ``plan_notice_kind`` … and writes
``plan_notice_id`` …): a process whose call activity opens a notice of its own (P1's establishment plan around
the composition's notice) keeps the two apart, since a call activity copies every variable in and out.
"""
from __future__ import annotations

from engine.bpmn.service_tasks import ServiceContext, service
from engine.errors import Conflict, InvalidInput
from engine.notices import content as notice_content
from engine.notices.board import close_notice, document_ids, open_notice, scope_of, text_variable
from engine.notices.models import Notice


def _open(prefix: str):
    def notice_open_service(ctx: ServiceContext, data: dict) -> dict:
        kind = text_variable(data, f"{prefix}_kind", 30)
        subject = text_variable(data, f"{prefix}_subject", 500)
        window = text_variable(data, f"{prefix}_window", 200)
        ref = text_variable(data, f"{prefix}_ref", 100, required=False)
        scope = scope_of(ctx.instance, data)
        content = notice_content.given(data.get(f"{prefix}_content")) \
            or notice_content.build(ctx.session, kind, data, scope)
        notice = open_notice(ctx.session, ctx.instance, getattr(ctx.actor, "username", None), kind, subject,
                             window, ref, document_ids(data.get(f"{prefix}_document_ids")), scope, content)
        return {f"{prefix}_id": notice.id, f"{prefix}_closes_at": notice.closes_at.isoformat()}
    notice_open_service.__doc__ = (f"Inputs ``{prefix}_kind``, ``{prefix}_subject``, ``{prefix}_window`` (profile "
                                   f"key), ``{prefix}_ref``, optional ``{prefix}_document_ids``; returns "
                                   f"``{prefix}_id`` and ``{prefix}_closes_at`` (ISO 8601).")
    return notice_open_service


def _close(prefix: str):
    def notice_close_service(ctx: ServiceContext, data: dict) -> dict:
        variable = f"{prefix}_id"
        try:
            notice_id = int(data.get(variable))
        except (TypeError, ValueError):
            raise InvalidInput(f"{prefix}_close needs the variable '{variable}' (set by {prefix}_open).",
                               [{"field": variable, "message": "required"}]) from None
        notice = ctx.session.get(Notice, notice_id, with_for_update=True)
        if notice is None:
            raise InvalidInput(f"{prefix}_close: no notice {notice_id}.", [{"field": variable, "message": "unknown"}])
        if notice.instance_id not in (None, ctx.instance.id):
            raise Conflict(f"Notice {notice_id} belongs to another instance.")
        result = close_notice(ctx.session, notice, getattr(ctx.actor, "username", None), ctx.instance)
        return {f"{prefix}_{key.removeprefix('notice_')}": value for key, value in result.items()}
    notice_close_service.__doc__ = (f"Input ``{prefix}_id``; returns ``{prefix}_comment_count``, "
                                    f"``{prefix}_objection_count``, ``{prefix}_comments``.")
    return notice_close_service


notice_open = service("notice_open")(_open("notice"))
notice_close = service("notice_close")(_close("notice"))
plan_notice_open = service("plan_notice_open")(_open("plan_notice"))
plan_notice_close = service("plan_notice_close")(_close("plan_notice"))
