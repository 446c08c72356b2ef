"""Service tasks call registered Python services inside the action; the diagram routes on their results."""
import pytest

from engine.access.actors import Actor, Grant
from engine.errors import Conflict, InvalidBpmn
from engine.runtime.models import Incident
from engine.specifications import numbering
from engine.specifications.models import SpecCounter
from tests.conftest import BPMN

SEC = Actor("sec", (Grant("secretariat"),))
CALLS = []


def _double(ctx, data):
    CALLS.append((ctx.instance.id, ctx.actor.username))
    if data.get("value") == -1:
        raise Conflict("refused by the service")
    if data.get("value") == -2:
        numbering.next_value(ctx.session, "test", "partial", 2024)  # a write the failure must undo
        raise ValueError("registry answered nonsense")
    return {"doubled": data["value"] * 2}


@pytest.fixture
def engine(engine):
    """The engine with this module's service: registered on the engine, never by importing a module."""
    engine.services.add("test_double", _double)
    return engine


def test_service_result_routes_the_gateway(engine):
    engine.deploy_files([BPMN / "service_echo.bpmn"])
    with engine.db.transaction() as session:
        big = engine.runtime.start(session, SEC, "service_echo", variables={"value": 6})
        small = engine.runtime.start(session, SEC, "service_echo", variables={"value": 2})
        assert (big.state, small.state) == ("running", "completed")
        assert (big.id, "sec") in CALLS


def test_service_refusal_rolls_back_the_action(engine):
    engine.deploy_files([BPMN / "service_echo.bpmn"])
    with pytest.raises(Conflict), engine.db.transaction() as session:
        engine.runtime.start(session, SEC, "service_echo", variables={"value": -1})


def test_failing_service_opens_an_incident_and_loses_only_its_own_writes(engine):
    """A plain exception in a service rolls back to the service's savepoint: the instance is stored in error with
    an incident, and nothing the service wrote before failing survives."""
    engine.deploy_files([BPMN / "service_echo.bpmn"])
    with engine.db.transaction() as session:
        instance = engine.runtime.start(session, SEC, "service_echo", variables={"value": -2})
        instance_id = instance.id
    with engine.db.transaction() as session:
        assert session.get(type(instance), instance_id).state == "error"
        [incident] = session.query(Incident).filter_by(instance_id=instance_id).all()
        assert (incident.kind, incident.element_id, incident.state) == ("service", "double", "open")
        assert "ValueError: registry answered nonsense" in incident.error
        assert session.query(SpecCounter).filter_by(kind="test").count() == 0


def test_unknown_service_refused_at_deploy(engine):
    text = (BPMN / "service_echo.bpmn").read_text().replace("test_double", "no_such_service")
    with pytest.raises(InvalidBpmn) as info, engine.db.transaction() as session:
        engine.definitions.deploy(session, text, "admin")
    assert info.value.errors[0]["element_id"] == "double"
