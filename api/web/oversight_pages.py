"""Pages of issue 15: full-text disclosure, needs calls and plans on the public board (no login); needs screening,
filings and committee assessment for staff. Shells only: each page's script reads and writes through /api/v1."""
from __future__ import annotations

from flask import render_template

from api.web.pages import bp, login_required
from engine.rules import profiles


@bp.get("/public/specifications")
def public_specifications():
    return render_template("public_specs.html", spec_id=None)


@bp.get("/public/specifications/<path:spec_id>")
def public_specification(spec_id: str):
    return render_template("public_specs.html", spec_id=spec_id)


@bp.get("/needs")
def need_calls():
    return render_template("needs.html")


@bp.get("/needs/screening")
@login_required
def need_screening():
    return render_template("screening.html")


@bp.get("/plans")
def plans():
    return render_template("plans.html", plan_id=None)


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    return render_template("plans.html", plan_id=plan_id)


@bp.get("/filings")
@login_required
def filings():
    return render_template("filings.html", filing_id=None)


@bp.get("/filings/<int:filing_id>")
@login_required
def filing(filing_id: int):
    return render_template("filings.html", filing_id=filing_id)


@bp.get("/assessment")
@login_required
def assessment():
    rules, _ = profiles.current().for_level("national", None)  # the grades a national committee's form offers
    return render_template("assessment.html", grades=list(rules.value("member_assessment_grades")))
