"""The audit CLI verifies, reports a break with its location, and exports."""
import json

from click.testing import CliRunner
from sqlalchemy import text

from api.cli.main import main
from engine.access.actors import Actor, Grant
from tests.conftest import BPMN, make_engine


def test_audit_verify_and_export(sqlite_url, clock, monkeypatch):
    eng = make_engine(sqlite_url)
    eng.deploy_files([BPMN / "approval.bpmn"])
    with eng.db.transaction() as session:
        instance_id = eng.runtime.start(session, Actor("s", (Grant("secretariat"),)), "approval").id
    monkeypatch.setenv("MTCFLOW_DATABASE_URL", sqlite_url)
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify"])
    assert ok.exit_code == 0 and "ok: " in ok.output
    exported = runner.invoke(main, ["audit", "export", "--instance", instance_id, "--format", "jsonl"])
    lines = [json.loads(line) for line in exported.output.splitlines()]
    assert [e["type"] for e in lines] == ["instance_started", "task_ready"]
    assert runner.invoke(main, ["audit", "anchor"]).exit_code == 0
    with eng.db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET actor = 'mallory' WHERE stream = :s AND seq = 1"), {"s": instance_id})
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "content_altered" in broken.output and instance_id in broken.output and "step 1" in broken.output
    eng.close()
