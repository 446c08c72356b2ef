"""Request and response shapes; the OpenAPI document is generated from these."""
from __future__ import annotations

from functools import cache

from marshmallow import RAISE, Schema, fields, validate

from api.converters import ROW_ID_MAX
from engine.runtime.forms import VARIABLE_NAME


class Strict(Schema):
    class Meta:
        unknown = RAISE


class PageArgs(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


@cache  # one page schema per (item schema, cap), so the OpenAPI document names each once
def page_of(item_schema, capped: int | None = None):
    """A page of items; with ``capped``, the total is counted up to that many rows (huge pools stay fast)."""
    class Page(Schema):
        items = fields.List(fields.Nested(item_schema))
        total = fields.Integer(metadata={"description": f"matching items; at most {capped:,} (then total_capped)"}
                               if capped else {})
        page = fields.Integer()
        per_page = fields.Integer()
        if capped:
            total_capped = fields.Boolean(metadata={"description": f"true when more than {capped:,} items match: "
                                                    "total is then a lower bound, not the exact count"})
    Page.__name__ = f"{item_schema.__name__.removesuffix('Schema')}{'Capped' if capped else ''}PageSchema"
    return Page


def variables_field(what: str, **kwargs) -> fields.Dict:
    """Process variables by name: the server's name rule, checked and documented here too (OpenAPI 3.0 has no
    propertyNames, hence the extension member)."""
    rule = "names start with a letter; letters, digits and '_' only; at most 100 characters"
    return fields.Dict(keys=fields.String(validate=validate.Regexp(VARIABLE_NAME, error="invalid variable name: "
                                                                   + rule)),
                       metadata={"description": f"{what}; {rule}",
                                 "x-propertyNames": {"pattern": VARIABLE_NAME.pattern}}, **kwargs)


# ----- auth ------------------------------------------------------------------------------------
class TokenRequest(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=150))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class TokenResponse(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class GrantSchema(Schema):
    role = fields.String()
    scope = fields.String(allow_none=True)


class MeSchema(Schema):
    username = fields.String()
    display_name = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    conflicts = fields.List(fields.String(), metadata={"description": "specifications I declared a conflict with"})
    roles = fields.List(fields.Nested(GrantSchema))


# ----- definitions -----------------------------------------------------------------------------
class DefinitionSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String(allow_none=True)
    sha256 = fields.String()
    filename = fields.String(allow_none=True)
    deployed_at = fields.DateTime()
    deployed_by = fields.String(allow_none=True)
    created = fields.Boolean(metadata={"description": "false when identical content was already deployed"})


class DefinitionListArgs(PageArgs):
    key = fields.String(validate=validate.Length(max=200))


class DefinitionVersionsSchema(Schema):
    key = fields.String()
    versions = fields.List(fields.Nested(DefinitionSchema))


class ValidationProblem(Schema):
    element_id = fields.String(allow_none=True)
    message = fields.String()
    line = fields.Integer(allow_none=True)


class ValidationResult(Schema):
    valid = fields.Boolean()
    processes = fields.List(fields.String())
    errors = fields.List(fields.Nested(ValidationProblem))


# ----- tasks -----------------------------------------------------------------------------------
class TaskSchema(Schema):
    id = fields.String()
    instance_id = fields.String()
    process_key = fields.String()
    element_id = fields.String()
    name = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    duty = fields.String(allow_none=True, metadata={"description": "mtc:duty: vote, chief_review, observe"})
    scope = fields.Dict(allow_none=True)
    state = fields.String()
    assignee = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    form_key = fields.String(allow_none=True)
    form = fields.Dict(allow_none=True)
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    completed_by = fields.String(allow_none=True)


class TaskListArgs(PageArgs):
    mine = fields.Boolean(load_default=False, metadata={"description": "only tasks assigned to me"})
    claimable = fields.Boolean(load_default=False, metadata={"description": "unassigned tasks my roles may take"})
    actionable = fields.Boolean(load_default=False, metadata={
        "description": "only what I can work now: no auditor read-all, no other ballot of a vote I hold or cast"})
    q = fields.String(validate=validate.Length(max=200), metadata={
        "description": "search task name, process key, committee, specification"})
    state = fields.String(validate=validate.OneOf(["ready", "claimed", "open", "completed", "cancelled"]))
    process_key = fields.String(validate=validate.Length(max=200))
    instance_id = fields.String(validate=validate.Length(max=36))
    committee = fields.String(validate=validate.Length(max=100))
    specification = fields.String(validate=validate.Length(max=100))
    level = fields.String(validate=validate.Length(max=100))
    jurisdiction = fields.String(validate=validate.Length(max=100))
    duty = fields.String(validate=validate.Length(max=30))
    due_before = fields.DateTime()
    overdue = fields.Boolean()
    sort = fields.String(load_default="due_at", validate=validate.OneOf(["due_at", "-due_at", "created_at",
                                                                         "-created_at", "-completed_at"]),
                         metadata={"description": "due_at (default; no due date last), -due_at, created_at, …"})


class CompleteRequest(Strict):
    data = variables_field("the task's form fields, which become process variables", load_default=dict)


class AssignRequest(Strict):
    assignee = fields.String(required=True, validate=validate.Length(min=1, max=150))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


# ----- instances -------------------------------------------------------------------------------
class TimerSchema(Schema):
    id = fields.Integer()
    element_id = fields.String()
    name = fields.String(allow_none=True)
    due_at = fields.DateTime()
    kind = fields.String()
    warning = fields.String(allow_none=True, metadata={"description": "set when the due date rests on a guessed "
                                                                      "holiday calendar"})
    note = fields.String(allow_none=True, metadata={"description": "why the due date changed (recomputed on an "
                                                                   "official calendar entered later)"})


class InstanceSchema(Schema):
    id = fields.String()
    process_key = fields.String()
    version = fields.Integer()
    business_key = fields.String(allow_none=True)
    state = fields.String()
    error = fields.String(allow_none=True)
    scope = fields.Dict()
    tasks = fields.List(fields.Nested(TaskSchema))
    timers = fields.List(fields.Nested(TimerSchema))
    data = fields.Dict(allow_none=True)
    started_by = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)


