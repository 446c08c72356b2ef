"""Two engines in one process keep their own rule profiles, password hashing, services and commit wakers:
nothing one engine sets up is a module global the other would read."""
from __future__ import annotations

import json
import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.access import accounts as users
from engine.access.actors import SYSTEM_ACTOR
from engine.config import ROOT, Settings
from engine.rules import profiles
from engine.runtime.models import Timer
from engine.workflow_engine import WorkflowEngine
from tests.conftest import BPMN, FIXTURES


def _profiles(directory, comment_days: int):
    shutil.copytree(ROOT / "processes" / "profiles", directory)
    national = directory / "national.json"
    document = json.loads(national.read_text(encoding="utf-8"))
    document["rules"]["comment_window"]["days"] = comment_days
    national.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return directory


def _engine(tmp_path, sqlite_template, name: str, comment_days: int, time_cost: int) -> WorkflowEngine:
    database = tmp_path / f"{name}.db"
    shutil.copy(sqlite_template, database)
    eng = WorkflowEngine(Settings(database_url=f"sqlite:///{database}", processes_dir=ROOT / "processes",
                                  profiles_dir=_profiles(tmp_path / name, comment_days),
                                  extra_forms_dirs=(FIXTURES / "forms",), script_time_limit=0.5,
                                  argon2_time_cost=time_cost, argon2_memory_kib=1024))
    eng.deploy_files([BPMN / "timer_window.bpmn"])
    return eng


@pytest.fixture
def pair(tmp_path, sqlite_template, clock):
    first = _engine(tmp_path, sqlite_template, "first", comment_days=30, time_cost=1)
    second = _engine(tmp_path, sqlite_template, "second", comment_days=10, time_cost=2)
    yield first, second
    first.close()
    second.close()


def _start(eng: WorkflowEngine):
    with eng.db.transaction() as session:
        instance = eng.runtime.start(session, SYSTEM_ACTOR, "timer_window")
        return session.scalar(select(Timer.due_at).where(Timer.instance_id == instance.id))


def test_each_engine_times_with_its_own_profiles_interleaved(pair, clock):
    first, second = pair
    dues = []
    for _ in range(2):
        dues.append((_start(first), _start(second)))
        clock.advance(timedelta(hours=1))
    for first_due, second_due in dues:
        assert first_due - second_due == timedelta(days=20)
    assert dues[1][0] - dues[0][0] == timedelta(hours=1)


def test_a_transaction_of_one_engine_sees_only_its_own_rules(pair):
    first, second = pair
    with first.db.transaction():
        assert profiles.current() is first.profiles
        with second.db.transaction():  # nested: the inner engine's, then the outer's again
            assert profiles.current() is second.profiles
        assert profiles.current() is first.profiles
    assert profiles.current() not in (first.profiles, second.profiles)  # outside: the process default


def test_each_engine_hashes_with_its_own_cost(pair):
    first, second = pair
    for eng, cost in ((first, "t=1"), (second, "t=2")):
        with eng.db.transaction() as session:
            user = users.create_user(session, "sec", "password-1", [])
        assert f",{cost}," in user.password_hash
        with eng.db.transaction() as session:
            assert users.authenticate(session, "sec", "password-1").username == "sec"


def test_services_and_commit_wakers_are_per_engine(pair):
    first, second = pair
    first.services.add("only_first", lambda ctx, data: {})
    assert "only_first" in first.services and "only_first" not in second.services
    woken = {"first": [], "second": []}
    first.wakers.add(woken["first"].append)
    second.wakers.add(woken["second"].append)
    due = _start(first)
    assert woken == {"first": [due], "second": []}
