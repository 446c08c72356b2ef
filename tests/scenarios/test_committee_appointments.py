"""BR14 over HTTP: an appointment grants the committee role for the term to the member's account; renewal, the end
of the term and revocation of the committee revoke it, with who and why, as user administrators see the grants."""
from datetime import date

import pytest

from tests.scenarios.committee_support import AUTHORITY, PLAN, Walker, candidate, composition, deploy
from tests.scenarios.committee_support import seed_committee as seed
from tests.timer_support import run_worker, utc

TERM_REPORT = {"term_summary": "本届完成规范 12 项", "specs_completed": 12, "specs_overdue": 1,
               "attendance": "委员平均出席率 92%", "next_term_plan": "加强新领域规范体系建设"}


@pytest.fixture
def walker(engine, login):
    deploy(engine)
    return Walker(engine, login)


def pool(prefix: str, usernames: list[str]) -> list[dict]:
    return [candidate(i, name=f"{prefix}{i:02d}", username=name) for i, name in enumerate(usernames)]


def appointed(entries: list[dict]) -> list[dict]:
    return [{**c, "role": e["role"]} for c, e in zip(entries, composition(entries), strict=True)]


@pytest.fixture
def mtc50(engine, login):
    names = [f"p{i:02d}" for i in range(25)]
    for name in names:
        login(name)  # accounts without any grant: the appointment gives the committee role
    seed(engine, "MTC50", term_end=date(2026, 6, 30), members=appointed(pool("委员", names)))
    return names


def grants(admin, name: str, scope: str = "committee/MTC50") -> list[dict]:
    response = admin.get(f"/users/{name}")
    assert response.status_code == 200, response.get_json()
    return [g for g in response.get_json()["assignments"] if g["scope"] == scope]


def live(admin, name: str) -> set[str]:
    return {g["role"] for g in grants(admin, name) if g["revoked_at"] is None}


def test_br14_an_appointment_grants_the_role_and_renewal_revokes_the_former_members(walker, engine, login, mtc50,
                                                                                       clock):
    admin = login("uadmin", "user_admin")
    assert live(admin, "p00") == {"chair", "member"} and live(admin, "p05") == {"member"}
    assert "聘任" in grants(admin, "p05")[0]["reason"]
    sec, authority = login("sec50", "secretariat:committee/MTC50"), login("samr", AUTHORITY)
    iid = sec.post("/instances", json={"process_key": "committee_renewal",
                                       "scope": {"committee": "MTC50", "level": "national"}}).get_json()["id"]
    walker.do(sec, iid, "task_write_term_report", TERM_REPORT)
    walker.do(authority, iid, "task_review_term_report", {"term_report_decision": "accept"})
    names = mtc50[:12] + [f"q{i:02d}" for i in range(12, 25)]  # 12 reappointed, 13 new
    for name in names[12:]:
        login(name)
    people = pool("新委员", names)
    walker.do(sec, iid, "task_recruit", {"call_summary": "换届征集", "candidates": people})
    walker.do(sec, iid, "task_plan", {**PLAN, "composition": composition(people)})
    walker.do(authority, iid, "task_review", {"composition_decision": "approve"})
    walker.advance(clock, days=30, seconds=1)
    walker.fresh(sec, authority, admin)
    walker.do(authority, iid, "task_approve_renewal", {"renewal_decision": "approve",
                                                       "approval_document": "市监计量函〔2026〕50号"})
    former = grants(admin, "p20")
    assert live(admin, "p20") == set() and former[0]["revoked_by"] == "samr"
    assert "任职结束" in former[0]["revoked_reason"]
    assert live(admin, "q20") == {"member"} and live(admin, "p05") == {"member"}  # reappointed: a new grant
    assert [g["revoked_at"] is None for g in grants(admin, "p05")] == [False, True]
    members = {m["name"]: m for m in admin.get("/committees/MTC50").get_json()["members"]}
    assert len(members) == 25 and all(m["has_account"] and m["term_number"] == 2 for m in members.values())


def test_br14_the_end_of_the_term_revokes_the_members_grants(walker, engine, login, mtc50, clock):
    admin = login("uadmin", "user_admin")
    clock.set(utc(2026, 6, 30, 15, 59))  # 23:59 on the term's last day, Beijing time
    run_worker(engine)
    walker.fresh(admin)
    assert live(admin, "p05") == {"member"}
    clock.set(utc(2026, 6, 30, 16, 0, 1))
    run_worker(engine)
    walker.fresh(admin)
    [ended] = grants(admin, "p05")
    assert ended["revoked_by"] == "system" and "届满" in ended["revoked_reason"]
    assert live(admin, "p00") == set()
