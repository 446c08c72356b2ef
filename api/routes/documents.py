"""Documents of instances and tasks: upload (multipart), list and download, for those who see the instance."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from werkzeug.exceptions import RequestEntityTooLarge

from api.blueprint import Blueprint
from api.routes.notices import download
from api.schemas.notices import DESCRIPTION_MAX, DOWNLOAD_RESPONSES, UPLOAD_BODY, DocumentListSchema, DocumentSchema
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine.errors import InvalidInput
from engine.notices import documents
from engine.notices.models import Document

blp = Blueprint("documents", __name__, description="文件 · Documents of instances and tasks")
API = "/api/v1"
SLACK = 64 * 1024  # multipart framing and the description field


def document_view(d: Document) -> dict:
    return {"id": d.id, "instance_id": d.instance_id, "task_id": d.task_id, "filename": d.filename,
            "content_type": d.content_type, "size": d.size, "sha256": d.sha256, "description": d.description,
            "uploaded_by": d.uploaded_by, "uploaded_at": d.uploaded_at, "published_at": d.published_at,
            "url": f"{API}/documents/{d.id}/content"}


def _upload(instance_id: str | None, task_id: str | None) -> dict:
    actor = current_actor()
    require_writer(actor)
    eng = engine()
    policy = documents.DocumentPolicy.from_settings(eng.settings)
    request.max_content_length = policy.max_bytes + SLACK
    try:
        upload = request.files.get("file")
        description = request.form.get("description")
    except RequestEntityTooLarge:
        raise documents.too_large(policy) from None
    if upload is None:
        raise InvalidInput("Send the document as multipart/form-data with the field 'file'.",
                           [{"field": "file", "message": "required"}])
    if description is not None and len(description) > DESCRIPTION_MAX:  # was cut silently to fit the column
        raise InvalidInput(f"The description has {len(description)} characters; at most {DESCRIPTION_MAX}.",
                           [{"field": "description", "message": f"longer than {DESCRIPTION_MAX} characters"}])
    body = upload.stream.read(policy.max_bytes + 1)
    with eng.db.transaction() as session:
        document = documents.upload(session, eng.runtime, actor, policy, instance_id, upload.filename,
                                    upload.mimetype, body, task_id=task_id, description=description)
        return document_view(document)


def _listing(items: list[Document]) -> dict:
    return {"items": [document_view(d) for d in items], "total": len(items)}


@blp.route("/instances/<string:instance_id>/documents")
class InstanceDocumentsResource(MethodView):
    @authenticated(blp)
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, DocumentSchema)
    def post(self, instance_id):
        """Upload a document to an instance (size and type limits; the sha256 goes into the history)."""
        return _upload(instance_id, None)

    @authenticated(blp)
    @blp.response(200, DocumentListSchema)
    def get(self, instance_id):
        """The documents of an instance and of its tasks."""
        with engine().db.transaction() as session:
            return _listing(documents.of_instance(session, current_actor(), instance_id))


@blp.route("/tasks/<string:task_id>/documents")
class TaskDocumentsResource(MethodView):
    @authenticated(blp)
    @blp.doc(requestBody=UPLOAD_BODY)
    @blp.response(201, DocumentSchema)
    def post(self, task_id):
        """Upload a document to an open task the caller may work (its holder, if claimed)."""
        return _upload(None, task_id)

    @authenticated(blp)
    @blp.response(200, DocumentListSchema)
    def get(self, task_id):
        """The documents uploaded to a task."""
        with engine().db.transaction() as session:
            return _listing(documents.of_task(session, current_actor(), task_id))


@blp.route("/documents/<int:document_id>")
class DocumentResource(MethodView):
    @authenticated(blp)
    @blp.response(200, DocumentSchema)
    def get(self, document_id):
        """A document's metadata (404 outside the caller's scopes)."""
        with engine().db.transaction() as session:
            return document_view(documents.visible(session, current_actor(), document_id))


@blp.route("/documents/<int:document_id>/content")
class DocumentContentResource(MethodView):
    @authenticated(blp)
    @blp.doc(responses=DOWNLOAD_RESPONSES)
    def get(self, document_id):
        """Download a document (404 outside the caller's scopes)."""
        with engine().db.transaction() as session:
            document = documents.visible(session, current_actor(), document_id)
            return download(document, documents.content(session, document))
