"""Authorization matrix, continued: the operations test_authorization_matrix.py does not cover, and a completeness
check that every operation of the OpenAPI document is a column of some matrix table.

Same world and codes as test_authorization_matrix.py (roles scoped to MTC-12 / JJF-A / provincial 江苏; in-scope
targets of MTC-12 / JJF-A / 江苏, out-of-scope ones of MTC-13 / JJF-B / 浙江), plus: 401 = refused without a
login, public = answered without a login (the public registry and notices). Role-gated operations on numbered
resources that have no scope of their own (a timer, a schedule, a notification, a notice) are checked against an id
that does not exist: a role allowed past the gate gets 404, a role refused gets the rule (role / read).
"""
from __future__ import annotations

import io

import pytest

from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table
from tests.api.test_authorization_matrix import IN, LANES, NOT_SCOPED, OUT
from tests.api.test_authorization_matrix import IN_SCOPE as FIRST_IN_SCOPE

world = first.world  # the same users of every role, logged in, and the instance factory

API = "/api/v1"
COLUMN_OPERATIONS = {
    # test_authorization_matrix.py
    "token": "POST /auth/token", "me": "GET /me", "defs": "GET /definitions", "deploy": "POST /definitions",
    "validate": "POST /definitions/validate", "def": "GET /definitions/{key}",
    "xml": "GET /definitions/{key}/versions/{version}/xml", "list": "GET /instances", "start": "POST /instances",
    "instance": "GET /instances/{instance_id}", "cancel": "POST /instances/{instance_id}/cancel",
    "message": "POST /messages", "inbox": "GET /tasks", "task": "GET /tasks/{task_id}",
    "claim": "POST /tasks/{task_id}/claim", "unclaim": "POST /tasks/{task_id}/unclaim",
    "assign": "POST /tasks/{task_id}/assign", "complete": "POST /tasks/{task_id}/complete",
    "history": "GET /instances/{instance_id}/history", "replay": "GET /instances/{instance_id}/replay",
    "export": "GET /instances/{instance_id}/history/export", "verify": "GET /audit/verify",
    "anchor": "POST /audit/anchors", "users": "GET /users", "create": "POST /users", "user": "GET /users/{username}",
    "patch": "PATCH /users/{username}", "grant": "POST /users/{username}/grants",
    "revoke": "POST /users/{username}/grants/{assignment_id}/revoke",
    "deactivate": "POST /users/{username}/deactivate",
    "conflicts": "GET /specifications/{specification}/conflicts",
    "conflict": "POST /specifications/{specification}/conflicts",
    # this module
    "docs": "GET /instances/{instance_id}/documents", "upload": "POST /instances/{instance_id}/documents",
    "taskdocs": "GET /tasks/{task_id}/documents", "taskupload": "POST /tasks/{task_id}/documents",
    "doc": "GET /documents/{document_id}", "content": "GET /documents/{document_id}/content",
    "logout": "POST /auth/logout", "notes": "GET /notifications", "read1": "POST /notifications/{notification_id}/read",
    "readall": "POST /notifications/read-all", "timers": "GET /timers", "fire": "POST /timers/{timer_id}/fire",
    "scheds": "GET /schedules", "schedule": "POST /schedules", "sched": "GET /schedules/{schedule_id}",
    "unsched": "POST /schedules/{schedule_id}/deactivate", "cycle": "GET /reports/cycle-times",
    "overdue": "GET /reports/overdue-tasks", "mtcs": "GET /committees", "mtc": "GET /committees/{code}",
    "specs": "GET /specifications", "spec": "GET /specifications/{spec_id}", "notices": "GET /notices",
    "notice": "GET /notices/{notice_id}", "staffcmts": "GET /notices/{notice_id}/comments",
    "comment": "POST /notices/{notice_id}/comments",
    "noticedoc": "GET /notices/{notice_id}/documents/{document_id}",
}

