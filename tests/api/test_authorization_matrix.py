"""Authorization matrix: every endpoint × every role × in-scope / out-of-scope, all of it over HTTP.

Each role holds one grant, scoped as domain.md scopes it (committee roles to MTC-12, specification
roles to JJF-A, the authority to 江苏's provincial level; auditor and admins globally). In-scope
targets are an instance of MTC-12 / JJF-A / provincial 江苏; out-of-scope targets one of MTC-13 /
JJF-B / provincial 浙江. A role acts on the task of its own lane (auditor and admins on the
secretariat's). Reads share one instance; an action expected to succeed gets a fresh one (shared by the
lane roles for task actions, as each touches only its own task); refusals of one action share one, since
a refusal changes nothing (and a wrongly allowed one still shows as a mismatch).

Codes: ok = 2xx · 404 = not found (nothing outside one's scopes leaks) · show / hide = listed or not ·
none = 409, no instance the caller may signal · otherwise the rule of the 403: lane (lane-role),
scope, assign, cancel, role, read (auditor-read-only). A message to an instance id the caller cannot see
answers 404 like an unknown id (a 409 told that it exists; issue 18).

Decided (issue 18): auditors create audit anchors (``anchor``: ok). An anchor records the chains' current
heads so later tampering shows; it changes no record and decides nothing, and checking the record is the
auditor's work. Process admins and timers: see test_authorization_matrix_more.py.
"""
from __future__ import annotations

import pytest

from engine.access.actors import SYSTEM_ACTOR
from tests.api.roles_support import log_in, make_user, mismatches, outcome, table
from tests.conftest import BPMN, PASSWORD

IN = {"committee": "MTC-12", "specification": "JJF-A", "level": "provincial", "jurisdiction": "江苏"}
OUT = {"committee": "MTC-13", "specification": "JJF-B", "level": "provincial", "jurisdiction": "浙江"}
GRANTS = {
    "authority": "authority:level/provincial/江苏",
    "chair": "chair:committee/MTC-12",
    "vice_chair": "vice_chair:committee/MTC-12",
    "secretary_general": "secretary_general:committee/MTC-12",
    "secretariat": "secretariat:committee/MTC-12",
    "member": "member:committee/MTC-12",
    "corresponding_member": "corresponding_member:committee/MTC-12",
    "drafter": "drafter:spec/JJF-A",
    "chief_reviewer": "chief_reviewer:spec/JJF-A",
    "observer": "observer:spec/JJF-A",
    "auditor": "auditor",
    "process_admin": "process_admin",
    "user_admin": "user_admin",
}
LANES = [r for r in GRANTS if r not in ("auditor", "process_admin", "user_admin")]

IN_SCOPE_TASKS = table("""
role                  task  inbox  claim  unclaim  assign  complete
authority             ok    show   ok     ok       ok      ok
chair                 ok    show   ok     ok       assign  ok
vice_chair            ok    show   ok     ok       assign  ok
secretary_general     ok    show   ok     ok       ok      ok
secretariat           ok    show   ok     ok       ok      ok
member                ok    show   ok     ok       assign  ok
corresponding_member  ok    show   ok     ok       assign  ok
drafter               ok    show   ok     ok       assign  ok
chief_reviewer        ok    show   ok     ok       assign  ok
observer              ok    show   ok     ok       assign  ok
auditor               ok    show   read   read     read    read
process_admin         404   hide   404    404      404     404
user_admin            404   hide   404    404      404     404
""")
IN_SCOPE_INSTANCES = table("""
role                  instance  list  history  replay  export  cancel  message  start
authority             ok        show  ok       ok      ok      ok      ok       lane
chair                 ok        show  ok       ok      role    cancel  ok       lane
vice_chair            ok        show  ok       ok      role    cancel  ok       lane
secretary_general     ok        show  ok       ok      role    ok      ok       lane
secretariat           ok        show  ok       ok      role    ok      ok       ok
member                ok        show  ok       ok      role    cancel  ok       lane
corresponding_member  ok        show  ok       ok      role    cancel  ok       lane
drafter               ok        show  ok       ok      role    cancel  ok       lane
chief_reviewer        ok        show  ok       ok      role    cancel  ok       lane
observer              ok        show  ok       ok      role    cancel  ok       lane
auditor               ok        show  ok       ok      ok      read    read     read
process_admin         404       hide  404      404     404     404     404      lane
user_admin            404       hide  404      404     role    404     404      lane
""")
IN_SCOPE = {**IN_SCOPE_TASKS, **IN_SCOPE_INSTANCES}

