"""Mutants of P9's gate that survived (issue 18): its consent and papers refusals, each alone."""
import pytest

from engine.specifications.models import Specification
from tests.scenarios.spec_stories import designate, meeting
from tests.scenarios.spec_support import deploy, seed_committee, seed_spec, spec_scope

SPEC = "JJF-2026-101"


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("consent", {"consent": False}, "the chair or a vice-chair has not consented"),
    ("consent", None, "the chair or a vice-chair has not consented"),
    ("papers_sent_at", None, "the review papers have not been sent"),
])
def test_the_gate_refuses_without_consent_or_papers(engine, app, clock, field, value, reason):
    from tests.scenarios.spec_support import World

    deploy(engine, "p9_technical_review.bpmn")
    seed_committee(engine)
    w = World(engine, app.test_client(), clock)
    seed_spec(engine, SPEC, stage="review", comment_closed_at="2026-02-01T00:00:00+00:00")
    w.grant("drafter", f"drafter:spec/{SPEC}")
    iid = w.start("sec", "technical_review", scope=spec_scope(SPEC))["id"]
    w.do("sec", iid, "p9_task_check", {"review_complete": True, "consent_by": "chair"})
    w.do("chair", iid, "p9_task_consent_chair", {"consent": True})
    designate(w, iid, "m1")
    w.do("sec", iid, "p9_task_papers", {"review_mode": "meeting"})
    w.do("m1", iid, "p9_task_chief", {"chief_opinion": "可以", "chief_recommendation": "pass"})
    w.advance(days=31)
    with engine.db.transaction() as session:  # the record changed behind the process's back
        setattr(session.get(Specification, SPEC), field, value)
    body = w.do("sec", iid, "p9_task_open_vote", meeting(w), status=403).get_json()
    assert (body["rule"], body["reasons"]) == ("BR2", [reason])
