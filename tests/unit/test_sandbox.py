"""The sandbox must run ordinary diagram code and refuse or stop everything else."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import sandbox
from engine.bpmn.sandbox import RestrictedEnvironment, SandboxedScriptEngine, SandboxError, check_code

# ---------------------------------------------------------------- normal code


@pytest.mark.parametrize(
    ("expression", "data", "expected"),
    [
        ("amount > 3 and approved", {"amount": 4, "approved": True}, True),
        ("amount > 3 and approved", {"amount": 2, "approved": True}, False),
        ("len(items) == 2", {"items": [1, 2]}, True),
        ("x in ['a', 'b']", {"x": "b"}, True),
        ("x in ['a', 'b']", {"x": "c"}, False),
        ("order['total'] >= 10", {"order": {"total": 12}}, True),
        ("sorted(v)[0] + max(v) + sum(v[1:])", {"v": [3, 1, 2]}, 7),
        ("any(i > 2 for i in v) and all(isinstance(i, int) for i in v)", {"v": [1, 3]}, True),
        ("name.upper()", {"name": "ab"}, "AB"),
        ("pow(2, 10)", {}, 1024),
    ],
)
def test_conditions_evaluate_normally(expression, data, expected):
    assert RestrictedEnvironment().evaluate(expression, data) == expected


def test_evaluate_sees_external_context_and_helpers():
    env = RestrictedEnvironment(environment_globals={"double": lambda v: v * 2})
    assert env.evaluate("double(x) + y", {"x": 2}, external_context={"y": 1}) == 5


SCRIPT = """
total = a + b
total += 1
total -= 1
total *= 2
names = []
for i, name in enumerate(people):
    names.append(name.title())
squares = [n * n for n in range(4)]
lookup = {k: v for k, v in zip(['x', 'y'], [1, 2])}
lookup['z'] = 3
ordered = sorted(lookup, reverse=True)
first, (second, third) = 1, (2, 3)
for key, value in lookup.items():
    total += value
def helper(v):
    return v + 1
