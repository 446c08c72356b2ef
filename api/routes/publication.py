"""全文公开 (62号 十三): published specifications' approved texts for everyone, without login."""
from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint
from api.routes.notices import download
from api.schemas.common import page_of
from api.schemas.notices import DOWNLOAD_RESPONSES
from api.schemas.publication import PublishedSpecSchema, TextSearchArgs
from api.security.auth import engine
from api.views import page_payload
from engine.publication import disclosure

blp = Blueprint("publication", __name__, description="规范全文公开 · Full-text disclosure (no login)")


@blp.route("/public/specifications")
class PublishedTextsResource(MethodView):
    @blp.arguments(TextSearchArgs, location="query")
    @blp.response(200, page_of(PublishedSpecSchema))
    def get(self, args):
        """Published specifications whose approval announcement is out, searchable by number, title, field and
        full text (q: any of them); confidential ones never appear (BR12)."""
        page, per_page = args.pop("page"), args.pop("per_page")
        with engine().db.transaction() as session:
            items, total = disclosure.search(session, disclosure.TextFilter(**args), page, per_page)
            return page_payload(items, total, page, per_page)


@blp.route("/public/specifications/<string:spec_id>")
class PublishedTextResource(MethodView):
    @blp.response(200, PublishedSpecSchema)
    def get(self, spec_id):
        """One published specification: its full text's sha256, adoption degree, status history (in force,
        superseded by, abolished) and its predecessor and successor."""
        with engine().db.transaction() as session:
            return disclosure.detail(session, spec_id)


@blp.route("/public/specifications/<string:spec_id>/text")
class PublishedTextContentResource(MethodView):
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    def get(self, spec_id):
        """Download the approved text; ``X-Content-SHA256`` and the ETag carry its sha256."""
        with engine().db.transaction() as session:
            text, body = disclosure.content(session, spec_id)
            return download(text, body)
