"""Request bodies are decoded here, once, within limits every later step can live with.

Python's decoder accepts JSON that breaks later steps with a 500: nesting deep enough to exhaust the
recursion limit (in the decoder, in copies, in the hash chain's canonical form), integers too long to
convert (over 4,300 digits) or too large for a database integer, ``NaN``/``Infinity`` (not JSON), and
lone UTF-16 surrogates (``"\\ud800"``) that no UTF-8 encoder, hence no database, accepts. I-JSON
(RFC 7493) excludes the last three; the depth limit is ours (``MTCFLOW_JSON_MAX_DEPTH``).
"""
from __future__ import annotations

import json
import math
import re

SAFE_INTEGER = 2**53 - 1  # I-JSON: integers exactly representable everywhere (JavaScript, doubles)
_DIGITS_MAX = 16  # a longer literal is out of range whatever it says; never hand it to int()
_SURROGATE = re.compile("[\ud800-\udfff]")


class Refused(ValueError):
    """The body is JSON the server does not accept; the message says why (for the problem's detail)."""


def _integer(text: str) -> int:
    digits = text.lstrip("-")
    if len(digits) > _DIGITS_MAX or int(digits) > SAFE_INTEGER:
        raise Refused(f"integers must lie within ±{SAFE_INTEGER} (I-JSON, RFC 7493); got {len(digits)} digits")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Refused(f"number {text[:20]!r} is out of range")
    return value


def _constant(name: str):
    raise Refused(f"{name} is not a JSON value")


def loads(text: str, max_depth: int):
    """Decode ``text``; raises :class:`Refused` for JSON outside the limits and ``json.JSONDecodeError``
    for malformed JSON."""
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise Refused(f"nesting deeper than {max_depth} levels") from None
    _check(value, max_depth)
    return value


def _check(value, max_depth: int) -> None:
    """Depth and lone surrogates, without recursion (the value may be as deep as the decoder allowed)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise Refused(f"nesting deeper than {max_depth} levels")
            children = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            for key, child in children:
                if key is not None:
                    _text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, str):
            _text(item)


def _text(text: str) -> None:
    if _SURROGATE.search(text):
        raise Refused("text contains a lone UTF-16 surrogate (\\ud800–\\udfff), which is not Unicode text")
