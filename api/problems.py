"""Every error leaves as ``application/problem+json``; the kinds of engine errors map to HTTP here only."""
from __future__ import annotations

import http
import logging

from flask import Response, json, render_template, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, InternalServerError

from engine.errors import EngineError

log = logging.getLogger("mtcflow.api")
PROBLEM = "application/problem+json"

#: Engine error kind → (status, title): the one place an engine failure gets its HTTP meaning.
KINDS: dict[str, tuple[int, str]] = {
    "invalid_request": (400, "Bad request"),
    "unauthorized": (401, "Unauthorized"),
    "forbidden": (403, "Forbidden"),
    "not_found": (404, "Not found"),
    "conflict": (409, "Conflict"),
    "too_large": (413, "Content too large"),
    "invalid_input": (422, "Invalid input"),
    "invalid_bpmn": (422, "Invalid BPMN"),
    "too_many_requests": (429, "Too many requests"),
    "unavailable": (503, "Service unavailable"),
}


class ProblemSchema(Schema):
    """RFC 9457 members, and every extension member some problem carries (the document lists them all)."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Raw()
    rule = fields.String(metadata={"description": "403/429: the rule that refused (lane-role, scope, BR3, …)"})
    retry_after = fields.Integer(metadata={"description": "429/503: seconds to wait, as in Retry-After"})
    accepted = fields.List(fields.String(), metadata={"description": "422 on a document upload: accepted types"})
    notice_id = fields.Integer(metadata={"description": "409 on a notice comment: the notice"})
    notice_phase = fields.String(metadata={"description": "409 on a notice comment: upcoming, ended, closed, "
                                                          "withdrawn"})
    opens_at = fields.String(metadata={"description": "409 on an upcoming notice: when comments open (ISO 8601)"})
    closes_at = fields.String(metadata={"description": "409 on a closed notice: when comments closed (ISO 8601)"})


def problem_response(status: int, detail: str, title: str | None = None, errors=None,
                     headers: dict | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": title or http.HTTPStatus(status).phrase, "status": status,
            "detail": detail}
    if errors:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if v is not None})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _describe_validation(errors) -> str:
    if isinstance(errors, dict):
        parts = []
        for location, fields_ in errors.items():
            if isinstance(fields_, dict):
                parts.extend(f"{name}: {'; '.join(map(str, msgs)) if isinstance(msgs, list) else msgs}"
                             for name, msgs in fields_.items())
            else:
                parts.append(f"{location}: {fields_}")
        if parts:
            return "Invalid request: " + ", ".join(parts)
    return "The request is invalid."


def _browser_navigation() -> bool:
    """A person typed or followed a URL outside the API: they get a page, scripts and clients keep JSON."""
    accept = request.accept_mimetypes
    return not request.path.startswith("/api/") and accept.best_match([PROBLEM, "text/html"]) == "text/html" \
        and accept["text/html"] > accept["*/*"]


class ProblemApi(Api):
    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def handle_http_exception(self, error: HTTPException):
        if error.code in (404, 405) and _browser_navigation():
            return render_template("error.html", code=error.code), error.code
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        headers = dict(data.get("headers") or {})
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)
        if isinstance(error, InternalServerError):
            log.exception("unhandled error", exc_info=getattr(error, "original_exception", None))
            return problem_response(500, "An internal error occurred; it has been logged.")
        if error.code == 400 and not errors:
            detail = data.get("message") or ("The request body is not valid JSON." if "JSON" in (
                error.description or "") else (error.description or "Bad request."))
            return problem_response(400, detail, headers=headers)
        detail = data.get("message") or (_describe_validation(errors) if errors else error.description)
        return problem_response(error.code, detail, errors=errors, headers=headers)

    def _register_responses(self):
        """Document error responses as problem+json (overrides a private flask-smorest hook)."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def register_engine_errors(app) -> None:
    @app.errorhandler(EngineError)
    def _engine_error(err: EngineError):
        extra = dict(err.extra)
        retry_after = extra.get("retry_after")
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        status, title = KINDS[err.kind]
        return problem_response(status, err.detail, title=title, errors=err.errors, headers=headers, **extra)
