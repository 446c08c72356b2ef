"""The ``mtcflow`` command: serve, quickstart, db upgrade, deploy, users."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from api.cli import backup as cli_backup
from api.cli import demo as cli_demo
from api.cli import mail as cli_mail
from api.cli import timers as cli_timers
from api.cli import users as cli_users
from engine.access import accounts as users
from engine.access.actors import ROLES, Grant
from engine.config import Settings
from engine.demo import seed
from engine.errors import EngineError
from engine.workflow_engine import WorkflowEngine

DEMO_PASSWORD = "mtcflow-demo"
DEMO_SECRET_KEY = "mtcflow-embedded-demo-secret-key-not-for-production"
MIN_SECRET_KEY_LENGTH = 32
# One demo account per role, labelled as engine.access.actors.ROLES labels it (the demo authority is the national one).
DEMO_ROLES = {**ROLES, "authority": f"{ROLES['authority']}（市场监管总局计量司）"}


def _engine() -> WorkflowEngine:
    return WorkflowEngine(Settings.from_env())


def _fail(err: EngineError) -> None:
    click.secho(f"error: {err.detail}", fg="red", err=True)
    for item in err.errors or []:
        click.secho(f"  - {item}", fg="red", err=True)
    sys.exit(1)


@click.group()
def main() -> None:
    """mtcflow — BPMN engine for metrology technical committees (计量技术委员会)."""


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations to MTCFLOW_DATABASE_URL (SQLite file under ./var by default)."""
    eng = _engine()
    eng.migrate()
    click.echo(f"database at head: {eng.settings.database_url}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def deploy(paths: tuple[Path, ...]) -> None:
    """Deploy BPMN files (together, so call activities may cross them)."""
    eng = _engine()
    eng.migrate()
    try:
        for key, version, created in eng.deploy_files(list(paths), actor="cli"):
            click.echo(f"{key} v{version} {'deployed' if created else 'unchanged (identical content)'}")
    except EngineError as err:
        _fail(err)


@main.group("users")
def users_group() -> None:
    """User administration."""


@users_group.command("create")
@click.argument("name")
@click.option("--password", required=True, help="at least 8 characters")
@click.option("--role", "roles", multiple=True, help="ROLE or ROLE:SCOPE, e.g. secretariat:committee/MTC-12")
@click.option("--display-name", default=None)
@click.option("--unit", default=None, help="工作单位 (the BR3 duty rule reads it)")
@click.option("--reason", default="created from the command line", show_default=True)
def users_create(name: str, password: str, roles: tuple[str, ...], display_name: str | None, unit: str | None,
                 reason: str) -> None:
    """Create a user with role assignments (under the grant policy: each role in its kind of scope)."""
    eng = _engine()
    eng.migrate()
    try:
        grants = [Grant.parse(r) for r in roles]
        with eng.db.transaction() as session:
            users.create_user(session, name, password, grants, display_name=display_name, actor=cli_users.by(),
                              reason=reason, unit=unit, strict=True)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err
    except EngineError as err:
        _fail(err)
    click.echo(f"user {name} created with roles: {', '.join(roles) or '(none)'}")


cli_users.register(users_group, lambda: _engine(), _fail)  # looked up per call (tests replace it)


def require_secret_key(key: str | None) -> None:
    """Outside the embedded demo the key must be set, long and not the demo's (it signs what the server
    hands out; a guessable one lets anybody forge it)."""
    if not key or len(key) < MIN_SECRET_KEY_LENGTH or key == DEMO_SECRET_KEY:
        click.secho(f"error: set MTCFLOW_SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} "
                    "characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`); "
                    "`mtcflow quickstart` runs the embedded demo without one.", fg="red", err=True)
        sys.exit(2)


def _prepare(eng: WorkflowEngine) -> None:
    click.echo(f"database: {eng.settings.database_url}")
    eng.migrate()
    for key, version, created in eng.deploy_bundled():
        click.echo(f"  process {key} v{version}{' (new)' if created else ''}")


def ensure_demo_users(eng: WorkflowEngine) -> list[tuple[str, str]]:
    created = []
    with eng.db.transaction() as session:
        for role, label in DEMO_ROLES.items():
            try:
                users.get_user(session, role)
            except EngineError:
                users.create_user(session, role, DEMO_PASSWORD, [Grant(role)], display_name=f"演示·{label}",
                                  actor="quickstart", reason="embedded demo account")
                created.append((role, label))
    return created


def _run(eng: WorkflowEngine, host: str, port: int) -> None:
    from api.app import create_app

    app = create_app(engine=eng)
    cli_timers.start_embedded(eng)
    click.echo(f"mtcflow on http://{host}:{port}/  (pages: /inbox, /dashboard, /admin/definitions, /notices; "
               f"API docs: /api/v1/docs)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Migrate, deploy the bundled processes and serve the API (MTCFLOW_SECRET_KEY required)."""
    require_secret_key(os.environ.get("MTCFLOW_SECRET_KEY"))
    eng = _engine()
    try:
        _prepare(eng)
    except EngineError as err:
        _fail(err)
    _run(eng, host, port)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def quickstart(host: str, port: int) -> None:
    """The embedded demo: serve plus one demo account per role and, on an empty registry, the demo dataset
    (password: mtcflow-demo); a demo secret key stands in when MTCFLOW_SECRET_KEY is unset."""
    os.environ.setdefault("MTCFLOW_SECRET_KEY", DEMO_SECRET_KEY)
    eng = _engine()
    try:
        _prepare(eng)
        ensure_demo_users(eng)
        if not seed.seeded(eng):
            cli_demo.seed_demo(eng, DEMO_PASSWORD)
    except EngineError as err:
        _fail(err)
    click.echo(f"demo accounts (password '{DEMO_PASSWORD}'):")
    for role, label in DEMO_ROLES.items():
        click.echo(f"  {role:22s} {label}")
    _run(eng, host, port)


from api.cli.audit import audit_group  # noqa: E402

main.add_command(audit_group)
cli_timers.register(main, _engine, _fail)
cli_mail.register(main, lambda: _engine())  # looked up per call (tests replace it)
cli_backup.register(main, lambda: _engine())  # looked up per call (tests replace it)
cli_demo.register(main, lambda: _engine(), _prepare, _fail, DEMO_PASSWORD)  # looked up per call (tests replace it)

if __name__ == "__main__":
    main()
