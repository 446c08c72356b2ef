"""Authorization matrix of e-mail (issue 20): preferences are each user's own, the outbox is the operators'.

Same world as test_authorization_matrix.py. Decided here: every logged-in user reads and sets their own e-mail
preferences (auditors too: the address they are told at changes nothing of the business); nobody reads or sets
another's. The outbox holds addresses and subjects of every user, so only process admins, who run the machinery
and must see an SMTP outage, list it (``role`` for everyone else, auditors included). Nothing is scoped.
"""
from __future__ import annotations

from tests.api import test_authorization_matrix as first
from tests.api.roles_support import mismatches, outcome, table

world = first.world

COLUMN_OPERATIONS = {
    "myprefs": "GET /me/notification-preferences", "setprefs": "PUT /me/notification-preferences",
    "outbox": "GET /mail/outbox",
}

MAIL = table("""
role                  myprefs  setprefs  outbox
authority             ok       ok        role
chair                 ok       ok        role
vice_chair            ok       ok        role
secretary_general     ok       ok        role
secretariat           ok       ok        role
member                ok       ok        role
corresponding_member  ok       ok        role
drafter               ok       ok        role
chief_reviewer        ok       ok        role
observer              ok       ok        role
auditor               ok       ok        role
process_admin         ok       ok        ok
user_admin            ok       ok        role
anonymous             401      401       401
""")


def test_mail(world, app):
    callers, _ = world
    public = app.test_client()
    actual = {}
    for role, caller in {**callers, "anonymous": None}.items():
        client, base = (public, "/api/v1") if caller is None else (caller, "")
        for column in COLUMN_OPERATIONS:
            if column == "myprefs":
                response = client.get(base + "/me/notification-preferences")
            elif column == "setprefs":
                response = client.put(base + "/me/notification-preferences",
                                      json={"address": f"{role}@example.cn", "kinds": ["task"], "digest": True})
            else:
                response = client.get(base + "/mail/outbox")
            actual[(role, column)] = outcome(response)
            if column == "setprefs" and caller is not None:  # set for oneself only
                mine = caller.get("/me/notification-preferences").get_json()
                assert (mine["address"], mine["kinds"], mine["digest"]) == (f"{role}@example.cn", ["task"], True)
    assert not mismatches(MAIL, actual), "\n" + "\n".join(mismatches(MAIL, actual))
