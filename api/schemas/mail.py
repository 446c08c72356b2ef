"""E-mail preferences and the outbox operators watch."""
from marshmallow import Schema, fields, validate

from api.schemas.common import PageArgs, Strict
from engine.mail.preferences import KINDS


class PreferencesRequest(Strict):
    address = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=320),
                            metadata={"description": "where mails go; empty or null: no e-mail"})
    kinds = fields.List(fields.String(validate=validate.OneOf(list(KINDS))), load_default=list(KINDS),
                        validate=validate.Length(max=len(KINDS)))
    digest = fields.Boolean(load_default=False, metadata={"description": "one mail a day instead of one per event"})


class KindSchema(Schema):
    kind = fields.String()
    label = fields.String()


class PreferencesSchema(Schema):
    address = fields.String(allow_none=True)
    kinds = fields.List(fields.String())
    digest = fields.Boolean()
    available = fields.List(fields.Nested(KindSchema))
    mail_enabled = fields.Boolean(metadata={"description": "whether this server has an SMTP server configured"})


class OutboxArgs(PageArgs):
    state = fields.String(load_default=None, validate=validate.OneOf(["pending", "sent", "failed"]))


class OutboxItemSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    address = fields.String()
    kind = fields.String()
    subject = fields.String()
    instance_id = fields.String(allow_none=True)
    digest = fields.Boolean()
    state = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    send_after = fields.DateTime()
    created_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)


class OutboxCountsSchema(Schema):
    pending = fields.Integer()
    sent = fields.Integer()
    failed = fields.Integer()


class OutboxPageSchema(Schema):
    items = fields.List(fields.Nested(OutboxItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    counts = fields.Nested(OutboxCountsSchema)
    mail_enabled = fields.Boolean()
