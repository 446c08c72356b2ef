"""A small AST mutator: flip one comparison, boolean operator, ``not`` or constant at a time in a rule module
and run the tests that should notice; a surviving mutant is an assertion missing.

    python -m tests.mutation engine/access/assignment.py --tests tests/unit/test_mutation_survivors.py \
        [--max 40] [--timeout 60] [-k "not postgresql"]

Not part of the suite (it rewrites the module in place and restores it, one mutant at a time).
"""
from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import time
from pathlib import Path

FLIPS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
         ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def sites(tree: ast.AST) -> list[tuple[int, str]]:
    """Every mutable spot as (index in walk order, description)."""
    found = []
    for index, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.Compare) and type(node.ops[0]) in FLIPS:
            found.append((index, f"line {node.lineno}: {type(node.ops[0]).__name__} flipped"))
        elif isinstance(node, ast.BoolOp):
            found.append((index, f"line {node.lineno}: {type(node.op).__name__} → the other"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((index, f"line {node.lineno}: `not` dropped"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            found.append((index, f"line {node.lineno}: {node.value} → {not node.value}"))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            found.append((index, f"line {node.lineno}: {node.value} → {node.value + 1}"))
    return found


class _Mutate(ast.NodeTransformer):
    def __init__(self, target: int, order: dict[int, int]):
        self.target, self.order = target, order

    def visit(self, node):
        if self.order.get(id(node)) != self.target:
            return self.generic_visit(node)
        if isinstance(node, ast.Compare):
            node.ops[0] = FLIPS[type(node.ops[0])]()
        elif isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif isinstance(node, ast.UnaryOp):
            return node.operand
        elif isinstance(node.value, bool):
            node.value = not node.value
        else:
            node.value += 1
        return node


def mutant(source: str, target: int) -> str:
    tree = ast.parse(source)
    order = {id(node): index for index, node in enumerate(ast.walk(tree))}
    return ast.unparse(ast.fix_missing_locations(_Mutate(target, order).visit(tree)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", type=Path)
    parser.add_argument("--tests", nargs="+", required=True)
    parser.add_argument("-k", default=None, help="pytest -k expression")
    parser.add_argument("--max", type=int, default=40, help="mutants at most (evenly spread over the module)")
    parser.add_argument("--timeout", type=float, default=90, help="seconds per mutant; a timeout counts as killed")
    args = parser.parse_args()
    original = args.module.read_text(encoding="utf-8")
    found = sites(ast.parse(original))
    step = max(1, len(found) // args.max)
    chosen = found[::step][: args.max]
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-x", "-p", "no:cacheprovider",
               *args.tests, *(["-k", args.k] if args.k else [])]
    killed, survivors, started = 0, [], time.monotonic()
    try:
        for index, description in chosen:
            args.module.write_text(mutant(original, index), encoding="utf-8")
            try:
                done = subprocess.run(command, capture_output=True, timeout=args.timeout, check=False)
                dead = done.returncode != 0
            except subprocess.TimeoutExpired:
                dead = True
            killed += dead
            if not dead:
                survivors.append(description)
            print(f"{'killed  ' if dead else 'SURVIVED'} {description}", flush=True)
    finally:
        args.module.write_text(original, encoding="utf-8")
    total = len(chosen)
    print(f"\n{args.module}: {killed}/{total} mutants killed ({100 * killed / max(total, 1):.0f}%) of "
          f"{len(found)} sites, in {time.monotonic() - started:.0f} s")
    for description in survivors:
        print(f"  survivor: {description}")


if __name__ == "__main__":
    main()
