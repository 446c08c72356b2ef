"""APScheduler as the alarm clock of the timer table: wake at the next due time, fire, plan the next wake.

The database decides what fires (``timer_service`` claims rows atomically); APScheduler only holds one
date job, in a memory job store, set to the earliest of: the next waiting timer, the next scheduled
start, and a poll interval (the fallback for timers created by other processes). A commit in this
process that stores a timer or schedule moves the job earlier at once (``engine.wakers``); on
PostgreSQL a ``LISTEN`` thread does the same for commits in other processes. Starting the worker fires
whatever came due while everything was down.
"""
from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from engine import clock
from engine.timers import hooks as timer_hooks
from engine.timers import schedules
from engine.timers.service import FireReport, TimerService

log = logging.getLogger("mtcflow.worker")
JOB_ID = "mtcflow-timers"


class TimerWorker:
    """One per process (API with the embedded worker, or ``mtcflow worker``); any number per database."""

    def __init__(self, engine, *, poll_seconds: float = 30.0, batch_size: int = 10, run_schedules: bool = True,
                 listen: bool = True):
        self.engine = engine
        self.service = TimerService(engine.db, engine.runtime, batch_size=batch_size)
        self.poll = timedelta(seconds=poll_seconds)
        self.run_schedules = run_schedules
        self.listen = listen and engine.db.dialect == "postgresql"
        self.scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})
        self.planned: datetime | None = None
        self.last_report = FireReport()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None

    # ----- life --------------------------------------------------------------------------------------------
    def start(self, wake_now: bool = True) -> TimerWorker:
        self.engine.wakers.add(self.notify)
        self.scheduler.start()
        if wake_now:
            self._plan(clock.now(), force=True)
        if self.listen:
            self._listener = threading.Thread(target=self._listen, name="mtcflow-listen", daemon=True)
            self._listener.start()
        log.info("timer worker started (poll %ss, listen %s)", self.poll.total_seconds(), self.listen)
        return self

    def stop(self) -> None:
        self.engine.wakers.remove(self.notify)
        self._stop.set()
        self.scheduler.shutdown(wait=True)
        if self._listener is not None:
            self._listener.join(timeout=5)

    # ----- planning ----------------------------------------------------------------------------------------
    def notify(self, due: datetime) -> None:
        """Something falls due at ``due``: wake then, unless a wake is already planned earlier."""
        with self._lock:
            if self.planned is None or due < self.planned:
                self._plan_locked(due)

    def _plan(self, at: datetime, force: bool = False) -> None:
        with self._lock:
            if force or self.planned is None or at < self.planned:
                self._plan_locked(at)

    def _plan_locked(self, at: datetime) -> None:
        # the engine clock may be a test clock; APScheduler counts wall time, so hand it the delay
        delay = max((at - clock.now()).total_seconds(), 0.0)
        run_date = datetime.now(UTC) + timedelta(seconds=delay)
        if self.scheduler.running:
            self.scheduler.add_job(self.wake, "date", run_date=run_date, id=JOB_ID, replace_existing=True)
        self.planned = at

    def job_time(self) -> datetime | None:
        """When APScheduler will next wake this worker (wall-clock time)."""
        job = self.scheduler.get_job(JOB_ID)
        return job.next_run_time if job else None

    # ----- work --------------------------------------------------------------------------------------------
    def wake(self) -> FireReport:
        """Fire everything due, start due scheduled instances, then plan the next wake."""
        with self._lock:
            self.planned = None
        report, upcoming = FireReport(), None
        try:
            report = self.service.run_pending()
            if self.run_schedules:
                _started, upcoming = schedules.run_due(self.engine.db, self.engine.runtime, self.engine.schedules)
        except Exception:  # the alarm must survive a bad pass (database away, …): try again at the next poll
            log.exception("timer pass failed")
        self.last_report = report
        mail_due = self._drain_mail()
        now = clock.now()
        candidates = [now + self.poll, upcoming, mail_due]
        try:
            candidates.append(self.service.next_due())
        except Exception:
            log.exception("could not read the next due timer")
        floor = now + timedelta(seconds=1.0 if report.failed else 0.05)
        with self._lock:  # a notify during the pass may have set an earlier time, or lost its job to the pass
            candidates.append(self.planned)
            self._plan_locked(max(min(c for c in candidates if c is not None), floor))
        if report.fired or report.failed:
            log.info("fired %s timer(s), %s failed", report.fired, report.failed)
        return report

    def _drain_mail(self) -> datetime | None:
        """Send what the outbox holds (when the engine has an SMTP server); returns when the next row is due."""
        mailer = getattr(self.engine, "mailer", None)
        if mailer is None:
            return None
        try:
            mail = mailer.drain()
            if mail.sent or mail.retrying or mail.failed:
                log.info("mail: %s sent, %s to retry, %s failed", mail.sent, mail.retrying, mail.failed)
            return mailer.next_due()
        except Exception:  # SMTP or database trouble: the rows stay pending; try again at the next poll
            log.exception("mail pass failed")
            return None

    def _listen(self) -> None:
        """Wake on ``NOTIFY mtcflow_timers`` from other processes (PostgreSQL only)."""
        import psycopg

        conninfo = self.engine.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {timer_hooks.CHANNEL}")
                    while not self._stop.is_set():
                        for message in connection.notifies(timeout=1.0):
                            self.notify(datetime.fromisoformat(message.payload))
            except Exception as err:  # reconnect after a pause; polling covers the gap
                log.warning("timer listener: %s; retrying", err)
                self._stop.wait(min(self.poll.total_seconds(), 10.0))
