"""The worker: catch-up after downtime, a crash mid-fire leaves the timer due, a poison timer is parked, and
the APScheduler alarm clock is moved by commits — all with the manual clock, nothing sleeps."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from engine.access.actors import SYSTEM_ACTOR
from engine.history.models import Event
from engine.runtime import actions as runtime_module
from engine.runtime.models import Instance, Task, Timer
from engine.timers.service import MAX_ATTEMPTS, TimerService
from engine.timers.worker import TimerWorker
from tests.conftest import BPMN
from tests.timer_support import events, timers


def start(engine, key, n=1, **kwargs):
    ids = []
    for _ in range(n):
        with engine.db.transaction() as session:
            ids.append(engine.runtime.start(session, SYSTEM_ACTOR, key, **kwargs).id)
    return ids


def test_catch_up_after_downtime(engine, clock):
    engine.deploy_files([BPMN / "timer_wait.bpmn", BPMN / "timer_cycle.bpmn"])
    waits = start(engine, "timer_wait", 25)
    [cycle] = start(engine, "timer_cycle")
    clock.advance(days=400)  # everything was down for more than a year
    worker = TimerWorker(engine, poll_seconds=60, batch_size=7)
    report = worker.wake()
    assert report.failed == 0
    with engine.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Timer).where(Timer.state == "waiting")) == 0
        decide = session.scalars(select(Task.instance_id).where(Task.element_id == "decide", Task.state == "ready"))
        assert sorted(decide) == sorted(waits)
    for instance_id in waits:
        [fired] = events(engine, instance_id, "timer_fired")
        assert fired.data["due_at"] == "2026-04-01T09:00:00+00:00"
        assert fired.data["fired_at"] == clock.now().isoformat()
    # the missed cycle reminders all ran (three of them); the task is still open
    assert len(events(engine, cycle, "notification_sent")) == 3
    assert min(report.lateness) >= (clock.now() - datetime(2026, 4, 1, 9, tzinfo=UTC)).total_seconds() - 1
    assert worker.wake().fired == 0  # nothing left, nothing twice


def test_crash_mid_fire_leaves_the_timer_due(engine, clock, monkeypatch):
    engine.deploy_files([BPMN / "timer_wait.bpmn"])
    [instance_id] = start(engine, "timer_wait")
    clock.advance(days=31)
    original = runtime_module.Runtime.fire_timers

    def crash_after_engine_steps(self, session, actor, instance_id):
        original(self, session, actor, instance_id)
        raise RuntimeError("worker killed before commit")

    monkeypatch.setattr(runtime_module.Runtime, "fire_timers", crash_after_engine_steps)
    service = TimerService(engine.db, engine.runtime)
    report = service.run_pending()
    assert (report.fired, report.failed) == (0, 1)
    [timer] = timers(engine, instance_id)
    assert timer.state == "waiting" and timer.attempts == 1 and "worker killed" in timer.last_error
    assert events(engine, instance_id, "timer_fired") == []
    with engine.db.transaction() as session:
        assert session.get(Instance, instance_id).state == "waiting"
    monkeypatch.setattr(runtime_module.Runtime, "fire_timers", original)
    assert service.run_pending().fired == 1
    assert len(events(engine, instance_id, "timer_fired")) == 1


def test_poison_timer_is_parked_and_others_still_fire(engine, clock, monkeypatch):
    engine.deploy_files([BPMN / "timer_wait.bpmn"])
    poison, healthy = start(engine, "timer_wait", 2)
    clock.advance(days=31)
    original = runtime_module.Runtime.fire_timers

    def fail_one(self, session, actor, instance_id):
        if instance_id == poison:
            raise RuntimeError("cannot load this instance")
        return original(self, session, actor, instance_id)

    monkeypatch.setattr(runtime_module.Runtime, "fire_timers", fail_one)
    service = TimerService(engine.db, engine.runtime, batch_size=10)
    first = service.run_pending()
    assert (first.fired, first.failed) == (1, 1)  # the batch failed, the retry one by one saved the healthy one
    assert timers(engine, healthy)[0].state == "fired"
    for _ in range(MAX_ATTEMPTS - 1):
        service.run_pending()
    [parked] = timers(engine, poison)
    assert parked.state == "waiting" and parked.attempts == MAX_ATTEMPTS  # still waits in the workflow …
    assert service.run_pending().claimed == 0  # … but the worker no longer claims it
    assert service.next_due() is None


def test_alarm_clock_wakes_at_the_next_due_time(engine, clock):
    engine.deploy_files([BPMN / "timer_wait.bpmn", BPMN / "timer_gateway.bpmn"])
    worker = TimerWorker(engine, poll_seconds=10 ** 8, run_schedules=False, listen=False)
    worker.start(wake_now=False)
    try:
        assert worker.job_time() is None
        start(engine, "timer_wait")  # due in 30 days: the commit moves the alarm
        wall = datetime.now(UTC)
        assert abs(worker.job_time() - (wall + timedelta(days=30))) < timedelta(seconds=5)
        start(engine, "timer_gateway")  # due in 14 days: earlier, so the alarm moves again
        assert abs(worker.job_time() - (datetime.now(UTC) + timedelta(days=14))) < timedelta(seconds=5)
        start(engine, "timer_wait")  # later than what is planned: no change
        assert abs(worker.job_time() - (datetime.now(UTC) + timedelta(days=14))) < timedelta(seconds=5)

        clock.advance(days=14, seconds=1)
        report = worker.wake()  # what APScheduler would call at that moment
        assert report.fired == 1
        next_wake = clock.now() + timedelta(days=16, seconds=-1)  # the first timer_wait instance
        assert worker.planned == next_wake
    finally:
        worker.stop()
    with engine.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Event).where(Event.type == "timer_fired")) == 1


def test_starting_a_worker_fires_what_came_due_while_down(engine, clock):
    engine.deploy_files([BPMN / "timer_wait.bpmn"])
    start(engine, "timer_wait")
    clock.advance(days=45)
    worker = TimerWorker(engine, poll_seconds=60, run_schedules=False, listen=False)
    worker.scheduler.start(paused=True)  # plan without letting the job run in the background
    worker._plan(clock.now(), force=True)
    assert abs(worker.job_time() - datetime.now(UTC)) < timedelta(seconds=5)
    worker.scheduler.shutdown(wait=False)
    assert worker.wake().fired == 1
