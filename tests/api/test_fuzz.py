"""Property-based fuzzing of every documented operation (schemathesis) against the in-process app.

Every response must be documented, conform to its schema and never be a 5xx. Examples per operation
default to a CI-sized number; ``MTCFLOW_FUZZ_EXAMPLES`` raises it on demand.
"""
from __future__ import annotations

import os
import re
import shutil
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.core.parameters import ParameterLocation

from engine.access import accounts as users
from engine.access.actors import Grant
from tests.conftest import BPMN, PASSWORD, make_engine, postgres_schema

EXAMPLES = int(os.environ.get("MTCFLOW_FUZZ_EXAMPLES", "25"))
FUZZER_ROLES = ("process_admin", "user_admin", "secretariat", "authority", "auditor")
EXAMPLES_RUN: dict[str, int] = {}
STATUSES: Counter = Counter()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_url(request, tmp_path_factory, sqlite_template):
    """SQLite, and PostgreSQL, which unlike SQLite enforces column lengths and integer ranges."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    with postgres_schema("fuzz") as url:
        yield url


@pytest.fixture(scope="module")
def fuzz_app(fuzz_url):
    """One app and database for all operations, seeded with deployed processes, an instance and its task."""
    from api.app import create_app

    eng = make_engine(fuzz_url)
    eng.deploy_files([BPMN / "approval.bpmn", BPMN / "notice_window.bpmn"])
    with eng.db.transaction() as session:
        users.create_user(session, "fuzzer", PASSWORD, [Grant(r) for r in FUZZER_ROLES], actor="test")
    app = create_app(engine=eng)
    app.config["MTCFLOW_NOTICE_COMMENT_LIMIT"] = "100000 per minute"
    app.config["MTCFLOW_LOGIN_LIMIT"] = "100000 per minute"
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "fuzzer", "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    started = client.post("/api/v1/instances", json={"process_key": "approval"}, headers=headers)
    assert started.status_code == 201, started.get_json()
    app.config["FUZZ_HEADERS"] = headers
    EXAMPLES_RUN.clear()
    STATUSES.clear()
    yield app
    print(f"\nschemathesis on {eng.db.dialect}: {sum(EXAMPLES_RUN.values())} examples over {len(EXAMPLES_RUN)} "
          f"operations (up to {EXAMPLES} generated per operation); statuses {dict(sorted(STATUSES.items()))}")
    assert STATUSES[401] < sum(STATUSES.values()) // 2, "most requests were unauthenticated: the token was lost"
    eng.close()


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


def _labels() -> list[str]:
    """Operation labels from the document itself (building the app touches no database)."""
    from api.app import create_app

    app = create_app(engine=make_engine("sqlite://"))
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    return [f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
            if method in ("get", "post", "put", "patch", "delete")]


# Business rules (roles, scopes, workflow state) legitimately refuse data that is valid by schema.
EXCLUDED = [checks.positive_data_acceptance]


def _fresh_login(app) -> dict:
    token = app.test_client().post("/api/v1/auth/token", json={"username": "fuzzer", "password": PASSWORD})
    return {"Authorization": f"Bearer {token.get_json()['access_token']}"}


def _mutates_headers(case) -> bool:
    """A negative case that dropped or broke the Authorization header must be sent as generated (the
    mutation is recorded in the component modes, or only in the fuzzing phase's data after shrinking)."""
    if case.meta is None:
        return False
    component = case.meta.components.get(ParameterLocation.HEADER)
    if component is not None and component.mode is GenerationMode.NEGATIVE:
        return True
    data = getattr(case.meta.phase, "data", None)
    mutations = getattr(data, "mutations", None) or ()
    return getattr(data, "parameter_location", None) is ParameterLocation.HEADER or any(
        m.parameter_location is ParameterLocation.HEADER for m in mutations)


@pytest.mark.parametrize("label", _labels())
def test_operation_conforms(label, fuzz_app, fuzz_schema):
    operation = fuzz_schema.find_operation_by_label(label)
    strategy = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in GenerationMode))
    headers = fuzz_app.config["FUZZ_HEADERS"]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        EXAMPLES_RUN[label] = EXAMPLES_RUN.get(label, 0) + 1
        sent = {} if _mutates_headers(case) else headers  # ours replaces a generated Authorization
        if label.endswith("/auth/logout") and sent:
            sent = _fresh_login(fuzz_app)  # logging out the shared token would blind the other operations
        response = case.call_and_validate(headers=sent, excluded_checks=EXCLUDED)
        if sent and "/auth/" not in label:  # the token check: requests that carried the shared token
            STATUSES[response.status_code] += 1

    run()


# What schemathesis does not generate (issue 18): JSON that decodes in Python but breaks later steps.
HOSTILE_BODIES = {
    "nested": '{"a": ' * 1000 + "{}" + "}" * 1000,
    "huge integer": '{"version": ' + "9" * 5000 + "}",
    "int64 overflow": '{"version": 9223372036854775808}',
    "not finite": '{"x": 1e400, "y": NaN}',
    "lone surrogate": '{"author": "\\ud800", "business_key": "\\udfff"}',
}


def _json_operations(document: dict) -> list[tuple[str, str]]:
    return [(method, path) for path, item in document["paths"].items() for method, operation in item.items()
            if isinstance(operation, dict) and "application/json" in operation.get("requestBody", {}).get(
                "content", {})]


def test_hostile_json_is_refused_everywhere(fuzz_app):
    """Every operation that takes JSON refuses each hostile body with a 4xx problem, never a 5xx."""
    client = fuzz_app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    operations = _json_operations(document)
    assert len(operations) >= 10, operations
    for method, path in operations:
        url = re.sub(r"\{[^}]+\}", "1", path)  # the body is refused before any path parameter is looked up
        for name, body in HOSTILE_BODIES.items():
            response = client.open(url, method=method.upper(), data=body, content_type="application/json",
                                   headers=fuzz_app.config["FUZZ_HEADERS"])
            STATUSES[response.status_code] += 1
            assert response.status_code == 422, (method, path, name, response.get_data(as_text=True))
            assert response.mimetype == "application/problem+json", (method, path, name)
