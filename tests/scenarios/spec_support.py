"""Helpers of the specification scenarios: the people of committee MTC12, walking tasks over HTTP as them,
documents, the clock, and the registry as the API shows it."""
from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from engine.access import accounts as users
from engine.access.actors import Grant
from engine.access.models import User
from engine.committees.models import Committee
from engine.config import ROOT
from engine.errors import Conflict
from tests.conftest import PASSWORD, Caller
from tests.timer_support import run_worker

CODE = "MTC12"
SCOPE = {"committee": CODE, "level": "national"}
PROCESSES = ("p6_project_approval.bpmn", "p7_drafting.bpmn", "p8_comment_solicitation.bpmn",
             "p9_technical_review.bpmn", "p10_approval_submission.bpmn", "p11_effect_evaluation.bpmn",
             "p12_periodic_rereview.bpmn", "p6_p10_spec_project.bpmn")
# username -> (grants, unit). Committee roles of members come from their appointment (BR14, MEMBERS below),
# not from these grants; the secretariat's staff and the secretary-general act through a plain grant.
PEOPLE = {
    "authority": (["authority:level/national"], "市场监管总局计量司"),
    "sec": ([f"secretariat:committee/{CODE}"], "中国计量科学研究院"),
    "secgen": ([f"secretary_general:committee/{CODE}"], "中国计量科学研究院"),
    "chair": ([], "单位甲"),
    "vice": ([], "单位乙"),
    **{f"m{i}": ([], f"单位{i}") for i in range(1, 6)},
    "corr": ([], "通讯单位"),
    "drafter": ([], "起草单位"),
    "colleague": ([], "起草单位"),
    "observer": ([], None),
    "auditor": (["auditor"], None),
}
# the registry's composition of MTC12 (username -> registry role); the chair and vice-chair vote as members
MEMBERS = {"chair": "chair", "vice": "vice_chair", "colleague": "member",
           **{f"m{i}": "member" for i in range(1, 6)}, "corr": "corresponding_member"}
VOTERS = ("chair", "vice", "colleague", "m1", "m2", "m3", "m4", "m5")


def member_entries(roles: dict[str, str] = MEMBERS) -> list[dict]:
    """Registry entries of the world's people, each linked to their account by ``username``."""
    return [{"name": f"委员{name}", "role": role, "unit": PEOPLE[name][1] or "社会公众", "username": name}
            for name, role in roles.items()]


def appoint(engine, code: str = CODE, entries: list[dict] | None = None) -> None:
    """The committee's composition as the registry records it: each member appointed, granted for the term."""
    from engine.committees import registry as committee_registry

    with engine.db.transaction() as session:
        committee = committee_registry.require(session, code)
        committee_registry.replace_members(session, committee, member_entries() if entries is None else entries,
                                           committee.term_number, actor="authority", reason="test composition")

PROPOSAL = {
    "spec_type": "JJF", "title": "电子天平校准规范", "project_kind": "new",
    "application_scope": "适用于实际分度值不小于 0.1 mg 的电子天平的校准。",
    "necessity": "电子天平广泛用于贸易结算和实验室，现行规范缺少校准方法。",
    "adopted_document": "OIML R 76-1:2006", "drafting_units": ["起草单位"], "drafters": ["drafter"],
    "planned_completion": "2027-12-31", "funding": "8 万元，财政专项", "livelihood": True,
    "outside_plan_reason": "贸易结算急需，未及列入年度计划",
}


def deploy(engine, *names: str) -> None:
    """Deploy the specification processes (or only the named files: a phase tested alone needs just its own)."""
    engine.deploy_files([ROOT / "processes" / name for name in names or PROCESSES])


def seed_committee(engine, code: str = CODE, status: str = "active", term_end: date = date(2029, 12, 31)) -> None:
    with engine.db.transaction() as session:
        session.add(Committee(code=code, name=f"{code} 质量计量技术委员会", level="national", status=status,
                              term_number=1, term_start=date(2024, 1, 1), term_end=term_end))


def set_committee(engine, code: str = CODE, **fields) -> None:
    from sqlalchemy import select

    with engine.db.transaction() as session:
        committee = session.scalar(select(Committee).where(Committee.code == code))
        for name, value in fields.items():
            setattr(committee, name, value)


