"""Hardened reading of BPMN XML and the extension attributes our diagrams carry.

Diagrams come from users: no DTDs (so no entity bombs or external entities), no network, bounded
size and nesting. Our own conventions live in the ``mtc`` namespace: ``mtc:role`` on lanes,
``mtc:formKey`` / ``mtc:role`` / ``mtc:due`` / ``mtc:duty`` on user tasks.
"""
from __future__ import annotations

import re

from lxml import etree

from engine.errors import InvalidBpmn

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
MTC_NS = "http://mtcflow.dev/bpmn/1.0"
NS = {"bpmn": BPMN_NS, "mtc": MTC_NS}
MAX_DEPTH = 60

HUMAN_TASK_TAGS = ("userTask", "manualTask", "task")
CODE_TAGS = {
    "conditionExpression": "eval",
    "script": "exec",
    "loopCardinality": "eval",
    "completionCondition": "eval",
    "condition": "eval",
}
TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")


def problem(message: str, element_id: str | None = None, line: int | None = None) -> dict:
    return {"element_id": element_id, "message": message, "line": line}


def parse_xml(data: bytes | str, max_bytes: int) -> etree._Element:
    """Parse untrusted XML, refusing DTDs, entities and oversized or absurdly nested documents."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise InvalidBpmn(f"The file is {len(data)} bytes; the limit is {max_bytes}.",
                          [problem("file too large")])
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InvalidBpmn("Document type declarations and entities are not allowed in BPMN files.",
                          [problem("DOCTYPE/ENTITY refused")])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise InvalidBpmn(f"The file is not well-formed XML: {err}", [problem(str(err), line=err.lineno)]) from err
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise InvalidBpmn("The root element must be bpmn:definitions in the BPMN 2.0 model namespace "
                          f"({BPMN_NS}); found {root.tag!r}.", [problem("wrong root element or namespace")])
    _check_depth(root)
    return root


def _check_depth(root: etree._Element) -> None:
    for element in root.iter():
        depth = 0
        parent = element.getparent()
        while parent is not None:
            depth += 1
            parent = parent.getparent()
        if depth > MAX_DEPTH:
            raise InvalidBpmn(f"Elements are nested deeper than {MAX_DEPTH} levels.",
                              [problem("nesting too deep", _owner_id(element), element.sourceline)])


def _owner_id(element: etree._Element) -> str | None:
    while element is not None:
        if element.get("id"):
            return element.get("id")
        element = element.getparent()
    return None


def executable_processes(root: etree._Element) -> list[etree._Element]:
    processes = root.findall(f"{{{BPMN_NS}}}process")
    return [p for p in processes if p.get("isExecutable", "false").lower() == "true"] or processes


# bpmn-js names a new diagram's process Process_1 (or Process_ and seven random characters): a key nobody chose,
# which would make every blank diagram the next version of one another.
GENERATED_PROCESS_ID = re.compile(r"Process_[0-9a-z]{1,7}")


def generated_id_problems(root: etree._Element) -> list[dict]:
    return [problem(f"process id '{p.get('id')}' is the modeler's default: give the process its own key "
                    "(e.g. annual_report)", p.get("id"))
            for p in executable_processes(root) if GENERATED_PROCESS_ID.fullmatch(p.get("id") or "")]


def called_elements(root: etree._Element) -> set[str]:
    return {c.get("calledElement") for c in root.iter(f"{{{BPMN_NS}}}callActivity") if c.get("calledElement")}


def code_fragments(root: etree._Element):
    """Yield ``(element_id, line, source, mode)`` for every piece of code a diagram carries."""
    for tag, mode in CODE_TAGS.items():
        for element in root.iter(f"{{{BPMN_NS}}}{tag}"):
            source = (element.text or "").strip()
            if source:
                yield _owner_id(element), element.sourceline, source, mode
    for tag in TIMER_TAGS:
        for element in root.iter(f"{{{BPMN_NS}}}{tag}"):
            source = (element.text or "").strip()
            event = element.getparent().getparent() if element.getparent() is not None else None
            yield _owner_id(event if event is not None else element), element.sourceline, source, tag
    for element in root.iter():
        due = element.get(f"{{{MTC_NS}}}due") if isinstance(element.tag, str) else None
        if due is not None:
            yield element.get("id"), element.sourceline, due.strip(), "due"


def element_metadata(process: etree._Element) -> dict:
    """Lanes with their roles and each human task's form, role and due rule, keyed by element id."""
    lanes: dict[str, str] = {}
    lane_of: dict[str, str] = {}
    for lane in process.iter(f"{{{BPMN_NS}}}lane"):
        name = lane.get("name") or lane.get("id")
        lanes[name] = lane.get(f"{{{MTC_NS}}}role") or name
        for ref in lane.findall(f"{{{BPMN_NS}}}flowNodeRef"):
            lane_of[(ref.text or "").strip()] = name
    elements: dict[str, dict] = {}
    for tag in HUMAN_TASK_TAGS:
        for task in process.iter(f"{{{BPMN_NS}}}{tag}"):
            task_id = task.get("id")
            lane = lane_of.get(task_id)
            elements[task_id] = {
                "name": task.get("name"),
                "lane": lane,
                "role": task.get(f"{{{MTC_NS}}}role") or (lanes.get(lane) if lane else None),
                "form_key": task.get(f"{{{MTC_NS}}}formKey"),
                "due": task.get(f"{{{MTC_NS}}}due"),
                "duty": task.get(f"{{{MTC_NS}}}duty"),
            }
    starts = {lanes.get(lane_of.get(e.get("id"), "")) for e in process.findall(f"{{{BPMN_NS}}}startEvent")}
    return {"lanes": lanes, "elements": elements, "notify": notify_events(process),
            "start_roles": sorted(r for r in starts if r)}


