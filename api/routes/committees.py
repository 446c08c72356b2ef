"""The committee registry, read-only and public (BR12): the processes keep it true."""
from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint
from api.schemas.committees import CommitteeDetailSchema, CommitteeListArgs, CommitteePageSchema
from api.security.auth import engine
from api.views import page_payload
from engine.committees import announced, registry
from engine.committees.models import VOTING_ROLES, Committee
from engine.committees.rules import ROLE_NAMES, STAKEHOLDER_CATEGORIES
from engine.errors import NotFound

blp = Blueprint("committees", __name__, description="委员会名录 · Committee registry (no login)")


def committee_view(c: Committee, member_count: int) -> dict:
    state = registry.state(c)
    return {"code": c.code, "name": c.name, "level": c.level, "jurisdiction": c.jurisdiction, "authority": c.authority,
            "status": c.status, "status_reason": c.status_reason, "status_changed_at": c.status_changed_at,
            "parent_code": c.parent_code, "scope": c.scope, "secretariat_host": c.secretariat_host,
            "term": {"number": c.term_number, "start": c.term_start, "end": c.term_end,
                     "expired": state.term_expired},
            "established_at": c.established_at, "approval_document": c.approval_document,
            "rectification_until": c.rectification_until, "last_grade": c.last_grade,
            "last_assessed_at": c.last_assessed_at, "assessment_flag": c.assessment_flag,
            "successor_code": c.successor_code, "accepts_projects": state.project_refusal() is None,
            "accepts_reviews": state.review_refusal() is None, "member_count": member_count}


def detail_view(session, c: Committee) -> dict:
    members = registry.members(session, c)
    view = committee_view(c, sum(1 for m in members if m.role in VOTING_ROLES))
    view["members"] = [{"id": m.id, "name": m.name, "role": m.role, "role_title": ROLE_NAMES.get(m.role, m.role),
                        "unit": m.unit, "stakeholder_category": m.stakeholder_category, "title": m.title,
                        "stakeholder_title": STAKEHOLDER_CATEGORIES.get(m.stakeholder_category),
                        "term_number": m.term_number, "has_account": m.user_id is not None} for m in members]
    view["subcommittees"] = registry.subcommittees(session, c.code)
    view["annual_report_misses"] = registry.annual_misses(session, c.code, c.last_assessed_at)
    view["reports"] = [{"kind": r.kind, "period": r.period, "missed": r.missed, "missed_at": r.missed_at,
                        "accepted_at": r.accepted_at, "grade": r.grade} for r in registry.reports(session, c.code)]
    view["assessments"] = [{"kind": a.kind, "grade": a.grade, "passed": a.passed, "assessed_at": a.assessed_at,
                            "rectification_until": a.rectification_until, "outcome": a.outcome}
                           for a in registry.assessments(session, c)]
    view["application"] = c.application
    found = announced.notices(session, c.code)
    view["notices"] = [announced.notice_view(n) for n in found]
    view["proposed_members"] = announced.proposed_members(found) if not members else []
    view["announced"] = False
    return view


def announced_view(session, code: str) -> dict | None:
    """A committee the registry does not hold yet, from the public notices of its running application."""
    found = announced.pending(session, code)
    view = announced.proposed(code, found)
    if view is None:
        return None
    return {**view, "member_count": 0, "members": [], "subcommittees": [], "reports": [], "assessments": [],
            "annual_report_misses": 0, "term": {"number": None, "start": None, "end": None, "expired": False},
            "notices": [announced.notice_view(n) for n in found], "proposed_members": announced.proposed_members(found),
            "accepts_projects": False, "accepts_reviews": False}


@blp.route("/committees")
class CommitteesResource(MethodView):
    @blp.arguments(CommitteeListArgs, location="query")
    @blp.response(200, CommitteePageSchema)
    def get(self, args):
        """Committees by code (no login). Filter by status, level, jurisdiction, part of the code or name (q), a
        member's name, an expired term (BR13), a flag for assessment (BR8), or the parent of subcommittees."""
        page, per_page = args.pop("page"), args.pop("per_page")
        with engine().db.transaction() as session:
            items, total = registry.search(session, registry.CommitteeFilter(**args), page, per_page)
            counts = registry.member_counts(session, [c.id for c in items])
            return page_payload([committee_view(c, counts.get(c.id, 0)) for c in items], total, page, per_page)


@blp.route("/committees/<path:code>")
class CommitteeResource(MethodView):
    @blp.response(200, CommitteeDetailSchema)
    def get(self, code):
        """One committee with its current members, subcommittees, reports, assessments and public notices (no
        login). During its 筹建公示 (not yet in the registry) it is shown from the notice (``announced``); during the
        组建公示 the proposed members are in ``proposed_members``."""
        with engine().db.transaction() as session:
            committee = registry.get(session, code)
            if committee is not None:
                return detail_view(session, committee)
            view = announced_view(session, code)
            if view is None:
                raise NotFound(f"No committee '{code}' in the registry or in a public notice.")
            return view
