"""Engine exceptions: each names a kind of failure; the API alone decides what a kind means in HTTP."""
from __future__ import annotations


class EngineError(Exception):
    kind = "invalid_request"

    def __init__(self, detail: str, errors: list | dict | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra


class NotFound(EngineError):
    kind = "not_found"


class Conflict(EngineError):
    kind = "conflict"


class Forbidden(EngineError):
    kind = "forbidden"

    def __init__(self, detail: str, rule: str | None = None, **extra):
        super().__init__(detail, rule=rule, **extra)
        self.rule = rule


class Unauthorized(EngineError):
    kind = "unauthorized"


class InvalidInput(EngineError):
    kind = "invalid_input"


class InvalidBpmn(EngineError):
    """A diagram was refused; ``errors`` lists ``{"element_id", "message", "line"}``."""

    kind = "invalid_bpmn"


class TooLarge(EngineError):
    """Content exceeds a configured size limit."""

    kind = "too_large"


class Unavailable(EngineError):
    kind = "unavailable"


class TooManyRequests(EngineError):
    """``retry_after`` (seconds) becomes the Retry-After header."""

    kind = "too_many_requests"
