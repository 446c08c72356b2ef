"""Deploy, validate and read process definitions."""
from flask import Response, request
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import DefinitionListArgs, DefinitionSchema, DefinitionVersionsSchema, ValidationResult, page_of
from api.security.auth import authenticated, current_actor, engine
from api.views import definition_view, page_payload
from engine.db.pages import paginate
from engine.errors import InvalidBpmn, InvalidInput
from engine.runtime import definitions

blp = Blueprint("definitions", __name__, description="流程定义 · Process definitions")
ADMIN = "process_admin"
BPMN_BODY = {
    "required": True,
    "description": "a BPMN 2.0 file, as multipart field `file` or as the raw XML body",
    "content": {
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                           "properties": {"file": {"type": "string", "format": "binary"}}}},
        "application/xml": {"schema": {"type": "string"}},
    },
}

FILENAME_PARAM = {"in": "query", "name": "filename", "required": False,
                  "schema": {"type": "string", "maxLength": 255},
                  "description": "the file's name, kept with the version (raw XML body only)"}


def _filename(name: str | None) -> str | None:
    if name is not None and len(name) > FILENAME_PARAM["schema"]["maxLength"]:
        raise InvalidInput("A file name has at most 255 characters.", {"query": {"filename": ["too long"]}})
    return name or None


def _uploaded_bpmn() -> tuple[bytes, str | None]:
    """The BPMN from a multipart ``file`` field or a raw XML body."""
    limit = engine().settings.max_bytes
    if request.content_length and request.content_length > limit + 64 * 1024:
        raise InvalidBpmn(f"The upload exceeds the {limit}-byte limit.", [{"message": "file too large"}])
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise InvalidInput("Send the BPMN file in the multipart field 'file'.")
        return upload.read(limit + 1), _filename(upload.filename)
    if request.mimetype in ("application/xml", "text/xml", "application/bpmn+xml"):
        return request.get_data(cache=False)[: limit + 1], _filename(request.args.get("filename"))
    raise InvalidInput("Send BPMN as multipart/form-data (field 'file') or with Content-Type application/xml.")


@blp.route("/definitions")
class DefinitionsResource(MethodView):
    @authenticated(blp)
    @blp.arguments(DefinitionListArgs, location="query")
    @blp.response(200, page_of(DefinitionSchema))
    def get(self, args):
        """Latest version of each process key."""
        with engine().db.transaction() as session:
            query = definitions.latest_versions(args.get("key"))
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload([definition_view(d) for d in items], total, args["page"], args["per_page"])

    @authenticated(blp, ADMIN)
    @blp.doc(requestBody=BPMN_BODY, parameters=[FILENAME_PARAM])
    @blp.response(201, DefinitionSchema(many=True))
    @blp.alt_response(200, schema=DefinitionSchema(many=True), description="identical content: existing version")
    def post(self):
        """Deploy a BPMN file: a new version per process key, or the existing one for identical content."""
        data, filename = _uploaded_bpmn()
        eng = engine()
        with eng.db.transaction() as session:
            results = eng.definitions.deploy(session, data, current_actor().username, filename)
            payload = [definition_view(d, created) for d, created in results]
        return payload, 201 if any(item["created"] for item in payload) else 200


@blp.route("/definitions/validate")
class ValidateResource(MethodView):
    @authenticated(blp, ADMIN)
    @blp.doc(requestBody=BPMN_BODY)
    @blp.response(200, ValidationResult)
    def post(self):
        """Validate a BPMN file without deploying it; findings name the element."""
        data, _ = _uploaded_bpmn()
        eng = engine()
        try:
            with eng.db.transaction() as session:
                compiled = eng.definitions.validate(session, data)
        except InvalidBpmn as err:
            return {"valid": False, "processes": [], "errors": err.errors or [{"message": err.detail}]}
        return {"valid": True, "processes": [c.key for c in compiled], "errors": []}


@blp.route("/definitions/<definition_key:key>")
class DefinitionResource(MethodView):
    @authenticated(blp)
    @blp.response(200, DefinitionVersionsSchema)
    def get(self, key):
        """All versions of one process key."""
        with engine().db.transaction() as session:
            return {"key": key, "versions": [definition_view(d) for d in definitions.versions(session, key)]}


@blp.route("/definitions/<string:key>/versions/<int:version>/xml")
class DefinitionXmlResource(MethodView):
    @authenticated(blp)
    @blp.response(200, description="the BPMN XML", content_type="application/xml")
    def get(self, key, version):
        """The XML of one version, as deployed."""
        eng = engine()
        with eng.db.transaction() as session:
            xml = eng.definitions.get(session, key, version).xml
        return Response(xml, mimetype="application/xml")
