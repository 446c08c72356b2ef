"""``mtcflow users grant|revoke|deactivate|list``: the admin API's user administration from a shell.

The CLI runs with database access, so it is the bootstrap path (the first ``user_admin``); what it does
is recorded like the API's, with ``cli:<os user>`` as the actor.
"""
from __future__ import annotations

import getpass
from collections.abc import Callable

import click
from sqlalchemy import select

from engine.access import accounts as users
from engine.access.actors import Grant
from engine.access.models import RoleAssignment, User
from engine.errors import EngineError


def by() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def register(group: click.Group, make_engine: Callable, fail: Callable[[EngineError], None]) -> None:
    """Attach the commands to the ``users`` group."""

    def run(action: Callable) -> None:
        eng = make_engine()
        eng.migrate()
        try:
            with eng.db.transaction() as session:
                action(session)
        except EngineError as err:
            fail(err)

    @group.command("grant")
    @click.argument("name")
    @click.argument("grant")
    @click.option("--reason", required=True, help="why; recorded with the assignment")
    def grant_cmd(name: str, grant: str, reason: str) -> None:
        """Grant ROLE[:SCOPE], e.g. authority:level/provincial/江苏 or drafter:spec/JJF-2026-001."""
        try:
            parsed = Grant.parse(grant)
        except ValueError as err:
            raise click.BadParameter(str(err)) from err

        def action(session):
            row = users.grant_role(session, users.get_user(session, name), parsed, actor=by(), reason=reason,
                                   strict=True)
            click.echo(f"granted {parsed} to {name} (assignment {row.id})")
        run(action)

    @group.command("revoke")
    @click.argument("name")
    @click.argument("assignment", required=False, type=int)
    @click.option("--grant", "grant_text", default=None, help="ROLE[:SCOPE] instead of the assignment id")
    @click.option("--reason", required=True, help="why; recorded with the revocation")
    def revoke_cmd(name: str, assignment: int | None, grant_text: str | None, reason: str) -> None:
        """Revoke an assignment by id (see `users list`) or by ROLE[:SCOPE]."""
        if (assignment is None) == (grant_text is None):
            raise click.UsageError("give either an ASSIGNMENT id or --grant ROLE[:SCOPE]")

        def action(session):
            user = users.get_user(session, name)
            target = assignment
            if target is None:
                wanted = Grant.parse(grant_text)
                target = next((g.id for g in users.grants_of(session, user) if g == wanted), None)
                if target is None:
                    raise click.UsageError(f"{name} holds no active {wanted}")
            row = users.revoke_grant(session, user, target, actor=by(), reason=reason)
            click.echo(f"revoked {Grant(row.role, row.scope)} from {name} (assignment {row.id})")
        run(action)

    @group.command("deactivate")
    @click.argument("name")
    @click.option("--reason", required=True)
    def deactivate_cmd(name: str, reason: str) -> None:
        """Deactivate an account; its tokens stop working at once."""
        def action(session):
            revoked = users.deactivate(session, users.get_user(session, name), actor=by(), reason=reason)
            click.echo(f"deactivated {name}; {revoked} token(s) revoked")
        run(action)

    @group.command("list")
    @click.option("--all", "show_all", is_flag=True, help="include revoked assignments and inactive users")
    def list_cmd(show_all: bool) -> None:
        """Users with their assignments (id, grant, who granted it, why)."""
        def action(session):
            query = select(User).order_by(User.username)
            if not show_all:
                query = query.where(User.active.is_(True))
            for user in session.scalars(query):
                state = "" if user.active else "  [deactivated]"
                click.echo(f"{user.username}  {user.display_name or ''}  {user.unit or ''}{state}".rstrip())
                rows = select(RoleAssignment).where(RoleAssignment.user_id == user.id).order_by(RoleAssignment.id)
                if not show_all:
                    rows = rows.where(RoleAssignment.revoked_at.is_(None))
                for row in session.scalars(rows):
                    revoked = f"  revoked by {row.revoked_by}: {row.revoked_reason}" if row.revoked_at else ""
                    click.echo(f"  #{row.id} {Grant(row.role, row.scope)}  by {row.granted_by}: {row.reason}"
                               f"{revoked}")
        run(action)
