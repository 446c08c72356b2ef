"""The script engine every workflow gets: sandboxed code, ISO 8601 timer values taken literally."""
from __future__ import annotations

from .sandbox import RestrictedEnvironment, SandboxedScriptEngine
from .timing import literal_value


class MtcScriptEngine(SandboxedScriptEngine):
    def evaluate(self, task, expression, external_context=None):
        literal = literal_value(expression) if isinstance(expression, str) else None
        if literal is not None:
            return literal
        return super().evaluate(task, expression, external_context)


def script_engine_factory(time_limit: float, max_steps: int):
    def make() -> MtcScriptEngine:
        return MtcScriptEngine(environment=RestrictedEnvironment(time_limit=time_limit, max_steps=max_steps))
    return make