IN_SCOPE_DOCUMENTS = table("""
role                  docs  upload  taskdocs  taskupload  doc  content
authority             ok    ok      ok        ok          ok   ok
chair                 ok    ok      ok        ok          ok   ok
vice_chair            ok    ok      ok        ok          ok   ok
secretary_general     ok    ok      ok        ok          ok   ok
secretariat           ok    ok      ok        ok          ok   ok
member                ok    ok      ok        ok          ok   ok
corresponding_member  ok    ok      ok        ok          ok   ok
drafter               ok    ok      ok        ok          ok   ok
chief_reviewer        ok    ok      ok        ok          ok   ok
observer              ok    ok      ok        ok          ok   ok
auditor               ok    read    ok        read        ok   ok
process_admin         404   404     404       404         404  404
user_admin            404   404     404       404         404  404
""")
OUT_OF_SCOPE_DOCUMENTS = table("""
role                  docs  upload  taskdocs  taskupload  doc  content
authority             404   404     404       404         404  404
chair                 404   404     404       404         404  404
vice_chair            404   404     404       404         404  404
secretary_general     404   404     404       404         404  404
secretariat           404   404     404       404         404  404
member                404   404     404       404         404  404
corresponding_member  404   404     404       404         404  404
drafter               404   404     404       404         404  404
chief_reviewer        404   404     404       404         404  404
observer              404   404     404       404         404  404
auditor               ok    read    ok        read        ok   ok
process_admin         404   404     404       404         404  404
user_admin            404   404     404       404         404  404
""")

SUPERVISION = table("""
role                  logout  notes  read1  readall  timers  fire  scheds  schedule  sched  unsched  cycle  overdue
authority             ok      ok     404    ok       ok      404   ok      ok        404    404      ok     ok
chair                 ok      ok     404    ok       role    role  role    role      role   role     role   role
vice_chair            ok      ok     404    ok       role    role  role    role      role   role     role   role
secretary_general     ok      ok     404    ok       role    role  role    role      role   role     ok     ok
secretariat           ok      ok     404    ok       role    role  role    role      role   role     role   role
member                ok      ok     404    ok       role    role  role    role      role   role     role   role
corresponding_member  ok      ok     404    ok       role    role  role    role      role   role     role   role
drafter               ok      ok     404    ok       role    role  role    role      role   role     role   role
chief_reviewer        ok      ok     404    ok       role    role  role    role      role   role     role   role
observer              ok      ok     404    ok       role    role  role    role      role   role     role   role
auditor               ok      ok     404    ok       ok      role  ok      role      404    role     ok     ok
process_admin         ok      ok     404    ok       ok      404   ok      ok        404    404      ok     ok
user_admin            ok      ok     404    ok       role    role  role    role      role   role     role   role
anonymous             401     401    401    401      401     401   401     401       401    401      401    401
""")
PUBLIC = table("""
role                  mtcs  mtc  specs  spec  notices  notice  staffcmts  comment  noticedoc
authority             ok    404  ok     404   ok       404     404        404      404
secretariat           ok    404  ok     404   ok       404     404        404      404
member                ok    404  ok     404   ok       404     404        404      404
auditor               ok    404  ok     404   ok       404     404        404      404
process_admin         ok    404  ok     404   ok       404     404        404      404
anonymous             ok    404  ok     404   ok       404     401        404      404
""")
TABLES = [FIRST_IN_SCOPE, NOT_SCOPED, IN_SCOPE_DOCUMENTS, SUPERVISION, PUBLIC]


def test_every_openapi_operation_is_a_matrix_column(app):
    """A new endpoint without a column in a matrix table fails here, named."""
    spec = app.test_client().get(f"{API}/openapi.json").get_json()
    operations = {f"{method.upper()} {path.removeprefix(API)}" for path, item in spec["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")}
    columns = {column for expected in TABLES for (_, column) in expected}
    covered = {COLUMN_OPERATIONS[column] for column in columns}
    missing = sorted(operations - covered)
    assert not missing, "operations without a column in an authorization matrix table: " + ", ".join(missing)
    assert not covered - operations, sorted(covered - operations)


