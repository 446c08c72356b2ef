"""Authorization matrix of operator actions (issue 19): incidents, retry, suspend and resume, in and out of scope.

Same world and codes as test_authorization_matrix.py. Decided here: process admins operate every instance, so they
list and read every incident with the data it failed on (they need it to fix the cause) and alone retry one;
auditors read incidents and change nothing; an authority reads the incidents of its scopes. Suspend and resume:
process admins anywhere, the authority within its jurisdiction (``suspend`` rule for the other roles in scope).
Move back: process admins anywhere, the secretariat in scope (``move_back`` rule for the other roles in scope);
an authorised call here meets parallel work and is refused by the path (``none``, 409), after authorization.
Migration plan and execution: process admins alone (``422``: authorised, then refused as the same version).
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.access.actors import SYSTEM_ACTOR
from engine.runtime import operations
from engine.runtime.models import Incident
from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table
from tests.api.test_authorization_matrix import IN, OUT
from tests.conftest import BPMN

world = first.world

COLUMN_OPERATIONS = {
    "incidents": "GET /incidents", "incident": "GET /incidents/{incident_id}",
    "retry": "POST /incidents/{incident_id}/retry", "suspend": "POST /instances/{instance_id}/suspend",
    "resume": "POST /instances/{instance_id}/resume", "move_back": "POST /instances/{instance_id}/move-back",
    "plan": "POST /definitions/{key}/migrations/plan", "migrate": "POST /definitions/{key}/migrations",
}

IN_SCOPE_OPERATIONS = table("""
role                  incidents  incident  retry  suspend  resume   move_back  plan  migrate
authority             show       ok        role   ok       ok       move_back  role  role
chair                 role       role      role   suspend  suspend  move_back  role  role
vice_chair            role       role      role   suspend  suspend  move_back  role  role
secretary_general     role       role      role   suspend  suspend  move_back  role  role
secretariat           role       role      role   suspend  suspend  none       role  role
member                role       role      role   suspend  suspend  move_back  role  role
corresponding_member  role       role      role   suspend  suspend  move_back  role  role
drafter               role       role      role   suspend  suspend  move_back  role  role
chief_reviewer        role       role      role   suspend  suspend  move_back  role  role
observer              role       role      role   suspend  suspend  move_back  role  role
auditor               show       ok        role   read     read     read       role  role
process_admin         show       ok        ok     ok       ok       none       422   422
user_admin            role       role      role   404      404      404        role  role
""")
OUT_OF_SCOPE_OPERATIONS = table("""
role                  incidents  incident  retry  suspend  resume  move_back  plan  migrate
authority             hide       404       role   404      404     404        role  role
chair                 role       role      role   404      404     404        role  role
vice_chair            role       role      role   404      404     404        role  role
secretary_general     role       role      role   404      404     404        role  role
secretariat           role       role      role   404      404     404        role  role
member                role       role      role   404      404     404        role  role
corresponding_member  role       role      role   404      404     404        role  role
drafter               role       role      role   404      404     404        role  role
chief_reviewer        role       role      role   404      404     404        role  role
observer              role       role      role   404      404     404        role  role
auditor               show       ok        role   read     read    read       role  role
process_admin         show       ok        ok     ok       ok      none       422   422
user_admin            role       role      role   404      404     404        role  role
""")


def _incident(engine, scope: dict) -> int:
    """An instance of the scope whose script failed, and its incident."""
    with engine.db.transaction() as session:
        created = engine.runtime.start(session, SYSTEM_ACTOR, "incident_fee", scope=scope, variables={"pages": 0})
        return session.scalar(select(Incident.id).where(Incident.instance_id == created.id))


def _suspended(engine, instance_id: str) -> str:
    with engine.db.transaction() as session:
        operations.suspend(engine.runtime, session, SYSTEM_ACTOR, instance_id, "matrix")
    return instance_id


@pytest.mark.parametrize("where", ["in_scope", "out_of_scope"])
def test_operator_actions(world, engine, where):
    callers, instance = world
    callers["process_admin"].deploy(BPMN / "incident_fee.bpmn")
    expected, scope = (IN_SCOPE_OPERATIONS, IN) if where == "in_scope" else (OUT_OF_SCOPE_OPERATIONS, OUT)
    shared_incident, shared_live = _incident(engine, scope), instance(scope)[0]
    shared_suspended = _suspended(engine, instance(scope)[0])
    actual = {}
    for role, column in expected:
        caller, allowed = callers[role], expected[(role, column)] == "ok"
        if column == "incidents":
            response = caller.get("/incidents", query_string={"per_page": 200})
            actual[(role, column)] = outcome(response) if response.status_code != 200 else \
                "show" if shared_incident in {i["id"] for i in response.get_json()["items"]} else "hide"
        elif column == "incident":
            actual[(role, column)] = outcome(caller.get(f"/incidents/{shared_incident}"))
        elif column == "retry":
            target = _incident(engine, scope) if allowed else shared_incident
            actual[(role, column)] = outcome(caller.post(f"/incidents/{target}/retry",
                                                         json={"reason": "matrix", "variables": {"pages": 2}}))
        elif column == "suspend":
            target = instance(scope)[0] if allowed else shared_live
            actual[(role, column)] = outcome(caller.post(f"/instances/{target}/suspend", json={"reason": "matrix"}))
        elif column == "move_back":
            actual[(role, column)] = outcome(caller.post(f"/instances/{shared_live}/move-back",
                                                         json={"element_id": "nowhere", "reason": "matrix"}))
        elif column in ("plan", "migrate"):
            path = "/definitions/incident_fee/migrations" + ("/plan" if column == "plan" else "")
            actual[(role, column)] = outcome(caller.post(path, json={"from_version": 1, "to_version": 1,
                                                                     "reason": "matrix"} if column == "migrate"
                                                         else {"from_version": 1, "to_version": 1}))
        else:
            target = _suspended(engine, instance(scope)[0]) if allowed else shared_suspended
            actual[(role, column)] = outcome(caller.post(f"/instances/{target}/resume", json={"reason": "matrix"}))
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))
