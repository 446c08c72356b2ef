"""Scheduled starts: a process per subject per occurrence (annual report per committee per year, re-review
N years after a specification takes effect, renewal N days before a term ends), each exactly once.

A schedule has a rule and subjects. Rules (times are Beijing time, default 09:00):

- ``{"kind": "yearly", "date": "01-01"}`` — every year on that day; ``date`` may be a profile key whose rule
  is yearly (``annual_report_start``). Occurrences before the schedule's ``starts_at`` are not run.
- ``{"kind": "after", "duration": "rereview_interval"}`` — once, that long after the subject's ``anchor``
  date (a profile key or an ISO duration such as ``P5Y``).
- ``{"kind": "before", "duration": "renewal_lead"}`` — once, that long before the subject's ``anchor``.
- ``{"kind": "every", "duration": "chair_report_interval"}`` — repeatedly, each that long after the previous
  one, from the subject's ``anchor`` (a committee's term start: the chair reports once per interval of a term).

Subjects are a list of objects ``{"committee"?, "specification"?, "level"?, "jurisdiction"?, "anchor"?,
"variables"?}``, or the name of a provider in the engine's ``ScheduleSources`` (the committee package
registers ``active_committees`` there). Each occurrence inserts a run row whose
UNIQUE (schedule, subject, period) lets exactly one worker start the instance; a start that fails is kept
as a run with its error and retried on the next wake.
"""
from __future__ import annotations

import logging
import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.access import scopes
from engine.access.actors import SYSTEM_ACTOR, Actor
from engine.errors import Conflict, EngineError, InvalidInput, NotFound
from engine.history import log as history
from engine.rules import profiles
from engine.rules.durations import Amount, TimeValueError, Yearly, from_rule, parse_amount
from engine.rules.workdays import BEIJING
from engine.timers.models import Schedule, ScheduleRun

log = logging.getLogger("mtcflow.schedules")
KINDS = ("yearly", "after", "before", "every")
EVERY_LIMIT = 100  # occurrences of one "every" subject looked at, so a tiny interval cannot loop
SUBJECT_FIELDS = ("committee", "specification", "level", "jurisdiction", "anchor", "variables", "business_key")
NATIONAL = "level/national"  # the grant scope of the national authority (市场监管总局)
_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass
class ScheduleSources:
    """One engine's named subject providers (``name -> fn(session)``, a schedule's ``subjects`` may name one) and
    sweeps (what registries must do as time passes, run by every worker wake before the starts:
    ``name -> fn(session, now)``); the domain packages' ``register`` functions fill them."""

    providers: dict[str, Callable[[Session], list[dict]]] = field(default_factory=dict)
    sweeps: dict[str, Callable[[Session, datetime], object]] = field(default_factory=dict)


@dataclass(frozen=True)
class Occurrence:
    schedule_id: int
    subject_key: str
    subject: dict
    period: str
    due_at: datetime


def subject_key(subject: dict) -> str:
    parts = [f"committee:{subject['committee']}" if subject.get("committee") else "",
             f"spec:{subject['specification']}" if subject.get("specification") else ""]
    return "|".join(p for p in parts if p) or "-"


def _at(day: date, rule: dict) -> datetime:
    hours, _, minutes = (rule.get("time") or "09:00").partition(":")
    return datetime.combine(day, time(int(hours), int(minutes or 0)), BEIJING)


def _profile(schedule: Schedule, subject: dict):
    profile, _ = profiles.current().for_level(subject.get("level") or schedule.level, subject.get("jurisdiction"))
    return profile


def _yearly(schedule: Schedule, subject: dict) -> tuple[int, int]:
    text = schedule.rule["date"]
    match = _DAY.match(text)
    if match:
        return int(match.group(1)), int(match.group(2))
    value = from_rule(text, _profile(schedule, subject).get(text))
    if not isinstance(value, Yearly):
        raise TimeValueError(f"rule '{text}' is not a yearly date")
    return value.month, value.day


