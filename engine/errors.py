"""Engine exceptions; the API maps each class to one HTTP status in one place."""
from __future__ import annotations


class EngineError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: list | dict | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.extra = extra


class NotFound(EngineError):
    status = 404
    title = "Not found"


class Conflict(EngineError):
    status = 409
    title = "Conflict"


class Forbidden(EngineError):
    status = 403
    title = "Forbidden"

    def __init__(self, detail: str, rule: str | None = None, **extra):
        super().__init__(detail, rule=rule, **extra)
        self.rule = rule


class Unauthorized(EngineError):
    status = 401
    title = "Unauthorized"


class InvalidInput(EngineError):
    status = 422
    title = "Invalid input"


class InvalidBpmn(EngineError):
    """A diagram was refused; ``errors`` lists ``{"element_id", "message", "line"}``."""

    status = 422
    title = "Invalid BPMN"


class Unavailable(EngineError):
    status = 503
    title = "Service unavailable"


class TooManyRequests(EngineError):
    """``retry_after`` (seconds) becomes the Retry-After header."""

    status = 429
    title = "Too many requests"
