"""``mtcflow backup`` / ``mtcflow restore``: a copy taken while serving, a restore that proves itself."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from engine.runtime import backup as backups
from engine.workflow_engine import WorkflowEngine


def register(main: click.Group, engine: Callable[[], WorkflowEngine]) -> None:
    @main.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(path: Path) -> None:
        """Copy MTCFLOW_DATABASE_URL to PATH while the server runs (SQLite online backup; PostgreSQL pg_dump -Fc)."""
        eng = engine()
        try:
            backups.backup(eng.settings.database_url, path)
        except RuntimeError as err:
            click.secho(f"error: {err}", fg="red", err=True)
            sys.exit(1)
        finally:
            eng.close()
        click.echo(f"backup written: {path} ({path.stat().st_size} bytes)")

    @main.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="SQLite: replace an existing file (stop the server first)")
    def restore_command(path: Path, force: bool) -> None:
        """Restore PATH into an empty MTCFLOW_DATABASE_URL, migrate it, and succeed only if the audit chains
        verify and every instance's state loads."""
        eng = engine()
        try:
            backups.restore(path, eng.settings.database_url, force=force)
            eng.close()
            eng = engine()
            eng.migrate()
            result = backups.check_restored(eng)
        except (OSError, RuntimeError) as err:
            click.secho(f"error: {err}", fg="red", err=True)
            sys.exit(1)
        finally:
            eng.close()
        chains = result["chains"]
        if not result["ok"]:
            click.secho("RESTORED BUT NOT VERIFIED: do not serve from this copy", fg="red")
            if not chains["ok"]:
                first = chains["first_broken"]
                click.secho(f"  chain: {chains['breaks']} problem(s); first {first['kind']} in {first['stream']} "
                            f"at step {first['seq']}", fg="red")
            for failure in result["state_failures"][:20]:
                click.secho(f"  state: {failure}", fg="red")
            sys.exit(1)
        click.secho(f"restored and verified: {chains['checked']} events, {result['instances']} instance states "
                    f"load; anchors: {chains['verdict']}", fg="green")
