"""Shapes of needs collection and project plans (十一)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.converters import ROW_ID_MAX
from api.schemas.common import Strict
from engine.access.scopes import LEVELS
from engine.plans.models import PLAN_KINDS
from engine.specifications.models import KINDS, TYPES

YEAR = validate.Range(min=2000, max=2100)


def text(limit: int, required: bool = True, **meta) -> fields.String:
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=limit), metadata=meta)
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=limit), metadata=meta)


class CallRequest(Strict):
    title = text(300, description="征集名称")
    description = text(5000, False, description="征集说明（领域、范围）")
    committee = text(30, False, description="委员会代号；不填则为批准机关自己的征集（须填 level）")
    level = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(LEVELS))
    jurisdiction = text(100, False)
    closes_at = fields.AwareDateTime(load_default=None, allow_none=True,
                                     metadata={"description": "截止时间；不填按规则 need_call_window"})


class CallSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String(allow_none=True)
    committee = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)
    opened_at = fields.DateTime()
    closes_at = fields.DateTime()
    status = fields.String(metadata={"description": "open / closed"})
    need_count = fields.Integer()


class CallListArgs(Strict):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))


class CallListSchema(Schema):
    items = fields.List(fields.Nested(CallSchema))
    total = fields.Integer()


class NeedRequest(Strict):
    title = text(300, description="需求名称（拟制修订的规范）")
    field = text(200, description="专业领域")
    reason = text(5000, description="需求理由")
    unit = text(200, description="提出单位")
    contact = text(200, description="联系方式（仅秘书处和批准机关可见，不公开）")


class NeedSchema(Schema):
    id = fields.Integer()
    call_id = fields.Integer()
    title = fields.String()
    field = fields.String()
    reason = fields.String()
    unit = fields.String()
    contact = fields.String(metadata={"description": "staff only"})
    submitted_by = fields.String(allow_none=True, metadata={"description": "the account; null from the board"})
    submitted_at = fields.DateTime()
    status = fields.String()
    status_title = fields.String()
    screened_by = fields.String(allow_none=True)
    screened_at = fields.DateTime(allow_none=True)
    screen_reason = fields.String(allow_none=True)


class NeedListSchema(Schema):
    items = fields.List(fields.Nested(NeedSchema))
    total = fields.Integer()


class ScreenRequest(Strict):
    decision = fields.String(required=True, validate=validate.OneOf(("accept", "decline")),
                             metadata={"description": "accept 纳入计划 / decline 不予采纳"})
    reason = text(5000, False, description="理由（不予采纳时必填）")


class ItemRequest(Strict):
    title = text(300)
    spec_type = fields.String(required=True, validate=validate.OneOf(TYPES))
    project_kind = fields.String(load_default="new", validate=validate.OneOf(KINDS))
    field = text(200, False)
    planned_year = fields.Integer(load_default=None, allow_none=True, validate=YEAR)
    need_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=ROW_ID_MAX))


class PlanRequest(Strict):
    committee = text(30)
    kind = fields.String(required=True, validate=validate.OneOf(tuple(PLAN_KINDS)),
                         metadata={"description": "annual 年度计划 / medium_long 中长期计划"})
    title = text(300)
    start_year = fields.Integer(required=True, validate=YEAR)
    end_year = fields.Integer(load_default=None, allow_none=True, validate=YEAR)
    items = fields.List(fields.Nested(ItemRequest), required=True, validate=validate.Length(max=500))


class PlanRevision(Strict):
    title = text(300, False)
    items = fields.List(fields.Nested(ItemRequest), required=True, validate=validate.Length(max=500))


class ItemSchema(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    title = fields.String()
    spec_type = fields.String()
    project_kind = fields.String()
    field = fields.String(allow_none=True)
    planned_year = fields.Integer()
    need_id = fields.Integer(allow_none=True)
    status = fields.String()
    status_title = fields.String()
    spec_id = fields.String(allow_none=True)
    adjustment_id = fields.Integer(allow_none=True)


class AdjustmentSchema(Schema):
    id = fields.Integer()
    item_id = fields.Integer(allow_none=True)
    action = fields.String()
    action_title = fields.String()
    reason = fields.String()
    data = fields.Dict()
    status = fields.String()
    status_title = fields.String()
    requested_by = fields.String(allow_none=True)
    requested_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    opinion = fields.String(allow_none=True)


class PlanSchema(Schema):
    id = fields.Integer()
    committee = fields.String()
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)
    kind = fields.String()
    kind_title = fields.String()
    title = fields.String()
    start_year = fields.Integer()
    end_year = fields.Integer()
    status = fields.String()
    status_title = fields.String()
    instance_id = fields.String(allow_none=True)
    decision = fields.Dict(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(ItemSchema))
    adjustments = fields.List(fields.Nested(AdjustmentSchema))


class PlanListArgs(Strict):
    committee = fields.String(load_default=None, validate=validate.Length(max=30))


class PlanListSchema(Schema):
    items = fields.List(fields.Nested(PlanSchema))
    total = fields.Integer()
