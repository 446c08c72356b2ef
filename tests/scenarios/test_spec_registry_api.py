"""GET /specifications and /specifications/{id}: filters, pagination, the public view (BR12) and the full record
for the roles that cover a specification."""
from datetime import date

import pytest

from tests.scenarios.spec_support import World, seed_committee, seed_spec


@pytest.fixture
def w(engine, app, clock):
    seed_committee(engine)
    world = World(engine, app.test_client(), clock)
    seed_spec(engine, "JJF-2026-001", stage="proposed", title="电子天平校准规范")
    seed_spec(engine, "JJF-2026-002", stage="drafting", title="数字压力计校准规范", livelihood=False)
    seed_spec(engine, "JJG-2026-003", stage="review", type="JJG", title="出租汽车计价器检定规程")
    seed_spec(engine, "JJF-2020-004", stage="published", title="红外测温仪校准规范", number="JJF 1904—2020",
              publication_date=date(2020, 3, 1), effective_date=date(2020, 6, 1))
    seed_spec(engine, "JJF-2026-005", stage="drafting", title="保密规范", confidential=True)
    seed_spec(engine, "JJF-2026-006", stage="drafting", title="他会规范", committee="MTC13")
    seed_spec(engine, "JJG-苏-2026-001", stage="drafting", type="JJG", title="江苏地方规程", level="provincial",
              jurisdiction="江苏", committee="JSMTC01")
    return world


def ids(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return sorted(item["id"] for item in response.get_json()["items"])


def test_the_public_sees_what_br12_publishes(w):
    public = w.client.get("/api/v1/specifications")
    assert ids(public) == ["JJF-2020-004", "JJF-2026-002", "JJF-2026-006", "JJG-2026-003", "JJG-苏-2026-001"]
    item = public.get_json()["items"][0]
    assert item["full"] is False and "drafters" not in item and "review" not in item
    assert w.client.get("/api/v1/specifications/JJF-2026-001").status_code == 404  # a proposal only
    assert w.client.get("/api/v1/specifications/JJF-2026-005").status_code == 404  # confidential
    assert w.client.get("/api/v1/specifications/NOPE").status_code == 404


def test_roles_see_their_own_in_full(w):
    sec = w.as_("sec")
    mine = ids(sec.get("/specifications"))
    assert "JJF-2026-001" in mine and "JJF-2026-005" in mine  # MTC12's own, also unpublished or confidential
    assert sec.get("/specifications/JJF-2026-005").get_json()["full"] is True
    assert sec.get("/specifications/JJF-2026-006").get_json()["full"] is False  # another committee's: public view
    w.grant("drafter", "drafter:spec/JJF-2026-002")
    assert w.as_("drafter").get("/specifications/JJF-2026-002").get_json()["full"] is True
    assert w.as_("drafter").get("/specifications/JJF-2026-001").status_code == 404
    assert w.as_("authority").get("/specifications/JJF-2026-001").get_json()["full"] is True  # its level
    assert w.as_("authority").get("/specifications/JJG-苏-2026-001").get_json()["full"] is False  # not its level
    assert len(ids(w.as_("auditor").get("/specifications"))) == 7
    assert w.client.get("/api/v1/specifications", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_filters_and_pages(w):
    auditor = w.as_("auditor")
    assert ids(auditor.get("/specifications", query_string={"stage": "drafting", "committee": "MTC12"})) == [
        "JJF-2026-002", "JJF-2026-005"]
    assert ids(auditor.get("/specifications", query_string={"type": "JJG"})) == ["JJG-2026-003", "JJG-苏-2026-001"]
    assert ids(auditor.get("/specifications", query_string={"level": "provincial", "jurisdiction": "江苏"})) == [
        "JJG-苏-2026-001"]
    assert ids(auditor.get("/specifications", query_string={"livelihood": "false"})) == ["JJF-2026-002"]
    assert ids(auditor.get("/specifications", query_string={"q": "压力"})) == ["JJF-2026-002"]
    assert ids(auditor.get("/specifications", query_string={"number": "JJF 1904—2020"})) == ["JJF-2020-004"]
    assert ids(auditor.get("/specifications", query_string={"in_force": "true"})) == ["JJF-2020-004"]
    first = auditor.get("/specifications", query_string={"per_page": 3, "page": 1}).get_json()
    second = auditor.get("/specifications", query_string={"per_page": 3, "page": 3}).get_json()
    assert first["total"] == 7 and len(first["items"]) == 3 and len(second["items"]) == 1
    assert auditor.get("/specifications", query_string={"stage": "nonsense"}).status_code == 422
    assert auditor.get("/specifications", query_string={"per_page": 500}).status_code == 422
