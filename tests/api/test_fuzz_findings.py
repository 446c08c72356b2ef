"""Regression tests for what the API fuzzer found (tests/api/test_fuzz.py), on SQLite and PostgreSQL."""
from tests.conftest import BPMN


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


def test_unknown_query_parameters_are_refused(admin):
    """webargs ignored them (EXCLUDE) despite the schemas' RAISE: a misspelt filter returned everything."""
    body = problem(admin.get("/definitions", query_string={"kye": "approval"}), 422)
    assert "kye" in body["errors"]["query"]
    assert admin.get("/definitions", query_string={"key": "approval"}).status_code == 200


def test_huge_integer_ids_are_not_found(admin):
    """A 40-digit id reached the driver (OverflowError on SQLite, out of range on PostgreSQL): a 500."""
    problem(admin.get("/notices/" + "9" * 40), 404)
    problem(admin.get(f"/notices/{2**31}"), 404)
    document = admin.get("/openapi.json").get_json()
    parameter = document["paths"]["/api/v1/notices/{notice_id}"]["parameters"][0]
    assert parameter["schema"]["maximum"] == 2**31 - 1


def test_values_postgresql_refuses_are_422(admin, engine):
    """A NUL character in a filter made PostgreSQL raise a DataError: a 500. SQLite stores it."""
    response = admin.get("/instances", query_string={"business_key": "a\x00b"})
    if engine.db.dialect == "postgresql":
        assert "NUL" in problem(response, 422)["detail"]
    else:
        assert response.status_code == 200


def test_overlong_file_name_is_refused(admin):
    """The name column holds 500 characters: PostgreSQL refused longer ones with a driver error (500)."""
    response = admin.post("/definitions", data=(BPMN / "approval.bpmn").read_bytes(), content_type="application/xml",
                          query_string={"filename": "x" * 600})
    problem(response, 422)
    assert admin.get("/definitions").get_json()["total"] == 0
