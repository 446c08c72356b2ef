"""Authorization matrix of assessment from the record and full-text disclosure (issue 15 items 3 and 4).

Same world and codes as test_authorization_matrix.py; the committees MTC-12 (江苏, in scope) and MTC-13 (浙江, out of
scope) are put in the registry. Decided here: a scorecard, the members' participation and the member assessments
are read by the committee's own people, its authority (谁审批、谁监管) and auditors — 404 to everyone else, as if
there were none; only the committee's secretary-general records a member assessment (``role`` for the others who
read it; ``422`` is the secretary-general past the gate, naming no appointed member). Full texts are public: the
search answers everyone, a specification without a disclosed text is 404 to everyone.
"""
from __future__ import annotations

import pytest

from engine.committees.models import Committee
from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table
from tests.api.test_authorization_matrix import IN, OUT

world = first.world

COLUMN_OPERATIONS = {
    "card": "GET /committees/{code}/scorecard", "partic": "GET /committees/{code}/participation",
    "assessed": "GET /committees/{code}/member-assessments", "assess": "POST /committees/{code}/member-assessments",
    "texts": "GET /public/specifications", "text": "GET /public/specifications/{spec_id}",
    "download": "GET /public/specifications/{spec_id}/text",
}

IN_SCOPE_ASSESSMENT = table("""
role                  card  partic  assessed  assess  texts  text  download
authority             ok    ok      ok        role    ok     404   404
chair                 ok    ok      ok        role    ok     404   404
vice_chair            ok    ok      ok        role    ok     404   404
secretary_general     ok    ok      ok        422     ok     404   404
secretariat           ok    ok      ok        role    ok     404   404
member                ok    ok      ok        role    ok     404   404
corresponding_member  ok    ok      ok        role    ok     404   404
drafter               404   404     404       404     ok     404   404
chief_reviewer        404   404     404       404     ok     404   404
observer              404   404     404       404     ok     404   404
auditor               ok    ok      ok        read    ok     404   404
process_admin         404   404     404       404     ok     404   404
user_admin            404   404     404       404     ok     404   404
anonymous             401   401     401       401     ok     404   404
""")
OUT_OF_SCOPE_ASSESSMENT = table("""
role                  card  partic  assessed  assess
authority             404   404     404       404
chair                 404   404     404       404
vice_chair            404   404     404       404
secretary_general     404   404     404       404
secretariat           404   404     404       404
member                404   404     404       404
corresponding_member  404   404     404       404
drafter               404   404     404       404
chief_reviewer        404   404     404       404
observer              404   404     404       404
auditor               ok    ok      ok        read
process_admin         404   404     404       404
user_admin            404   404     404       404
anonymous             401   401     401       401
""")


def _committee(engine, scope: dict) -> str:
    with engine.db.transaction() as session:
        session.add(Committee(code=scope["committee"], name=f"{scope['jurisdiction']}计量技术委员会", status="active",
                              level=scope["level"], jurisdiction=scope["jurisdiction"], term_number=1))
    return scope["committee"]


@pytest.mark.parametrize("where", ["in_scope", "out_of_scope"])
def test_scorecards_and_full_texts(world, engine, app, where):
    callers, _ = world
    callers = {**callers, "anonymous": None}
    expected, scope = (IN_SCOPE_ASSESSMENT, IN) if where == "in_scope" else (OUT_OF_SCOPE_ASSESSMENT, OUT)
    code = _committee(engine, scope)
    public = app.test_client()
    actual = {}
    for role, column in expected:
        caller = callers[role]
        base = "/api/v1" if caller is None else ""
        client = public if caller is None else caller
        assessments = f"/committees/{code}/member-assessments"
        path = {"card": f"/committees/{code}/scorecard", "partic": f"/committees/{code}/participation",
                "assessed": assessments, "assess": assessments,
                "texts": "/public/specifications", "text": "/public/specifications/JJF-A",
                "download": "/public/specifications/JJF-A/text"}[column]
        if column == "assess":
            response = client.post(base + path, json={"year": 2026, "username": "nobody", "grade": "称职"})
        else:
            response = client.get(base + path)
        actual[(role, column)] = outcome(response)
    assert not mismatches(expected, actual), "\n" + "\n".join(mismatches(expected, actual))
