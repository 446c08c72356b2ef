"""Sign-in of an identity provider's users: matching by claim, provisioning, and the group map's grants kept in
step with the groups claim while grants made in mtcflow stay."""
from __future__ import annotations

import json

import pytest

from engine.access import accounts
from engine.access.actors import SYSTEM, Grant
from engine.access.external_identity import Claims, GroupMap, sign_in
from engine.errors import InvalidInput, Unauthorized

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
ISSUER = "https://idp.example.cn"
MAP = GroupMap({"sec": (Grant("secretariat", "committee/MTC-12"),), "audit": (Grant("auditor"),)})


def _claims(username="wangwu", groups=("sec",), **extra) -> Claims:
    return Claims(ISSUER, {"sub": "s-1", "preferred_username": username, "groups": list(groups), **extra})


def _grants(session, user) -> set[str]:
    return {str(g) for g in accounts.grants_of(session, user)}


@SQLITE
def test_groups_gained_and_lost_follow_the_claim_admin_grants_stay(engine):
    with engine.db.transaction() as session:
        user = sign_in(session, _claims(groups=["sec"], name="王五"), MAP)
        assert user.display_name == "王五" and _grants(session, user) == {"secretariat:committee/MTC-12"}
        accounts.grant_role(session, user, Grant("member", "committee/MTC-12"), actor="admin", reason="appointed")
    with engine.db.transaction() as session:
        again = sign_in(session, _claims(groups=["audit"]), MAP)
        assert again.id == user.id
        assert _grants(session, again) == {"auditor", "member:committee/MTC-12"}
        with pytest.raises(Unauthorized):  # a local password never works for a provisioned account
            accounts.authenticate(session, "wangwu", "anything-at-all")


@SQLITE
def test_without_a_map_grants_stay_in_mtcflow_and_existing_accounts_are_linked(engine):
    with engine.db.transaction() as session:
        local = accounts.create_user(session, "zhaoliu", "a-long-password", [Grant("member", "committee/MTC-12")])
        user = sign_in(session, _claims("zhaoliu", groups=["sec"]))
        assert user.id == local.id and _grants(session, user) == {"member:committee/MTC-12"}
        accounts.deactivate(session, user, actor=SYSTEM, reason="left the committee")
    with engine.db.transaction() as session, pytest.raises(Unauthorized):
        sign_in(session, _claims("zhaoliu"))


@SQLITE
def test_missing_claim_is_refused(engine):
    with engine.db.transaction() as session, pytest.raises(Unauthorized):
        sign_in(session, Claims(ISSUER, {"sub": "s-2"}), MAP)


def test_group_map_file_is_checked_when_loaded(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"秘书处": ["secretariat:committee/MTC-12", "member"]}, ensure_ascii=False), "utf-8")
    assert GroupMap.load(good).grants_for(["秘书处", "other"]) == {
        Grant("secretariat", "committee/MTC-12"): "秘书处", Grant("member"): "秘书处"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"x": ["secretariat:nowhere/1"]}), "utf-8")
    with pytest.raises(InvalidInput):
        GroupMap.load(bad)
