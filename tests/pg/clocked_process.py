"""Run a gunicorn API or ``mtcflow worker`` whose engine clock is read from a file the test writes, so one test
moves time for several processes at once instead of sleeping through a 30-day timer.

    python -m tests.pg.clocked_process CLOCK_FILE api    (gunicorn -c gunicorn.conf.py; MTCFLOW_BIND etc.)
    python -m tests.pg.clocked_process CLOCK_FILE worker [mtcflow worker options]
"""
from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from engine import clock as clock_module
from engine.config import ROOT


class FileClock(clock_module.Clock):
    """The moment written (ISO 8601) in a file; the test replaces the file atomically to move time."""

    def __init__(self, path: Path):
        self.path = path

    def now(self) -> datetime:
        return datetime.fromisoformat(self.path.read_text().strip())


def set_time(path: Path, moment: datetime) -> None:
    """Move every clocked process to ``moment`` (an atomic replace: readers never see half a file)."""
    scratch = path.with_suffix(".next")
    scratch.write_text(moment.isoformat())
    os.replace(scratch, path)


def main(argv: list[str]) -> None:
    clock_file, role, *rest = argv
    clock_module.install(FileClock(Path(clock_file)))  # forked gunicorn workers inherit it
    if role == "api":
        from gunicorn.app.wsgiapp import run

        sys.argv = ["gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), *rest]
        run()
    elif role == "worker":
        from api.cli.main import main as cli

        cli(["worker", *rest], standalone_mode=True)
    else:
        raise SystemExit(f"unknown role {role!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
