"""Every kind of engine error has one HTTP meaning, and the engine names none."""
from api.problems import KINDS
from engine import errors


def _kinds(cls):
    yield cls.kind
    for sub in cls.__subclasses__():
        yield from _kinds(sub)


def test_every_engine_error_kind_maps_to_a_status():
    assert set(_kinds(errors.EngineError)) <= set(KINDS)


def test_engine_errors_carry_no_http():
    for cls in vars(errors).values():
        if isinstance(cls, type) and issubclass(cls, errors.EngineError):
            assert not {"status", "title"} & set(vars(cls)), cls
