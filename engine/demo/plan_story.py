"""The demo's project plan (十一): a committee's call for needs with needs from the public board and from a unit,
screened; its annual plan returned once, then approved and published; two adjustments approved, one rejected."""
from __future__ import annotations

from engine.demo.driver import Driver, Program
from engine.demo.spec_phases import Team
from engine.plans import needs, plans

NEEDS = (
    ("智能水表检定规程", "流量", "智能水表大量安装，现行规程不适用于电子计量模块。", "某市自来水公司", "accept", None),
    ("电动汽车充电桩现场校准规范", "电学", "充电桩贸易结算量大，现场校准方法缺失。", "某省计量院", "accept", None),
    ("游标卡尺检定规程", "长度", "建议修订。", "个人", "decline", "现行 JJG 30 已覆盖，且复审结论为继续有效"),
)


def plan_story(d: Driver, team: Team, year: int) -> Program:
    """Runs over about four months of the story; ``year`` is the plan's year."""
    with d.engine.db.transaction() as session:
        call = needs.open_call(session, d._actor(session, team.secretariat), f"{year} 年度计量技术规范需求征集",
                               "面向社会公开征集计量技术规范制修订需求。", team.code, None, None, None)
        call_id = call.id
    yield 7
    kept = []
    with d.engine.db.transaction() as session:
        for title, field, reason, unit, _, _ in NEEDS:
            need = needs.submit(session, call_id, {"title": title, "field": field, "reason": reason, "unit": unit,
                                                   "contact": "010-00000000"}, None)
            kept.append(need.id)
    yield 30
    with d.engine.db.transaction() as session:
        actor = d._actor(session, team.secretariat)
        for need_id, (*_, decision, reason) in zip(kept, NEEDS, strict=True):
            needs.screen(session, actor, need_id, decision, reason)
        plan = plans.create(session, actor, team.code, "annual", f"{team.code} {year} 年度项目计划", year, year, [
            {"title": NEEDS[0][0], "spec_type": "JJG", "field": NEEDS[0][1], "need_id": kept[0]},
            {"title": NEEDS[1][0], "spec_type": "JJF", "field": NEEDS[1][1], "need_id": kept[1]},
            {"title": "数字温度计校准规范", "spec_type": "JJF", "field": "温度"}])
        plan_id = plan.id
    iid = d.start(team.secretariat, "plan_approval", team.scope)
    d.do(team.secretariat, iid, "p13_task_submit", {"plan_id": plan_id, "submit_note": "经公开征集、筛选形成"})
    yield 10
    d.do(team.authority, iid, "p13_task_review", {"plan_review_decision": "approve",
                                                  "plan_review_opinion": "同意，请按计划组织实施"})
    d.progress(f"  {team.code}: {year} annual plan published (3 items)")
    yield 60
    with d.engine.db.transaction() as session:
        items = [i.id for i in plans.items_of(session, plan_id)]
    for request, decision in (
            ({"adjust_action": "postpone", "item_id": items[2], "new_year": year + 1,
              "adjust_reason": "比对试验需延长一年"}, "approve"),
            ({"adjust_action": "add", "new_year": year, "item_title": "超声波燃气表检定规程", "item_spec_type": "JJG",
              "item_field": "流量", "adjust_reason": "年中新增的监管需求"}, "approve"),
            ({"adjust_action": "drop", "item_id": items[1], "adjust_reason": "拟并入其他项目"}, "reject")):
        iid = d.start(team.secretariat, "plan_adjustment", team.scope)
        d.do(team.secretariat, iid, "p13b_task_request", {"plan_id": plan_id, **request})
        yield 5
        opinion = "同意" if decision == "approve" else "仍有需要，不予取消"
        d.do(team.authority, iid, "p13b_task_decide", {"adjustment_decision": decision, "adjustment_opinion": opinion})
    d.progress(f"  {team.code}: plan adjusted (2 approved, 1 rejected)")
