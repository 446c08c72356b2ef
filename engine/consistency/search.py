"""Overlapping specifications across every level (协调一致): the store's full-text index finds the candidates,
then one scoring, the same on SQLite and PostgreSQL, ranks them — field weight × idf of each shared term, with
the idf from the index's own document counts — and says which terms of which field made each match."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from engine.consistency import tokenizer
from engine.consistency.index import FIELDS
from engine.consistency.models import SearchDocument
from engine.rules import profiles
from engine.specifications.models import CLOSED_STAGES, Specification

IN_FORCE = ("published", "rereview")
LABELS = {"title": "名称", "quantity": "被测量/计量器具", "field": "专业领域", "scope": "适用范围"}

_SQLITE_CANDIDATES = text("SELECT rowid FROM spec_search_fts WHERE spec_search_fts MATCH :q "
                          "ORDER BY bm25(spec_search_fts, :wt, :wq, :wf, :ws) LIMIT :cap")
_SQLITE_DF = text("SELECT term, doc FROM spec_search_vocab WHERE term IN :terms").bindparams(
    bindparam("terms", expanding=True))
_PG_CANDIDATES = text("SELECT id FROM spec_search_documents WHERE document @@ CAST(:q AS tsquery) "
                      "ORDER BY ts_rank(document, CAST(:q AS tsquery)) DESC, id LIMIT :cap")
_PG_DF = text("SELECT t.term, (SELECT count(*) FROM spec_search_documents d "
              "WHERE d.document @@ CAST(quote_literal(t.term) AS tsquery)) "
              "FROM unnest(CAST(:terms AS text[])) AS t(term)")


@dataclass(frozen=True)
class Probe:
    """What a proposal or filing says about itself."""

    title: str = ""
    quantity: str = ""
    field: str = ""
    scope: str = ""

    def terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for name in FIELDS:
            for term in tokenizer.terms(getattr(self, name)):
                seen.setdefault(term, None)
        return list(seen)


@dataclass(frozen=True)
class Settings:
    weights: dict[str, float]
    top_k: int
    candidates: int
    min_score: float

    @classmethod
    def of(cls, profile: profiles.Profile) -> Settings:
        return cls({k: float(v) for k, v in profile.value("consistency_field_weights").items()},
                   int(profile.value("consistency_top_k")), int(profile.value("consistency_candidates")),
                   float(profile.value("consistency_min_score")))


@dataclass
class Match:
    spec_id: str
    number: str | None
    title: str
    type: str
    level: str | None
    jurisdiction: str | None
    stage: str
    in_force: bool
    score: float
    reasons: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"spec_id": self.spec_id, "number": self.number, "title": self.title, "type": self.type,
                "level": self.level, "jurisdiction": self.jurisdiction, "stage": self.stage,
                "status": "in_force" if self.in_force else "in_progress", "score": round(self.score, 3),
                "reasons": self.reasons}


def settings() -> Settings:
    return Settings.of(profiles.current().get("national"))


def overlaps(session: Session, probe: Probe, exclude: tuple[str, ...] = (), conf: Settings | None = None,
             top_k: int | None = None) -> list[Match]:
    """The specifications (in force or in progress, any level) that overlap ``probe``, best first."""
    conf = conf or settings()
    wanted = probe.terms()
    if not wanted:
        return []
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        ids = list(connection.scalars(_PG_CANDIDATES, {"q": " | ".join(f"'{t}'" for t in wanted),
                                                       "cap": conf.candidates}))
        df = dict(connection.execute(_PG_DF, {"terms": wanted}).all())
    else:
        w = conf.weights
        ids = list(connection.scalars(_SQLITE_CANDIDATES, {
            "q": " OR ".join(f'"{t}"' for t in wanted), "cap": conf.candidates,
            "wt": w["title"], "wq": w["quantity"], "wf": w["field"], "ws": w["scope"]}))
        df = dict(connection.execute(_SQLITE_DF, {"terms": wanted}).all())
    if not ids:
        return []
    total = session.scalar(select(func.count(SearchDocument.id))) or 1
    idf = {t: math.log(1 + total / df[t]) for t in wanted if df.get(t)}
    rows = session.execute(select(SearchDocument, Specification)
                           .join(Specification, Specification.id == SearchDocument.spec_id)
                           .where(SearchDocument.id.in_(ids), Specification.stage.not_in(CLOSED_STAGES),
                                  Specification.id.not_in(exclude or ("",)))).all()
    found = [m for m in (_score(doc, spec, idf, conf) for doc, spec in rows) if m.score >= conf.min_score]
    found.sort(key=lambda m: (-m.score, m.number or "", m.spec_id))
    return found[: top_k or conf.top_k]


def _score(doc: SearchDocument, spec: Specification, idf: dict[str, float], conf: Settings) -> Match:
    score, reasons = 0.0, []
    for name in FIELDS:
        shared = [t for t in getattr(doc, name).split() if t in idf]
        if shared:
            part = conf.weights[name] * sum(idf[t] for t in shared)
            score += part
            reasons.append({"field": name, "label": LABELS[name], "terms": shared, "score": round(part, 3)})
    reasons.sort(key=lambda r: -r["score"])
    return Match(spec.id, spec.number, spec.title, spec.type, spec.level, spec.jurisdiction, spec.stage,
                 spec.stage in IN_FORCE, score, reasons)


def probe_of(spec: Specification) -> Probe:
    from engine.consistency.index import searched_text

    return Probe(**searched_text(spec))
