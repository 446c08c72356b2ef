"""Helpers for the committee scenarios: the people, their forms, and walking a process task by task over HTTP."""
from __future__ import annotations

from datetime import timedelta

from engine.committees import registry as committee_registry
from engine.committees.models import Committee
from tests.timer_support import run_worker

AUTHORITY = "authority:level/national"
PROCESSES = ("p1_composition.bpmn", "p1_establishment.bpmn", "p2_renewal.bpmn", "p3a_annual_report.bpmn",
             "p3b_term_report.bpmn", "p4_chair_report.bpmn", "p5_assessment.bpmn",
             "p5b_dynamic_management.bpmn")
CATEGORIES = ("enterprise", "user", "testing", "research", "regulator")


def deploy(engine) -> None:
    from engine.config import ROOT

    engine.deploy_files([ROOT / "processes" / name for name in PROCESSES])


def candidate(i: int, **changes) -> dict:
    """An applicant who meets BR6; units and categories spread so that 25 of them meet BR5."""
    entry = {"name": f"委员{i:02d}", "unit": f"单位{i % 9}", "title": "高级工程师", "title_level": "副高级",
             "experience_years": 12, "retirement_date": "2045-06-30",
             "stakeholder_category": CATEGORIES[i % len(CATEGORIES)]}
    entry.update(changes)
    return entry


def candidates(count: int = 25, **changes) -> list[dict]:
    return [candidate(i, **changes) for i in range(count)]


def composition(entries: list[dict], vice_chairs: int = 2) -> list[dict]:
    """Chair, vice-chairs and secretary-general from different units, the rest members."""
    roles = ["chair"] + ["vice_chair"] * vice_chairs + ["secretary_general"]
    return [{"name": e["name"], "role": roles[i] if i < len(roles) else "member"} for i, e in enumerate(entries)]


APPLICATION = {
    "committee_name": "全国长度计量技术委员会", "committee_scope": "长度计量器具的检定规程、校准规范",
    "justification": "长度计量领域缺少统一归口", "spec_framework": "检定规程、校准规范、检定系统表三类",
    "overlap_analysis": "与现有委员会无交叉", "secretariat_host": "中国计量科学研究院",
    "resources": "专职人员 3 名，经费落实",
    "work_plan": "三年内制修订规范 10 项", "approval_level": "national",
}
PLAN = {"charter": "委员会章程（草案）", "secretariat_rules": "秘书处工作细则（草案）"}


class Walker:
    """Finds the open task of an element in an instance and works it as a user, over HTTP."""

    def __init__(self, engine, login):
        self.engine, self.login = engine, login

    def fresh(self, *callers) -> None:
        """New tokens after the clock moved past their lifetime."""
        for caller in callers:
            caller.token = self.login(caller.username).token

    def task(self, caller, instance_id: str, element_id: str) -> dict:
        if caller.get("/me").status_code == 401:
            self.fresh(caller)
        items = caller.get("/tasks", query_string={"instance_id": instance_id, "per_page": 200}).get_json()["items"]
        found = [t for t in items if t["element_id"] == element_id]
        assert found, (element_id, [t["element_id"] for t in items],
                       {k: v for k, v in caller.get(f"/instances/{instance_id}").get_json().items()
                        if k in ("state", "error", "timers")})
        return found[0]

    def open_elements(self, caller, instance_id: str) -> list[str]:
        if caller.get("/me").status_code == 401:
            self.fresh(caller)
        return sorted(t["element_id"] for t in caller.get(f"/instances/{instance_id}").get_json()["tasks"])

    def do(self, caller, instance_id: str, element_id: str, data: dict, status: int = 200):
        task = self.task(caller, instance_id, element_id)
        claimed = caller.post(f"/tasks/{task['id']}/claim")
        assert claimed.status_code == 200, claimed.get_json()
        response = caller.complete(task["id"], data)
        assert response.status_code == status, response.get_json()
        return response

    def advance(self, clock, **delta) -> None:
        clock.advance(timedelta(**delta))
        run_worker(self.engine)

    def apply(self, clock, proposer, instance_id: str, data: dict) -> None:
        """Submit the 筹建申请 and let its public notice (30 days national) run out, so the authority reviews."""
        self.do(proposer, instance_id, "task_apply", data)
        self.advance(clock, days=30, seconds=1)


def establish(walker: Walker, clock, proposer, authority, code: str = "MTC40", name: str | None = None,
              people: list[dict] | None = None) -> str:
    """P1 on its main path: application, approval, recruitment, plan, review, notice, establishment."""
    started = proposer.post("/instances", json={"process_key": "committee_establishment",
                                                "scope": {"committee": code, "level": "national"}})
    assert started.status_code == 201, started.get_json()
    iid = started.get_json()["id"]
    walker.apply(clock, proposer, iid, {**APPLICATION, "committee_name": name or f"{code} 计量技术委员会"})
    walker.do(authority, iid, "task_review_application", {"application_decision": "approve"})
    people = people or candidates()
    walker.do(proposer, iid, "task_recruit", {"call_summary": "公开征集", "candidates": people})
    walker.do(proposer, iid, "task_plan", {**PLAN, "composition": composition(people)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    walker.do(authority, iid, "task_approve", {"establishment_decision": "approve",
                                                "approval_document": f"市监计量函〔2026〕{code[-2:]}号"})
    return iid


def seed_committee(engine, code: str, status: str = "active", members: list[dict] | None = None, **fields):
    """A committee put straight into the registry (for rules that look at other committees)."""
    from datetime import date

    with engine.db.transaction() as session:
        committee = Committee(code=code, name=fields.pop("name", f"{code} 委员会"),
                              level=fields.pop("level", "national"), status=status, term_number=1,
                              term_start=fields.pop("term_start", date(2024, 1, 1)),
                              term_end=fields.pop("term_end", date(2028, 12, 31)),
                              **fields)
        session.add(committee)
        session.flush()
        entries = [{**m, "role": m.get("role", "member")} for m in (members or [])]
        committee_registry.replace_members(session, committee, entries, 1)
