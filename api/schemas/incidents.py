"""Request and response shapes of incidents and of operator actions on instances."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs, Strict, variables_field

KINDS = ["script", "service", "step_budget", "timer", "engine"]


class IncidentListArgs(PageArgs):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "resolved", "all"]))
    kind = fields.String(validate=validate.OneOf(KINDS))
    process_key = fields.String(validate=validate.Length(max=200))
    version = fields.Integer(validate=validate.Range(min=1))
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
