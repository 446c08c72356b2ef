"""Validate, compile and deploy BPMN definitions; each process key gets versions 1, 2, …"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Lock

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, make_transient_to_detached

from engine.access import duties
from engine.bpmn import parsing as bpmn_xml
from engine.bpmn import state
from engine.bpmn.parsing import problem
from engine.bpmn.sandbox import SandboxError, check_code
from engine.bpmn.service_tasks import MtcBpmnParser, ServiceRegistry, service_problems
from engine.errors import InvalidBpmn, NotFound
from engine.history import log as history
from engine.rules.expressions import KINDS as TIMER_KINDS
from engine.rules.expressions import TimerExpressionError, check_timer_expression
from engine.runtime.models import Definition

_CACHED_COLUMNS = ("id", "key", "version", "name", "sha256", "filename", "meta", "deployed_at", "deployed_by")


@lru_cache(maxsize=1)
def _validator() -> BpmnValidator:
    return BpmnValidator()


@dataclass
class Compiled:
    """One executable process of a document, ready to store."""

    key: str
    name: str | None
    specs_json: str
    meta: dict = field(default_factory=dict)


def _xsd_errors(root: etree._Element) -> list[dict]:
    schema = _validator().validator
    if schema.validate(root):
        return []
    errors = []
    for entry in schema.error_log:
        element_id = None
        for candidate in root.iter():
            if candidate.sourceline == entry.line and candidate.get("id"):
                element_id = candidate.get("id")
                break
        errors.append(problem(entry.message, element_id, entry.line))
    return errors


def _code_errors(root: etree._Element, services: ServiceRegistry) -> list[dict]:
    errors = []
    for element_id, line, source, mode in bpmn_xml.code_fragments(root):
        try:
            if mode in TIMER_KINDS:
                check_timer_expression(source, mode)
            else:
                check_code(source, mode)
        except (SandboxError, TimerExpressionError) as err:
            errors.append(problem(f"{err}", element_id, line))
    return errors + bpmn_xml.timer_problems(root) + service_problems(root, services) \
        + bpmn_xml.generated_id_problems(root)


def compile_document(root: etree._Element, resolve: Callable[[str], etree._Element | None],
                     serializer: state.StateSerializer, services: ServiceRegistry) -> list[Compiled]:
    """Check a parsed document and build specs for each executable process in it.

    ``resolve`` returns the document holding a called process that this document does not define; ``services``
    are the ones its service tasks may name.
    """
    errors = _xsd_errors(root)
    if errors:
        raise InvalidBpmn("The file does not conform to the BPMN 2.0 schema.", errors)
    errors = _code_errors(root, services)
    if errors:
        raise InvalidBpmn("The diagram contains code the sandbox refuses or values the engine cannot use.", errors)

    parser = MtcBpmnParser()
    documents = [root]
    try:
        parser.add_bpmn_xml(root, filename=None)
        known = set(parser.get_process_ids())
        pending = bpmn_xml.called_elements(root) - known
        while pending:
            called = pending.pop()
            other = resolve(called)
            if other is None:
                raise InvalidBpmn(f"Call activity refers to process '{called}', which is neither in this "
                                  "file nor deployed.", [problem(f"unknown called process {called}",
                                                                 _call_activity_id(root, called))])
            parser.add_bpmn_xml(other)
            documents.append(other)
            known = set(parser.get_process_ids())
            pending |= bpmn_xml.called_elements(other) - known
        processes = bpmn_xml.executable_processes(root)
        if not processes:
            raise InvalidBpmn("The file defines no process.", [problem("no bpmn:process")])
        compiled = []
        for process in processes:
            key = process.get("id")
            _require_start_event(process)
            spec = parser.get_spec(key)
            subprocess_specs = parser.get_subprocess_specs(key)
            _require_instantiable(key, spec, subprocess_specs)
            meta = {"processes": {}}
            for document in documents:
                for proc in document.findall(f"{{{bpmn_xml.BPMN_NS}}}process"):
                    meta["processes"][proc.get("id")] = bpmn_xml.element_metadata(proc)
            if duties.definition_errors(meta):
                raise InvalidBpmn("A task's mtc:duty is unknown or breaks a duty rule.", duties.definition_errors(meta))
            compiled.append(Compiled(key, process.get("name") or spec.description,
                                     serializer.dump_specs(spec, subprocess_specs), meta))
        return compiled
    except ValidationException as err:
        raise InvalidBpmn(f"The diagram is not valid: {err}",
                          [problem(str(err), getattr(err, "id", None) or None,
                                   getattr(err, "line_number", None) or None)]) from err
    except SpiffWorkflowException as err:
        raise InvalidBpmn(f"The diagram is not valid: {err}", [problem(str(err))]) from err


def _require_instantiable(key: str, spec, subprocess_specs) -> None:
    """Build the workflow once, running nothing: SpiffWorkflow predicts the paths ahead recursively, so a
    gateway whose flows lead straight back into it exhausts the stack (it would fail every start with a 500)."""
    try:
        BpmnWorkflow(spec, subprocess_specs)
    except RecursionError as err:
        raise InvalidBpmn(f"Process '{key}' cannot be instantiated: its flows loop back without end (a gateway "
                          "that flows into itself?).", [problem("endless flow recursion")]) from err


def _require_start_event(process: etree._Element) -> None:
    if process.find(f"{{{bpmn_xml.BPMN_NS}}}startEvent") is None:
        raise InvalidBpmn(f"Process '{process.get('id')}' has no start event.",
                          [problem("missing start event", process.get("id"), process.sourceline)])


def _call_activity_id(root: etree._Element, called: str) -> str | None:
    for element in root.iter(f"{{{bpmn_xml.BPMN_NS}}}callActivity"):
        if element.get("calledElement") == called:
            return element.get("id")
    return None


class DefinitionStore:
    """Deploys and looks up definitions inside the caller's transaction."""

    def __init__(self, max_bytes: int, serializer: state.StateSerializer | None = None,
                 services: ServiceRegistry | None = None):
        self.max_bytes = max_bytes
        self.serializer = serializer or state.StateSerializer()
        self.spec_cache = state.SpecCache(self.serializer)
        self.services = services if services is not None else ServiceRegistry()
        self._rows: dict[int, Definition] = {}
        self._rows_lock = Lock()

    def by_id(self, session: Session, definition_id: int) -> Definition:
        """The definition an instance runs on, without a query after its first read: a deployed definition
        never changes, so a detached copy of its small columns is merged into each session (``load=False``
        emits no SQL; the deferred XML and specs still load on first access)."""
        with self._rows_lock:
            cached = self._rows.get(definition_id)
        if cached is None:
            row = session.get(Definition, definition_id)
            if row is None:
                raise NotFound(f"No process definition with id {definition_id}.")
            cached = Definition(**{name: getattr(row, name) for name in _CACHED_COLUMNS})
            make_transient_to_detached(cached)
            with self._rows_lock:
                if len(self._rows) > 1024:
                    self._rows.clear()
                self._rows[definition_id] = cached
        return session.merge(cached, load=False)

    def validate(self, session: Session, data: bytes | str, batch: dict | None = None) -> list[Compiled]:
        root = bpmn_xml.parse_xml(data, self.max_bytes)
        return compile_document(root, lambda key: self._resolve(session, key, batch or {}), self.serializer,
                                self.services)

    def _resolve(self, session: Session, key: str, batch: dict) -> etree._Element | None:
        if key in batch:
            return batch[key]
        latest = self.latest(session, key, required=False)
        return bpmn_xml.parse_xml(latest.xml, self.max_bytes) if latest else None

    def deploy(self, session: Session, data: bytes | str, actor: str | None, filename: str | None = None,
               batch: dict | None = None) -> list[tuple[Definition, bool]]:
        """Store each executable process of the file; returns ``(definition, created)`` pairs."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha256(raw).hexdigest()
        known = list(session.scalars(select(Definition).where(Definition.sha256 == digest).order_by(Definition.id)))
        if known:  # validated when first deployed; a fixed date since past must not break start-up
            return [(definition, False) for definition in known]
        compiled = self.validate(session, raw, batch)
        results = []
        for item in compiled:
            existing = session.scalar(select(Definition).where(Definition.key == item.key,
                                                               Definition.sha256 == digest))
            if existing is not None:
                results.append((existing, False))
                continue
            version = (session.scalar(select(func.max(Definition.version))
                                      .where(Definition.key == item.key)) or 0) + 1
            definition = Definition(key=item.key, version=version, name=item.name, sha256=digest,
                                    filename=filename, xml=raw.decode("utf-8"), specs=item.specs_json,
                                    meta=item.meta, deployed_by=actor)
            session.add(definition)
            session.flush()
            history.append(session, history.GLOBAL_STREAM, "definition_deployed", actor=actor,
                           process_key=item.key, process_version=version,
                           data={"sha256": digest, "filename": filename, "name": item.name})
            results.append((definition, True))
        return results

    def latest(self, session: Session, key: str, required: bool = True) -> Definition | None:
        definition = session.scalar(select(Definition).where(Definition.key == key)
                                    .order_by(Definition.version.desc()).limit(1))
        if definition is None and required:
            raise NotFound(f"No process definition with key '{key}'.")
        return definition

    def get(self, session: Session, key: str, version: int) -> Definition:
        definition = session.scalar(select(Definition).where(Definition.key == key,
                                                             Definition.version == version))
        if definition is None:
            raise NotFound(f"Process '{key}' has no version {version}.")
        return definition

    def specs(self, definition: Definition) -> tuple:
        return self.spec_cache.get(definition.id, lambda: definition.specs)


def latest_versions(key: str | None = None) -> Select:
    """The latest version of each process key (or of ``key`` only), by key."""
    latest = select(Definition.key, func.max(Definition.version).label("v")).group_by(Definition.key).subquery()
    query = (select(Definition).join(latest, (Definition.key == latest.c.key) & (Definition.version == latest.c.v))
             .order_by(Definition.key))
    return query.where(Definition.key == key) if key else query


def startable(session: Session, actor) -> list[tuple[Definition, list[str], list]]:
    """The latest version of each process whose start lane's role the actor holds (any role where the lane names
    none), with those roles and the actor's business grants that match them; the scope is checked on start."""
    found = []
    for definition in session.scalars(latest_versions()):
        roles = definition.meta.get("processes", {}).get(definition.key, {}).get("start_roles") or []
        grants = [g for g in actor.business_grants if not roles or g.role in roles]
        if grants:
            found.append((definition, roles, grants))
    return found


def versions(session: Session, key: str) -> list[Definition]:
    """Every version of a process key, oldest first; :class:`NotFound` for an unknown key."""
    rows = list(session.scalars(select(Definition).where(Definition.key == key).order_by(Definition.version)))
    if not rows:
        raise NotFound(f"No process definition with key '{key}'.")
    return rows


def deploy_directory_files(store: DefinitionStore, session: Session, paths, actor: str | None):
    """Deploy several files at once; call activities may refer to processes in any of them."""
    roots = {}
    batch: dict[str, etree._Element] = {}
    for path in paths:
        root = bpmn_xml.parse_xml(path.read_bytes(), store.max_bytes)
        roots[path] = root
        for process in root.findall(f"{{{bpmn_xml.BPMN_NS}}}process"):
            batch[process.get("id")] = root
    results = []
    for path in paths:
        results.extend(store.deploy(session, path.read_bytes(), actor, filename=path.name, batch=batch))
    return results
