"""``mtcflow demo``: seed the living demo dataset by running the processes (also run by ``quickstart`` on an
empty registry)."""
from __future__ import annotations

import time

import click

from engine.demo import seed


def seed_demo(eng, password: str) -> None:
    """Seed unless the registry already holds committees (then say so and leave the data alone)."""
    began = time.perf_counter()
    result = seed.seed(eng, password=password, progress=click.echo)
    if result["seeded"]:
        click.echo(f"demo data seeded in {time.perf_counter() - began:.1f} s; every account's password: '{password}'"
                   " (samr = authority, js_amr = 江苏 provincial authority, mtc01_sec = secretariat of MTC01, "
                   "mtc31_sec = of the provincial MTC31, mtc01_chair, mtc01_m1…, audit, …)")


def register(main: click.Group, engine_factory, prepare, fail, password: str) -> None:
    @main.command("demo")
    def demo() -> None:
        """Seed committees, members, specifications at every stage and open notices, through the engine."""
        from engine.errors import EngineError

        eng = engine_factory()
        try:
            prepare(eng)
            seed_demo(eng, password)
        except EngineError as err:
            fail(err)
