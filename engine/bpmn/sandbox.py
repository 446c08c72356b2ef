"""Restricted execution of code found in BPMN diagrams.

SpiffWorkflow's stock ``TaskDataEnvironment`` runs gateway conditions, timer
and multi-instance expressions and script tasks with plain ``eval``/``exec``:
whoever can upload a diagram can run arbitrary Python in the engine.  This
module swaps that for RestrictedPython plus a per-call time/step budget.

Threat model and limits (read before relaxing anything):

* Refused at check time: imports, ``__import__``, any name or attribute that
  starts with ``_`` (so no dunder chains), ``try`` and ``with`` statements,
  class definitions, and ``**`` whose exponent is an int literal above
  ``MAX_LITERAL_EXPONENT``.  ``try``/``with`` are refused because they could
  catch the budget error; CPython also switches tracing off once a trace
  function raises, so swallowed budget errors would leave the rest of the code
  unbounded.
* Builtins are an allow-list: nothing reaches the filesystem, modules,
  ``eval``/``exec``/``compile``, ``getattr``/``type``/``vars`` or other
  introspection.
* The budget is enforced by a ``sys.settrace`` tracer, which only runs between
  bytecodes.  One long C-level operation cannot be interrupted: ``x ** y`` with
  data-driven operands, ``'a' * 10**9``, ``f"{1:{10**9}}"``, ``1 << 10**9`` and
  friends run to completion (or exhaust memory).  Run workers with OS limits
  (RLIMIT_AS / cgroups / process timeouts) as the real backstop.
* Attribute access is not object-level access control: helper objects passed
  in ``environment_globals`` must be safe to expose with all their public
  attributes, and must not swallow exceptions raised inside callbacks.
"""

from __future__ import annotations

import ast
import dis
import operator
import sys
import time
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from RestrictedPython import compile_restricted_eval, compile_restricted_exec, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from RestrictedPython.Limits import limited_range
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

__all__ = [
    "DEFAULT_MAX_STEPS",
    "DEFAULT_TIME_LIMIT",
    "MAX_LITERAL_EXPONENT",
    "RestrictedEnvironment",
    "SandboxError",
    "SandboxedScriptEngine",
    "check_code",
]

DEFAULT_TIME_LIMIT = 1.0
DEFAULT_MAX_STEPS = 100_000
MAX_LITERAL_EXPONENT = 10_000

# Spiff's PythonScriptEngine looks for frames with this filename to report the
# failing script line, so compiled diagram code keeps RestrictedPython's default.
_FILENAME = "<string>"


