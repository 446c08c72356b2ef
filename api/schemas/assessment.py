"""Shapes of the scorecards and member assessments (62号 九)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

YEAR = validate.Range(min=2000, max=2100)


class YearArgs(Schema):
    year = fields.Integer(validate=YEAR, metadata={"description": "calendar year (Beijing); default: this year"})


class IndicatorSchema(Schema):
    key = fields.String()
    name = fields.String()
    value = fields.Integer()
    total = fields.Integer()
    rate = fields.Float(allow_none=True)
    event_ids = fields.List(fields.Integer(), metadata={"description": "the history events counted"})
    instance_ids = fields.List(fields.String())
    items = fields.List(fields.Dict(), metadata={"description": "each counted item with its event or task"})


class ScorecardSchema(Schema):
    committee = fields.String()
    year = fields.Integer()
    computed_at = fields.String()
    indicators = fields.List(fields.Nested(IndicatorSchema))
    note = fields.String()


class MemberFiguresSchema(Schema):
    member_id = fields.Integer()
    username = fields.String(allow_none=True)
    name = fields.String()
    role = fields.String()
    unit = fields.String(allow_none=True)
    figures = fields.Dict(metadata={"description": "ballots_cast, opinions_given, drafting_work, review_work, "
                                                   "attendance: value, total, rate, event_ids, instance_ids"})
    evidence = fields.Dict()


class ParticipationSchema(Schema):
    committee = fields.String()
    year = fields.Integer()
    members = fields.List(fields.Nested(MemberFiguresSchema))


class MemberAssessmentInSchema(Schema):
    year = fields.Integer(required=True, validate=YEAR)
    username = fields.String(required=True, validate=validate.Length(min=1, max=150))
    grade = fields.String(required=True, validate=validate.Length(min=1, max=20),
                          metadata={"description": "a grade of the profile's member_assessment_grades"})
    comment = fields.String(validate=validate.Length(max=5000), allow_none=True)


class MemberAssessmentSchema(Schema):
    committee = fields.String()
    year = fields.Integer()
    username = fields.String()
    name = fields.String(allow_none=True)
    grade = fields.String()
    comment = fields.String(allow_none=True)
    participation = fields.Dict(allow_none=True)
    recorded_by = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
    event_id = fields.Integer(allow_none=True)


class MemberAssessmentListSchema(Schema):
    items = fields.List(fields.Nested(MemberAssessmentSchema))
