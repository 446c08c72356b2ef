"""Authorization matrix of the chief-reviewer register (主审人资格, issue 14): who reads it, who keeps it.

Same world and codes as test_authorization_matrix.py; MTC-12 (江苏, in scope) and MTC-13 (浙江, out of scope) are put
in the registry. Decided here: any logged-in user reads the register (who may act as chief reviewer is no secret
inside the system; it is not on the public board). An entry is granted by the committee (its secretariat or
secretary-general) or by its approving authority: past that gate a request naming no active account answers 422,
every other role ``keeper`` (rule chief-reviewer-register); auditors read only (``read``). Revoking an entry that
does not exist is 404 for every writer (the keeper check needs the entry), ``read`` for auditors.
"""
from __future__ import annotations

import pytest

from engine.committees.models import Committee
from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table
from tests.api.test_authorization_matrix import IN, OUT

world = first.world

COLUMN_OPERATIONS = {
    "register": "GET /chief-reviewers", "qualify": "POST /chief-reviewers",
    "disqualify": "POST /chief-reviewers/{entry_id}/revoke",
}

IN_SCOPE_REVIEWERS = table("""
role                  register  qualify  disqualify
authority             ok        422      404
chair                 ok        keeper   404
vice_chair            ok        keeper   404
secretary_general     ok        422      404
secretariat           ok        422      404
member                ok        keeper   404
corresponding_member  ok        keeper   404
drafter               ok        keeper   404
chief_reviewer        ok        keeper   404
observer              ok        keeper   404
auditor               ok        read     read
process_admin         ok        keeper   404
user_admin            ok        keeper   404
anonymous             401       401      401
""")
OUT_OF_SCOPE_REVIEWERS = table("""
role                  register  qualify  disqualify
authority             ok        keeper   404
chair                 ok        keeper   404
vice_chair            ok        keeper   404
secretary_general     ok        keeper   404
secretariat           ok        keeper   404
member                ok        keeper   404
corresponding_member  ok        keeper   404
drafter               ok        keeper   404
chief_reviewer        ok        keeper   404
observer              ok        keeper   404
auditor               ok        read     read
process_admin         ok        keeper   404
user_admin            ok        keeper   404
anonymous             401       401      401
""")


def _committee(engine, scope: dict) -> str:
    with engine.db.transaction() as session:
        session.add(Committee(code=scope["committee"], name=f"{scope['jurisdiction']}计量技术委员会", status="active",
                              level=scope["level"], jurisdiction=scope["jurisdiction"], term_number=1))
    return scope["committee"]


def _actual(world, engine, app, scope) -> dict:
    callers, _ = world
    callers = {**callers, "anonymous": None}
    code = _committee(engine, scope)
    public = app.test_client()
    actual = {}
    for role, caller in callers.items():
        client, base = (public, "/api/v1") if caller is None else (caller, "")
        for column in COLUMN_OPERATIONS:
            if column == "register":
                response = client.get(base + f"/chief-reviewers?committee={code}")
            elif column == "qualify":
                response = client.post(base + "/chief-reviewers", json={
                    "committee": code, "username": "nobody", "field": "流量", "qualification": "高级工程师",
                    "granted_by_body": "authority" if role == "authority" else "committee", "reason": "matrix"})
            else:
                response = client.post(base + "/chief-reviewers/999999/revoke", json={"reason": "matrix"})
            actual[(role, column)] = outcome(response)
    return actual


@pytest.mark.parametrize("where", ["in_scope", "out_of_scope"])
def test_chief_reviewer_register(world, engine, app, where):
    expected, scope = (IN_SCOPE_REVIEWERS, IN) if where == "in_scope" else (OUT_OF_SCOPE_REVIEWERS, OUT)
    actual = {key: value for key, value in _actual(world, engine, app, scope).items() if key in dict(expected)}
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))
