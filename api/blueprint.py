"""The blueprint class of every route module: query strings are as strict as bodies.

webargs ignores unknown query parameters by default (EXCLUDE), overriding our schemas' ``unknown =
RAISE``; a misspelt filter (``?stat=waiting``) would silently return everything. Here the schema decides.
"""
from __future__ import annotations

import flask_smorest
from webargs.flaskparser import FlaskParser


class SchemaDecidesParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = SchemaDecidesParser()
