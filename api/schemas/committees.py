"""Shapes of the committee registry (read-only, public: BR12 makes compositions public)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs, page_of
from engine.access.scopes import LEVELS
from engine.committees.models import MEMBER_ROLES, STATUSES


class CommitteeListArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    level = fields.String(validate=validate.OneOf(LEVELS))
    jurisdiction = fields.String(validate=validate.Length(min=1, max=100))
    q = fields.String(validate=validate.Length(min=1, max=100),
                      metadata={"description": "part of the code or the name"})
    member = fields.String(validate=validate.Length(min=1, max=100),
                           metadata={"description": "committees on which this person (name) sits now"})
    term_expired = fields.Boolean(metadata={"description": "true: the term has ended without renewal (BR13)"})
    flagged = fields.Boolean(metadata={"description": "true: flagged for assessment (BR8)"})
    parent = fields.String(validate=validate.Length(min=1, max=30),
                           metadata={"description": "subcommittees of this committee"})


class TermSchema(Schema):
    number = fields.Integer(metadata={"description": "届次; 0 while preparing"})
    start = fields.Date(allow_none=True)
    end = fields.Date(allow_none=True, metadata={"description": "last day of the term"})
    expired = fields.Boolean(metadata={"description": "BR13"})


class MemberSchema(Schema):
    id = fields.Integer(metadata={"description": "registry id: a review's voting base lists these (BR14)"})
    name = fields.String()
    role = fields.String(validate=validate.OneOf(MEMBER_ROLES))
    role_title = fields.String()
    unit = fields.String()
    stakeholder_category = fields.String(allow_none=True)
    stakeholder_title = fields.String(allow_none=True, metadata={"description": "利益相关方类别, in Chinese"})
    title = fields.String(allow_none=True)
    term_number = fields.Integer()
    has_account = fields.Boolean(metadata={"description": "appointed with a user account (can cast a ballot)"})


class ReportSchema(Schema):
    kind = fields.String(metadata={"description": "annual (P3a), term (P3b) or chair (P4)"})
    period = fields.String()
    missed = fields.Boolean(metadata={"description": "the deadline passed without the report (BR8)"})
    missed_at = fields.DateTime(allow_none=True)
    accepted_at = fields.DateTime(allow_none=True)
    grade = fields.String(allow_none=True)


class AssessmentSchema(Schema):
    kind = fields.String(metadata={"description": "assessment or reassessment"})
    grade = fields.String()
    passed = fields.Boolean()
    assessed_at = fields.DateTime()
    rectification_until = fields.DateTime(allow_none=True)
    outcome = fields.String(allow_none=True)


class CommitteeSchema(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    jurisdiction = fields.String(allow_none=True)
    authority = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    status_reason = fields.String(allow_none=True)
    status_changed_at = fields.DateTime(allow_none=True)
    parent_code = fields.String(allow_none=True)
    scope = fields.String(allow_none=True)
    secretariat_host = fields.String(allow_none=True)
    term = fields.Nested(TermSchema)
    established_at = fields.DateTime(allow_none=True)
    approval_document = fields.String(allow_none=True)
    rectification_until = fields.DateTime(allow_none=True)
    last_grade = fields.String(allow_none=True)
    last_assessed_at = fields.DateTime(allow_none=True)
    assessment_flag = fields.String(allow_none=True)
    successor_code = fields.String(allow_none=True)
    accepts_projects = fields.Boolean(metadata={"description": "may take a new 立项 now (BR9)"})
    accepts_reviews = fields.Boolean(metadata={"description": "may hold a new review now (BR13)"})
    member_count = fields.Integer(metadata={"description": "voting members of the current composition"})


class NoticeRefSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    opens_at = fields.DateTime()
    closes_at = fields.DateTime()


class PlannedMemberSchema(Schema):
    name = fields.String()
    unit = fields.String()
    title = fields.String()
    role = fields.String()
    stakeholder_category = fields.String()


class CommitteeDetailSchema(CommitteeSchema):
    status = fields.String(validate=validate.OneOf((*STATUSES, "applied")), metadata={
        "description": "applied: not registered yet, its establishment plan is under (or past) public notice"})
    planned_composition = fields.String(metadata={"description": "the plan's composition (applied only)"})
    planned_members = fields.List(fields.Nested(PlannedMemberSchema), metadata={
        "description": "preparing with no members yet: the member list under composition notice (BR15)"})
    notice = fields.Nested(NoticeRefSchema, metadata={"description": "the notice the planned data come from"})
    members = fields.List(fields.Nested(MemberSchema))
    subcommittees = fields.List(fields.String())
    annual_report_misses = fields.Integer(metadata={"description": "since the last assessment (BR8)"})
    reports = fields.List(fields.Nested(ReportSchema))
    assessments = fields.List(fields.Nested(AssessmentSchema))
    application = fields.Dict(allow_none=True, metadata={"description": "the 筹建申请 (public, BR12)"})
    notices = fields.List(fields.Dict(), metadata={"description": "public notices about it, newest first"})
    proposed_members = fields.List(fields.Dict(), metadata={
        "description": "the member list of its 组建公示 while no member is appointed yet"})
    announced = fields.Boolean(metadata={"description": "true: not in the registry yet, shown from its notices"})
    plan = fields.Dict(metadata={"description": "the 筹建方案 as its notice gives it (announced only)"})


CommitteePageSchema = page_of(CommitteeSchema)
