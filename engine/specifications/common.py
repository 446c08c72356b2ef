"""What the specification services share: the specification of the instance, its rule profile, durations
from the profile, and the committee facts the gates ask of the committee registry."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from sqlalchemy.orm import Session

from engine import clock
from engine.bpmn.service_tasks import ServiceContext
from engine.errors import InvalidInput
from engine.rules import profiles, workdays
from engine.rules.durations import Amount, from_rule
from engine.specifications import registry as spec_registry
from engine.specifications.models import Specification


def actor_name(ctx: ServiceContext) -> str | None:
    return getattr(ctx.actor, "username", None)


def profile(ctx: ServiceContext) -> profiles.Profile:
    found, _ = profiles.current().for_level(ctx.instance.level, ctx.instance.jurisdiction)
    return found


def ratio(ctx: ServiceContext, key: str) -> Fraction:
    return Fraction(str(profile(ctx).value(key)))


def after(ctx: ServiceContext, key: str, start: datetime) -> datetime:
    """``start`` plus the profile's duration ``key`` (calendar or working days)."""
    amount = from_rule(key, profile(ctx).get(key))
    if not isinstance(amount, Amount):
        raise InvalidInput(f"Rule '{key}' is not a duration.")
    moment, _ = amount.after(start, workdays.current())
    return moment


def deadline(ctx: ServiceContext, key: str, start: datetime) -> datetime:
    """A deadline ``key`` after ``start``: 24:00 Beijing time of the day it falls on."""
    return end_of(last_day(after(ctx, key, start)))


def before(ctx: ServiceContext, key: str, end: datetime) -> datetime:
    amount = from_rule(key, profile(ctx).get(key))
    moment, _ = amount.before(end, workdays.current())
    return moment


def spec_of(ctx: ServiceContext, data: dict, lock: bool = True) -> Specification:
    """The specification the instance works on: the ``spec_id`` variable, else the instance's scope."""
    spec_id = data.get("spec_id") or ctx.instance.specification
    if not spec_id:
        raise InvalidInput("This step needs a specification: start it with scope.specification (spec_id).",
                           [{"field": "spec_id", "message": "required"}])
    return spec_registry.get(ctx.session, str(spec_id), lock=lock)


def change(ctx: ServiceContext, spec: Specification, action: str, stage: str | None = None, **data) -> None:
    spec_registry.record(ctx.session, spec, action, actor_name(ctx), ctx.instance, stage=stage, **data)


def spec_variables(spec: Specification) -> dict:
    """What every phase hands its tasks about the specification (read-only for them)."""
    return {"spec_id": spec.id, "spec_title": spec.title, "spec_type": spec.type, "spec_stage": spec.stage,
            "spec_number": spec.number}


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def parse_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"'{field}' must be a date (YYYY-MM-DD).", [{"field": field, "message": "not a date"}]) \
            from None


def end_of(day: date) -> datetime:
    """24:00 Beijing time of ``day``, in UTC (what the registry stores)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), workdays.BEIJING).astimezone(UTC)


def last_day(moment: datetime) -> date:
    """The Beijing calendar day a deadline at ``moment`` ends (24:00 of 2 March is 2 March)."""
    return (moment - timedelta(microseconds=1)).astimezone(workdays.BEIJING).date()


def now() -> datetime:
    return clock.now()


# ----- the committee registry -------------------------------------------------------------------------
def committee_state(session: Session, code: str | None):
    """The committee as the registry knows it (``CommitteeState``), or None for a code it does not know."""
    from engine.committees.registry import status_of

    return status_of(session, code) if code else None
