"""The blueprint class of every route module, and the request parser it uses.

Query strings are as strict as bodies: webargs ignores unknown query parameters by default (EXCLUDE),
overriding our schemas' ``unknown = RAISE``; a misspelt filter (``?stat=waiting``) would silently return
everything. Here the schema decides. JSON bodies are decoded within the limits of ``api.json_body``, and
an operation that documents a body requires one (the document says ``required: true``).
"""
from __future__ import annotations

import json

import flask_smorest
from flask import current_app
from webargs import core
from webargs.flaskparser import FlaskParser, abort

from api import json_body


class SchemaDecidesParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _raw_load_json(self, req):
        if not core.is_json(req.mimetype):
            return core.missing
        text = req.get_data(cache=True).decode("utf-8")  # UnicodeDecodeError: webargs answers 400
        if not text.strip():
            raise json.JSONDecodeError("empty body", "", 0)  # webargs: missing, refused below
        try:
            return json_body.loads(text, current_app.config["MTCFLOW_JSON_MAX_DEPTH"])
        except json_body.Refused as err:
            abort(422, exc=err, message=f"The request body is JSON this server does not accept: {err}.")

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if data is core.missing:
            abort(400, message="This operation needs a JSON body (Content-Type: application/json); "
                               "send {} for none.")
        return data


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = SchemaDecidesParser()
