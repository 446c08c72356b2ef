"""Official holiday schedules (法定节假日安排) by year."""
from marshmallow import Schema, fields, validate

from api.schemas.common import Strict, TimerSchema

DAY = "YYYY-MM-DD, or an inclusive range YYYY-MM-DD/YYYY-MM-DD"


class HolidayYearSchema(Schema):
    year = fields.Integer()
    kind = fields.String(metadata={"description": "package (chinesecalendar), file, entered (on this page or the "
                                                  "API) or missing (working days are guessed)"})
    source = fields.String(allow_none=True, metadata={"description": "the State Council notice, or the package"})
    holidays = fields.List(fields.String())
    workdays = fields.List(fields.String(), metadata={"description": "调休: weekend days that are working days"})
    entered_by = fields.String(allow_none=True)
    entered_at = fields.DateTime(allow_none=True)


class HolidayYearsSchema(Schema):
    items = fields.List(fields.Nested(HolidayYearSchema))


class HolidayYearRequest(Strict):
    holidays = fields.List(fields.String(validate=validate.Length(max=21)), required=True,
                           validate=validate.Length(min=1, max=60), metadata={"description": f"days off: {DAY}"})
    workdays = fields.List(fields.String(validate=validate.Length(max=21)), load_default=list,
                           validate=validate.Length(max=30),
                           metadata={"description": f"调休 make-up working days on weekends: {DAY}"})
    source = fields.String(required=True, validate=validate.Length(min=4, max=500), metadata={
        "description": "the notice it comes from, e.g. "
                       "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"})


class HolidayYearResult(HolidayYearSchema):
    recomputed = fields.List(fields.Nested(TimerSchema), metadata={
        "description": "waiting timers counted on the weekday fallback and now counted again"})
