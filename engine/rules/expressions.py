"""Timer values without Python: ISO 8601 as written, rule-profile keys and working days, resolved here.

SpiffWorkflow evaluates timer expressions as Python (``PT30D`` fails, ``"PT30D"`` works). Our authors
write one of (README "Writing processes"):

- an ISO 8601 duration, date-time or cycle, taken literally: ``P30D``, ``2027-01-31T24:00+08:00``, ``R3/P7D``;
- a term, optionally with one offset joined by `` + `` or `` - `` (spaces required): a rule-profile key
  (``comment_window``), an ISO duration, working days ``P20WD``, or a fixed date-time:
  ``drafting_deadline - drafting_reminder_lead``, ``annual_report_due - P15D``, ``P5WD``;
- ``R<n>/<key>``: a cycle repeating a calendar duration taken from the profile.

Profile keys resolve against the instance's profile (its approval level), working days on the official
calendar; the engine hands SpiffWorkflow the concrete value and keeps a note (rule, profile, due, calendar
warnings) on the timer task. Anything else is a sandboxed Python expression, as before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.bpmn.sandbox import SandboxError, check_code
from engine.rules import profiles as profiles_module
from engine.rules import workdays
from engine.rules.durations import WORKDAYS, Amount, Instant, TimeValueError, Yearly, from_rule, parse_amount
from engine.rules.profiles import Profile, ProfileError, ProfileSet

_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                       r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$", re.IGNORECASE)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_CYCLE = re.compile(r"^R\d*/[^/\s]+(/[^/\s]+)?$", re.IGNORECASE)
_LOOKS_ISO = re.compile(r"^([PR]\d|P T|PT|\d{4}-)", re.IGNORECASE)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_OFFSET = re.compile(r"\s+([+-])\s+")
_KEY_CYCLE = re.compile(r"^R(\d*)/([a-z][a-z0-9_]*|P\d+WD)$", re.IGNORECASE)
KINDS = ("timeDate", "timeDuration", "timeCycle", "due")

# where a resolved timer leaves its note (rule, warning) in the Spiff task, for the timer projection to read
TIMER_NOTE = "mtc_timer"


class TimerExpressionError(ValueError):
    pass


def literal_value(expression: str) -> str | None:
    """The ISO 8601 text if ``expression`` is a bare literal, else None."""
    text = expression.strip()
    if _DURATION.match(text) or _DATETIME.match(text):
        return text.replace("Z", "+00:00") if _DATETIME.match(text) else text
    if _CYCLE.match(text) and all(_DURATION.match(p) or _DATETIME.match(p) for p in text.split("/")[1:]):
        return text
    return None


@dataclass(frozen=True)
class Expression:
    """A timer value in our grammar: ``base [op offset]`` or the cycle ``R<cycles>/base``."""

    text: str
    base: str
    op: str | None = None
    offset: str | None = None
    cycles: int | None = None


@dataclass(frozen=True)
class Resolved:
    """What SpiffWorkflow reads, the due time we computed and the note kept on the timer task."""

    value: str
    due: datetime | None = None
    note: dict | None = None
    warnings: list[str] = field(default_factory=list)


def _is_time_rule(rule) -> bool:
    try:
        from_rule("-", rule)
    except TimeValueError:
        return False
    return True


def _is_term(text: str) -> bool:
    return bool(_KEY.match(text) or parse_amount(text) or _DATETIME.match(text))


def parse(text: str) -> Expression | None:
    """Our grammar, or None when the text is something else (a Python expression)."""
    text = text.strip()
    cycle = _KEY_CYCLE.match(text)
    if cycle:
        return Expression(text, cycle.group(2), cycles=int(cycle.group(1)) if cycle.group(1) else -1)
    parts = _OFFSET.split(text)
    if len(parts) not in (1, 3) or not all(_is_term(p) for p in parts[0::2]):
        return None
    return Expression(text, parts[0], *(parts[1:] or (None, None)))


def _term(text: str, profile: Profile):
    if _KEY.match(text):
        if text not in profile:
            known = ", ".join(k for k in profile.rules if _is_time_rule(profile.rules[k]))
            raise TimerExpressionError(f"unknown rule-profile key '{text}' in profile '{profile.name}' "
                                       f"(time rules: {known})")
        try:
            return from_rule(text, profile.get(text))
        except (ProfileError, TimeValueError) as err:
            raise TimerExpressionError(str(err)) from err
    amount = parse_amount(text)
    if amount is not None:
        return amount
    return Instant(TimerEventDefinition.get_datetime(text.replace("Z", "+00:00")))


def due_time(expression: Expression, profile: Profile, calendar: workdays.WorkCalendar,
             now: datetime) -> tuple[datetime, list[str]]:
    """The instant an expression names, counted from ``now``, with any calendar warnings."""
    base = _term(expression.base, profile)
    warnings: list[str] = []
    if isinstance(base, Amount):
        moment, warnings = base.after(now, calendar)
    elif isinstance(base, Yearly):
        moment = base.at(now)
    else:
        moment = base.moment
    if expression.op:
        offset = _term(expression.offset, profile)
        if not isinstance(offset, Amount):
            raise TimerExpressionError(f"in {expression.text!r} the part after '{expression.op}' must be a "
                                       "duration, not a date")
        moment, more = offset.after(moment, calendar) if expression.op == "+" else offset.before(moment, calendar)
        warnings += [w for w in more if w not in warnings]
    return moment.astimezone(UTC), warnings


def _literal_fits(literal: str, kind: str) -> bool:
    if kind == "timeCycle":
        return bool(_CYCLE.match(literal))
    if kind == "timeDuration":
        return bool(_DURATION.match(literal))
    return kind == "timeDate" and bool(_DATETIME.match(literal))


def resolve(text: str, kind: str, level: str | None, now: datetime, profiles: ProfileSet | None = None,
            calendar: workdays.WorkCalendar | None = None) -> Resolved | None:
    """What SpiffWorkflow should read for a timer of ``kind``, or None for a Python expression."""
    text = text.strip()
    literal = literal_value(text)
    if literal is not None and _literal_fits(literal, kind):
        return Resolved(literal)
    expression = parse(text)
    if expression is None:
        return None
    profile, level_warning = (profiles or profiles_module.current()).for_level(level)
    calendar = calendar or workdays.current()
    note = {"expression": text, "profile": profile.name}
    if expression.cycles is not None:
        if kind != "timeCycle":
            raise TimerExpressionError(f"{text!r} is a cycle; only a timeCycle repeats")
        value = _term(expression.base, profile)
        if not isinstance(value, Amount) or value.iso is None:
            raise TimerExpressionError(f"a cycle repeats a calendar duration; {expression.base!r} is not one "
                                       "(working days cannot repeat at a fixed interval)")
        cycles = "" if expression.cycles < 0 else expression.cycles
        warnings = [level_warning] if level_warning else []
        return Resolved(f"R{cycles}/{value.iso}", None, {**note, "warnings": warnings}, warnings)
    if kind == "timeCycle":
        raise TimerExpressionError(f"a timeCycle needs R<n>/<duration>, not {text!r}")
    due, warnings = due_time(expression, profile, calendar, now)
    if level_warning:
        warnings.insert(0, level_warning)
    note.update(due=due.isoformat(), warnings=warnings, **{"from": now.isoformat()})
    # a timeDuration must stay a duration for SpiffWorkflow: the seconds from now to the due time
    value = f"PT{max((due - now).total_seconds(), 0.0):.6f}S" if kind == "timeDuration" else due.isoformat()
    return Resolved(value, due, note, warnings)


def _check_literal(text: str, literal: str, kind: str, now: datetime) -> None:
    try:
        if _CYCLE.match(literal):
            if kind == "due":
                raise TimerExpressionError("mtc:due is one moment; a cycle cannot be a due date")
            start = literal.upper().strip("R").split("/")[1]
            if _DATETIME.match(start) and TimerEventDefinition.get_datetime(start.replace("Z", "+00:00")) <= now:
                raise TimerExpressionError(f"the cycle {text!r} starts at a date already past")
            TimerEventDefinition.parse_iso_recurring_interval(literal)
        else:
            moment = TimerEventDefinition.parse_time_or_duration(literal)
            if isinstance(moment, datetime) and moment <= now:
                raise TimerExpressionError(f"the date {text!r} is already past")
    except TimerExpressionError:
        raise
    except Exception as err:  # the library raises bare Exception for bad values
        raise TimerExpressionError(f"timer expression {text!r} is not a valid ISO 8601 value: {err}") from err


def check_timer_expression(expression: str, kind: str = "timeDuration", now: datetime | None = None,
                           profiles: ProfileSet | None = None,
                           calendar: workdays.WorkCalendar | None = None) -> None:
    """Refuse at deployment what would fail or be wrong at run time: bad ISO values, unknown profile keys
    (in any profile), dates already past, working days where a fixed interval is needed."""
    from engine import clock

    text = (expression or "").strip()
    if not text:
        raise TimerExpressionError("timer has no time expression")
    now = now or clock.now()
    literal = literal_value(text)
    if literal is not None:
        _check_literal(text, literal, kind, now)
        return
    parsed = parse(text)
    if parsed is None:
        if _LOOKS_ISO.match(text) or WORKDAYS.match(text.split()[0]):
            raise TimerExpressionError(f"timer expression {text!r} is not a valid ISO 8601 duration, date or "
                                       "cycle, nor working days like P20WD")
        if kind == "due":
            raise TimerExpressionError(f"mtc:due takes a rule-profile key, a duration or a date, not {text!r}")
        try:
            check_code(text, "eval")
        except SandboxError as err:
            raise TimerExpressionError(f"timer expression {text!r} is neither ISO 8601 nor a valid "
                                       f"expression: {err}") from err
        return
    if _DATETIME.match(parsed.base) and _term(parsed.base, Profile("-", {})).moment <= now:
        raise TimerExpressionError(f"the date {parsed.base!r} in {text!r} is already past")
    profiles = profiles or profiles_module.current()
    for name in sorted(profiles.names(), key=lambda n: n != profiles.default):
        try:
            resolve(text, "timeDate" if kind == "due" else kind, name, now, profiles, calendar)
        except (TimerExpressionError, ValueError) as err:
            raise TimerExpressionError(str(err) if "profile '" in str(err) else f"{err} (profile '{name}')") \
                from err