def _amount(schedule: Schedule, subject: dict) -> Amount:
    text = schedule.rule["duration"]
    amount = parse_amount(text)
    if amount is None:
        value = from_rule(text, _profile(schedule, subject).get(text))
        if not isinstance(value, Amount):
            raise TimeValueError(f"rule '{text}' is not a duration")
        amount = value
    return amount


def occurrences(schedule: Schedule, subject: dict, until: datetime) -> list[tuple[str, datetime]]:
    """``(period, due_at)`` of the subject's occurrences due by ``until`` (and, for yearly, the next one)."""
    rule = schedule.rule
    if rule["kind"] == "yearly":
        month, day = _yearly(schedule, subject)
        found = []
        for year in range(schedule.starts_at.astimezone(BEIJING).year, until.astimezone(BEIJING).year + 2):
            moment = _at(date(year, month, min(day, monthrange(year, month)[1])), rule)
            if moment >= schedule.starts_at:
                found.append((str(year), moment))
            if moment > until:
                break
        return found
    anchor = date.fromisoformat(subject["anchor"])
    start = _at(anchor, rule)
    from engine.rules.workdays import current as calendar

    amount = _amount(schedule, subject)
    if rule["kind"] == "every":
        return _every(amount, anchor, start, until, calendar())
    moment, _ = amount.after(start, calendar()) if rule["kind"] == "after" else amount.before(start, calendar())
    return [(f"{rule['kind']}:{anchor.isoformat()}", moment.astimezone(BEIJING))]


def _every(amount: Amount, anchor: date, start: datetime, until: datetime, calendar) -> list[tuple[str, datetime]]:
    """The n-th interval after the anchor, for each n whose moment is due by ``until``, and the next one."""
    found, moment = [], start
    for number in range(1, EVERY_LIMIT + 1):
        moment, _ = amount.after(moment, calendar)
        found.append((f"every:{anchor.isoformat()}:{number}", moment.astimezone(BEIJING)))
        if moment > until:
            break
    return found


def subjects_of(session: Session, schedule: Schedule, sources: ScheduleSources) -> list[dict]:
    if isinstance(schedule.subjects, str):
        provider = sources.providers.get(schedule.subjects)
        if provider is None:
            log.error("schedule %s: no subject provider '%s' is registered", schedule.id, schedule.subjects)
            return []
        return provider(session)
    return list(schedule.subjects or [])


def pending(session: Session, now: datetime, sources: ScheduleSources) -> tuple[list[Occurrence], datetime | None]:
    """Occurrences due now without a started instance, and when the next future one falls due."""
    done = {(r.schedule_id, r.subject, r.period) for r in session.scalars(
        select(ScheduleRun).where(ScheduleRun.instance_id.is_not(None)))}
    due, upcoming = [], None
    for schedule in session.scalars(select(Schedule).where(Schedule.active.is_(True)).order_by(Schedule.id)):
        for subject in subjects_of(session, schedule, sources):
            key = subject_key(subject)
            try:
                found = occurrences(schedule, subject, now)
            except (ValueError, KeyError, profiles.ProfileError) as err:
                log.error("schedule %s subject %s: %s", schedule.id, key, err)
                continue
            for period, moment in found:
                if (schedule.id, key, period) in done:
                    continue
                if moment <= now:
                    due.append(Occurrence(schedule.id, key, subject, period, moment))
                elif upcoming is None or moment < upcoming:
                    upcoming = moment
    return due, upcoming


