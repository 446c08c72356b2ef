"""Task forms: one JSON Schema per form key, checked on the server for every completion."""
from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

from engine.errors import InvalidInput

VARIABLE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


class FormRegistry:
    def __init__(self, *directories: Path):
        self._schemas: dict[str, dict] = {}
        self._validators: dict[str, Draft202012Validator] = {}
        for directory in directories:
            if not directory.is_dir():
                continue
            for path in sorted(directory.glob("*.json")):
                schema = json.loads(path.read_text("utf-8"))
                Draft202012Validator.check_schema(schema)
                self._schemas[path.stem] = schema
                self._validators[path.stem] = Draft202012Validator(schema)

    def get(self, key: str | None) -> dict | None:
        return self._schemas.get(key) if key else None

    def keys(self) -> list[str]:
        return sorted(self._schemas)

    def validate(self, key: str | None, data: dict) -> None:
        check_variable_names(data)
        validator = self._validators.get(key) if key else None
        if validator is None:
            return
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            raise InvalidInput(
                f"The submitted data does not match form '{key}'.",
                [{"field": "/".join(str(p) for p in e.absolute_path) or None, "message": e.message}
                 for e in errors],
            )


def check_variable_names(data: dict) -> None:
    """Process variables are read by gateway conditions: plain identifiers only, never dunders."""
    bad = [k for k in data if not isinstance(k, str) or not VARIABLE_NAME.match(k)]
    if bad:
        raise InvalidInput("Variable names must start with a letter and contain only letters, digits and "
                           "underscores.", [{"field": str(k), "message": "invalid variable name"} for k in bad])
