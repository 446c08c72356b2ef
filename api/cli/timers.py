"""``mtcflow worker`` and ``mtcflow schedules …``, and the timer worker embedded in ``serve``."""
from __future__ import annotations

import json
import signal
import threading

import click

from engine.errors import EngineError
from engine.timers import schedules
from engine.timers.worker import TimerWorker


def start_embedded(eng) -> TimerWorker | None:
    """The embedded default: ``serve``/``quickstart`` fire timers in-process (MTCFLOW_EMBEDDED_WORKER=0: off)."""
    if not eng.settings.embedded_worker:
        click.echo("timer worker: not embedded (run `mtcflow worker`)")
        return None
    click.echo("timer worker: embedded")
    return TimerWorker(eng, poll_seconds=eng.settings.timer_poll_seconds).start()


def _subject(text: str) -> dict:
    """``committee=MTC-12,level=national,anchor=2031-06-30`` → a subject object."""
    subject: dict = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{part!r} is not key=value", param_hint="--subject")
        subject[key.strip()] = value.strip()
    return subject


def register(main: click.Group, make_engine, fail) -> None:
    @main.command()
    @click.option("--poll", type=float, default=None, help="fallback wake interval in seconds")
    @click.option("--batch", type=int, default=10, show_default=True, help="timers claimed per transaction")
    @click.option("--once", is_flag=True, help="fire what is due and start due schedules, then exit")
    def worker(poll: float | None, batch: int, once: bool) -> None:
        """Fire due timers and start scheduled instances; run as many as you like against one database."""
        eng = make_engine()
        eng.migrate()
        timer_worker = TimerWorker(eng, poll_seconds=poll or eng.settings.timer_poll_seconds, batch_size=batch)
        if once:
            report = timer_worker.wake()
            click.echo(f"fired {report.fired} timer(s), {report.failed} failed")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        timer_worker.start()
        click.echo(f"timer worker on {eng.settings.database_url}; Ctrl-C stops it")
        stop.wait()
        timer_worker.stop()

    @main.group("schedules")
    def schedules_group() -> None:
        """Scheduled starts (annual report per committee, re-review, renewal)."""

    @schedules_group.command("add")
    @click.option("--process", "process_key", required=True, help="process key, e.g. annual_report")
    @click.option("--yearly", help="MM-DD or a profile key with a yearly rule")
    @click.option("--after", help="duration after each subject's anchor (profile key or ISO, e.g. P5Y)")
    @click.option("--before", help="duration before each subject's anchor (profile key or ISO)")
    @click.option("--every", help="repeat this duration from each subject's anchor (profile key or ISO)")
    @click.option("--time", "at", default=None, help="HH:MM Beijing time (default 09:00)")
    @click.option("--subject", "subjects", multiple=True, required=True,
                  help="committee=MTC-12[,level=national,jurisdiction=…,specification=…,anchor=YYYY-MM-DD]")
    @click.option("--level", default=None)
    @click.option("--var", "variables", multiple=True, help="KEY=VALUE process variable (JSON values allowed)")
    @click.option("--name", default=None)
    def schedules_add(process_key, yearly, after, before, every, at, subjects, level, variables, name) -> None:
        """Create a schedule."""
        chosen = [(k, v) for k, v in (("yearly", yearly), ("after", after), ("before", before),
                                                 ("every", every)) if v]
        if len(chosen) != 1:
            raise click.UsageError("give exactly one of --yearly, --after, --before, --every")
        kind, value = chosen[0]
        rule = {"kind": kind, "date" if kind == "yearly" else "duration": value, **({"time": at} if at else {})}
        values = {}
        for item in variables:
            key, _, raw = item.partition("=")
            try:
                values[key] = json.loads(raw)
            except ValueError:
                values[key] = raw
        eng = make_engine()
        eng.migrate()
        try:
            with eng.db.transaction() as session:
                schedule = schedules.create(session, eng.definitions, eng.schedules, "cli", process_key=process_key,
                                            rule=rule, subjects=[_subject(s) for s in subjects], variables=values,
                                            level=level, name=name)
                click.echo(f"schedule {schedule.id}: {process_key} {kind} {value} for {len(subjects)} subject(s)")
        except EngineError as err:
            fail(err)

    @schedules_group.command("list")
    def schedules_list() -> None:
        """Schedules with their last runs."""
        eng = make_engine()
        eng.migrate()
        from sqlalchemy import select

        from engine.timers.models import Schedule

        with eng.db.transaction() as session:
            for s in session.scalars(select(Schedule).order_by(Schedule.id)):
                runs = schedules.runs(session, s.id)
                state = "active" if s.active else "inactive"
                click.echo(f"{s.id:4d} {s.process_key} {json.dumps(s.rule, ensure_ascii=False)} {state} "
                           f"subjects={len(s.subjects) if isinstance(s.subjects, list) else s.subjects} "
                           f"runs={len(runs)}")