class SandboxError(Exception):
    """Diagram code was refused or ran out of budget.

    ``expression`` is the offending source (when known) so callers can point
    the modeller at it; ``reasons`` lists every individual refusal.
    """

    def __init__(self, message: str, expression: str | None = None, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.expression = expression
        self.reasons = reasons


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class _Compiled:
    code: types.CodeType | None
    errors: tuple[str, ...]
    # Code objects containing a jump to itself (``while True: pass``): CPython
    # 3.11 emits no "line" events for such a loop, so they need opcode tracing.
    self_jumping: frozenset[types.CodeType] = frozenset()


def _literal_int(node: ast.AST) -> int | None:
    """Value of an int built only from literals (``10**8``, ``-5``), else None."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _literal_int(node.operand)
        if value is None:
            return None
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Pow)):
        left, right = _literal_int(node.left), _literal_int(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Pow):
            # Oversized inner powers are refused on their own; don't compute them.
            if right < 0 or right > MAX_LITERAL_EXPONENT:
                return None
            return left**right
        ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
        return ops[type(node.op)](left, right)
    return None


# Not in the sandbox's builtins either; named here so a diagram using them is refused at deployment
# instead of failing its instances later.
_UNAVAILABLE_BUILTINS = frozenset({
    "getattr", "setattr", "delattr", "hasattr", "eval", "exec", "compile", "open", "globals", "locals",
    "vars", "dir", "type", "object", "input", "breakpoint", "help", "memoryview", "super", "classmethod",
    "staticmethod", "property", "exit", "quit",
})


def _ast_refusals(tree: ast.AST) -> list[str]:
    """Checks RestrictedPython does not do for us (see module docstring)."""
    reasons = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            reasons.append(f"Line {line}: import statements are not allowed")
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            reasons.append(f"Line {line}: try statements are not allowed")
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            reasons.append(f"Line {line}: with statements are not allowed")
        elif isinstance(node, ast.ClassDef):
            reasons.append(f"Line {line}: class definitions are not allowed")
        elif isinstance(node, ast.Name) and node.id in _UNAVAILABLE_BUILTINS:
            reasons.append(f"Line {line}: {node.id}() is not available in the sandbox")
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)) or (
            isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Pow)
        ):
            exponent = _literal_int(node.right if isinstance(node, ast.BinOp) else node.value)
            if exponent is not None and exponent > MAX_LITERAL_EXPONENT:
                reasons.append(f"Line {line}: exponent {exponent} is larger than {MAX_LITERAL_EXPONENT}")
    return reasons


def _self_jumping_code(code: types.CodeType) -> frozenset[types.CodeType]:
    found = set()
    stack = [code]
    while stack:
        current = stack.pop()
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
        for instr in dis.get_instructions(current):
            if (instr.opcode in dis.hasjrel or instr.opcode in dis.hasjabs) and instr.argval == instr.offset:
                found.add(current)
                break
    return frozenset(found)


def _syntax_reason(err: Exception) -> str:
    if isinstance(err, SyntaxError) and err.lineno is not None:
        return f"Line {err.lineno}: SyntaxError: {err.msg}"
    if isinstance(err, SyntaxError):
        return f"SyntaxError: {err.msg}"
    return f"SyntaxError: {err}"


@lru_cache(maxsize=1024)
def _compile(source: str, mode: str) -> _Compiled:
    """Compile once per (source, mode): conditions are evaluated very often."""
    if mode not in ("eval", "exec"):
        raise ValueError(f"mode must be 'eval' or 'exec', not {mode!r}")
    if not isinstance(source, str):
        return _Compiled(None, (f"code must be a string, not {type(source).__name__}",))
    try:
        tree = ast.parse(source, _FILENAME, mode)
    except (SyntaxError, ValueError) as err:  # ValueError: null bytes
        return _Compiled(None, (_syntax_reason(err),))
    reasons = _ast_refusals(tree)
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    try:
        result = compiler(source, _FILENAME)
    except SyntaxError as err:  # found by the bytecode compiler, e.g. 'return' outside function
        return _Compiled(None, (*reasons, _syntax_reason(err)))
    reasons.extend(result.errors)
    if reasons or result.code is None:
        return _Compiled(None, tuple(reasons) or ("code could not be compiled",))
    return _Compiled(result.code, (), _self_jumping_code(result.code))


def _compiled(source: str, mode: str) -> _Compiled:
    compiled = _compile(source, mode)
    if compiled.code is None:
        raise SandboxError("code refused: " + "; ".join(compiled.errors), source, compiled.errors)
    return compiled


def check_code(source: str, mode: str) -> None:
    """Raise SandboxError (with all reasons) unless `source` may run in the sandbox.

    `mode` is "eval" for expressions (conditions, timers, ...) and "exec" for
    script tasks.  The compiled result is cached, so checking at parse time and
    running later costs one compilation.
    """
    _compiled(source, mode)


# --------------------------------------------------------------------------- runtime guards

_INPLACE_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "@=": operator.imatmul,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "&=": operator.iand,
    "^=": operator.ixor,
    "|=": operator.ior,
}


def _check_exponent(base: Any, exponent: Any) -> None:
    if (
        isinstance(base, int)
        and isinstance(exponent, int)
        and abs(base) > 1
        and exponent > MAX_LITERAL_EXPONENT
    ):
        raise SandboxError(f"exponent {exponent} is larger than {MAX_LITERAL_EXPONENT}")


def _guarded_pow(base: Any, exp: Any, mod: Any = None) -> Any:
    """pow() without the one-call CPU bomb; modular pow stays cheap and allowed."""
    if mod is None:
        _check_exponent(base, exp)
        return pow(base, exp)
    return pow(base, exp, mod)


def _inplacevar(op: str, target: Any, value: Any) -> Any:
    """RestrictedPython rewrites ``x += y`` to ``x = _inplacevar_('+=', x, y)``."""
    if op == "**=":
        _check_exponent(target, value)
        return operator.ipow(target, value)
    try:
        func = _INPLACE_OPS[op]
    except KeyError:
        raise SandboxError(f"augmented assignment {op!r} is not supported") from None
    return func(target, value)


def _build_builtins() -> dict[str, Any]:
    allowed = dict(safe_builtins)
    # Classes are refused at check time anyway; id() leaks memory addresses.
    for name in ("__build_class__", "id"):
        allowed.pop(name, None)
    allowed.update(
        {
            "sorted": sorted,
            "min": min,
            "max": max,
            "sum": sum,
            "any": any,
            "all": all,
            "enumerate": enumerate,
            "zip": zip,
            "dict": dict,
            "list": list,
            "set": set,
            "tuple": tuple,
            "len": len,
            "abs": abs,
            "round": round,
            "range": limited_range,
            "isinstance": isinstance,
            "str": str,
            "int": int,
            "float": float,
            "bool": bool,
            "pow": _guarded_pow,
        }
    )
    return allowed


_BUILTINS = types.MappingProxyType(_build_builtins())

# Names RestrictedPython-compiled code looks up as globals.  They are added
# last so task data can never shadow a guard.
_GUARDS: dict[str, Any] = {
    "_getattr_": safer_getattr,
    "_getitem_": default_guarded_getitem,
    "_getiter_": default_guarded_getiter,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
}


class _Budget:
    """Trace functions enforcing a deadline and a line-event budget for one call.

    Only frames of sandboxed code are traced (cheaper, and a budget error is
    never raised inside trusted helpers that might swallow it).  Errors are only
    raised on line/opcode events: raising on "call" could happen while a
    generator is being closed by the garbage collector, where CPython ignores
    the error *and* disables tracing.
    """

    def __init__(self, compiled: _Compiled, source: str, time_limit: float, max_steps: int) -> None:
        self.source = source
        self.time_limit = time_limit
        self.max_steps = max_steps
        self.self_jumping = compiled.self_jumping
        self.steps = 0
        self.tripped: str | None = None
        self.deadline = time.monotonic() + time_limit

    def global_trace(self, frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        code = frame.f_code
        if code.co_filename != _FILENAME:
            return None
        if code in self.self_jumping:
            frame.f_trace_opcodes = True
        return self.local_trace

    def local_trace(self, frame: types.FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if event == "line":
            self.steps += 1
            if self.steps > self.max_steps:
                self._trip(f"step budget exceeded ({self.max_steps} steps)")
        if (event == "line" or event == "opcode") and time.monotonic() > self.deadline:
            self._trip(f"time budget exceeded ({self.time_limit} s)")
        return self.local_trace

    def _trip(self, message: str) -> None:
        self.tripped = message
        raise SandboxError(message, self.source)


# --------------------------------------------------------------------------- environment


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """TaskDataEnvironment semantics, but every call runs RestrictedPython code under a budget.

    ``evaluate`` sees helpers, then ``external_context``, then task data;
    ``execute`` writes the script's variables back into ``context`` (the task
    data) minus helpers, external context, callables and modules.

    Tracing is per thread, so concurrent workflows on other threads are not
    affected; any trace function already installed (debugger, coverage) is
    restored after each call.  See the module docstring for what a tracer
    cannot interrupt.
    """

    def __init__(
        self,
        environment_globals: Mapping[str, Any] | None = None,
        time_limit: float = DEFAULT_TIME_LIMIT,
        max_steps: int = DEFAULT_MAX_STEPS,
    ) -> None:
        super().__init__(dict(environment_globals or {}))
        if time_limit <= 0 or max_steps <= 0:
            raise ValueError("time_limit and max_steps must be positive")
        self.time_limit = time_limit
        self.max_steps = max_steps

    def evaluate(
        self, expression: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> Any:
        """Evaluate a restricted expression against task data; data is not copied."""
        compiled = _compiled(expression, "eval")
        return self._run(compiled, expression, self._namespace(context, external_context or {}))

    def execute(
        self, script: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> bool:
        """Run a restricted script, updating `context` in place like TaskDataEnvironment.

        As with Spiff's environment, variables set before a failure are kept.
        """
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        compiled = _compiled(script, "exec")
        namespace = self._namespace(context, external_context)
        try:
            self._run(compiled, script, namespace)
        finally:
            self._write_back(namespace, context, external_context)
        return True

    def check_for_overwrite(self, context: Mapping[str, Any], external_context: Mapping[str, Any]) -> None:
        """Fail fast (ValueError) when task data shadows a helper, as Spiff does."""
        overwrites = set(self.globals).intersection(context)
        overwrites.update(set(external_context).intersection(context))
        if overwrites:
            raise ValueError(
                "You have task data that overwrites a predefined function(s). Please change the "
                f"following variable or field name(s) to something else: {overwrites}"
            )

    def _namespace(self, context: Mapping[str, Any], external_context: Mapping[str, Any]) -> dict[str, Any]:
        namespace = dict(self.globals)
        namespace.update(external_context)
        namespace.update(context)
        namespace.update(_GUARDS)
        namespace["__builtins__"] = _BUILTINS
        return namespace

    def _write_back(
        self, namespace: dict[str, Any], context: dict[str, Any], external_context: Mapping[str, Any]
    ) -> None:
        hidden = {k: context[k] for k in _GUARDS if k in context}  # data the guards shadowed
        kept = {
            key: value
            for key, value in namespace.items()
            if key != "__builtins__"
            and key not in _GUARDS
            and key not in self.globals
            and key not in external_context
            and not callable(value)
            and not isinstance(value, types.ModuleType)
        }
        context.clear()
        context.update(kept)
        context.update(hidden)

    def _run(self, compiled: _Compiled, source: str, namespace: dict[str, Any]) -> Any:
        budget = _Budget(compiled, source, self.time_limit, self.max_steps)
        previous = sys.gettrace()
        sys.settrace(budget.global_trace)
        try:
            result = eval(compiled.code, namespace)  # restricted code object; exec-mode code returns None
        finally:
            sys.settrace(previous)
        if budget.tripped:  # the budget error was raised but somehow did not propagate
            raise SandboxError(budget.tripped, source)
        return result


# --------------------------------------------------------------------------- script engine


def _describe(err: BaseException) -> str:
    text = str(err)
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


class SandboxedScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose default environment is RestrictedEnvironment.

    Also fixes two gaps in Spiff 3.2.0's error wrapping: ``evaluate`` drops the
    underlying message (only "Error evaluating expression '...'" remains), and
    ``execute`` crashes with TypeError when an exception's first argument is
    not a string (e.g. ``KeyError(1)``).
    """

    def __init__(self, environment: BasePythonScriptEngineEnvironment | None = None) -> None:
        super().__init__(environment or RestrictedEnvironment())

    def validate(self, expression: str) -> None:
        """Parse-time check.

        Syntax errors stay SyntaxError because DMNEngine.needs_eq relies on
        catching them; anything else the sandbox refuses raises SandboxError.
        """
        super().validate(expression)
        check_code(expression, "eval")

    def evaluate(self, task: Any, expression: str, external_context: Mapping[str, Any] | None = None) -> Any:
        """Evaluate like Spiff, but keep the cause's message in WorkflowTaskException."""
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException as err:
            err.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as err:
            raise WorkflowTaskException(
                f"Error evaluating expression '{expression}': {_describe(err)}", task=task, exception=err
            ) from err

    def create_task_exec_exception(self, task: Any, script: str, err: Exception) -> Exception:
        """Spiff's version, minus the TypeError on non-string exception arguments."""
        if isinstance(err, SpiffWorkflowException):
            return super().create_task_exec_exception(task, script, err)
        line_number, error_line = self.get_error_line_number_and_content(script, err)
        detail = type(err).__name__ + (f":{err}" if str(err) else "")
        return WorkflowTaskException(
            detail, task=task, exception=err, line_number=line_number, error_line=error_line
        )
