"""Request and response shapes of incidents and of operator actions on instances."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.converters import ROW_ID_MAX
from api.schemas.common import PageArgs, Strict, variables_field

KINDS = ["script", "service", "step_budget", "timer", "engine"]


class IncidentListArgs(PageArgs):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "resolved", "all"]))
    kind = fields.String(validate=validate.OneOf(KINDS))
    process_key = fields.String(validate=validate.Length(max=200))
    version = fields.Integer(validate=validate.Range(min=1, max=ROW_ID_MAX))
    element_id = fields.String(validate=validate.Length(max=200))
    instance_id = fields.String(validate=validate.Length(max=36))
    opened_after = fields.DateTime()
    opened_before = fields.DateTime()


class IncidentSchema(Schema):
    id = fields.Integer()
    instance_id = fields.String()
    process_key = fields.String()
    version = fields.Integer(attribute="process_version")
    element_id = fields.String(allow_none=True)
    task_id = fields.String(allow_none=True)
    timer_id = fields.Integer(allow_none=True)
    kind = fields.String(metadata={"description": "script, service, step_budget, timer (given up by the worker), "
                                                  "engine"})
    state = fields.String(metadata={"description": "open or resolved"})
    error = fields.String()
    data = fields.Dict(allow_none=True, metadata={"description": "the variables the failing element ran on"})
    attempts = fields.Integer(metadata={"description": "failures so far, retries included"})
    opened_at = fields.DateTime()
    updated_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    instance_state = fields.String()


class IncidentPageSchema(Schema):
    items = fields.List(fields.Nested(IncidentSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class RetryRequest(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    variables = variables_field("corrected variables, merged into the data the failed element runs on",
                                load_default=dict)
    version = fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "run on this deployed version of the process (its elements must hold the instance's)"})


class OperatorReason(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class MoveBackRequest(OperatorReason):
    element_id = fields.String(required=True, validate=validate.Length(min=1, max=200),
                               metadata={"description": "the earlier user task to return to"})


class MigrationPlanRequest(Strict):
    from_version = fields.Integer(required=True, validate=validate.Range(min=1, max=ROW_ID_MAX))
    to_version = fields.Integer(required=True, validate=validate.Range(min=1, max=ROW_ID_MAX))
    mappings = fields.Dict(keys=fields.String(validate=validate.Length(max=200)),
                           values=fields.String(validate=validate.Length(max=200)), load_default=dict,
                           metadata={"description": "renamed elements: source element id → target element id"})
    instance_ids = fields.List(fields.String(validate=validate.Length(max=36)), validate=validate.Length(max=10_000),
                               metadata={"description": "only these instances (default: all running ones)"})


class MigrationRequest(MigrationPlanRequest):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class MigrationItemSchema(Schema):
    instance_id = fields.String()
    business_key = fields.String(allow_none=True)
    state = fields.String()
    migratable = fields.Boolean()
    moves = fields.List(fields.Dict(), metadata={"description": "waiting elements that change id: from, to"})
    timers = fields.List(fields.Dict(), metadata={"description": "timers recomputed: element_id, task_id, due_at"})
    refusals = fields.List(fields.Dict(), metadata={"description": "why it cannot move: element_id, reason"})


class MigrationPlanSchema(Schema):
    process_key = fields.String()
    from_version = fields.Integer()
    to_version = fields.Integer()
    mappings = fields.Dict()
    instances = fields.Integer()
    migratable = fields.Integer()
    refused = fields.Integer()
    elements = fields.List(fields.Dict(), metadata={"description": "per renamed element: from, to, instances"})
    timers_recomputed = fields.Integer()
    items = fields.List(fields.Nested(MigrationItemSchema))
    dry_run = fields.Boolean()
    migrated = fields.List(fields.String())
    failed = fields.List(fields.Dict(), metadata={"description": "instances that changed meanwhile: detail"})
