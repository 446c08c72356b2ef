"""The specification diagrams render (full diagram interchange), speak Chinese, and their forms are strict."""
import json
import re

import pytest
from lxml import etree

from engine.config import ROOT
from engine.runtime.forms import FormRegistry

FILES = sorted(p for p in (ROOT / "processes").glob("p*.bpmn")
               if re.match(r"p(6|7|8|9|10|11|12)_", p.name))
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI",
      "mtc": "http://mtcflow.dev/bpmn/1.0"}
NODES = ("startEvent", "endEvent", "userTask", "serviceTask", "callActivity", "exclusiveGateway", "parallelGateway",
         "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_all_eight_files_are_there():
    assert [p.name for p in FILES] == [
        "p10_approval_submission.bpmn", "p11_effect_evaluation.bpmn", "p12_periodic_rereview.bpmn",
        "p6_p10_spec_project.bpmn", "p6_project_approval.bpmn", "p7_drafting.bpmn", "p8_comment_solicitation.bpmn",
        "p9_technical_review.bpmn"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_element_has_its_shape_or_edge(path):
    root = etree.parse(str(path)).getroot()
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    bounds = {k: tuple(float(s.find("dc:Bounds", NS).get(a)) for a in ("x", "y", "width", "height"))
              for k, s in shapes.items()}
    for tag in ("participant", "lane", *NODES):
        for element in root.iterfind(f".//bpmn:{tag}", NS):
            assert element.get("id") in shapes, f"{tag} {element.get('id')} has no shape"
    for flow in root.iterfind(".//bpmn:sequenceFlow", NS):
        edge = edges.get(flow.get("id"))
        assert edge is not None, f"flow {flow.get('id')} has no edge"
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iterfind("di:waypoint", NS)]
        assert len(points) >= 2
        for end, ref in ((points[0], flow.get("sourceRef")), (points[-1], flow.get("targetRef"))):
            x, y, w, h = bounds[ref]
            assert x - 1 <= end[0] <= x + w + 1 and y - 1 <= end[1] <= y + h + 1, (flow.get("id"), ref, end)
    lanes = {lane.get("id"): bounds[lane.get("id")] for lane in root.iterfind(".//bpmn:lane", NS)}
    for lane in root.iterfind(".//bpmn:lane", NS):
        lx, ly, lw, lh = lanes[lane.get("id")]
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            x, y, w, h = bounds[ref.text]
            assert lx <= x and x + w <= lx + lw and ly <= y + h / 2 <= ly + lh, (lane.get("id"), ref.text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_names_are_chinese_lanes_have_roles_tasks_have_forms(path):
    root = etree.parse(str(path)).getroot()
    forms = FormRegistry(ROOT / "forms")
    for tag in ("process", "lane", "userTask", "serviceTask", "callActivity"):
        for element in root.iterfind(f".//bpmn:{tag}", NS):
            assert CJK.search(element.get("name") or ""), f"{tag} {element.get('id')} needs a Chinese name"
    for lane in root.iterfind(".//bpmn:lane", NS):
        assert lane.get(f"{{{NS['mtc']}}}role")
    for task in root.iterfind(".//bpmn:userTask", NS):
        key = task.get(f"{{{NS['mtc']}}}formKey")
        schema = forms.get(key)
        assert schema is not None, f"{task.get('id')}: no form {key}"
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["additionalProperties"] is False and CJK.search(schema["title"])
        assert all(CJK.search(p.get("title", "")) for p in schema["properties"].values()), key


def test_forms_of_the_specification_processes_are_valid_json_schema():
    for path in sorted((ROOT / "forms").glob("spec_*.json")):
        schema = json.loads(path.read_text("utf-8"))
        assert schema["type"] == "object" and schema["description"], path.name
