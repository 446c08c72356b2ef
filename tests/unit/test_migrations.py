"""The migration history is one chain whose head builds exactly the models' schema, on both stores; databases
migrated while the history had several heads are folded onto it."""
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from engine.db import migrate, tables

pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index", "ignore:Skipped unsupported reflection")


def _differences(url: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            options = {"compare_type": True, "include_name": tables.managed}
            context = MigrationContext.configure(connection, opts=options)
            return compare_metadata(context, tables.metadata)
    finally:
        engine.dispose()


def test_one_linear_chain_with_consistent_names():
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1
    chain = migrate.chain(migrate.alembic_config("sqlite://"))
    assert chain[0] == "0001" and all(rev.isdigit() and len(rev) == 4 for rev in chain)
    assert chain == sorted(chain)
    for script in scripts.walk_revisions():
        source = Path(script.path).read_text()
        assert "import engine" not in source and "from engine" not in source, script.path  # tables as they were


def test_upgrade_head_from_empty_yields_the_models_schema(db_url):
    """``db_url`` is migrated from empty with ``alembic upgrade head`` (SQLite file and PostgreSQL schema)."""
    assert _differences(db_url) == []


def test_a_database_with_the_former_heads_is_folded_onto_the_chain(tmp_path):
    url = f"sqlite:///{tmp_path / 'legacy.db'}"
    migrate.upgrade(url, "0011")
    engine = sa.create_engine(url)
    with engine.begin() as connection:  # what alembic wrote when every revision named 0001 as its parent
        connection.execute(sa.text("DELETE FROM alembic_version"))
        for legacy in ["0002", "0003", "0004", "0005", "0006", "0007", "0010_harden_login_failures",
                       "0011_perf2_inbox_order"]:
            connection.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": legacy})
    migrate.upgrade(url)
    with engine.connect() as connection:
        versions = [row[0] for row in connection.execute(sa.text("SELECT version_num FROM alembic_version"))]
    engine.dispose()
    assert versions == [migrate.chain(migrate.alembic_config(url))[-1]]
    assert _differences(url) == []


def test_a_gap_in_the_former_heads_is_refused_and_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'gap.db'}"
    migrate.upgrade(url, "0011")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM alembic_version"))
        for legacy in ["0002", "0011_perf2_inbox_order"]:
            connection.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": legacy})
    try:
        migrate.upgrade(url)
    except migrate.MigrationError as err:
        assert "lacks revisions" in str(err)
    else:
        raise AssertionError("a database missing revisions below its head must be refused")
    with engine.connect() as connection:
        versions = sorted(row[0] for row in connection.execute(sa.text("SELECT version_num FROM alembic_version")))
    engine.dispose()
    assert versions == ["0002", "0011_perf2_inbox_order"]
