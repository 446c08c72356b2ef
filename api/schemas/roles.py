"""Request and response shapes of user administration and conflict declarations."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs, Strict

REASON = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                       metadata={"description": "why; kept with the record and in the history"})
GRANT_TEXT = {"description": "ROLE or ROLE:SCOPE — committee/<code>, spec/<id>, level/national, "
                             "level/<level>/<jurisdiction>; e.g. secretariat:committee/MTC-12"}


class AssignmentSchema(Schema):
    id = fields.Integer()
    role = fields.String()
    scope = fields.String(allow_none=True)
    grant = fields.String(metadata=GRANT_TEXT)
    granted_by = fields.String(allow_none=True)
    granted_at = fields.DateTime()
    reason = fields.String(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by = fields.String(allow_none=True)
    revoked_reason = fields.String(allow_none=True)


class UserSchema(Schema):
    username = fields.String()
    display_name = fields.String(allow_none=True)
    unit = fields.String(allow_none=True, metadata={"description": "工作单位 (BR3 reads it)"})
    active = fields.Boolean()
    created_at = fields.DateTime()
    assignments = fields.List(fields.Nested(AssignmentSchema))


class UserListArgs(PageArgs):
    role = fields.String(validate=validate.Length(max=100), metadata={"description": "holding this role now"})
    active = fields.Boolean()


class CreateUserRequest(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=150))
    password = fields.String(required=True, validate=validate.Length(min=8, max=1000), load_only=True)
    display_name = fields.String(validate=validate.Length(max=200), allow_none=True)
    unit = fields.String(validate=validate.Length(max=200), allow_none=True)
    grants = fields.List(fields.String(validate=validate.Length(min=1, max=300), metadata=GRANT_TEXT),
                         load_default=list)
    reason = REASON


class UpdateUserRequest(Strict):
    display_name = fields.String(validate=validate.Length(max=200), allow_none=True)
    unit = fields.String(validate=validate.Length(max=200), allow_none=True)
    reason = REASON


class GrantRequest(Strict):
    grant = fields.String(required=True, validate=validate.Length(min=1, max=300), metadata=GRANT_TEXT)
    reason = REASON


class ReasonRequest(Strict):
    reason = REASON


class DeactivateResult(UserSchema):
    tokens_revoked = fields.Integer()
    claimed_tasks = fields.List(fields.String(), metadata={"description": "open tasks still held; reassign them"})


class ConflictRequest(Strict):
    reason = REASON


class ConflictSchema(Schema):
    specification = fields.String()
    username = fields.String()
    reason = fields.String()
    declared_at = fields.DateTime()
    created = fields.Boolean()


class ConflictListSchema(Schema):
    specification = fields.String()
    items = fields.List(fields.Nested(ConflictSchema))
