"""Authorization matrix of the official holiday calendar (issue 16). Decided: every signed-in role reads which years
are known and from where (due dates everywhere depend on it); only process admins enter a year's schedule (it moves
waiting timers of every scope), auditors included in the refusal (they change nothing)."""
from __future__ import annotations

from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table

world = first.world

COLUMN_OPERATIONS = {"years": "GET /calendar/years", "year": "GET /calendar/years/{year}",
                     "enter": "PUT /calendar/years/{year}"}

CALENDAR = table("""
role                  years  year  enter
authority             ok     ok    role
chair                 ok     ok    role
vice_chair            ok     ok    role
secretary_general     ok     ok    role
secretariat           ok     ok    role
member                ok     ok    role
corresponding_member  ok     ok    role
drafter               ok     ok    role
chief_reviewer        ok     ok    role
observer              ok     ok    role
auditor               ok     ok    role
process_admin         ok     ok    ok
user_admin            ok     ok    role
""")
SCHEDULE = {"holidays": ["2027-01-01/2027-01-03"], "workdays": [], "source": "国务院办公厅通知（矩阵测试）"}


def test_calendar(world):
    callers, _ = world
    actual = {}
    for role, column in CALENDAR:
        caller = callers[role]
        if column == "years":
            actual[(role, column)] = outcome(caller.get("/calendar/years"))
        elif column == "year":
            actual[(role, column)] = outcome(caller.get("/calendar/years/2027"))
        else:
            actual[(role, column)] = outcome(caller.client.put("/api/v1/calendar/years/2027", json=SCHEDULE,
                                                               headers=caller._headers()))
    assert not mismatches(CALENDAR, actual), "\n" + "\n".join(mismatches(CALENDAR, actual))
