"""Apply Alembic migrations programmatically (used by ``serve``, ``db upgrade`` and tests).

The history is one linear chain. Databases migrated before it was linearised carry one
``alembic_version`` row per former head (every revision then named 0001 as its parent, some with long
ids); ``upgrade`` folds those rows into the single revision they amount to before upgrading.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LEGACY_IDS = {"0010_harden_login_failures": "0010", "0011_perf2_inbox_order": "0011"}


class MigrationError(RuntimeError):
    """The database's recorded revisions cannot be placed on the chain; nothing was changed."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def chain(config: Config) -> list[str]:
    """Revision ids from the first to the head."""
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]


def fold_legacy_heads(url: str, config: Config) -> None:
    """Replace the rows of a formerly multi-head database by the one revision they amount to."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("alembic_version"):
                return
            rows = [r[0] for r in connection.execute(sa.text("SELECT version_num FROM alembic_version"))]
            if len(rows) <= 1 and not set(rows) & set(LEGACY_IDS):
                return
            order = chain(config)
            applied = {LEGACY_IDS.get(r, r) for r in rows} | {order[0]}
            unknown = applied - set(order)
            if unknown:
                raise MigrationError(f"unknown revisions in alembic_version: {sorted(unknown)}")
            top = max(order.index(r) for r in applied)
            missing = [r for r in order[: top + 1] if r not in applied]
            if missing:
                raise MigrationError(f"the database lacks revisions {missing} below {order[top]}; "
                                     "apply them with the release that wrote them first")
            connection.execute(sa.text("DELETE FROM alembic_version"))
            connection.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": order[top]})
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    config = alembic_config(url)
    fold_legacy_heads(url, config)
    command.upgrade(config, revision)
