"""A user's grants read in the same statement as the user (or the token) give the same actor as reading
them one after the other, and the same refusals."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from engine.access import accounts as users
from engine.access import assignment
from engine.access.actors import Actor, Grant
from engine.access.models import AccessToken, RoleAssignment, User
from engine.errors import Unauthorized

PASSWORD = "correct horse battery"


@pytest.fixture
def stored(engine, clock):
    with engine.db.transaction() as session:
        users.create_user(session, "two", PASSWORD, [Grant.parse("secretariat:committee/MTC-1"),
                                                     Grant.parse("member:committee/MTC-2"),
                                                     Grant.parse("auditor")], actor="test")
        users.create_user(session, "none", PASSWORD, [], actor="test")
        session.execute(update(RoleAssignment).where(RoleAssignment.role == "member").values(revoked_at=clock.now()))
        tokens = {name: users.issue_token(session, users.get_user(session, name), 3600)[0] for name in ("two", "none")}
    return tokens


def test_one_statement_reads_the_same_actor(engine, stored):
    with engine.db.transaction() as session:
        for name, token in stored.items():
            expected = users.actor_for(session, users.user_for_token(session, token))
            assert users.actor_for_token(session, token) == expected
            assert users.user_and_actor(session, name)[1] == expected
            assert assignment.current(session, Actor(name, ())) == expected
        assert [g.role for g in users.actor_for_token(session, stored["two"]).grants] == ["secretariat", "auditor"]
        assert users.user_and_actor(session, "nobody") == (None, None)


def test_refusals_are_unchanged(engine, stored, clock):
    with engine.db.transaction() as session:
        with pytest.raises(Unauthorized, match="missing, expired or revoked"):
            users.actor_for_token(session, "not-a-token")
        session.execute(update(User).where(User.username == "none").values(active=False))
        with pytest.raises(Unauthorized, match="deactivated"):
            users.actor_for_token(session, stored["none"])
        with pytest.raises(Unauthorized, match="deactivated"):
            assignment.current(session, Actor("none", ()))
        session.execute(update(AccessToken).values(revoked_at=clock.now()))
        with pytest.raises(Unauthorized, match="missing, expired or revoked"):
            users.actor_for_token(session, stored["two"])
