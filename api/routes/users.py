"""User administration: accounts, role assignments with who and why, deactivation.

Done by ``user_admin``, a role of its own: process admins manage diagrams and auditors only read, so
the person who can hand out authority is neither the one who changes the processes nor the one who
checks the record. Auditors may read accounts; everyone may read their own.
"""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.common import page_of
from api.schemas.roles import (
    AssignmentSchema,
    CreateUserRequest,
    DeactivateResult,
    GrantRequest,
    ReasonRequest,
    UpdateUserRequest,
    UserListArgs,
    UserSchema,
)
from api.security.auth import authenticated, current_actor, engine
from api.views import page_payload
from engine.access import accounts as users
from engine.access.actors import AUDITOR, Grant
from engine.access.models import RoleAssignment, User
from engine.db.pages import paginate
from engine.errors import Forbidden, InvalidInput
from engine.runtime import lookups

blp = Blueprint("users", __name__, description="用户与角色 · Users and role assignments")
ADMIN = "user_admin"


def assignment_view(a: RoleAssignment) -> dict:
    return {"id": a.id, "role": a.role, "scope": a.scope, "grant": str(Grant(a.role, a.scope)),
            "granted_by": a.granted_by, "granted_at": a.granted_at, "reason": a.reason, "revoked_at": a.revoked_at,
            "revoked_by": a.revoked_by, "revoked_reason": a.revoked_reason}


def user_view(session, user: User) -> dict:
    rows = users.assignments(session, user)
    return {"username": user.username, "display_name": user.display_name, "unit": user.unit, "active": user.active,
            "created_at": user.created_at, "assignments": [assignment_view(a) for a in rows]}


def _parse(text: str) -> Grant:
    try:
        return Grant.parse(text)
    except ValueError as err:
        raise InvalidInput(f"Invalid grant {text!r}: {err}.", [{"field": "grant", "message": str(err)}]) from err


@blp.route("/users")
class UsersResource(MethodView):
    @authenticated(blp, ADMIN, AUDITOR)
    @blp.arguments(UserListArgs, location="query")
    @blp.response(200, page_of(UserSchema))
    def get(self, args):
        """Accounts with their role assignments (revoked ones included, with who and why)."""
        query = users.search(args.get("role"), args.get("active"))
        with engine().db.transaction() as session:
            items, total = paginate(session, query, args["page"], args["per_page"])
            return page_payload([user_view(session, u) for u in items], total, args["page"], args["per_page"])

    @authenticated(blp, ADMIN)
    @blp.arguments(CreateUserRequest)
    @blp.response(201, UserSchema)
    def post(self, body):
        """Create an account with role assignments, under the grant policy (scope per role, BR7, BR11)."""
        grants = [_parse(text) for text in body["grants"]]
        with engine().db.transaction() as session:
            user = users.create_user(session, body["username"], body["password"], grants,
                                     display_name=body.get("display_name"), unit=body.get("unit"),
                                     actor=current_actor().username, reason=body["reason"], strict=True)
            return user_view(session, user)


@blp.route("/users/<string:username>")
class UserResource(MethodView):
    @authenticated(blp)
    @blp.response(200, UserSchema)
    def get(self, username):
        """One account (user admins, auditors, or the account's owner)."""
        actor = current_actor()
        if actor.username != username and not (actor.has_role(ADMIN) or actor.is_auditor):
            raise Forbidden("Only user admins and auditors read other accounts.", rule="role")
        with engine().db.transaction() as session:
            return user_view(session, users.get_user(session, username))

    @authenticated(blp, ADMIN)
    @blp.arguments(UpdateUserRequest)
    @blp.response(200, UserSchema)
    def patch(self, body, username):
        """Change display name or unit (工作单位), with a reason."""
        changes = {k: body[k] for k in ("display_name", "unit") if k in body}
        with engine().db.transaction() as session:
            user = users.update_user(session, users.get_user(session, username), actor=current_actor().username,
                                     reason=body["reason"], **changes)
            return user_view(session, user)


@blp.route("/users/<string:username>/grants")
class GrantsResource(MethodView):
    @authenticated(blp, ADMIN)
    @blp.arguments(GrantRequest)
    @blp.response(201, AssignmentSchema)
    def post(self, body, username):
        """Grant ``ROLE[:SCOPE]`` with a reason; who granted it is recorded, and a history event."""
        grant = _parse(body["grant"])
        with engine().db.transaction() as session:
            row = users.grant_role(session, users.get_user(session, username), grant,
                                   actor=current_actor().username, reason=body["reason"], strict=True)
            return assignment_view(row)


@blp.route("/users/<string:username>/grants/<int:assignment_id>/revoke")
class RevokeResource(MethodView):
    @authenticated(blp, ADMIN)
    @blp.arguments(ReasonRequest)
    @blp.response(200, AssignmentSchema)
    def post(self, body, username, assignment_id):
        """Revoke an assignment from now on: the next action through it is refused, even on a claimed task."""
        with engine().db.transaction() as session:
            row = users.revoke_grant(session, users.get_user(session, username), assignment_id,
                                     actor=current_actor().username, reason=body["reason"])
            return assignment_view(row)


@blp.route("/users/<string:username>/deactivate")
class DeactivateResource(MethodView):
    @authenticated(blp, ADMIN)
    @blp.arguments(ReasonRequest)
    @blp.response(200, DeactivateResult)
    def post(self, body, username):
        """Deactivate the account: its tokens stop working at once; lists the open tasks it still holds."""
        with engine().db.transaction() as session:
            user = users.get_user(session, username)
            revoked = users.deactivate(session, user, actor=current_actor().username, reason=body["reason"])
            held = lookups.held_tasks(session, username)
            return {**user_view(session, user), "tokens_revoked": revoked, "claimed_tasks": held}
