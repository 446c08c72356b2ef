"""Payloads of the start page's choices: the processes I may start and the scopes to prefill."""
from marshmallow import Schema, fields


class StartScopeSchema(Schema):
    committee = fields.String(allow_none=True)
    specification = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)


class StartOptionSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String(allow_none=True)
    roles = fields.List(fields.String(), metadata={"description": "roles of the start event's lane (none: any)"})
    scopes = fields.List(fields.Nested(StartScopeSchema), metadata={
        "description": "the scopes of my grants that may start it, to prefill the form ({} = any)"})


class StartOptionListSchema(Schema):
    items = fields.List(fields.Nested(StartOptionSchema))
