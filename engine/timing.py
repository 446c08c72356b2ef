"""Timer expressions without Python: authors write ISO 8601 values as they are.

SpiffWorkflow evaluates timer expressions as Python (``PT30D`` fails, ``"PT30D"`` works). A bare ISO
8601 duration, date-time or repeating interval is taken literally here; anything else is a sandboxed
Python expression.
"""
from __future__ import annotations

import re

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from .sandbox import SandboxError, check_code

_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                       r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$", re.IGNORECASE)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_CYCLE = re.compile(r"^R\d*/[^/\s]+(/[^/\s]+)?$", re.IGNORECASE)
_LOOKS_ISO = re.compile(r"^([PR]\d|P T|PT|\d{4}-)", re.IGNORECASE)


class TimerExpressionError(ValueError):
    pass


def literal_value(expression: str) -> str | None:
    """The ISO 8601 text if ``expression`` is a bare literal, else None."""
    text = expression.strip()
    if _DURATION.match(text) or _DATETIME.match(text) or _CYCLE.match(text):
        return text.replace("Z", "+00:00") if _DATETIME.match(text) else text
    return None


def check_timer_expression(expression: str) -> None:
    text = (expression or "").strip()
    if not text:
        raise TimerExpressionError("timer has no time expression")
    literal = literal_value(text)
    if literal is None and _LOOKS_ISO.match(text):
        raise TimerExpressionError(f"timer expression {text!r} is not a valid ISO 8601 duration, date or cycle")
    if literal is None:
        try:
            check_code(text, "eval")
        except SandboxError as err:
            raise TimerExpressionError(f"timer expression {text!r} is neither ISO 8601 nor a valid "
                                       f"expression: {err}") from err
        return
    try:
        if _CYCLE.match(literal):
            TimerEventDefinition.parse_iso_recurring_interval(literal)
        else:
            TimerEventDefinition.parse_time_or_duration(literal)
    except Exception as err:  # the library raises bare Exception for bad values
        raise TimerExpressionError(f"timer expression {text!r} is not a valid ISO 8601 value: {err}") from err
