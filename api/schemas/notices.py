"""Shapes of the public notice board, public comments and documents."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs, Strict, page_of
from engine.notices.board import COMMENT_KINDS, KINDS, STATUSES, TEXT_MAX
from engine.notices.documents import TYPES


class NoticeListArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES),
                           metadata={"description": "open: accepting comments now; closed: window over. "
                                                    "Without it: open and recently closed notices"})
    ref = fields.String(validate=validate.Length(min=1, max=100),
                        metadata={"description": "committee code or specification id (all of its notices)"})
    level = fields.String(validate=validate.Length(min=1, max=100))
    jurisdiction = fields.String(validate=validate.Length(min=1, max=100))
    committee = fields.String(validate=validate.Length(min=1, max=100))
    specification = fields.String(validate=validate.Length(min=1, max=100))


class PublicDocumentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    published_at = fields.DateTime(allow_none=True)
    url = fields.String(metadata={"description": "download without login"})


class NoticeSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    kind_title = fields.String()
    subject = fields.String()
    ref = fields.String(allow_none=True)
    level = fields.String(allow_none=True)
    jurisdiction = fields.String(allow_none=True)
    committee = fields.String(allow_none=True)
    specification = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "open (accepting comments) or closed"})
    phase = fields.String(metadata={"description": "upcoming, open, ended (window over, not yet closed), closed, "
                                                   "withdrawn (its process was cancelled), "
                                                   "announced (a 公告, no comments)"})
    window = fields.String(metadata={"description": "the rule-profile key of the window"})
    opens_at = fields.DateTime()
    closes_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    comment_count = fields.Integer()
    objection_count = fields.Integer()
    documents = fields.List(fields.Nested(PublicDocumentSchema))
    content = fields.Dict(metadata={"description": "what the public is asked to judge: the plan, the member list "
                                                   "(name, unit, title, role, stakeholder category), the project's "
                                                   "scope and necessity, an announcement's specifications"})
    content_labels = fields.Dict(keys=fields.String(), values=fields.String(),
                                 metadata={"description": "Chinese labels of the content's keys"})


NoticePageSchema = page_of(NoticeSchema)


class CommentRequest(Strict):
    author = fields.String(required=True, validate=validate.Length(min=1, max=100),
                           metadata={"description": "姓名 · name"})
    unit = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                         metadata={"description": "单位 · organisation"})
    contact = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                            metadata={"description": "联系方式 (kept for the committee, never published)"})
    kind = fields.String(load_default="comment", validate=validate.OneOf(COMMENT_KINDS),
                         metadata={"description": "comment (意见) or objection (异议)"})
    text = fields.String(required=True, validate=validate.Length(min=1, max=TEXT_MAX),
                         metadata={"description": "意见内容"})


class CommentSchema(Schema):
    id = fields.Integer()
    notice_id = fields.Integer()
    kind = fields.String()
    author = fields.String()
    unit = fields.String(allow_none=True)
    text = fields.String()
    at = fields.DateTime()
    sha256 = fields.String()


class StaffCommentSchema(CommentSchema):
    contact = fields.String(allow_none=True)


class StaffCommentListSchema(Schema):
    items = fields.List(fields.Nested(StaffCommentSchema))
    total = fields.Integer()


class DocumentSchema(Schema):
    id = fields.Integer()
    instance_id = fields.String()
    task_id = fields.String(allow_none=True)
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    description = fields.String(allow_none=True)
    uploaded_by = fields.String(allow_none=True)
    uploaded_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)
    url = fields.String()


class DocumentListSchema(Schema):
    items = fields.List(fields.Nested(DocumentSchema))
    total = fields.Integer()


DESCRIPTION_MAX = 500
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"},
                   "description": {"type": "string", "maxLength": DESCRIPTION_MAX}}}}}}
# A download is served with the document's own type (one of the accepted ones), not a generic one.
DOWNLOAD_RESPONSES = {"200": {"description": "The file, with the content type it was accepted under",
                              "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in TYPES}}}