def _start(runtime, session: Session, actor: Actor, occurrence: Occurrence):
    run = session.scalar(select(ScheduleRun).where(
        ScheduleRun.schedule_id == occurrence.schedule_id, ScheduleRun.subject == occurrence.subject_key,
        ScheduleRun.period == occurrence.period).with_for_update(skip_locked=True))
    if run is not None and run.instance_id:
        return None
    if run is None:
        run = ScheduleRun(schedule_id=occurrence.schedule_id, subject=occurrence.subject_key,
                          period=occurrence.period, due_at=occurrence.due_at, started_at=clock.now())
        session.add(run)
        session.flush()  # a second worker's insert of the same occurrence fails here (unique key)
    schedule = session.get(Schedule, occurrence.schedule_id)
    subject = occurrence.subject
    variables = {**(schedule.variables or {}), **(subject.get("variables") or {}),
                 "schedule_period": occurrence.period, "scheduled_for": occurrence.due_at.isoformat()}
    scope = {name: subject.get(name) or (schedule.level if name == "level" else None)
             for name in ("committee", "specification", "level", "jurisdiction")}
    business_key = (subject.get("business_key")
                    or f"{schedule.process_key}:{occurrence.subject_key}:{occurrence.period}")
    instance = runtime.start(session, actor, schedule.process_key, business_key, variables,
                             scope={k: v for k, v in scope.items() if v})
    run.instance_id, run.error, run.started_at = instance.id, None, clock.now()
    return instance


def _record_failure(db, occurrence: Occurrence, err: Exception) -> None:
    try:
        with db.transaction() as session:
            run = session.scalar(select(ScheduleRun).where(
                ScheduleRun.schedule_id == occurrence.schedule_id, ScheduleRun.subject == occurrence.subject_key,
                ScheduleRun.period == occurrence.period))
            if run is None:
                run = ScheduleRun(schedule_id=occurrence.schedule_id, subject=occurrence.subject_key,
                                  period=occurrence.period, due_at=occurrence.due_at)
                session.add(run)
            if run.instance_id is None:
                run.error = f"{getattr(err, 'detail', None) or err}"[:2000]
    except EngineError:
        pass  # another worker recorded or started it meanwhile


def run_sweeps(db, sources: ScheduleSources) -> None:
    """Each registered sweep in its own transaction; one that fails is logged and tried again at the next wake."""
    for name, sweep in sources.sweeps.items():
        try:
            with db.transaction() as session:
                sweep(session, clock.now())
        except EngineError as err:
            log.error("sweep %s failed: %s", name, err.detail)


def run_due(db, runtime, sources: ScheduleSources, actor: Actor = SYSTEM_ACTOR) -> tuple[list[str], datetime | None]:
    """Run the registry sweeps, then start every due occurrence (one transaction each); returns the started
    instance ids and the next occurrence's due time, for the alarm clock."""
    run_sweeps(db, sources)
    with db.transaction() as session:
        due, upcoming = pending(session, clock.now(), sources)
    started = []
    for occurrence in due:
        try:
            with db.transaction() as session:
                instance = _start(runtime, session, actor, occurrence)
                if instance is not None:
                    started.append(instance.id)
        except Conflict:
            continue  # another worker started this occurrence
        except EngineError as err:
            log.error("schedule %s, %s, %s: start failed: %s", occurrence.schedule_id, occurrence.subject_key,
                      occurrence.period, err.detail)
            _record_failure(db, occurrence, err)
    return started, upcoming