class ScopeRequest(Strict):
    committee = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    specification = fields.String(validate=validate.Length(min=1, max=100), allow_none=True)
    level = fields.String(validate=validate.OneOf(["national", "ministry", "provincial"]), allow_none=True)
    jurisdiction = fields.String(validate=validate.Length(min=1, max=100), allow_none=True,
                                 metadata={"description": "e.g. 江苏 (provincial) or 工业和信息化部 (ministry)"})


class StartRequest(Strict):
    process_key = fields.String(required=True, validate=validate.Length(min=1, max=200))
    version = fields.Integer(validate=validate.Range(min=1, max=ROW_ID_MAX))
    business_key = fields.String(validate=validate.Length(max=200), allow_none=True)
    variables = variables_field("initial process variables", load_default=dict)
    scope = fields.Nested(ScopeRequest, metadata={"description": "the instance's scope; also settable by the "
                                                  "variables committee_code, spec_id, approval_level, jurisdiction"})


class InstanceListArgs(PageArgs):
    q = fields.String(validate=validate.Length(max=200), metadata={
        "description": "part of the business key, committee, specification, process key or process name"})
    process_key = fields.String(validate=validate.Length(max=200))
    state = fields.String(validate=validate.OneOf(["running", "waiting", "completed", "cancelled", "error",
                                                   "suspended"]))
    business_key = fields.String(validate=validate.Length(max=200))
    committee = fields.String(validate=validate.Length(max=100))
    specification = fields.String(validate=validate.Length(max=100))
    level = fields.String(validate=validate.Length(max=100))
    jurisdiction = fields.String(validate=validate.Length(max=100))


class CancelRequest(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class MessageRequest(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    instance_id = fields.String(validate=validate.Length(max=36))
    business_key = fields.String(validate=validate.Length(max=200))
    process_key = fields.String(validate=validate.Length(max=200))
    payload = variables_field("the message's variables, merged into the waiting instance", load_default=dict)


class MessageResult(Schema):
    delivered = fields.List(fields.String())


# ----- history and audit -----------------------------------------------------------------------
class EventSchema(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    type = fields.String()
    process_key = fields.String(allow_none=True)
    process_version = fields.Integer(allow_none=True)
    element_id = fields.String(allow_none=True)
    task_id = fields.String(allow_none=True)
    data = fields.Raw(allow_none=True)
    state_sha256 = fields.String(allow_none=True)
    hash = fields.String()
    prev_hash = fields.String()


class HistoryArgs(PageArgs):
    type = fields.String(validate=validate.Length(max=50), metadata={"description": "only events of this type"})


class ReplayArgs(Strict):
    step = fields.Integer(validate=validate.Range(min=1), metadata={"description": "default: the last step"})


class ReplayTaskSchema(Schema):
    id = fields.String()
    element_id = fields.String()
    name = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True)
    process = fields.String(allow_none=True, metadata={"description": "the (called) process the element belongs to"})
    within = fields.List(fields.String(), metadata={
        "description": "Call activities and sub-processes around the element, outermost first (所在的调用活动/子流程)"})


class ReplayEventSchema(Schema):
    """The step's event, its time in ISO 8601 like the history's (a bare dict would go out in RFC 1123)."""

    seq = fields.Integer()
    type = fields.String()
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    element_id = fields.String(allow_none=True)


class CalledProcessSchema(Schema):
    process = fields.String(allow_none=True, metadata={"description": "the called process id"})
    name = fields.String(allow_none=True)
    call = fields.String(allow_none=True, metadata={"description": "the call activity or sub-process element"})
    within = fields.List(fields.String())
    completed = fields.Boolean()
    data = fields.Dict()


class ReplaySchema(Schema):
    instance_id = fields.String()
    step = fields.Integer()
    steps = fields.Integer()
    event = fields.Nested(ReplayEventSchema)
    state = fields.String()
    process_key = fields.String()
    version = fields.Integer()
    state_sha256 = fields.String()
    completed = fields.List(fields.Nested(ReplayTaskSchema))
    active = fields.List(fields.Nested(ReplayTaskSchema))
    waiting = fields.List(fields.Nested(ReplayTaskSchema))
    data = fields.Dict()
    subprocesses = fields.List(fields.Nested(CalledProcessSchema))


class VerifyArgs(Strict):
    instance_id = fields.String(validate=validate.Length(max=36))


class VerifySchema(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    breaks = fields.Integer()
    first_broken = fields.Dict()
    anchors = fields.Dict(metadata={"description": "anchors by MAC state (verified, invalid, unkeyed, unverifiable), "
                                                   "the newest anchor and events after it"})
    verdict = fields.String(metadata={"description": "ok (chains verify and the newest anchor's keyed MAC "
                                                     "checks), broken, unanchored, unkeyed or unverifiable"})


class ExportArgs(Strict):
    format = fields.String(load_default="jsonl", validate=validate.OneOf(["jsonl", "csv"]))


class AnchorSchema(Schema):
    id = fields.Integer(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    heads = fields.Integer()
    hash = fields.String(allow_none=True)
