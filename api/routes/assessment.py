"""Assessment from the record (62号 九): a committee's scorecard and its members' participation, computed from the
history with their evidence, for the committee's own people, its authority and auditors; the member assessment
the secretary-general records."""
from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.assessment import (
    MemberAssessmentInSchema,
    MemberAssessmentListSchema,
    MemberAssessmentSchema,
    ParticipationSchema,
    ScorecardSchema,
    YearArgs,
)
from api.security.auth import authenticated, current_actor, engine, require_writer
from engine.assessment import participation, records, scorecard
from engine.specifications.registry import today

blp = Blueprint("assessment", __name__, description="考核记分卡 · Committee scorecards and member assessment")


@blp.route("/committees/<string:code>/scorecard")
class ScorecardResource(MethodView):
    @authenticated(blp)
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, ScorecardSchema)
    def get(self, args, code):
        """The committee's indicators for a year, each with the event ids and instance ids it was computed from
        (404 outside the caller's scope)."""
        with engine().db.transaction() as session:
            records.readable(session, current_actor(), code)
            return scorecard.compute(session, code, args.get("year") or today().year)


@blp.route("/committees/<string:code>/participation")
class ParticipationResource(MethodView):
    @authenticated(blp)
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, ParticipationSchema)
    def get(self, args, code):
        """Each appointed member's ballots cast, opinions given, drafting and review work and attendance in a year,
        with their events."""
        with engine().db.transaction() as session:
            records.readable(session, current_actor(), code)
            return participation.compute(session, code, args.get("year") or today().year)


@blp.route("/committees/<string:code>/member-assessments")
class MemberAssessmentsResource(MethodView):
    @authenticated(blp)
    @blp.arguments(YearArgs, location="query")
    @blp.response(200, MemberAssessmentListSchema)
    def get(self, args, code):
        """The member assessments recorded for the committee (one year, or all)."""
        with engine().db.transaction() as session:
            rows = records.of_committee(session, current_actor(), code, args.get("year"))
            return {"items": [records.view(r) for r in rows]}

    @authenticated(blp)
    @blp.arguments(MemberAssessmentInSchema)
    @blp.response(201, MemberAssessmentSchema)
    def post(self, body, code):
        """The secretary-general records a member's assessment of a year, with the participation figures it was
        based on (entered in the history as ``member_assessed``)."""
        actor = current_actor()
        require_writer(actor)
        with engine().db.transaction() as session:
            return records.view(records.record(session, actor, code, body["year"], body["username"], body["grade"],
                                               body.get("comment")))
