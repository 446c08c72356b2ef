"""Request and response shapes of filings (备案) and consistency search (协调一致)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import Strict

TEXT = validate.Length(max=5000)


class ProbeRequest(Strict):
    title = fields.String(load_default="", validate=validate.Length(max=300), metadata={"description": "规范名称"})
    quantity = fields.String(load_default="", validate=validate.Length(max=300),
                             metadata={"description": "被测量/计量器具"})
    field = fields.String(load_default="", validate=validate.Length(max=100), metadata={"description": "专业领域"})
    scope = fields.String(load_default="", validate=TEXT, metadata={"description": "适用范围"})
    top_k = fields.Integer(load_default=None, validate=validate.Range(min=1, max=50))


class ReasonSchema(Schema):
    field = fields.String(metadata={"description": "title | quantity | field | scope"})
    label = fields.String()
    terms = fields.List(fields.String(), metadata={"description": "the shared search terms"})
    score = fields.Float()


class MatchSchema(Schema):
    spec_id = fields.String()
    number = fields.String(allow_none=True)
    title = fields.String()
    type = fields.String()
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)
    stage = fields.String()
    status = fields.String(metadata={"description": "in_force | in_progress"})
    score = fields.Float()
    reasons = fields.List(fields.Nested(ReasonSchema))


class MatchListSchema(Schema):
    items = fields.List(fields.Nested(MatchSchema))


class FindingSchema(Schema):
    id = fields.Integer()
    spec_id = fields.String()
    occasion = fields.String(metadata={"description": "proposal | filing"})
    instance_id = fields.String(allow_none=True)
    at = fields.String()
    matches = fields.List(fields.Nested(MatchSchema))
    national_overlap = fields.Boolean()
    reason = fields.String(allow_none=True)


class FindingListSchema(Schema):
    spec_id = fields.String()
    items = fields.List(fields.Nested(FindingSchema))


class ObjectionSchema(Schema):
    id = fields.Integer()
    opinion = fields.String()
    conflicts_with = fields.String(allow_none=True)
    raised_by = fields.String(allow_none=True)
    raised_at = fields.String()
    answer = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    answered_by = fields.String(allow_none=True)
    answered_at = fields.String(allow_none=True)


class FilingSchema(Schema):
    id = fields.Integer()
    spec_id = fields.String()
    number = fields.String(allow_none=True)
    title = fields.String()
    level = fields.String()
    jurisdiction = fields.String()
    issuing_authority = fields.String()
    status = fields.String(metadata={"description": "filed | objected | answered | accepted"})
    status_label = fields.String()
    filed_by = fields.String(allow_none=True)
    filed_at = fields.String()
    closed_at = fields.String(allow_none=True)
    instance_id = fields.String(allow_none=True)


class FilingDetailSchema(FilingSchema):
    text = fields.String()
    note = fields.String(allow_none=True)
    spec_stage = fields.String(allow_none=True)
    finding = fields.Nested(FindingSchema, allow_none=True)
    objections = fields.List(fields.Nested(ObjectionSchema))


class FilingListSchema(Schema):
    items = fields.List(fields.Nested(FilingSchema))


class FilingArgs(Strict):
    status = fields.String(validate=validate.OneOf(("filed", "objected", "answered", "accepted")))


class ObjectionRequest(Strict):
    opinion = fields.String(required=True, validate=validate.Length(min=1, max=5000),
                            metadata={"description": "协调一致性异议：与哪项国家规范不一致、为何"})
    conflicts_with = fields.String(load_default=None, validate=validate.Length(max=60),
                                   metadata={"description": "涉及的国家计量技术规范编号"})
