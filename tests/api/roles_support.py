"""Helpers for the roles tests: users with units and scoped grants, logged in over HTTP."""
from __future__ import annotations

from engine.access import accounts as users
from engine.access.actors import Grant
from tests.conftest import PASSWORD, Caller

RULE_CODES = {"lane-role": "lane", "auditor-read-only": "read", "chief-reviewer-register": "keeper"}


def make_user(engine, name: str, *grants: str, unit: str | None = None) -> None:
    with engine.db.transaction() as session:
        users.create_user(session, name, PASSWORD, [Grant.parse(g) for g in grants], unit=unit, actor="test")


def log_in(client, name: str) -> Caller:
    response = client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return Caller(client, response.get_json()["access_token"], name)


def person(engine, client, name: str, *grants: str, unit: str | None = None) -> Caller:
    make_user(engine, name, *grants, unit=unit)
    return log_in(client, name)


def start(caller: Caller, process_key: str, scope: dict | None = None, variables: dict | None = None) -> dict:
    body = {"process_key": process_key, "variables": variables or {}}
    if scope:
        body["scope"] = scope
    response = caller.post("/instances", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def outcome(response) -> str:
    """A response as a matrix code: ok (2xx), 404, none (409), or the refusing rule of a 403."""
    if 200 <= response.status_code < 300:
        return "ok"
    if response.status_code == 403:
        assert response.mimetype == "application/problem+json"
        rule = response.get_json().get("rule")
        return RULE_CODES.get(rule, rule)
    if response.status_code == 409:
        return "none"
    return str(response.status_code)


def refused(response, rule: str) -> dict:
    assert response.status_code == 403, (response.status_code, response.get_json())
    body = response.get_json()
    assert response.mimetype == "application/problem+json" and body["rule"] == rule, body
    return body


def table(text: str) -> dict[tuple[str, str], str]:
    """Parse a whitespace-aligned table: header of columns, one row per role."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0][1:], lines[1:]
    expected = {}
    for row in rows:
        assert len(row) == len(header) + 1, row
        for column, code in zip(header, row[1:], strict=True):
            expected[(row[0], column)] = code
    return expected


def mismatches(expected: dict, actual: dict) -> list[str]:
    return [f"{role:22s} {column:10s} expected {want:7s} got {actual.get((role, column))}"
            for (role, column), want in expected.items() if actual.get((role, column)) != want]
