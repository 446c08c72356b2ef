"""Backups that restore: a consistent copy taken while the server runs, and a restore that reports success
only once the audit chains verify and every instance's stored state loads.

SQLite uses its online backup API (a read snapshot; writers keep going in WAL mode). PostgreSQL uses
``pg_dump --format=custom`` (one repeatable-read snapshot) and ``pg_restore --single-transaction``.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import URL, make_url

from engine.db.session import is_sqlite
from engine.history import audit
from engine.history.models import Event, StateSnapshot
from engine.runtime.models import Instance


def backup(database_url: str, path: Path) -> None:
    """Write a consistent copy of the database to ``path`` (replaced atomically)."""
    partial = path.with_name(path.name + ".partial")
    if is_sqlite(database_url):
        _sqlite_copy(_sqlite_path(database_url), partial)
    else:
        dsn, schema, env = _libpq(database_url)
        _run(["pg_dump", "--format=custom", f"--file={partial}", *([f"--schema={schema}"] if schema else []),
              f"--dbname={dsn}"], env)
    partial.replace(path)


def restore(path: Path, database_url: str, force: bool = False) -> None:
    """Load a backup into an empty database (SQLite: a file that does not exist yet unless ``force``)."""
    if not path.is_file():
        raise FileNotFoundError(f"no backup at {path}")
    if is_sqlite(database_url):
        target = _sqlite_path(database_url)
        if target.exists() and not force:
            raise FileExistsError(f"{target} exists; restore into a fresh database (or --force, server stopped)")
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        partial = target.with_name(target.name + ".partial")
        _sqlite_copy(path, partial)
        partial.replace(target)
        return
    dsn, _schema, env = _libpq(database_url)
    _run(["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", f"--dbname={dsn}", str(path)], env)


def check_restored(engine) -> dict:
    """What a restore must prove before it reports success: the chains (and anchors) verify, and every
    instance's state is stored under its history's last step and loads into a workflow."""
    failures = []
    with engine.db.transaction() as session:
        chains = audit.verify(session, keyring=engine.settings.anchor_keys)
        instances = list(session.scalars(select(Instance)))
        for instance in instances:
            try:
                engine.runtime._workflow(session, instance)
                if instance.event_count:
                    sha = session.scalar(select(Event.state_sha256).where(Event.stream == instance.id,
                                                                          Event.seq == instance.event_count))
                    if sha and session.get(StateSnapshot, sha) is None:
                        failures.append(f"{instance.id}: the state of its last step ({sha[:12]}) is missing")
            except Exception as err:  # noqa: BLE001  (any failure to load is what we report)
                failures.append(f"{instance.id}: state does not load ({type(err).__name__}: {err})")
    return {"ok": chains["ok"] and not failures, "chains": chains, "instances": len(instances),
            "state_failures": failures}


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database or "")


def _sqlite_copy(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step under one read snapshot: consistent while others write
    finally:
        dst.close()
        src.close()


def _libpq(database_url: str) -> tuple[str, str | None, dict]:
    """A libpq URL for the command-line tools (password in PGPASSWORD, never on the command line) and the
    schema named by a ``-csearch_path=`` option, if any."""
    url = make_url(database_url)
    options = url.query.get("options", "")
    schema = None
    for part in (options if isinstance(options, str) else " ".join(options)).split():
        if part.startswith("-csearch_path="):
            schema = part.split("=", 1)[1].split(",")[0]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    dsn = plain.render_as_string(hide_password=False)
    return dsn, schema, env


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
