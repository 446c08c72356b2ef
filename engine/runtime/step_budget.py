"""Bounds on the engine steps of one action.

SpiffWorkflow walks its task tree only 1,000 levels deep (``TaskIterator.max_depth``): a loop that grows
the tree past that makes its tasks invisible, and the workflow then reports itself *completed* while it
is not. A loop through a splitting gateway grows in breadth, and each of its steps costs more than the
last (one such diagram ran six minutes before reaching the depth). So one action stops at a step budget, a
time budget, and at the safe depth; the instance fails with a clear error instead.
"""
from __future__ import annotations

import time

from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

SAFE_DEPTH = 900  # below SpiffWorkflow's 1,000, so the offending task is still visible
MAX_STEPS = 10_000
MAX_SECONDS = 10.0  # engine time of one action, scripts included (each script has its own, smaller limit)


class StepBudgetExceeded(WorkflowException):
    def __init__(self, message: str, task) -> None:
        super().__init__(message, task_spec=task.task_spec)
        self.task = task


class StepBudget:
    """Pass as ``did_complete_task`` to ``do_engine_steps``; call ``check_waiting`` once the workflow waits."""

    def __init__(self, max_steps: int | None = None, max_depth: int | None = None,
                 max_seconds: float | None = None) -> None:
        self.max_steps = max_steps or MAX_STEPS
        self.max_depth = max_depth or SAFE_DEPTH
        self.max_seconds = max_seconds or MAX_SECONDS
        self.steps, self.deadline = 0, time.monotonic() + self.max_seconds

    def __call__(self, task) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise StepBudgetExceeded(f"more than {self.max_steps} engine steps in one action (a loop that does "
                                     "not end?)", task)
        if time.monotonic() > self.deadline:
            raise StepBudgetExceeded(f"the engine ran longer than {self.max_seconds:g} s in one action (a loop "
                                     "that does not end?)", task)
        self._check_depth(task)

    def check_waiting(self, workflow) -> None:
        """A loop through user tasks only grows the tree one action at a time: catch it where it waits."""
        for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            self._check_depth(task)

    def _check_depth(self, task) -> None:
        if task.depth >= self.max_depth:
            raise StepBudgetExceeded(f"the workflow's task tree reached the engine's safe depth of "
                                     f"{self.max_depth} (a loop repeated too often)", task)
