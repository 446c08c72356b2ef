"""Shapes of full-text disclosure (全文公开, no login)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs
from engine.specifications.models import TYPES

TEXT = validate.Length(min=1, max=100)


class TextSearchArgs(PageArgs):
    q = fields.String(validate=TEXT, metadata={"description": "number, title, field or full text"})
    number = fields.String(validate=TEXT)
    title = fields.String(validate=TEXT)
    field = fields.String(validate=TEXT, metadata={"description": "专业领域"})
    text = fields.String(validate=TEXT, metadata={"description": "words of the full text"})
    type = fields.String(validate=validate.OneOf(TYPES))
    in_force = fields.Boolean(metadata={"description": "现行有效"})


class AdoptionSchema(Schema):
    degree = fields.String(allow_none=True, metadata={"description": "IDT, MOD or NEQ"})
    degree_name = fields.String(allow_none=True)
    document = fields.String(metadata={"description": "the international document, e.g. OIML R 76-1:2006"})


class FullTextSchema(Schema):
    filename = fields.String()
    content_type = fields.String(allow_none=True)
    sha256 = fields.String()
    announcement_notice_id = fields.Integer(allow_none=True)


class LinkSchema(Schema):
    id = fields.String()
    number = fields.String(allow_none=True)
    title = fields.String()
    effective_date = fields.Date(allow_none=True)
    full_text = fields.Boolean()


class StatusSchema(Schema):
    at = fields.DateTime()
    action = fields.String()
    name = fields.String()
    stage = fields.String(allow_none=True)
    stage_name = fields.String(allow_none=True)


class PublishedSpecSchema(Schema):
    id = fields.String()
    number = fields.String(allow_none=True)
    title = fields.String()
    type = fields.String()
    field = fields.String(allow_none=True)
    committee = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)
    stage = fields.String()
    stage_name = fields.String(allow_none=True)
    in_force = fields.Boolean()
    publication_date = fields.Date(allow_none=True)
    effective_date = fields.Date(allow_none=True)
    abolished_on = fields.Date(allow_none=True)
    adoption = fields.Nested(AdoptionSchema, allow_none=True)
    full_text = fields.Nested(FullTextSchema)
    predecessor = fields.Nested(LinkSchema, allow_none=True)
    successor = fields.Nested(LinkSchema, allow_none=True)
    status_history = fields.List(fields.Nested(StatusSchema))