OUT_OF_SCOPE_TASKS = table("""
role                  task  inbox  claim  unclaim  assign  complete
authority             404   hide   404    404      404     404
chair                 404   hide   404    404      404     404
vice_chair            404   hide   404    404      404     404
secretary_general     404   hide   404    404      404     404
secretariat           404   hide   404    404      404     404
member                404   hide   404    404      404     404
corresponding_member  404   hide   404    404      404     404
drafter               404   hide   404    404      404     404
chief_reviewer        404   hide   404    404      404     404
observer              404   hide   404    404      404     404
auditor               ok    show   read   read     read    read
process_admin         404   hide   404    404      404     404
user_admin            404   hide   404    404      404     404
""")
OUT_OF_SCOPE_INSTANCES = table("""
role                  instance  list  history  replay  export  cancel  message  start
authority             404       hide  404      404     404     404     404      lane
chair                 404       hide  404      404     role    404     404      lane
vice_chair            404       hide  404      404     role    404     404      lane
secretary_general     404       hide  404      404     role    404     404      lane
secretariat           404       hide  404      404     role    404     404      scope
member                404       hide  404      404     role    404     404      lane
corresponding_member  404       hide  404      404     role    404     404      lane
drafter               404       hide  404      404     role    404     404      lane
chief_reviewer        404       hide  404      404     role    404     404      lane
observer              404       hide  404      404     role    404     404      lane
auditor               ok        show  ok       ok      ok      read    read     read
process_admin         404       hide  404      404     404     404     404      lane
user_admin            404       hide  404      404     role    404     404      lane
""")
OUT_OF_SCOPE = {**OUT_OF_SCOPE_TASKS, **OUT_OF_SCOPE_INSTANCES}

WITHOUT_SCOPE = table("""
role                  token  me  defs  deploy  validate  def  xml  verify  anchor  conflict  conflicts
authority             ok     ok  ok    role    role      ok   ok   ok      ok      ok        ok
chair                 ok     ok  ok    role    role      ok   ok   role    role    ok        ok
vice_chair            ok     ok  ok    role    role      ok   ok   role    role    ok        ok
secretary_general     ok     ok  ok    role    role      ok   ok   role    role    ok        ok
secretariat           ok     ok  ok    role    role      ok   ok   role    role    ok        ok
member                ok     ok  ok    role    role      ok   ok   role    role    ok        ok
corresponding_member  ok     ok  ok    role    role      ok   ok   role    role    ok        ok
drafter               ok     ok  ok    role    role      ok   ok   role    role    ok        ok
chief_reviewer        ok     ok  ok    role    role      ok   ok   role    role    ok        ok
observer              ok     ok  ok    role    role      ok   ok   role    role    ok        ok
auditor               ok     ok  ok    role    role      ok   ok   ok      ok      read      ok
process_admin         ok     ok  ok    ok      ok        ok   ok   ok      ok      ok        ok
user_admin            ok     ok  ok    role    role      ok   ok   role    role    ok        ok
""")

USER_ADMINISTRATION = table("""
role                  users  create  user  patch  grant  revoke  deactivate
authority             role   role    role  role   role   role    role
chair                 role   role    role  role   role   role    role
vice_chair            role   role    role  role   role   role    role
secretary_general     role   role    role  role   role   role    role
secretariat           role   role    role  role   role   role    role
member                role   role    role  role   role   role    role
corresponding_member  role   role    role  role   role   role    role
drafter               role   role    role  role   role   role    role
chief_reviewer        role   role    role  role   role   role    role
observer              role   role    role  role   role   role    role
auditor               ok     role    ok    role   role   role    role
process_admin         role   role    role  role   role   role    role
user_admin            ok     ok      ok    ok     ok     ok      ok
""")
NOT_SCOPED = {**WITHOUT_SCOPE, **USER_ADMINISTRATION}

READS = {"task", "inbox", "instance", "list", "history", "replay", "export", "start"}
PER_TASK = {"claim", "unclaim", "assign", "complete"}


@pytest.fixture
def world(app, engine, admin):
    """Users of every role, logged in; the matrix diagram deployed; a factory of instances by scope."""
    admin.deploy("roles_matrix.bpmn")
    client = app.test_client()
    for role, grant in GRANTS.items():
        make_user(engine, role, grant)
    callers = {role: log_in(client, role) for role in GRANTS}

    def instance(scope: dict) -> tuple[str, dict[str, str]]:
        with engine.db.transaction() as session:
            created = engine.runtime.start(session, SYSTEM_ACTOR, "roles_matrix", scope=scope,
                                           variables={"livelihood": True})
            from engine.runtime.models import Task

            rows = session.query(Task).filter(Task.instance_id == created.id).all()
            return created.id, {row.role: row.id for row in rows}

    return callers, instance


