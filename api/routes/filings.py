"""Filings of ministry and provincial specifications (备案) and the consistency search (协调一致): thin routes over
engine.filing and engine.consistency."""
from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.filing import (
    FilingArgs,
    FilingDetailSchema,
    FilingListSchema,
    FilingSchema,
    FindingListSchema,
    MatchListSchema,
    ObjectionRequest,
    ObjectionSchema,
    ProbeRequest,
)
from api.security.auth import authenticated, current_actor, engine
from engine.consistency import queries
from engine.consistency.search import Probe
from engine.filing import registry as filings

blp = Blueprint("filings", __name__, description="规范备案与协调一致性 · Filing and consistency")


@blp.route("/consistency/search")
class ConsistencySearch(MethodView):
    @authenticated(blp, *queries.SEARCHERS)
    @blp.arguments(ProbeRequest)
    @blp.response(200, MatchListSchema)
    def post(self, body):
        """Specifications of every level, in force or in progress, that overlap a draft (by title, measured
        quantity or instrument, field and scope), best first, each with the shared terms that made it match."""
        top_k = body.pop("top_k")
        with engine().db.transaction() as session:
            return {"items": queries.overlaps(session, Probe(**body), top_k)}


@blp.route("/specifications/<string:spec_id>/consistency")
class SpecificationFindings(MethodView):
    @authenticated(blp)
    @blp.response(200, FindingListSchema)
    def get(self, spec_id):
        """The consistency findings recorded when the specification was proposed (P6) or filed, newest first."""
        with engine().db.transaction() as session:
            return {"spec_id": spec_id, "items": queries.of_specification(session, current_actor(), spec_id)}


@blp.route("/filings")
class FilingList(MethodView):
    @authenticated(blp)
    @blp.arguments(FilingArgs, location="query")
    @blp.response(200, FilingListSchema)
    def get(self, args):
        """Filed specifications: every one for the national authority and auditors, its own for an issuing
        authority."""
        with engine().db.transaction() as session:
            return {"items": filings.visible(session, current_actor(), args.get("status"))}


@blp.route("/filings/<int:filing_id>")
class FilingDetail(MethodView):
    @authenticated(blp)
    @blp.response(200, FilingDetailSchema)
    def get(self, filing_id):
        """A filing with its text, its consistency finding and its objections with their answers."""
        with engine().db.transaction() as session:
            return filings.detail(session, filings.get(session, current_actor(), filing_id))


@blp.route("/filings/<int:filing_id>/objections")
class FilingObjections(MethodView):
    @authenticated(blp)
    @blp.arguments(ObjectionRequest)
    @blp.response(201, ObjectionSchema)
    def post(self, body, filing_id):
        """The national authority raises a consistency objection; it goes to the issuing authority's inbox for a
        reasoned answer."""
        eng = engine()
        with eng.db.transaction() as session:
            return filings.raise_objection(eng.runtime, session, current_actor(), filing_id, body["opinion"],
                                           body.get("conflicts_with")), 201


@blp.route("/filings/<int:filing_id>/acceptance")
class FilingAcceptance(MethodView):
    @authenticated(blp)
    @blp.response(200, FilingSchema)
    def post(self, filing_id):
        """The national authority accepts the filing (no further objection); its process ends."""
        eng = engine()
        with eng.db.transaction() as session:
            return filings.accept(eng.runtime, session, current_actor(), filing_id)