bumped = helper(total)
fn = lambda: 1
"""


def test_script_sets_variables_in_task_data():
    data = {"a": 1, "b": 2, "people": ["ann", "bob"]}
    assert RestrictedEnvironment().execute(SCRIPT, data) is True
    assert data["total"] == 12
    assert data["names"] == ["Ann", "Bob"]
    assert data["squares"] == [0, 1, 4, 9]
    assert data["lookup"] == {"x": 1, "y": 2, "z": 3}
    assert data["ordered"] == ["z", "y", "x"]
    assert (data["first"], data["second"], data["third"]) == (1, 2, 3)
    assert data["bumped"] == 13
    # Functions, builtins and guards never leak into task data.
    assert "helper" not in data and "fn" not in data
    assert not [k for k in data if k.startswith("_")]


def test_script_does_not_leak_helpers_or_external_context():
    env = RestrictedEnvironment(environment_globals={"today": lambda: "2024-01-01", "LIMIT": 5})
    data = {"x": 1}
    env.execute("d = today()\ny = x + LIMIT + ext", data, external_context={"ext": 10})
    assert data == {"x": 1, "d": "2024-01-01", "y": 16}


def test_script_can_delete_variables():
    data = {"x": 1, "y": 2}
    RestrictedEnvironment().execute("del x", data)
    assert data == {"y": 2}


def test_data_overwriting_a_helper_fails_fast():
    env = RestrictedEnvironment(environment_globals={"today": lambda: None})
    with pytest.raises(ValueError, match="today"):
        env.execute("y = 1", {"today": 3})


def test_data_cannot_replace_guards():
    data = {"_getattr_": "not a guard", "s": "ab"}
    RestrictedEnvironment().execute("t = s.upper()", data)
    assert data == {"_getattr_": "not a guard", "s": "ab", "t": "AB"}


# ---------------------------------------------------------------- refused at check time


@pytest.mark.parametrize(
    ("source", "mode", "reason"),
    [
        ("__import__('os')", "eval", "__import__"),
        ("__import__('os').system('id')", "exec", "__import__"),
        ("import os", "exec", "import"),
        ("from os import path", "exec", "import"),
        ("().__class__.__base__.__subclasses__()", "eval", "__class__"),
        ("x.__dict__", "eval", "__dict__"),
        ("x.__class__.__mro__", "eval", "__mro__"),
        ("_secret", "eval", "_secret"),
        ("2 ** 100000000", "eval", "exponent"),
        ("10 ** 10 ** 8", "eval", "exponent"),
        ("x **= 100000", "exec", "exponent"),
        ("try:\n    pass\nexcept Exception:\n    pass", "exec", "try"),
        ("with x:\n    pass", "exec", "with"),
        ("class A:\n    pass", "exec", "class"),
        ("amount >", "eval", "SyntaxError"),
        ("return 1", "exec", "SyntaxError"),
    ],
)
def test_refused_at_check_time(source, mode, reason):
    with pytest.raises(SandboxError, match="refused") as info:
        check_code(source, mode)
    assert reason in str(info.value)
    assert info.value.expression == source
    assert info.value.reasons


def test_refusal_also_applies_at_run_time():
    with pytest.raises(SandboxError, match="import"):
        RestrictedEnvironment().execute("import os", {})
    with pytest.raises(SandboxError, match="__class__"):
        RestrictedEnvironment().evaluate("x.__class__", {"x": 1})


def test_allowed_code_passes_check_and_is_cached():
    source = "amount > 3 and approved and 2 ** 10 > 5  # cache probe"
    check_code(source, "eval")
    hits = sandbox._compile.cache_info().hits
    check_code(source, "eval")
    RestrictedEnvironment().evaluate(source, {"amount": 5, "approved": True})
    assert sandbox._compile.cache_info().hits == hits + 2


def test_check_code_rejects_unknown_mode():
    with pytest.raises(ValueError):
        check_code("1", "single")


# ---------------------------------------------------------------- refused at run time


@pytest.mark.parametrize(
    "expression",
    [
        "getattr(x, '__class__')",
        "open('/etc/passwd')",
        "eval('1')",
        "exec('y = 1')",
        "compile('1', 's', 'eval')",
        "type(x)",
        "vars()",
        "globals()",
        "dir(x)",
        "id(x)",
        "'{0.__class__}'.format(x)",
        "'{}'.format(x)",
        "pow(2, 100000000)",
        "range(10 ** 6)",
    ],
)
def test_dangerous_calls_fail(expression):
    # Refused at check time (eval/exec calls) or stopped at run time (NameError,
    # AttributeError, NotImplementedError for str.format, ValueError for range, ...).
    with pytest.raises(Exception) as info:  # noqa: B017
        RestrictedEnvironment().evaluate(expression, {"x": 1})
    assert not isinstance(info.value, SyntaxError)


def test_print_is_unavailable():
    with pytest.raises(NameError):
        RestrictedEnvironment().execute("print('hi')", {})


# ---------------------------------------------------------------- budgets


def test_infinite_loop_stops_within_time_budget():
    env = RestrictedEnvironment(time_limit=0.2)
    started = time.monotonic()
    with pytest.raises(SandboxError, match="time budget exceeded") as info:
        env.execute("while True: pass", {})
    assert time.monotonic() - started < 2.0
    assert info.value.expression == "while True: pass"


def test_infinite_loop_with_body_stops():
    env = RestrictedEnvironment(time_limit=0.2, max_steps=10**9)
    with pytest.raises(SandboxError, match="time budget exceeded"):
        env.execute("n = 0\nwhile True:\n    n += 1", {})


def test_step_budget():
    env = RestrictedEnvironment(max_steps=1_000)
    with pytest.raises(SandboxError, match="step budget exceeded"):
        env.execute("n = 0\nwhile n < 10 ** 6:\n    n += 1", {})
    # Steps inside comprehensions, lambdas and generators count as well.
    with pytest.raises(SandboxError, match="step budget exceeded"):
        env.execute("f = lambda i: i\nx = [f(i) for i in range(999) for j in range(999)]", {})


def test_step_budget_in_expression():
    env = RestrictedEnvironment(max_steps=100)
    with pytest.raises(SandboxError, match="step budget exceeded"):
        env.evaluate("sum(i for i in range(999) for j in range(999))", {})


def test_budget_is_per_call():
    env = RestrictedEnvironment(max_steps=50)
    for _ in range(20):
        assert env.evaluate("x + 1", {"x": 1}) == 2


def test_partial_changes_are_kept_on_failure_like_spiff():
    data = {}
    with pytest.raises(SandboxError):
        RestrictedEnvironment(max_steps=100).execute("before = 1\nwhile True:\n    n = 1", data)
    assert data == {"before": 1, "n": 1}


def test_previous_trace_function_is_restored():
    def sentinel(frame, event, arg):
        return None

    previous = sys.gettrace()
    sys.settrace(sentinel)
    try:
        with pytest.raises(SandboxError):
            RestrictedEnvironment(time_limit=0.1).execute("while True: pass", {})
        assert sys.gettrace() is sentinel
        with pytest.raises(SandboxError):
            RestrictedEnvironment(max_steps=10).execute("while 1 < 2:\n    pass", {})
        assert sys.gettrace() is sentinel
        assert RestrictedEnvironment().evaluate("1 + 1", {}) == 2
        assert sys.gettrace() is sentinel
        with pytest.raises(NameError):
            RestrictedEnvironment().evaluate("undefined_function('x')", {})
        assert sys.gettrace() is sentinel
    finally:
        sys.settrace(previous)


def test_invalid_budget_rejected():
    with pytest.raises(ValueError):
        RestrictedEnvironment(time_limit=0)
    with pytest.raises(ValueError):
        RestrictedEnvironment(max_steps=0)


# ---------------------------------------------------------------- script engine


def test_engine_uses_restricted_environment_by_default():
    assert isinstance(SandboxedScriptEngine().environment, RestrictedEnvironment)
    custom = RestrictedEnvironment(time_limit=0.5)
    assert SandboxedScriptEngine(custom).environment is custom


def test_validate():
    engine = SandboxedScriptEngine()
    engine.validate("amount > 3")
    # DMNEngine.needs_eq catches SyntaxError to decide whether to prepend a variable.
    with pytest.raises(SyntaxError):
        engine.validate("> 5")
    engine.validate("v > 5")
    with pytest.raises(SandboxError, match="__import__"):
        engine.validate("__import__('os')")


PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                  id="defs" targetNamespace="http://example.com/bpmn">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="start">
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:scriptTask id="calc" scriptFormat="python">
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="gw">
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>to_big</bpmn:outgoing>
      <bpmn:outgoing>to_small</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="end_big">
      <bpmn:incoming>to_big</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:endEvent id="end_small">
      <bpmn:incoming>to_small</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="calc"/>
    <bpmn:sequenceFlow id="f2" sourceRef="calc" targetRef="gw"/>
    <bpmn:sequenceFlow id="to_big" sourceRef="gw" targetRef="end_big">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{big}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_small" sourceRef="gw" targetRef="end_small">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">y &lt;= 5</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>
"""


