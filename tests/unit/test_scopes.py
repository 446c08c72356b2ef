"""Scope syntax and coverage, and the duty rules' static checks, without a database."""
from types import SimpleNamespace

import pytest

from engine.access import duties, scopes
from engine.access.actors import Grant
from engine.errors import InvalidInput


def target(committee=None, specification=None, level=None, jurisdiction=None):
    return SimpleNamespace(committee=committee, specification=specification, level=level, jurisdiction=jurisdiction)


@pytest.mark.parametrize("text, parsed", [
    (None, None),
    ("committee/MTC-12", scopes.Scope("committee", "MTC-12")),
    ("committee/MTC12/SC1", scopes.Scope("committee", "MTC12/SC1")),
    ("spec/JJF 1033—2016", scopes.Scope("spec", "JJF 1033—2016")),
    ("level/national", scopes.Scope("level", "national")),
    ("level/provincial/江苏", scopes.Scope("level", "provincial", "江苏")),
    ("level/ministry/工业和信息化部", scopes.Scope("level", "ministry", "工业和信息化部")),
])
def test_parse(text, parsed):
    assert scopes.parse(text) == parsed


@pytest.mark.parametrize("text", ["", "committee", "committee/", "team/x", "level/county", "level/national/江苏",
                                  "spec/ padded", "level/provincial/"])
def test_parse_refuses(text):
    with pytest.raises(ValueError):
        scopes.parse(text)


def test_covers():
    js = target("MTC-12", "JJF-A", "provincial", "江苏")
    assert scopes.covers(Grant("member"), js)
    assert scopes.covers(Grant("member", "committee/MTC-12"), js)
    assert not scopes.covers(Grant("member", "committee/MTC-13"), js)
    assert scopes.covers(Grant("drafter", "spec/JJF-A"), js)
    assert scopes.covers(Grant("authority", "level/provincial/江苏"), js)
    assert scopes.covers(Grant("authority", "level/provincial"), js)
    assert not scopes.covers(Grant("authority", "level/provincial/浙江"), js)
    assert not scopes.covers(Grant("authority", "level/national"), js)


def test_br11_routing_keeps_unscoped_authority_off_leveled_instances():
    assert not duties.routes_to(Grant("authority"), target(level="national"))
    assert duties.routes_to(Grant("authority"), target())
    assert duties.routes_to(Grant("secretariat"), target(level="national"))


def test_grant_syntax_is_checked_for_every_grant():
    assert scopes.check_grant(Grant("member", "committee/MTC-12"))
    for bad in (Grant("Member"), Grant("system"), Grant("member", "club/x")):
        with pytest.raises(InvalidInput):
            scopes.check_grant(bad)


def test_initial_scope_merges_request_and_variables():
    variables = {"spec_id": "JJF-A"}
    assert scopes.initial({"committee": "MTC-12"}, variables) == {
        "committee": "MTC-12", "specification": "JJF-A", "level": None, "jurisdiction": None}
    assert variables == {"spec_id": "JJF-A", "committee_code": "MTC-12"}
    with pytest.raises(InvalidInput):
        scopes.initial({"committee": "MTC-12"}, {"committee_code": "MTC-13"})


def test_reserved_variables_need_a_form_that_declares_them():
    scopes.require_unreserved({"title": "x"}, None)
    scopes.require_unreserved({"drafters": ["a"]}, {"properties": {"drafters": {"type": "array"}}})
    with pytest.raises(InvalidInput):
        scopes.require_unreserved({"drafters": []}, {"properties": {"title": {}}})


def test_definition_errors_name_the_element():
    meta = {"processes": {"p": {"elements": {
        "ok": {"duty": "vote", "role": "member"},
        "corr": {"duty": "vote", "role": "corresponding_member"},
        "self": {"duty": "chief_review", "role": "drafter"},
        "odd": {"duty": "judge", "role": "member"},
        "plain": {"duty": None, "role": "observer"}}}}}
    found = {e["element_id"]: e["message"] for e in duties.definition_errors(meta)}
    assert set(found) == {"corr", "self", "odd"}
    assert found["corr"].startswith("BR7") and found["self"].startswith("BR3")


def test_profile_share_defaults_to_a_quarter():
    assert duties.profile_value(duties.VOTER_SHARE, "national") == duties.DEFAULTS[duties.VOTER_SHARE]
