"""A backup taken while threads act holds every action acknowledged before it began, and restores into a
fresh database whose chains verify and whose states load (SQLite and PostgreSQL)."""
import os
import threading
import uuid
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from api.cli.main import main
from engine.access.actors import Actor, Grant
from engine.runtime import backup as backups
from engine.runtime.models import Instance, Task
from tests.conftest import BPMN, PG_ENV, make_engine

SEC = Actor("sec", (Grant("secretariat"), Grant("authority")))
THREADS, ACKED_BEFORE_BACKUP = 3, 12


class Load:
    """Threads that start approvals and complete their tasks, noting each action once it committed."""

    def __init__(self, engine):
        self.engine, self.acked, self.errors = engine, [], []
        self.stop, self.progress = threading.Event(), threading.Condition()

    def _act(self) -> None:
        try:
            while not self.stop.is_set():
                with self.engine.db.transaction() as session:
                    instance_id = self.engine.runtime.start(session, SEC, "approval", variables={"n": 1}).id
                self._ack(("started", instance_id))
                for data in ({"title": "a"}, {"approved": True}):
                    with self.engine.db.transaction() as session:
                        task_id = session.scalar(select(Task.id).where(Task.instance_id == instance_id,
                                                                       Task.state == "ready"))
                        self.engine.runtime.complete(session, SEC, task_id, data)
                    self._ack(("completed", task_id))
        except Exception as err:  # noqa: BLE001  (reported by the test)
            self.errors.append(err)
            with self.progress:
                self.progress.notify_all()

    def _ack(self, action) -> None:
        with self.progress:
            self.acked.append(action)
            self.progress.notify_all()

    @contextmanager
    def running(self):
        threads = [threading.Thread(target=self._act) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self.stop.set()
            for thread in threads:
                thread.join()

    def wait_for(self, count: int) -> list:
        with self.progress:
            self.progress.wait_for(lambda: len(self.acked) >= count or self.errors)
            return list(self.acked)


@contextmanager
def fresh_database(engine, tmp_path):
    """An empty database of the same kind: a new SQLite file, or a new PostgreSQL database."""
    if engine.db.dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(engine.settings.database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_backup_under_load_restores_every_acknowledged_action(engine, tmp_path):
    engine.deploy_files([BPMN / "approval.bpmn"])
    path = tmp_path / "mtcflow.backup"
    with Load(engine).running() as load:
        acknowledged = load.wait_for(ACKED_BEFORE_BACKUP)
        backups.backup(engine.settings.database_url, path)
        during = len(load.acked) - len(acknowledged)
    assert not load.errors, load.errors
    with fresh_database(engine, tmp_path) as url:
        backups.restore(path, url)
        restored = make_engine(url)
        try:
            restored.migrate()
            result = backups.check_restored(restored)
            assert result["ok"], result
            with restored.db.transaction() as session:
                instances = set(session.scalars(select(Instance.id)))
                completed = set(session.scalars(select(Task.id).where(Task.state == "completed")))
        finally:
            restored.close()
    for kind, ident in acknowledged:
        assert ident in (instances if kind == "started" else completed), (kind, ident, during)
    assert result["instances"] >= sum(kind == "started" for kind, _ in acknowledged)


def test_cli_restore_refuses_to_report_success_on_a_broken_copy(sqlite_url, clock, tmp_path, monkeypatch):
    eng = make_engine(sqlite_url)
    eng.deploy_files([BPMN / "approval.bpmn"])
    with eng.db.transaction() as session:
        eng.runtime.start(session, SEC, "approval")
    eng.close()
    runner, path = CliRunner(), tmp_path / "copy.db"
    monkeypatch.setenv("MTCFLOW_DATABASE_URL", sqlite_url)
    made = runner.invoke(main, ["backup", str(path)])
    assert made.exit_code == 0 and "backup written" in made.output, made.output
    monkeypatch.setenv("MTCFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    good = runner.invoke(main, ["restore", str(path)])
    assert good.exit_code == 0 and "restored and verified" in good.output, good.output
    assert runner.invoke(main, ["restore", str(path)]).exit_code == 1  # the target is no longer fresh
    broken = make_engine(f"sqlite:///{path}")
    with broken.db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET actor = 'mallory' WHERE seq = 1"))
        conn.execute(text("UPDATE instances SET workflow = '{\"not\": \"a workflow\"}'"))
    broken.close()
    monkeypatch.setenv("MTCFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh2.db'}")
    refused = runner.invoke(main, ["restore", str(path)])
    assert refused.exit_code == 1 and "NOT VERIFIED" in refused.output and "content_altered" in refused.output
    assert "state does not load" in refused.output


def test_postgres_command_lines_keep_the_password_off_the_command_line():
    dsn, schema, env = backups._libpq("postgresql+psycopg://u:s3cret@db:5432/mtc?options=-csearch_path%3Dt_1")
    assert "s3cret" not in dsn and env["PGPASSWORD"] == "s3cret" and schema == "t_1"
    assert dsn.startswith("postgresql://u@db:5432/mtc")


pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
