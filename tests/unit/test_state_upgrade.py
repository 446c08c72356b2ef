"""Stored states outlive a SpiffWorkflow upgrade: each frozen fixture (one per serializer version the product
has written or must read) loads through the engine, migrated where older, and runs to completion."""
import json
import threading
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn.serializer.workflow import VERSION
from sqlalchemy import select

from engine.access import scopes
from engine.access.actors import Actor, Grant
from engine.bpmn.service_tasks import MtcBpmnParser
from engine.bpmn.state import StateFormatError, StateSerializer, stored_version
from engine.history import log as history
from engine.runtime import replay
from engine.runtime.models import Instance, Task
from tests.conftest import BPMN

STATES = Path(__file__).parents[1] / "fixtures" / "states"
SEC = Actor("sec", (Grant("secretariat"),))
FIXTURES = sorted(STATES.glob("upgrade_review.spiff-*.json"))


def test_fixtures_cover_today_and_older_versions():
    versions = {stored_version(json.loads(path.read_text())) for path in FIXTURES}
    assert VERSION in versions and len(versions) >= 2


def _ready(session, instance_id: str) -> list[Task]:
    return list(session.scalars(select(Task).where(Task.instance_id == instance_id, Task.state == "ready")))


def _leave_as_stored(engine, instance_id: str, text: str) -> None:
    """Put the instance where an older release left it: its row and its latest snapshot hold ``text`` as
    written, and its task rows are those of that state (what ``Runtime._store`` does, minus the dump)."""
    runtime = engine.runtime
    with engine.db.transaction() as session:
        instance = runtime.lock_instance(session, instance_id)
        definition = runtime.definitions.by_id(session, instance.definition_id)
        spec, subprocess_specs = runtime.definitions.specs(definition)
        workflow = engine.serializer.load_workflow(text, spec, subprocess_specs, None)
        scopes.project(session, instance, workflow)
        runtime._sync_tasks(session, instance, workflow, definition, SEC)
        instance.workflow, instance.state = text, "running"
        history.store_state(session, instance, text)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem.split(".", 1)[1])
def test_stored_state_loads_and_completes(engine, fixture):
    text = fixture.read_text().strip()
    engine.deploy_files([STATES / "upgrade_review.bpmn"])
    with engine.db.transaction() as session:
        instance_id = engine.runtime.start(session, SEC, "upgrade_review", "fixture", {"voters": ["alice", "bob"]}).id
    _leave_as_stored(engine, instance_id, text)

    with engine.db.transaction() as session:
        assert session.get(Instance, instance_id).workflow == text
        at_upgrade = replay.replay(session, engine.definitions, instance_id)  # reads the stored snapshot
        assert [t["element_id"] for t in at_upgrade["active"]] == ["vote"]
        vote, = _ready(session, instance_id)
        engine.runtime.complete(session, SEC, vote.id, {"ballot": {"voter": "bob", "vote": "yes"}})
    with engine.db.transaction() as session:
        publish, = _ready(session, instance_id)
        assert publish.element_id == "publish"
        engine.runtime.complete(session, SEC, publish.id, {})
    with engine.db.transaction() as session:
        instance = session.get(Instance, instance_id)
        assert instance.state == "completed"
        assert stored_version(json.loads(instance.workflow)) == VERSION
        final = replay.replay(session, engine.definitions, instance_id)
        assert sorted(b["voter"] for b in final["data"]["ballots"]) == ["alice", "bob"]
    # the engine fixture then replays every instance and verifies every hash chain


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem.split(".", 1)[1])
def test_older_states_migrate_to_todays(fixture):
    """Each fixture holds the same instance at the same step, so migrated and dumped again it is today's
    fixture byte for byte (for 1.3: the running multi-instance vote is STARTED again, not WAITING)."""
    serializer = StateSerializer()
    parser = MtcBpmnParser()
    parser.add_bpmn_file(str(STATES / "upgrade_review.bpmn"))
    specs = parser.get_spec("upgrade_review"), parser.get_subprocess_specs("upgrade_review")
    today = (STATES / f"upgrade_review.spiff-{VERSION}.json").read_text().strip()
    workflow = serializer.load_workflow(fixture.read_text(), *specs, None)
    assert serializer.dump_workflow(workflow) == today


def test_versions_without_a_migration_path_are_refused():
    serializer = StateSerializer()
    for version, reason in (("9.0", "never downgrade"), ("1.2", "no migration path")):
        text = json.dumps({"format": f"mtcflow-state/1 spiff/{version}", "state": {}})
        with pytest.raises(StateFormatError, match=reason):
            serializer.load_workflow(text, None, {}, None)
    with pytest.raises(StateFormatError, match="unknown workflow state format"):
        serializer.load_workflow(json.dumps({"format": "other", "state": {}}), None, {}, None)


def _parsed(name: str):
    parser = MtcBpmnParser()
    parser.add_bpmn_file(str(BPMN / name))
    return parser.get_spec(name.removesuffix(".bpmn")), parser.get_subprocess_specs(name.removesuffix(".bpmn"))


def test_specs_stored_by_an_older_version_are_migrated():
    """Specs written under 1.4 kept each event-based gateway's events on its children too; the 1.4 → 1.5 step
    moves them to the gateway alone. Undo that step on today's specs and loading must give today's back."""
    serializer = StateSerializer()
    today = json.loads(serializer.dump_specs(*_parsed("timer_gateway.bpmn")))
    older = json.loads(json.dumps(today))
    older["serializer_version"] = "1.4"
    task_specs = older["spec"]["task_specs"]
    gateways = [s for s in task_specs.values() if s["typename"] == "EventBasedGateway"]
    assert gateways
    for gateway in gateways:
        for name, definition in zip(gateway["outputs"], gateway["event_definition"]["event_definitions"],
                                    strict=True):
            task_specs[name]["event_definition"] = definition
    spec, subprocess_specs = serializer.load_specs(json.dumps(older))
    for gateway in gateways:  # the step labels the children's none events "Default"; today's parser leaves None
        for name in gateway["outputs"]:
            today["spec"]["task_specs"][name]["event_definition"]["description"] = "Default"
    assert json.loads(serializer.dump_specs(spec, subprocess_specs)) == today


def test_one_serializer_dumps_from_many_threads():
    """Each thread's dump switches the registry's encoder mode for itself only: specs converted meanwhile in
    another thread come out whole."""
    serializer = StateSerializer()
    spec, subprocess_specs = _parsed("timer_gateway.bpmn")
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

    workflow = BpmnWorkflow(spec, subprocess_specs)
    expected_state, expected_specs = serializer.dump_workflow(workflow), serializer.dump_specs(spec, subprocess_specs)
    failures = []

    def work():
        for _ in range(200):
            if serializer.dump_workflow(workflow) != expected_state \
                    or serializer.dump_specs(spec, subprocess_specs) != expected_specs:
                failures.append(1)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
