"""``mtcflow audit``: verify the chains with a progress bar, export an instance's history, anchor heads."""
from __future__ import annotations

import json
import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import func, select

from engine.config import Settings
from engine.history import anchor_export, audit
from engine.history.models import Event
from engine.workflow_engine import WorkflowEngine


@click.group("audit")
def audit_group() -> None:
    """Verify and export the tamper-evident history."""


@audit_group.command("verify")
@click.option("--instance", "instance_id", default=None, help="only this instance's chain")
def verify_command(instance_id: str | None) -> None:
    """Check every hash chain and anchor; exit 1 and name the first broken link if any, exit 2 when the chains
    verify but the newest anchor carries no MAC or one made with a key that is not configured."""
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
            result = audit.verify(session, instance_id, progress=lambda n: progress.advance(bar, n),
                                  keyring=eng.settings.anchor_keys)
    if result["ok"]:
        _report_anchors(result)
        return
    first = result["first_broken"]
    click.secho(f"BROKEN: {result['breaks']} problem(s); first: {first['kind']} in "
                f"{first.get('instance_id', first['stream'])} at step {first['seq']}: {first['detail']}", fg="red")
    sys.exit(1)


def _report_anchors(result: dict) -> None:
    anchors, checked = result["anchors"], result["checked"]
    after = f"{anchors['events_after_last_anchor']} events after the last anchor"
    if result["verdict"] == "ok":
        click.secho(f"ok: {checked} events verified; newest anchor {anchors['latest']} keyed and verified "
                    f"({anchors['verified']} of {anchors['count']} anchors keyed; {after})", fg="green")
    elif result["verdict"] == "unanchored":
        click.secho(f"ok: {checked} events verified; no anchors yet, so a rewrite that recomputes every hash "
                    "would go unnoticed (run `mtcflow audit anchor` with MTCFLOW_ANCHOR_KEY set)", fg="yellow")
    else:
        reason = ("carries no MAC (made without an anchor key)" if result["verdict"] == "unkeyed" else
                  f"was signed with key(s) {', '.join(anchors['missing_key_ids'])} that are not configured")
        click.secho(f"{result['verdict'].upper()}: the chains are consistent ({checked} events) but the newest "
                    f"anchor {anchors['latest']} {reason}: the record is not verified against someone who can "
                    "write to the database", fg="yellow")
        sys.exit(2)


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
        anchor = audit.create_anchor(session, "cli", eng.settings.anchor_keys)
        keyed = f", MAC by key {anchor.key_id}" if anchor and anchor.key_id else ", UNKEYED (no anchor key set)"
        click.echo(f"anchor {anchor.id}: {anchor.heads} chain heads{keyed}" if anchor
                   else "nothing moved since the last anchor")


@audit_group.command("export-anchors")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="file (default: stdout)")
def export_anchors_command(output) -> None:
    """Write every anchor with the heads it saw as JSON, timestamped and signed with the current anchor key."""
    eng = WorkflowEngine(Settings.from_env())
    with eng.db.transaction() as session:
        try:
            document = anchor_export.export(session, eng.settings.anchor_keys)
        except ValueError as err:
            raise click.UsageError(str(err)) from err
    json.dump(document, output, indent=1)
    output.write("\n")


@audit_group.command("check-export")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--offline", is_flag=True, help="check the signature and the anchor chain only, not the database")
def check_export_command(file, offline: bool) -> None:
    """Check an anchor export kept outside the system: its signature, and that the database still holds every
    exported anchor and anchored event unchanged; exit 1 if not."""
    eng = WorkflowEngine(Settings.from_env())
    document = json.load(file)
    if offline:
        result = anchor_export.check(document, eng.settings.anchor_keys)
    else:
        with eng.db.transaction() as session:
            result = anchor_export.check(document, eng.settings.anchor_keys, session)
    if result["ok"]:
        click.secho(f"ok: export of {result['exported_at']} signed (key {document['key_id']}); {result['anchors']} "
                    f"anchors {'consistent' if offline else 'found unchanged in the database'}", fg="green")
        return
    click.secho(f"FAILED: {len(result['problems'])} problem(s)", fg="red")
    for problem in result["problems"][:20]:
        click.secho(f"  - {problem}", fg="red")
    sys.exit(1)
