"""全文公开 (62号 十三): a published specification's approved text, open to everyone without login once its approval
announcement is out — searchable by number, title, field and text, downloadable with its sha256, with its status
history and its predecessor and successor. Confidential specifications are never here (BR12)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine import clock
from engine.errors import NotFound
from engine.notices.models import Document, DocumentBlob, Notice
from engine.publication.models import PublishedText
from engine.specifications import registry as spec_registry
from engine.specifications.models import ADOPTION_DEGREES, STAGES, SpecChange, Specification

DISCLOSED_STAGES = ("published", "rereview", "superseded", "abolished")
STATUS_ACTIONS = {"approved": "批准发布", "superseded": "被代替", "rereview_started": "复审",
                  "rereview_keep": "复审：继续有效", "rereview_revise": "复审：修订", "rereview_abolish": "复审：废止"}


@dataclass(frozen=True)
class TextFilter:
    q: str | None = None  # number, title, field or text
    number: str | None = None
    title: str | None = None
    field: str | None = None
    text: str | None = None
    type: str | None = None
    in_force: bool | None = None


def _disclosed():
    announced = select(Notice.id).where(Notice.id == PublishedText.announcement_notice_id,
                                        Notice.opens_at <= clock.now()).exists()
    return (Specification.confidential.is_(False) & Specification.stage.in_(DISCLOSED_STAGES)
            & PublishedText.announcement_notice_id.is_not(None) & announced)


def query(filters: TextFilter):
    stmt = select(Specification, PublishedText).join(PublishedText, PublishedText.spec_id == Specification.id) \
        .where(_disclosed())
    for name, column in (("number", Specification.number), ("title", Specification.title),
                         ("field", Specification.field), ("text", PublishedText.text)):
        value = getattr(filters, name)
        if value:
            stmt = stmt.where(column.like(f"%{value}%"))
    if filters.q:
        pattern = f"%{filters.q}%"
        stmt = stmt.where(or_(Specification.number.like(pattern), Specification.title.like(pattern),
                              Specification.field.like(pattern), PublishedText.text.like(pattern)))
    if filters.type:
        stmt = stmt.where(Specification.type == filters.type)
    if filters.in_force is not None:
        clause = spec_registry.in_force_clause()
        stmt = stmt.where(clause if filters.in_force else ~clause)
    return stmt.order_by(Specification.publication_date.desc(), Specification.number)


def search(session: Session, filters: TextFilter, page: int, per_page: int) -> tuple[list[dict], int]:
    stmt = query(filters)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return [summary(spec, text) for spec, text in rows], total


def get(session: Session, spec_id: str) -> tuple[Specification, PublishedText]:
    row = session.execute(query(TextFilter()).where(Specification.id == spec_id)).first()
    if row is None:
        raise NotFound(f"No published full text of '{spec_id}'.")
    return row[0], row[1]


def _link(session: Session, spec_id: str | None) -> dict | None:
    other = session.get(Specification, spec_id) if spec_id else None
    if other is None or other.confidential or other.stage not in DISCLOSED_STAGES:
        return None
    return {"id": other.id, "number": other.number, "title": other.title, "effective_date": other.effective_date,
            "full_text": session.get(PublishedText, other.id) is not None}


def _history(session: Session, spec: Specification) -> list[dict]:
    changes = session.scalars(select(SpecChange).where(SpecChange.spec_id == spec.id,
                                                       SpecChange.action.in_(list(STATUS_ACTIONS)))
                              .order_by(SpecChange.id))
    return [{"at": c.at, "action": c.action, "name": STATUS_ACTIONS[c.action], "stage": c.stage,
             "stage_name": STAGES.get(c.stage)} for c in changes]


def summary(spec: Specification, text: PublishedText) -> dict:
    return {"id": spec.id, "number": spec.number, "title": spec.title, "type": spec.type, "field": spec.field,
            "committee": spec.committee, "level": spec.level, "jurisdiction": spec.jurisdiction,
            "stage": spec.stage, "stage_name": STAGES.get(spec.stage), "in_force": spec_registry.in_force(spec),
            "publication_date": spec.publication_date, "effective_date": spec.effective_date,
            "abolished_on": spec.abolished_on,
            "adoption": {"degree": spec.adoption_degree, "degree_name": ADOPTION_DEGREES.get(spec.adoption_degree),
                         "document": spec.adopted_document} if spec.adopted_document else None,
            "full_text": {"filename": text.filename, "content_type": text.content_type, "sha256": text.sha256,
                          "announcement_notice_id": text.announcement_notice_id}}


def detail(session: Session, spec_id: str) -> dict:
    spec, text = get(session, spec_id)
    result = summary(spec, text)
    result.update(predecessor=_link(session, spec.replaces), successor=_link(session, spec.superseded_by),
                  status_history=_history(session, spec))
    return result


def content(session: Session, spec_id: str) -> tuple[PublishedText, bytes]:
    """The approved document's bytes; its sha256 is checked against the record before it is handed out."""
    _, text = get(session, spec_id)
    document = session.get(Document, text.document_id)
    blob = session.get(DocumentBlob, document.sha256) if document is not None else None
    if blob is None or document.sha256 != text.sha256:
        raise NotFound(f"The full text of '{spec_id}' is not available.")
    return text, blob.body
