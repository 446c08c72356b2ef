"""Request and response shapes of the specification registry."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs
from engine.specifications.models import KINDS, STAGES, TYPES


class SpecListArgs(PageArgs):
    committee = fields.String(validate=validate.Length(max=30))
    type = fields.String(validate=validate.OneOf(TYPES))
    stage = fields.String(validate=validate.OneOf(list(STAGES)))
    level = fields.String(validate=validate.OneOf(["national", "ministry", "provincial"]))
    jurisdiction = fields.String(validate=validate.Length(max=100))
    livelihood = fields.Boolean()
    kind = fields.String(validate=validate.OneOf(KINDS))
    number = fields.String(validate=validate.Length(max=60))
    q = fields.String(validate=validate.Length(min=1, max=100),
                      metadata={"description": "part of the title, number or project id"})
    in_force = fields.Boolean(metadata={"description": "published and effective (现行有效)"})


class SpecChangeSchema(Schema):
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    instance_id = fields.String(allow_none=True)
    action = fields.String()
    stage = fields.String(allow_none=True)
    data = fields.Raw(allow_none=True)


class SpecificationSchema(Schema):
    id = fields.String(metadata={"description": "project id, e.g. JJF-2026-001"})
    type = fields.String()
    title = fields.String()
    kind = fields.String(metadata={"description": "new or revision"})
    replaces = fields.String(allow_none=True)
    replaces_number = fields.String(allow_none=True, metadata={"description": "number of the replaced one (代替)"})
    committee = fields.String(allow_none=True, metadata={"description": "responsible committee (归口)"})
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)
    stage = fields.String()
    stage_name = fields.String(allow_none=True)
    in_force = fields.Boolean()
    livelihood = fields.Boolean()
    field = fields.String(allow_none=True, metadata={"description": "专业领域"})
    adoption_degree = fields.String(allow_none=True, metadata={"description": "IDT / MOD / NEQ"})
    adopted_document = fields.String(allow_none=True, metadata={"description": "the adopted international document"})
    number = fields.String(allow_none=True)
    publication_date = fields.Date(allow_none=True)
    effective_date = fields.Date(allow_none=True)
    superseded_by = fields.String(allow_none=True)
    abolished_on = fields.Date(allow_none=True)
    drafting_units = fields.List(fields.String())
    drafting_due = fields.DateTime(allow_none=True)
    last_rereview_on = fields.Date(allow_none=True)
    full = fields.Boolean(metadata={"description": "false: the public view (BR12) of a caller outside its scope"})
    drafters = fields.List(fields.String())
    confidential = fields.Boolean()
    proposal = fields.Raw(allow_none=True)
    plan_decision = fields.Raw(allow_none=True)
    drafting_flags = fields.Integer()
    extensions = fields.Raw()
    documents = fields.Raw()
    comment_notice_id = fields.Integer(allow_none=True)
    comment_closed_at = fields.DateTime(allow_none=True)
    comments_total = fields.Integer()
    comments_answered = fields.Integer()
    comment_handling = fields.Raw(allow_none=True)
    consent = fields.Raw(allow_none=True)
    papers_sent_at = fields.DateTime(allow_none=True)
    review_round = fields.Integer()
    review_failures = fields.Integer()
    review = fields.Raw(allow_none=True)
    review_passed = fields.Boolean()
    review_conclusion = fields.String(allow_none=True)
    minutes = fields.String(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    evaluation = fields.Raw(allow_none=True)
    rereview_outcome = fields.String(allow_none=True)
    instance_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    changes = fields.List(fields.Nested(SpecChangeSchema))


class SpecPageSchema(Schema):
    items = fields.List(fields.Nested(SpecificationSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