class World:
    """MTC12 with its people; acts as them over HTTP, logging in again whenever the clock outran a token."""

    def __init__(self, engine, client, clock):
        self.engine, self.client, self.clock = engine, client, clock
        self.tokens: dict[str, tuple[str, object]] = {}
        with engine.db.transaction() as session:
            for name, (grants, unit) in PEOPLE.items():
                users.create_user(session, name, PASSWORD, [Grant.parse(g) for g in grants], unit=unit, actor="test")
            seeded = session.scalar(select(Committee.id).where(Committee.code == CODE)) is not None
        if seeded:
            appoint(engine)

    def accounts(self, entries: list[dict]) -> None:
        """Accounts for registry entries that name one not yet made (members recruited in a story)."""
        with self.engine.db.transaction() as session:
            for entry in entries:
                name = entry.get("username")
                if name and session.scalar(select(User.id).where(User.username == name)) is None:
                    users.create_user(session, name, PASSWORD, [], unit=entry.get("unit"), actor="test")

    def as_(self, name: str) -> Caller:
        token, at = self.tokens.get(name, (None, None))
        if token is None or self.clock.now() - at > timedelta(hours=1):
            response = self.client.post("/api/v1/auth/token", json={"username": name, "password": PASSWORD})
            assert response.status_code == 200, response.get_json()
            token, at = response.get_json()["access_token"], self.clock.now()
            self.tokens[name] = (token, at)
        return Caller(self.client, token, name)

    def grant(self, name: str, grant: str) -> None:
        """Give ``name`` a role (again is fine)."""
        try:
            with self.engine.db.transaction() as session:
                users.grant_role(session, users.get_user(session, name), Grant.parse(grant), actor="test",
                                 reason="test")
        except Conflict:
            pass

    # ----- instances and tasks -----------------------------------------------------------------------
    def start(self, name: str, process_key: str, scope: dict | None = None, variables: dict | None = None,
              status: int = 201) -> dict:
        response = self.as_(name).post("/instances", json={"process_key": process_key, "scope": scope or SCOPE,
                                                           "variables": variables or {}})
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def instance(self, iid: str) -> dict:
        return self.as_("auditor").get(f"/instances/{iid}").get_json()

    def open_tasks(self, iid: str) -> list[dict]:
        response = self.as_("auditor").get("/tasks", query_string={"instance_id": iid, "per_page": 200})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    def open_elements(self, iid: str) -> list[str]:
        return sorted({t["element_id"] for t in self.open_tasks(iid)})

    def tasks(self, iid: str, element: str) -> list[dict]:
        return [t for t in self.open_tasks(iid) if t["element_id"] == element]

    def task(self, iid: str, element: str) -> dict:
        found = self.tasks(iid, element)
        assert found, (element, self.open_elements(iid), self.instance(iid).get("error"))
        return found[0]

    def do(self, name: str, iid: str, element: str, data: dict | None = None, status: int = 200,
           task: dict | None = None):
        """Claim and complete the open task of ``element`` as ``name``; returns the completion response."""
        caller = self.as_(name)
        task = task or self.task(iid, element)
        if task.get("assignee") != name:
            claimed = caller.post(f"/tasks/{task['id']}/claim")
            if claimed.status_code != 200:
                assert claimed.status_code == status, claimed.get_json()
                return claimed
        response = caller.complete(task["id"], data or {})
        assert response.status_code == status, (response.status_code, response.get_json())
        return response

    def upload(self, name: str, iid: str, element: str, filename: str = "draft.txt", body: bytes = b"draft") -> int:
        task = self.task(iid, element)
        response = self.as_(name).post(f"/tasks/{task['id']}/documents",
                                       data={"file": (io.BytesIO(body), filename, "text/plain")},
                                       content_type="multipart/form-data")
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    def advance(self, **delta) -> None:
        self.clock.advance(timedelta(**delta))
        run_worker(self.engine)

    # ----- the registry ------------------------------------------------------------------------------
    def spec(self, spec_id: str, name: str = "auditor") -> dict:
        response = self.as_(name).get(f"/specifications/{spec_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def spec_of(self, iid: str) -> dict:
        return self.spec(self.instance(iid)["scope"]["specification"] or self.instance(iid)["data"]["spec_id"])

    def notifications(self, name: str) -> list[dict]:
        return self.as_(name).get("/notifications", query_string={"per_page": 100}).get_json()["items"]


def seed_spec(engine, spec_id: str = "JJF-2026-101", stage: str = "planned", **fields) -> str:
    """A specification put straight into the registry, for a phase tested on its own."""
    from datetime import UTC, datetime

    from engine import clock
    from engine.specifications.models import Specification

    values = {"type": "JJF", "title": "数字压力计校准规范", "kind": "new", "committee": CODE, "level": "national",
              "livelihood": True, "drafting_units": ["起草单位"], "drafters": ["drafter"], "extensions": [],
              "documents": {}, "drafting_flags": 0, "comments_total": 0, "comments_answered": 0, "review_round": 0,
              "review_failures": 0, "review_passed": False, "created_at": clock.now(), "updated_at": clock.now()}
    values.update(fields)
    for name in ("drafting_due", "comment_closed_at", "papers_sent_at", "approved_at"):
        if isinstance(values.get(name), str):
            values[name] = datetime.fromisoformat(values[name]).astimezone(UTC)
    with engine.db.transaction() as session:
        session.add(Specification(id=spec_id, stage=stage, **values))
    return spec_id


def spec_scope(spec_id: str, **extra) -> dict:
    return {**SCOPE, "specification": spec_id, **extra}
