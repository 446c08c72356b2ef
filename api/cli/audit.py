"""``mtcflow audit``: verify the chains with a progress bar, export an instance's history, anchor heads."""
from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import func, select

from engine.config import Settings
from engine.history import audit
from engine.history.models import Event
from engine.workflow_engine import WorkflowEngine


@click.group("audit")
def audit_group() -> None:
    """Verify and export the tamper-evident history."""


@audit_group.command("verify")
@click.option("--instance", "instance_id", default=None, help="only this instance's chain")
def verify_command(instance_id: str | None) -> None:
    """Check every hash chain and anchor; exit 1 and name the first broken link if any."""
    eng = WorkflowEngine(Settings.from_env())
    with eng.db.transaction() as session:
        query = select(func.count()).select_from(Event)
        if instance_id:
            query = query.where(Event.stream == instance_id)
        total = session.scalar(query)
        columns = (TextColumn("verifying"), BarColumn(), MofNCompleteColumn(), TextColumn("events"),
                   TimeRemainingColumn())
        with Progress(*columns, transient=False) as progress:
            bar = progress.add_task("verify", total=total)
            result = audit.verify(session, instance_id, progress=lambda n: progress.advance(bar, n))
    if result["ok"]:
        click.secho(f"ok: {result['checked']} events verified", fg="green")
        return
    first = result["first_broken"]
    click.secho(f"BROKEN: {result['breaks']} problem(s); first: {first['kind']} in "
                f"{first.get('instance_id', first['stream'])} at step {first['seq']}: {first['detail']}", fg="red")
    sys.exit(1)


@audit_group.command("export")
@click.option("--instance", "instance_id", required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="file (default: stdout)")
def export_command(instance_id: str, fmt: str, output) -> None:
    """Write one instance's history as JSON Lines or CSV, hashes included."""
    eng = WorkflowEngine(Settings.from_env())
    with eng.db.transaction() as session:
        for chunk in audit.export(session, instance_id, fmt):
            output.write(chunk)


@audit_group.command("anchor")
def anchor_command() -> None:
    """Anchor the heads of all chains that moved since the last anchor."""
    eng = WorkflowEngine(Settings.from_env())
    with eng.db.transaction() as session:
        anchor = audit.create_anchor(session, "cli")
        click.echo(f"anchor {anchor.id}: {anchor.heads} chain heads" if anchor
                   else "nothing moved since the last anchor")
