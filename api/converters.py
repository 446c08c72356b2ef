"""URL converters: integer ids in paths stay within what the database's integer columns hold.

Werkzeug's ``int`` accepts any number of digits; a 40-digit id reached the driver and failed there
(OverflowError on SQLite, out of range on PostgreSQL) as a 500. Bounded, it is simply not found (404),
and the OpenAPI document states the range.
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter, UnicodeConverter

ROW_ID_MAX = 2**31 - 1  # INTEGER on PostgreSQL


class RowIdConverter(IntegerConverter):
    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = ROW_ID_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class DefinitionKeyConverter(UnicodeConverter):
    """A process key other than the names of fixed sub-paths: ``/definitions/validate`` (POST only) otherwise
    also matched ``/definitions/<key>``, so OPTIONS advertised GET for it and GET read a process 'validate'."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = r"(?!validate(?![^/]))[^/]{1,}"  # a pattern: methods are collected before values convert


def init_app(app) -> None:
    """Call before any blueprint is registered (rules bind their converters then)."""
    app.url_map.converters["int"] = RowIdConverter
    app.url_map.converters["definition_key"] = DefinitionKeyConverter
