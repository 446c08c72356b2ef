"""The plan diagrams render (full diagram interchange), speak Chinese, and their forms are strict, like the
specification diagrams."""
import pytest

from engine.config import ROOT
from tests.unit import test_spec_diagrams as checks

FILES = [ROOT / "processes" / name for name in ("p13_plan_approval.bpmn", "p13b_plan_adjustment.bpmn")]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_element_has_its_shape_or_edge(path):
    checks.test_every_element_has_its_shape_or_edge(path)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_names_are_chinese_lanes_have_roles_tasks_have_forms(path):
    checks.test_names_are_chinese_lanes_have_roles_tasks_have_forms(path)
