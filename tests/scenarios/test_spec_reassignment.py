"""A committee revoked in the middle of a project (P5 exit): its specifications and the running project move to
the successor committee (reassign_committee), whose secretariat carries on; nothing is lost, replay holds."""
from datetime import date

import pytest

from engine.specifications import registry as spec_registry
from tests.scenarios.spec_stories import p6_include, p7_submit
from tests.scenarios.spec_support import PROPOSAL, World, seed_committee, seed_spec
from tests.timer_support import events


@pytest.fixture
def w(engine, app, clock):
    engine.deploy_bundled()
    seed_committee(engine)
    seed_committee(engine, "MTC13")
    world = World(engine, app.test_client(), clock)
    world.grant("m5", "secretariat:committee/MTC13")  # MTC13's secretariat
    return world


def test_revocation_moves_the_running_project_to_the_successor(w, engine):
    seed_spec(engine, "JJF-2015-001", stage="published", number="JJF 1500—2015", effective_date=date(2015, 6, 1))
    seed_spec(engine, "JJF-2010-001", stage="abolished", number="JJF 1000—2010", abolished_on=date(2020, 1, 1))
    project = w.start("sec", "spec_project")["id"]
    spec_id = p6_include(w, project, {**PROPOSAL, "title": "数字温度计校准规范"})

    # P5: graded 不合格 → rectification, during which no new 立项 (BR9)
    assessment = w.start("authority", "committee_assessment")["id"]
    w.do("authority", assessment, "task_grade", {"grade": "不合格", "comment": "连续两年未报年度报告"})
    other = w.start("sec", "project_approval")["id"]
    assert w.do("sec", other, "p6_task_proposal", PROPOSAL, status=403).get_json()["rule"] == "BR9"
    w.do("sec", assessment, "task_rectify", {"rectification_summary": "未整改", "measures": "无"})
    w.do("authority", assessment, "task_reassess", {"reassessment_grade": "不合格", "reassessment_comment": "未整改"})
    w.do("authority", assessment, "task_decide", {"exit_action": "revoke", "decision_reason": "撤销",
                                                  "successor_code": "MTC13"})
    w.advance(days=30, seconds=1)  # the revocation notice (撤销公示)
    w.do("authority", assessment, "task_confirm_revocation", {"revocation_decision": "revoke",
                                                              "revocation_opinion": "无异议"})
    moved = w.instance(assessment)["data"]["reassigned_specifications"]
    assert sorted(moved) == ["JJF-2015-001", spec_id]

    # the registry: open and published specifications follow; the abolished one stays where it was
    assert w.spec(spec_id)["committee"] == "MTC13" and w.spec("JJF-2015-001")["committee"] == "MTC13"
    assert w.spec("JJF-2010-001")["committee"] == "MTC12"
    assert w.spec(spec_id)["changes"][-1]["action"] == "committee_reassigned"

    # the running project moved with a recorded step; MTC13's secretariat carries on, MTC12's cannot
    instance = w.instance(project)
    assert instance["scope"]["committee"] == "MTC13" and instance["data"]["committee_code"] == "MTC13"
    assert [e.data for e in events(engine, project, "committee_reassigned")] == [
        {"from": "MTC12", "to": "MTC13", "specification": spec_id}]
    p7_submit(w, project)  # the drafters go on (their scope is the specification)
    check = w.task(project, "p8_task_check")
    assert check["scope"]["committee"] == "MTC13"
    assert w.as_("sec").post(f"/tasks/{check['id']}/claim").status_code in (403, 404)
    w.do("m5", project, "p8_task_check", {"draft_complete": True, "units_sent": 25})
    assert w.instance(project)["scope"]["committee"] == "MTC13"  # the next action did not move it back


def test_nothing_to_move_is_fine(engine):
    with engine.db.transaction() as session:
        assert spec_registry.reassign_committee(engine.runtime, session, "MTC77", "MTC78") == []
