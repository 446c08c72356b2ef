"""Service tasks call registered Python services inside the action; the diagram routes on their results."""
import pytest

from engine.access.actors import Actor, Grant
from engine.errors import Conflict, InvalidBpmn
from tests.conftest import BPMN

SEC = Actor("sec", (Grant("secretariat"),))
CALLS = []


def _double(ctx, data):
    CALLS.append((ctx.instance.id, ctx.actor.username))
    if data.get("value") == -1:
        raise Conflict("refused by the service")
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


def test_unknown_service_refused_at_deploy(engine):
    text = (BPMN / "service_echo.bpmn").read_text().replace("test_double", "no_such_service")
    with pytest.raises(InvalidBpmn) as info, engine.db.transaction() as session:
        engine.definitions.deploy(session, text, "admin")
    assert info.value.errors[0]["element_id"] == "double"