NOTIFY_TAGS = ("endEvent", "intermediateThrowEvent")
_PASS_THROUGH = ("exclusiveGateway", "parallelGateway", "inclusiveGateway", "intermediateThrowEvent",
                 "intermediateCatchEvent")


def notify_events(process: etree._Element) -> dict[str, dict]:
    """Events with ``mtc:notify="<kind>"``: the kind, an optional ``mtc:notifyRole``, and the task whose
    boundary event leads (through gateways and events) to them, whose holders are told."""
    by_id = {el.get("id"): el for el in process.iter() if isinstance(el.tag, str) and el.get("id")}
    incoming: dict[str, list[str]] = {}
    for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        incoming.setdefault(flow.get("targetRef"), []).append(flow.get("sourceRef"))
    found = {}
    for element_id, element in by_id.items():
        kind = element.get(f"{{{MTC_NS}}}notify")
        if kind:
            found[element_id] = {"kind": kind.strip(), "role": element.get(f"{{{MTC_NS}}}notifyRole"),
                                 "name": element.get("name"), "tag": etree.QName(element).localname,
                                 "about": _boundary_task(element_id, by_id, incoming)}
    return found


def _boundary_task(start: str, by_id: dict, incoming: dict) -> str | None:
    seen, stack = {start}, [start]
    while stack:
        for source in incoming.get(stack.pop(), []):
            element = by_id.get(source)
            if source in seen or element is None:
                continue
            seen.add(source)
            tag = etree.QName(element).localname
            if tag == "boundaryEvent":
                return element.get("attachedToRef")
            if tag in _PASS_THROUGH:
                stack.append(source)
    return None


def notify_problems(root: etree._Element) -> list[dict]:
    """A notify event must be an end or throw event and know whom to tell."""
    errors = []
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        for element_id, info in notify_events(process).items():
            if info["tag"] not in NOTIFY_TAGS:
                errors.append(problem(f"mtc:notify belongs on an end event or an intermediate throw event, "
                                      f"not a {info['tag']}", element_id))
            elif not info["about"] and not info["role"]:
                errors.append(problem("mtc:notify does not follow a boundary event of a task, so it needs "
                                      "mtc:notifyRole to say whom to tell", element_id))
    return errors


def timer_problems(root: etree._Element) -> list[dict]:
    """Notify events that cannot know whom to tell, and event-based gateways waiting for more than one timer
    (SpiffWorkflow keeps one due time per gateway, so a second timer would silently fire with the first)."""
    errors = notify_problems(root)
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        by_id = {el.get("id"): el for el in process.iter() if isinstance(el.tag, str) and el.get("id")}
        targets: dict[str, list[str]] = {}
        for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
            targets.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
        for gateway in process.iter(f"{{{BPMN_NS}}}eventBasedGateway"):
            timers = [t for t in targets.get(gateway.get("id"), [])
                      if by_id.get(t) is not None and by_id[t].find(f"{{{BPMN_NS}}}timerEventDefinition") is not None]
            if len(timers) > 1:
                errors.append(problem(f"an event-based gateway can wait for one timer only, not {len(timers)} "
                                      f"({', '.join(timers)})", gateway.get("id"), gateway.sourceline))
    return errors
