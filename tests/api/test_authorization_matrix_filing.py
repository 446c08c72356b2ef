"""Authorization matrix of filing and consistency (issue 15.2). Same world as test_authorization_matrix.py (the
authority there is 江苏's provincial one); a national authority ``national`` is added. Filing ids that do not
exist: a role allowed past the gate gets 404, a refused role its rule (filing-national: only the national
authority objects to or accepts a filing; read: auditors change nothing). ``findings`` asks for a specification
not in the registry (404 for every role past the login)."""
from __future__ import annotations

from tests.api import test_authorization_matrix as first
from tests.api.roles_support import log_in, make_user, mismatches, outcome, table

world = first.world

COLUMN_OPERATIONS = {
    "filings": "GET /filings", "filing": "GET /filings/{filing_id}",
    "object": "POST /filings/{filing_id}/objections", "accept": "POST /filings/{filing_id}/acceptance",
    "search": "POST /consistency/search", "findings": "GET /specifications/{spec_id}/consistency",
}
FILING = table("""
role                  filings  filing  object           accept           search  findings
national              ok       404     404              404              ok      404
authority             ok       404     filing-national  filing-national  ok      404
chair                 ok       404     filing-national  filing-national  ok      404
vice_chair            ok       404     filing-national  filing-national  ok      404
secretary_general     ok       404     filing-national  filing-national  ok      404
secretariat           ok       404     filing-national  filing-national  ok      404
member                ok       404     filing-national  filing-national  role    404
corresponding_member  ok       404     filing-national  filing-national  role    404
drafter               ok       404     filing-national  filing-national  ok      404
chief_reviewer        ok       404     filing-national  filing-national  role    404
observer              ok       404     filing-national  filing-national  role    404
auditor               ok       404     read             read             ok      404
process_admin         ok       404     filing-national  filing-national  role    404
user_admin            ok       404     filing-national  filing-national  role    404
anonymous             401      401     401              401              401     401
""")


def test_filing_and_consistency(app, world, engine):
    callers, _instance = world
    make_user(engine, "national", "authority:level/national")
    client = app.test_client()
    callers = {**callers, "national": log_in(client, "national")}
    actual = {}
    for role, column in FILING:
        caller = callers.get(role)
        headers = {"Authorization": f"Bearer {caller.token}"} if caller else {}
        method, path = COLUMN_OPERATIONS[column].split(" ")
        path = path.replace("{filing_id}", "999999").replace("{spec_id}", "JJF-NONE")
        body = {"opinion": "matrix"} if column == "object" else {"title": "电磁流量计"} if column == "search" else None
        response = client.open(f"/api/v1{path}", method=method, headers=headers, json=body)
        actual[(role, column)] = outcome(response)
    assert not mismatches(FILING, actual), "\n".join(mismatches(FILING, actual))