def create(session: Session, definitions, sources: ScheduleSources, actor: str, *, process_key: str,
           rule: dict, subjects, variables: dict | None = None, level: str | None = None, name: str | None = None,
           starts_at: datetime | None = None) -> Schedule:
    """Validate and store a schedule; the process must be deployed and the rule resolvable for every subject."""
    definitions.latest(session, process_key)
    if rule.get("kind") not in KINDS:
        raise InvalidInput(f"rule.kind must be one of {', '.join(KINDS)}.", [{"field": "rule.kind"}])
    needed = "date" if rule["kind"] == "yearly" else "duration"
    if not rule.get(needed):
        raise InvalidInput(f"A '{rule['kind']}' rule needs rule.{needed}.", [{"field": f"rule.{needed}"}])
    schedule = Schedule(name=name, process_key=process_key, rule=dict(rule), subjects=subjects,
                        variables=dict(variables or {}), level=level, active=True, created_by=actor,
                        starts_at=starts_at or clock.now(), created_at=clock.now())
    if not isinstance(subjects, str | list) or (isinstance(subjects, str) and subjects not in sources.providers):
        raise InvalidInput("subjects must be a list of subjects or the name of a registered provider "
                           f"({', '.join(sources.providers) or 'none registered yet'}).", [{"field": "subjects"}])
    checked = subjects if isinstance(subjects, list) else [{}] if rule["kind"] == "yearly" else []
    for index, subject in enumerate(checked):
        unknown = set(subject) - set(SUBJECT_FIELDS) if isinstance(subject, dict) else {"(not an object)"}
        if unknown:
            raise InvalidInput(f"subjects[{index}] has unknown fields: {', '.join(sorted(unknown))}.",
                               [{"field": f"subjects[{index}]"}])
        if rule["kind"] != "yearly" and not subject.get("anchor"):
            raise InvalidInput(f"subjects[{index}] needs an anchor date for a '{rule['kind']}' rule.",
                               [{"field": f"subjects[{index}].anchor"}])
        try:
            occurrences(schedule, subject, clock.now())
        except (ValueError, KeyError, TypeError, profiles.ProfileError) as err:
            raise InvalidInput(f"The rule cannot be computed for subjects[{index}]: {err}",
                               [{"field": "rule"}]) from err
    session.add(schedule)
    session.flush()
    history.append(session, history.GLOBAL_STREAM, "schedule_created", actor=actor, process_key=process_key,
                   data={"schedule_id": schedule.id, "name": name, "rule": schedule.rule,
                         "subjects": subjects, "level": level})
    return schedule


def within_reach(actor: Actor, subjects, level: str | None) -> bool:
    """谁审批、谁监管: an authority plans, reads and stops only schedules whose every listed subject lies under one of
    its authority grants; a provider's registry-wide subjects are the national authority's (or an unscoped
    grant's). Process admins (who run the scheduler) and auditors reach every schedule."""
    if actor.is_system or actor.is_auditor or actor.has_role("process_admin"):
        return True
    grants = [g for g in actor.grants if g.role == "authority"]
    if not isinstance(subjects, list):
        return any(g.scope is None or g.scope == NATIONAL for g in grants)
    targets = [SimpleNamespace(committee=s.get("committee"), specification=s.get("specification"),
                               level=s.get("level") or level, jurisdiction=s.get("jurisdiction"))
               for s in subjects if isinstance(s, dict)]
    return bool(targets) and all(any(scopes.covers(g, t) for g in grants) for t in targets)


def get(session: Session, schedule_id: int, actor: Actor = SYSTEM_ACTOR) -> Schedule:
    schedule = session.get(Schedule, schedule_id)
    if schedule is None or not within_reach(actor, schedule.subjects, schedule.level):
        raise NotFound(f"No schedule {schedule_id}.")
    return schedule


def reachable(session: Session, actor: Actor) -> list[Schedule]:
    """The schedules within the actor's reach, newest first. Schedules are few (one per rule and process), and
    reach depends on their JSON subjects, so it is decided here rather than in SQL."""
    return [s for s in session.scalars(select(Schedule).order_by(Schedule.id.desc()))
            if within_reach(actor, s.subjects, s.level)]


def runs(session: Session, schedule_id: int) -> list[ScheduleRun]:
    return list(session.scalars(select(ScheduleRun).where(ScheduleRun.schedule_id == schedule_id)
                                .order_by(ScheduleRun.due_at, ScheduleRun.id)))


def deactivate(session: Session, schedule_id: int, actor: Actor, reason: str) -> Schedule:
    """Stop a schedule from starting anything more; instances it started run on."""
    schedule = get(session, schedule_id, actor)
    schedule.active = False
    history.append(session, history.GLOBAL_STREAM, "schedule_deactivated", actor=actor.username,
                   process_key=schedule.process_key, data={"schedule_id": schedule.id, "reason": reason})
    return schedule


def next_due(session: Session, sources: ScheduleSources) -> datetime | None:
    return pending(session, clock.now(), sources)[1]