def _workflow(x, script="y = x * 2", big="y &gt; 5", engine=None):
    parser = BpmnParser()
    parser.add_bpmn_str(PROCESS.format(script=script, big=big).encode(), filename="sandbox_test.bpmn")
    wf = BpmnWorkflow(parser.get_spec("p"), script_engine=engine or SandboxedScriptEngine())
    wf.task_tree.data = {"x": x}  # inherited by the start event and everything after it
    return wf


def _completed(wf):
    return {t.task_spec.name for t in wf.get_tasks(state=TaskState.COMPLETED)}


@pytest.mark.parametrize(("x", "end", "other"), [(4, "end_big", "end_small"), (2, "end_small", "end_big")])
def test_bpmn_end_to_end(x, end, other):
    wf = _workflow(x)
    wf.do_engine_steps()
    assert wf.is_completed()
    assert end in _completed(wf) and other not in _completed(wf)
    assert wf.data["y"] == x * 2


def test_bpmn_malicious_script_is_refused(tmp_path):
    target = Path("/tmp/pwned_sandbox")
    target.unlink(missing_ok=True)
    wf = _workflow(4, script="__import__('os').system('touch /tmp/pwned_sandbox')")
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    assert "SandboxError" in str(info.value) and "__import__" in str(info.value)
    assert not target.exists()
    assert not wf.is_completed()


def test_bpmn_script_budget_surfaces_as_task_exception():
    engine = SandboxedScriptEngine(RestrictedEnvironment(time_limit=0.2, max_steps=10**9))
    wf = _workflow(4, script="y = x\nwhile True:\n    y += 1", engine=engine)
    with pytest.raises(WorkflowTaskException, match="time budget exceeded") as info:
        wf.do_engine_steps()
    assert info.value.line_number in (2, 3)  # Spiff finds the "<string>" frame of the script


def test_bpmn_refused_condition_keeps_the_reason():
    wf = _workflow(4, big="y.__class__ is int")
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    text = str(info.value)
    assert "y.__class__ is int" in text and "__class__" in text and "SandboxError" in text


def test_bpmn_script_error_with_non_string_argument_is_wrapped():
    # Stock Spiff 3.2.0 raises TypeError here ("KeyError:" + 1).
    wf = _workflow(4, script="y = {}[1]")
    with pytest.raises(WorkflowTaskException, match="KeyError"):
        wf.do_engine_steps()


def test_bpmn_name_error_is_a_task_exception():
    wf = _workflow(4, script="y = undefined_function('/etc/passwd')")
    with pytest.raises(WorkflowTaskException, match="NameError"):
        wf.do_engine_steps()
