"""Authorization matrix of needs collection and project plans (issue 15 item 1), in and out of scope.

Same world and codes as test_authorization_matrix.py, plus 401 (no login) and show / hide (a draft plan listed or
not). Decided here: calls and published plans are public, and anyone submits a need, with or without an account;
the needs with their contacts are for the committee's secretariat, secretary-general, chair and vice-chairs, the
authority of its level and auditors (404 for others, as for anything outside one's scopes); opening a call and
screening a need are for the secretariat, the secretary-general and the authority; drafting and revising a plan
are the secretariat's and the secretary-general's (the authority decides it in the plan_approval process). A draft
plan is read by every business role of the committee, its authority and auditors.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from engine import clock
from engine.committees.models import Committee
from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table
from tests.api.test_authorization_matrix import IN, OUT

world = first.world
API = "/api/v1"

COLUMN_OPERATIONS = {
    "calls": "GET /need-calls", "call": "POST /need-calls", "need": "POST /need-calls/{call_id}/needs",
    "needs": "GET /need-calls/{call_id}/needs", "screen": "POST /needs/{need_id}/screen", "plans": "GET /plans",
    "draft": "POST /plans", "planned": "GET /plans/{plan_id}", "revise": "PUT /plans/{plan_id}",
}

IN_SCOPE_PLANS = table("""
role                  calls  call   need  needs  screen  plans  planned  draft  revise
authority             ok     ok     ok    ok     ok      show   ok       role   role
chair                 ok     role   ok    ok     role    show   ok       role   role
vice_chair            ok     role   ok    ok     role    show   ok       role   role
secretary_general     ok     ok     ok    ok     ok      show   ok       ok     ok
secretariat           ok     ok     ok    ok     ok      show   ok       ok     ok
member                ok     role   ok    404    role    show   ok       role   role
corresponding_member  ok     role   ok    404    role    show   ok       role   role
drafter               ok     role   ok    404    role    hide   404      role   role
chief_reviewer        ok     role   ok    404    role    hide   404      role   role
observer              ok     role   ok    404    role    hide   404      role   role
auditor               ok     read   ok    ok     read    show   ok       read   read
process_admin         ok     role   ok    404    role    hide   404      role   role
user_admin            ok     role   ok    404    role    hide   404      role   role
anonymous             ok     401    ok    401    401     hide   404      401    401
""")
OUT_OF_SCOPE_PLANS = table("""
role                  calls  call   need  needs  screen  plans  planned  draft  revise
authority             ok     scope  ok    404    scope   hide   404      role   role
chair                 ok     role   ok    404    role    hide   404      role   role
vice_chair            ok     role   ok    404    role    hide   404      role   role
secretary_general     ok     scope  ok    404    scope   hide   404      scope  scope
secretariat           ok     scope  ok    404    scope   hide   404      scope  scope
member                ok     role   ok    404    role    hide   404      role   role
corresponding_member  ok     role   ok    404    role    hide   404      role   role
drafter               ok     role   ok    404    role    hide   404      role   role
chief_reviewer        ok     role   ok    404    role    hide   404      role   role
observer              ok     role   ok    404    role    hide   404      role   role
auditor               ok     read   ok    ok     read    show   ok       read   read
process_admin         ok     role   ok    404    role    hide   404      role   role
user_admin            ok     role   ok    404    role    hide   404      role   role
anonymous             ok     401    ok    401    401     hide   404      401    401
""")
NEED = {"title": "需求", "field": "长度", "reason": "理由", "unit": "单位", "contact": "电话"}


def _targets(engine, scope: dict) -> tuple[int, int, int]:
    """A committee of the scope with a call, and a draft plan; made as the system."""
    from engine.plans.models import NeedCall, Plan, PlanItem

    with engine.db.transaction() as session:
        for code, jurisdiction in ((IN["committee"], IN["jurisdiction"]), (OUT["committee"], OUT["jurisdiction"])):
            if session.query(Committee).filter_by(code=code).first() is None:
                session.add(Committee(code=code, name=f"{code} 委员会", level="provincial", jurisdiction=jurisdiction,
                                      status="active", term_number=1, term_start=date(2024, 1, 1),
                                      term_end=date(2029, 12, 31)))
        call = NeedCall(title="征集", committee=scope["committee"], level="provincial",
                        jurisdiction=scope["jurisdiction"], closes_at=clock.now() + timedelta(days=30))
        plan = Plan(committee=scope["committee"], level="provincial", jurisdiction=scope["jurisdiction"], kind="annual",
                    title="年度计划", start_year=2027, end_year=2027, status="draft")
        session.add_all([call, plan])
        session.flush()
        session.add(PlanItem(plan_id=plan.id, seq=1, title="条目", spec_type="JJF", planned_year=2027))
        return call.id, plan.id, scope["committee"]


@pytest.mark.parametrize("where", ["in_scope", "out_of_scope"])
def test_plans_and_needs(app, world, engine, where):
    from api.security import ratelimit

    callers, _ = world
    app.config[ratelimit.COMMENT_LIMIT_KEY] = "10000 per minute"
    expected, scope = (IN_SCOPE_PLANS, IN) if where == "in_scope" else (OUT_OF_SCOPE_PLANS, OUT)
    client = app.test_client()
    call_id, plan_id, code = _targets(engine, scope)

    def call(role, method, path, **kwargs):
        caller = callers.get(role)
        headers = {"Authorization": f"Bearer {caller.token}"} if caller else {}
        return getattr(client, method)(f"{API}{path}", headers=headers, **kwargs)

    items = [{"title": "条目", "spec_type": "JJF"}]
    actual = {}
    for role, column in expected:
        if column == "calls":
            response = call(role, "get", "/need-calls")
        elif column == "call":
            response = call(role, "post", "/need-calls", json={"title": f"征集 {role}", "committee": code})
        elif column == "need":
            response = call(role, "post", f"/need-calls/{call_id}/needs", json=NEED)
        elif column == "needs":
            response = call(role, "get", f"/need-calls/{call_id}/needs")
        elif column == "screen":
            need = client.post(f"{API}/need-calls/{call_id}/needs", json=NEED).get_json()["id"]
            response = call(role, "post", f"/needs/{need}/screen", json={"decision": "accept"})
        elif column == "plans":
            response = call(role, "get", "/plans")
            if response.status_code == 200:
                listed = plan_id in {p["id"] for p in response.get_json()["items"]}
                actual[(role, column)] = "show" if listed else "hide"
                continue
        elif column == "planned":
            response = call(role, "get", f"/plans/{plan_id}")
        elif column == "draft":
            response = call(role, "post", "/plans", json={"committee": code, "kind": "annual", "title": "计划",
                                                          "start_year": 2027, "items": items})
        else:
            response = call(role, "put", f"/plans/{plan_id}", json={"items": items})
        actual[(role, column)] = outcome(response)
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))
