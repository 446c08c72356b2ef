"""Four worker processes on PostgreSQL, hundreds of due timers and a yearly schedule: every timer fires exactly
once, every occurrence starts exactly one instance, nothing is missed."""
import multiprocessing
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine import clock as clock_module
from engine.access.actors import SYSTEM_ACTOR
from engine.history.models import Event
from engine.runtime.models import Instance, Task, Timer
from engine.timers import schedules
from tests.conftest import BPMN, make_engine, postgres_schema
from tests.replay_check import assert_all_consistent

TIMERS = 200
WORKERS = 4
COMMITTEES = [f"MTC-{n}" for n in range(1, 21)]


@pytest.fixture
def pg_url():
    with postgres_schema() as url:
        yield url


def _worker(url, barrier, results, name):
    """One worker process with its own engine and the real clock: fire all that is due, start due schedules."""
    from engine.timers.service import TimerService

    engine = make_engine(url)
    barrier.wait(timeout=120)
    report = TimerService(engine.db, engine.runtime, batch_size=5).run_pending()
    started, _ = schedules.run_due(engine.db, engine.runtime, engine.schedules)
    results.put((name, report.fired, report.failed, len(started)))
    engine.close()


def test_four_worker_processes_fire_each_timer_exactly_once(pg_url):
    real_now = datetime.now(UTC)
    manual = clock_module.ManualClock(real_now - timedelta(days=31))
    previous = clock_module.install(manual)
    engine = make_engine(pg_url)
    try:
        engine.deploy_files([BPMN / "timer_wait.bpmn"])
        for n in range(TIMERS):  # P30D from 31 days ago: all due a day ago
            with engine.db.transaction() as session:
                engine.runtime.start(session, SYSTEM_ACTOR, "timer_wait", f"w{n}")
        day = real_now.astimezone(schedules.BEIJING) - timedelta(days=1)
        with engine.db.transaction() as session:
            schedules.create(session, engine.definitions, engine.schedules, "test", process_key="timer_wait",
                             rule={"kind": "yearly", "date": day.strftime("%m-%d"), "time": "00:00"},
                             subjects=[{"committee": c} for c in COMMITTEES])
    finally:
        clock_module.install(previous)

    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(WORKERS), context.Queue()
    processes = [context.Process(target=_worker, args=(pg_url, barrier, results, f"worker-{n}"))
                 for n in range(WORKERS)]
    for process in processes:
        process.start()
    outcome = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0

    fired = {name: count for name, count, _, _ in outcome}
    assert sum(fired.values()) == TIMERS, outcome
    assert sum(failed for _, _, failed, _ in outcome) == 0
    assert sum(started for *_, started in outcome) == len(COMMITTEES), outcome
    assert sum(1 for count in fired.values() if count) >= 2, outcome  # the work was shared
    with engine.db.transaction() as session:
        states = Counter(session.scalars(select(Timer.state)))
        # the scheduled instances wait on their own new timers, 30 days ahead
        assert states == Counter({"fired": TIMERS, "waiting": len(COMMITTEES)}), states
        per_instance = Counter(session.scalars(select(Event.stream).where(Event.type == "timer_fired")))
        assert len(per_instance) == TIMERS and set(per_instance.values()) == {1}
        decide = Counter(session.scalars(select(Task.instance_id).where(Task.element_id == "decide")))
        assert len(decide) == TIMERS and set(decide.values()) == {1}
        scheduled = session.scalar(select(func.count()).select_from(Instance).where(
            Instance.business_key.like("timer_wait:committee:%")))
        assert scheduled == len(COMMITTEES)
    assert_all_consistent(engine)
    engine.close()


def test_worker_in_another_process_is_woken_by_notify(pg_url):
    """A timer stored by the API process wakes a worker elsewhere through NOTIFY, not only by polling."""
    import time

    from engine.timers.worker import TimerWorker

    api, worker_engine = make_engine(pg_url), make_engine(pg_url)
    api.deploy_files([BPMN / "timer_wait.bpmn"])
    worker = TimerWorker(worker_engine, poll_seconds=10 ** 8, run_schedules=False, listen=True)
    worker.start(wake_now=False)  # the API's commits wake only its own engine's workers: only NOTIFY reaches this
    try:
        deadline = time.monotonic() + 10
        while worker._listener is not None and time.monotonic() < deadline:  # the LISTEN must be in place
            with api.db.transaction() as session:
                api.runtime.start(session, SYSTEM_ACTOR, "timer_wait")
            if worker.job_time() is not None:
                break
            time.sleep(0.2)  # waiting for a notification's delivery, not for a timer
        expected = datetime.now(UTC) + timedelta(days=30)
        assert worker.job_time() is not None and abs(worker.job_time() - expected) < timedelta(seconds=15)
    finally:
        worker.stop()
        api.close()
        worker_engine.close()