def _upload(caller, path: str):
    return caller.post(path, data={"file": (io.BytesIO(b"%PDF-1.4 matrix"), "matrix.pdf", "application/pdf")},
                       content_type="multipart/form-data", json=None)


@pytest.mark.parametrize("where", ["in_scope", "out_of_scope"])
def test_documents(world, engine, where):
    callers, instance = world
    expected, scope = (IN_SCOPE_DOCUMENTS, IN) if where == "in_scope" else (OUT_OF_SCOPE_DOCUMENTS, OUT)
    instance_id, tasks = instance(scope)
    document_id = _system_document(engine, instance_id)
    actual = {}
    for role, column in expected:
        caller = callers[role]
        task = tasks[role if role in LANES else "secretariat"]
        paths = {"docs": f"/instances/{instance_id}/documents", "taskdocs": f"/tasks/{task}/documents",
                 "doc": f"/documents/{document_id}", "content": f"/documents/{document_id}/content"}
        if column in paths:
            actual[(role, column)] = outcome(caller.get(paths[column]))
        elif column == "upload":
            actual[(role, column)] = outcome(_upload(caller, f"/instances/{instance_id}/documents"))
        else:
            actual[(role, column)] = outcome(_upload(caller, f"/tasks/{task}/documents"))
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))


def _system_document(engine, instance_id: str) -> int:
    from engine.actors import SYSTEM_ACTOR
    from engine.lifecycle import documents

    with engine.db.transaction() as session:
        policy = documents.DocumentPolicy.from_settings(engine.settings)
        return documents.upload(session, engine.runtime, SYSTEM_ACTOR, policy, instance_id, "seed.pdf",
                                "application/pdf", b"%PDF-1.4 seed").id


def run_unscoped(app, callers, role: str, column: str) -> str:
    caller = callers.get(role)
    client = app.test_client()

    def call(method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {caller.token}"} if caller else {}
        return outcome(getattr(client, method)(f"{API}{path}", headers=headers, **kwargs))

    missing = 999999
    requests = {
        "logout": ("post", "/auth/logout", {}), "notes": ("get", "/notifications", {}),
        "read1": ("post", f"/notifications/{missing}/read", {}), "readall": ("post", "/notifications/read-all", {}),
        "timers": ("get", "/timers", {}), "fire": ("post", f"/timers/{missing}/fire", {"json": {"reason": "matrix"}}),
        "scheds": ("get", "/schedules", {}),
        "schedule": ("post", "/schedules", {"json": {"name": f"matrix {role}", "process_key": "roles_matrix",
                                                     "rule": {"kind": "yearly", "date": "01-15"},
                                                     "subjects": [IN]}}),
        "sched": ("get", f"/schedules/{missing}", {}),
        "unsched": ("post", f"/schedules/{missing}/deactivate", {"json": {"reason": "matrix"}}),
        "cycle": ("get", "/reports/cycle-times", {}), "overdue": ("get", "/reports/overdue-tasks", {}),
        "mtcs": ("get", "/committees", {}), "mtc": ("get", "/committees/MTC-999", {}),
        "specs": ("get", "/specifications", {}), "spec": ("get", "/specifications/JJF-999", {}),
        "notices": ("get", "/notices", {}), "notice": ("get", f"/notices/{missing}", {}),
        "staffcmts": ("get", f"/notices/{missing}/comments", {}),
        "comment": ("post", f"/notices/{missing}/comments", {"json": {"author": "张三", "text": "意见"}}),
        "noticedoc": ("get", f"/notices/{missing}/documents/{missing}", {}),
    }
    method, path, kwargs = requests[column]
    return call(method, path, **kwargs)


def test_endpoints_without_scope_more(app, world):
    callers, _ = world
    expected = {**SUPERVISION, **PUBLIC}
    # logout ends the caller's session: run it last for each role
    order = sorted(expected, key=lambda key: key[1] == "logout")
    actual = {(role, column): run_unscoped(app, callers, role, column) for role, column in order}
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))
