"""The script engine every workflow gets: sandboxed code; timer values resolved without Python."""
from __future__ import annotations

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimerEventDefinition,
)

from engine import clock
from engine.bpmn.sandbox import RestrictedEnvironment, SandboxedScriptEngine
from engine.rules.expressions import TIMER_NOTE, TimerExpressionError, literal_value, resolve
from engine.rules.profiles import selector


def _timer_of(definition, expression) -> TimerEventDefinition | None:
    """The timer being evaluated: the task's own, or the one inside an event-based gateway's multiple event."""
    if isinstance(definition, TimerEventDefinition):
        return definition
    if isinstance(definition, MultipleEventDefinition):
        return next((d for d in definition.event_definitions
                     if isinstance(d, TimerEventDefinition) and d.expression == expression), None)
    return None


def timer_kind(definition: TimerEventDefinition) -> str:
    if isinstance(definition, CycleTimerEventDefinition):
        return "timeCycle"
    if isinstance(definition, DurationTimerEventDefinition):
        return "timeDuration"
    return "timeDate"


class MtcScriptEngine(SandboxedScriptEngine):
    """Knows the instance's approval level, so profile keys in timers resolve against its profile."""

    def __init__(self, environment=None, level: str | None = None, jurisdiction: str | None = None):
        super().__init__(environment)
        self.level = selector(level, jurisdiction)

    def evaluate(self, task, expression, external_context=None):
        definition = _timer_of(getattr(task.task_spec, "event_definition", None), expression)
        if isinstance(expression, str) and definition is not None:
            try:
                resolved = resolve(expression, timer_kind(definition), self.level, clock.now())
            except (TimerExpressionError, ValueError) as err:
                raise WorkflowTaskException(f"Timer '{expression}': {err}", task=task, exception=err) from err
            if resolved is not None:
                if resolved.note:
                    task.internal_data[TIMER_NOTE] = resolved.note
                return resolved.value
        literal = literal_value(expression) if isinstance(expression, str) else None
        if literal is not None:
            return literal
        return super().evaluate(task, expression, external_context)


def script_engine_factory(time_limit: float, max_steps: int):
    def make(level: str | None = None, jurisdiction: str | None = None) -> MtcScriptEngine:
        """A script engine for one workflow; ``level``/``jurisdiction`` pick its rule profile."""
        environment = RestrictedEnvironment(time_limit=time_limit, max_steps=max_steps)
        return MtcScriptEngine(environment=environment, level=level, jurisdiction=jurisdiction)
    return make
