"""Request and response shapes of timers, notifications and schedules."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs, Strict

TIMER_STATES = ["waiting", "fired", "cancelled", "failed", "all"]


class TimerListArgs(PageArgs):
    state = fields.String(load_default="waiting", validate=validate.OneOf(TIMER_STATES))
    overdue = fields.Boolean(metadata={"description": "only waiting timers already past due"})
    due_before = fields.DateTime()
    due_after = fields.DateTime()
    process_key = fields.String(validate=validate.Length(max=200))
    instance_id = fields.String(validate=validate.Length(max=36))
    element_id = fields.String(validate=validate.Length(max=200))
    committee = fields.String(validate=validate.Length(max=100))
    with_warning = fields.Boolean(metadata={"description": "only timers whose due date carries a calendar warning"})


class TimerRowSchema(Schema):
    id = fields.Integer()
    instance_id = fields.String()
    process_key = fields.String()
    business_key = fields.String(allow_none=True, metadata={"description": "withheld (null) from process admins"})
    committee = fields.String(allow_none=True, metadata={"description": "withheld (null) from process admins"})
    element_id = fields.String()
    name = fields.String(allow_none=True)
    kind = fields.String()
    state = fields.String()
    due_at = fields.DateTime()
    fired_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean(metadata={"description": "waiting although its due time has passed"})
    rule = fields.String(allow_none=True, metadata={"description": "the timer value and the profile it used"})
    warning = fields.String(allow_none=True)
    note = fields.String(allow_none=True, metadata={"description": "why the due date changed (recomputed)"})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)


class TimerPageSchema(Schema):
    items = fields.List(fields.Nested(TimerRowSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    now = fields.DateTime(metadata={"description": "the engine's clock, against which overdue is judged"})


class FireRequest(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class NotificationArgs(PageArgs):
    unread = fields.Boolean(load_default=False)


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    message = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    instance_id = fields.String()
    process_key = fields.String()
    element_id = fields.String()
    task_id = fields.String(allow_none=True)
    task_name = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    unread = fields.Integer()


class MarkedSchema(Schema):
    marked = fields.Integer()


class RuleSchema(Strict):
    kind = fields.String(required=True, validate=validate.OneOf(["yearly", "after", "before", "every"]))
    date = fields.String(validate=validate.Length(min=1, max=100),
                         metadata={"description": "yearly: 'MM-DD' or a profile key with a yearly rule"})
    duration = fields.String(validate=validate.Length(min=1, max=100),
                             metadata={"description": "after/before: a profile key or ISO duration (P5Y)"})
    time = fields.String(validate=validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$"),
                         metadata={"description": "HH:MM Beijing time, default 09:00"})


class ScheduleRequest(Strict):
    name = fields.String(validate=validate.Length(max=300))
    process_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    rule = fields.Nested(RuleSchema, required=True)
    subjects = fields.Raw(required=True, metadata={
        "description": "a list of {committee?, specification?, level?, jurisdiction?, anchor?, variables?, "
                       "business_key?}, or the name of a registered subject provider"})
    variables = fields.Dict(keys=fields.String(), load_default=dict)
    level = fields.String(validate=validate.Length(max=100))
    starts_at = fields.DateTime(metadata={"description": "occurrences before this are not run (default: now)"})


class ScheduleRunSchema(Schema):
    id = fields.Integer()
    subject = fields.String()
    period = fields.String()
    due_at = fields.DateTime()
    started_at = fields.DateTime()
    instance_id = fields.String(allow_none=True)
    error = fields.String(allow_none=True)


class ScheduleSchema(Schema):
    id = fields.Integer()
    name = fields.String(allow_none=True)
    process_key = fields.String()
    rule = fields.Dict()
    subjects = fields.Raw()
    variables = fields.Dict()
    level = fields.String(allow_none=True)
    active = fields.Boolean()
    starts_at = fields.DateTime()
    created_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    runs = fields.List(fields.Nested(ScheduleRunSchema))


class SchedulePageSchema(Schema):
    items = fields.List(fields.Nested(ScheduleSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class DeactivateRequest(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