def run_scoped(engine, callers, instance, role: str, column: str, scope: dict, shared, fresh: dict,
               expect: str) -> str:
    caller = callers[role]
    if column in READS:
        instance_id, tasks = shared
    else:
        key = (column, "refused" if expect != "ok" else "lanes" if column in PER_TASK and role in LANES else role)
        instance_id, tasks = fresh[key] if key in fresh else fresh.setdefault(key, instance(scope))
    task = tasks[role if role in LANES else "secretariat"]
    if column == "task":
        return outcome(caller.get(f"/tasks/{task}"))
    if column == "inbox":
        items = caller.get("/tasks", query_string={"instance_id": instance_id, "per_page": 200}).get_json()["items"]
        return "show" if task in {t["id"] for t in items} else "hide"
    if column == "claim":
        return outcome(caller.post(f"/tasks/{task}/claim"))
    if column == "unclaim":
        holder = callers[role] if scope is IN and role in LANES else None
        with engine.db.transaction() as session:
            from engine.access import accounts as users

            actor = users.actor_for(session, users.get_user(session, holder.username)) if holder else SYSTEM_ACTOR
            engine.runtime.claim(session, actor, task)
        return outcome(caller.post(f"/tasks/{task}/unclaim"))
    if column == "assign":
        assignee = role if role in LANES else "secretariat"
        return outcome(caller.post(f"/tasks/{task}/assign", json={"assignee": assignee, "reason": "matrix"}))
    if column == "complete":
        return outcome(caller.complete(task, {}))
    if column == "instance":
        return outcome(caller.get(f"/instances/{instance_id}"))
    if column == "list":
        items = caller.get("/instances", query_string={"per_page": 200}).get_json()["items"]
        return "show" if instance_id in {i["id"] for i in items} else "hide"
    if column in ("history", "replay"):
        return outcome(caller.get(f"/instances/{instance_id}/{column}"))
    if column == "export":
        return outcome(caller.get(f"/instances/{instance_id}/history/export"))
    if column == "cancel":
        return outcome(caller.post(f"/instances/{instance_id}/cancel", json={"reason": "matrix"}))
    if column == "message":
        return outcome(caller.post("/messages", json={"name": "matrix_decision", "instance_id": instance_id}))
    if column == "start":
        return outcome(caller.post("/instances", json={"process_key": "roles_matrix", "scope": scope,
                                                       "variables": {"livelihood": True}}))
    raise AssertionError(column)


@pytest.mark.parametrize("where", ["in_scope", "out_of_scope"])
def test_scoped_endpoints(world, engine, where):
    callers, instance = world
    expected, scope = (IN_SCOPE, IN) if where == "in_scope" else (OUT_OF_SCOPE, OUT)
    shared, fresh = instance(scope), {}
    actual = {(role, column): run_scoped(engine, callers, instance, role, column, scope, shared, fresh, code)
              for (role, column), code in expected.items()}
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))


def run_global(engine, caller, role: str, column: str) -> str:
    target = f"target_{role}"
    if column == "token":
        return outcome(caller.client.post("/api/v1/auth/token", json={"username": role, "password": PASSWORD}))
    simple = {"me": "/me", "defs": "/definitions", "def": "/definitions/roles_matrix",
              "xml": "/definitions/roles_matrix/versions/1/xml", "verify": "/audit/verify", "users": "/users",
              "user": f"/users/{target}", "conflicts": "/specifications/JJF-A/conflicts"}
    if column in simple:
        return outcome(caller.get(simple[column]))
    if column in ("deploy", "validate"):
        path = "/definitions" if column == "deploy" else "/definitions/validate"
        return outcome(caller.post(path, data=(BPMN / "roles_matrix.bpmn").read_bytes(),
                                   content_type="application/xml"))
    if column == "anchor":
        return outcome(caller.post("/audit/anchors"))
    if column == "create":
        return outcome(caller.post("/users", json={"username": f"new_{role}", "password": PASSWORD,
                                                   "grants": ["member:committee/MTC-12"], "reason": "matrix"}))
    if column == "patch":
        return outcome(caller.client.patch(f"/api/v1/users/{target}", json={"unit": "某研究院", "reason": "matrix"},
                                           headers=caller._headers()))
    if column == "grant":
        return outcome(caller.post(f"/users/{target}/grants", json={"grant": "member:committee/MTC-13",
                                                                     "reason": "matrix"}))
    if column == "revoke":
        with engine.db.transaction() as session:
            from engine.access import accounts as users

            assignment_id = users.grants_of(session, users.get_user(session, target))[0].id
        return outcome(caller.post(f"/users/{target}/grants/{assignment_id}/revoke", json={"reason": "matrix"}))
    if column == "deactivate":
        return outcome(caller.post(f"/users/{target}/deactivate", json={"reason": "matrix"}))
    if column == "conflict":
        return outcome(caller.post("/specifications/JJF-A/conflicts", json={"reason": "matrix"}))
    raise AssertionError(column)


def test_endpoints_without_scope(world, engine):
    callers, _ = world
    for role in GRANTS:
        make_user(engine, f"target_{role}", "member:committee/MTC-12")
    actual = {(role, column): run_global(engine, callers[role], role, column) for role, column in NOT_SCOPED}
    assert not mismatches(NOT_SCOPED, actual), "\n" + "\n".join(mismatches(NOT_SCOPED, actual))


def test_anonymous_is_refused_everywhere_but_token_and_docs(app, world):
    client = app.test_client()
    for method, path in [("get", "/tasks"), ("get", "/instances"), ("post", "/instances"), ("get", "/users"),
                         ("post", "/users"), ("get", "/me"), ("post", "/specifications/JJF-A/conflicts")]:
        response = getattr(client, method)(f"/api/v1{path}", json={})
        assert response.status_code == 401, (method, path, response.status_code)
    assert client.get("/api/v1/openapi.json").status_code == 200
