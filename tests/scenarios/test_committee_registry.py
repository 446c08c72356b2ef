"""The committee registry as others use it: the public API with filters and pages, ``status_of`` for BR9/BR13,
and the ``active_committees`` schedule subjects."""
from datetime import date

import pytest

from engine.committees import registry as committee_registry
from tests.scenarios.committee_support import seed_committee as seed


@pytest.fixture
def registry(engine):
    seed(engine, "MTC12", name="全国长度计量技术委员会", members=[
        {"name": "张三", "unit": "中国计量院", "role": "chair", "username": "zhang3"},
        {"name": "李四", "unit": "上海计量院", "role": "member"},
        {"name": "王五", "unit": "某企业", "role": "corresponding_member"}])
    seed(engine, "MTC12/SC1", name="全国长度计量技术委员会几何量分技术委员会", parent_code="MTC12")
    seed(engine, "MTC13", name="全国温度计量技术委员会", status="rectification", term_end=date(2025, 12, 31))
    seed(engine, "MTC14", name="全国电磁计量技术委员会", status="suspended", assessment_flag="年度报告逾期 2 次")
    seed(engine, "MTC15", name="江苏省衡器计量技术委员会", level="provincial", jurisdiction="江苏")
    seed(engine, "MTC16", name="全国化学计量技术委员会", status="revoked", successor_code="MTC12")
    return engine


@pytest.fixture
def get(app):
    client = app.test_client()

    def _get(path, **query):
        response = client.get(f"/api/v1{path}", query_string=query)
        return response.status_code, response.get_json()
    return _get


def codes(body):
    return [c["code"] for c in body["items"]]


def test_public_list_filters_and_pages(registry, get):
    status, body = get("/committees")
    assert status == 200 and body["total"] == 6 and codes(body)[:2] == ["MTC12", "MTC12/SC1"]
    assert codes(get("/committees", status="rectification")[1]) == ["MTC13"]
    assert codes(get("/committees", level="provincial", jurisdiction="江苏")[1]) == ["MTC15"]
    assert codes(get("/committees", q="温度")[1]) == ["MTC13"]
    assert codes(get("/committees", q="MTC12")[1]) == ["MTC12", "MTC12/SC1"]
    assert codes(get("/committees", member="张三")[1]) == ["MTC12"]
    assert codes(get("/committees", term_expired="true")[1]) == ["MTC13"]
    assert codes(get("/committees", flagged="true")[1]) == ["MTC14"]
    assert codes(get("/committees", parent="MTC12")[1]) == ["MTC12/SC1"]
    page = get("/committees", per_page=2, page=2)[1]
    assert (codes(page), page["total"], page["page"], page["per_page"]) == (["MTC13", "MTC14"], 6, 2, 2)
    assert get("/committees", status="dormant")[0] == 422
    assert get("/committees", per_page=500)[0] == 422
    expired = get("/committees", q="MTC13")[1]["items"][0]
    assert expired["term"]["expired"] is True and expired["accepts_reviews"] is False
    assert expired["accepts_projects"] is False  # in rectification (BR9)


def test_public_detail(registry, get):
    status, body = get("/committees/MTC12")
    assert status == 200 and body["member_count"] == 2  # the corresponding member does not vote
    assert [(m["name"], m["role_title"]) for m in body["members"]] == [
        ("张三", "主任委员"), ("李四", "委员"), ("王五", "通讯单位成员")]
    assert "username" not in body["members"][0] and body["subcommittees"] == ["MTC12/SC1"]
    assert get("/committees/MTC12/SC1")[1]["parent_code"] == "MTC12"
    assert get("/committees/MTC16")[1]["successor_code"] == "MTC12"
    status, body = get("/committees/MTC99")
    assert status == 404 and "MTC99" in body["detail"]


def test_status_of_for_br9_and_br13(registry):
    with registry.db.transaction() as session:
        assert committee_registry.status_of(session, "MTC99") is None
        assert committee_registry.status_of(session, None) is None
        active = committee_registry.status_of(session, "MTC12")
        assert active == "active" and str(active) == "active" and active != "rectification"
        assert active.project_refusal() is None and active.review_refusal() is None
        rectifying = committee_registry.status_of(session, "MTC13")
        assert rectifying.project_refusal()[0] == "BR9" and "整改" in rectifying.project_refusal()[1]
        assert rectifying.term_expired is True and rectifying.review_refusal()[0] == "BR13"
        suspended = committee_registry.status_of(session, "MTC14")
        assert suspended.project_refusal()[0] == "BR9" and suspended.review_refusal()[0] == "BR13"


def test_active_committees_are_the_schedule_subjects(registry):
    with registry.db.transaction() as session:
        subjects = committee_registry.active_committees(session)
    assert subjects == [
        {"committee": "MTC12", "level": "national", "anchor": "2028-12-31"},
        {"committee": "MTC12/SC1", "level": "national", "anchor": "2028-12-31"},
        {"committee": "MTC13", "level": "national", "anchor": "2025-12-31"},
        {"committee": "MTC15", "level": "provincial", "jurisdiction": "江苏", "anchor": "2028-12-31"}]
