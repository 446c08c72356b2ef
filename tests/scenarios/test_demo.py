"""``mtcflow demo`` on a fresh database: the registries show committees at every status with their members and
reports, specifications at every stage and public notices open with comments; a second run seeds nothing."""
import pytest
from click.testing import CliRunner

import api.cli.main as cli_main
from engine.specifications.models import STAGES


@pytest.fixture
def run(engine, monkeypatch):
    monkeypatch.setattr(cli_main, "_engine", lambda: engine)
    return lambda: CliRunner().invoke(cli_main.main, ["demo"], catch_exceptions=False)


def listing(get, path, **query):
    """The items of a list endpoint, through ``get`` (a test client's or a logged-in caller's)."""
    response = get(path, query_string={"per_page": 100, **query})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_demo_seeds_the_registries_through_the_processes(run, app, engine, login):
    result = run()
    assert result.exit_code == 0, result.output
    assert "MTC03: revoked" in result.output and "done:" in result.output  # progress while seeding
    client = app.test_client()
    public = lambda path, **kwargs: client.get(f"/api/v1{path}", **kwargs)  # noqa: E731

    committees = {c["code"]: c for c in listing(public, "/committees")}
    assert {code: c["status"] for code, c in committees.items()} == {
        "MTC01": "active", "MTC02": "rectification", "MTC03": "revoked", "MTC04": "preparing", "MTC06": "active",
        "MTC31": "active"}
    mtc01 = client.get("/api/v1/committees/MTC01").get_json()
    assert len(mtc01["members"]) == 25 and mtc01["term"]["number"] == 1
    roles = sorted(m["role"] for m in mtc01["members"])
    assert roles.count("chair") == 1 and roles.count("vice_chair") == 2 and roles.count("secretary_general") == 1
    assert {m["stakeholder_category"] for m in mtc01["members"]} == {"research", "testing", "enterprise", "user",
                                                                      "regulator"}
    assert all(m["unit"] and m["title"] for m in mtc01["members"])
    assert [a["grade"] for a in mtc01["assessments"]] == ["一级"]
    assert [r["period"] for r in mtc01["reports"] if r["kind"] == "annual" and r["accepted_at"]] == [
        "2022", "2023", "2024", "2025", "2026"]  # P3a from the yearly schedule (the test ends on 2 March 2026)
    mtc02 = client.get("/api/v1/committees/MTC02").get_json()
    assert mtc02["accepts_projects"] is False  # BR9
    assert [r["period"] for r in mtc02["reports"] if r["missed"]] == ["2024", "2025"]  # BR8: flagged → P5
    assert [a["grade"] for a in mtc02["assessments"]] == ["不合格"] and mtc02["assessment_flag"] is None
    restored = client.get("/api/v1/committees/MTC06").get_json()  # P5: suspended, then a passing assessment
    assert [(a["grade"], a["outcome"]) for a in restored["assessments"]] == [
        ("不合格", None), ("不合格", "suspend"), ("二级", "restore")]
    assert restored["accepts_projects"] and restored["accepts_reviews"] and len(restored["members"]) == 25
    names = {m["name"]: m for m in mtc01["members"]}  # P2c: 唐志强 resigned, 钱志强 (same unit and category) added
    assert "钱志强" in names and names["钱志强"]["has_account"] and "唐志强" not in names
    admin = login("uadmin1", "user_admin")
    [left] = [g for g in admin.get("/users/mtc01_m21").get_json()["assignments"] if g["scope"] == "committee/MTC01"]
    assert left["revoked_by"] == "samr" and "解聘" in left["revoked_reason"]
    [added] = [g for g in admin.get("/users/mtc01_m22").get_json()["assignments"] if g["scope"] == "committee/MTC01"]
    assert added["role"] == "member" and added["revoked_at"] is None and "增补" in added["reason"]
    revoked = client.get("/api/v1/committees/MTC03").get_json()
    assert revoked["members"] == [] and revoked["successor_code"] == "MTC01"
    provincial = client.get("/api/v1/committees/MTC31").get_json()  # established under the provincial profile
    assert (provincial["level"], provincial["jurisdiction"], provincial["authority"]) == (
        "provincial", "江苏", "江苏省市场监督管理局")
    assert len(provincial["members"]) == 25 and provincial["annual_report_misses"] == 0
    plans = listing(public, "/notices", ref="MTC31")
    assert sorted((n["kind"], n["level"], n["status"]) for n in plans) == [
        ("composition", "provincial", "closed"), ("establishment", "provincial", "closed")]

    auditor = login("auditor1", "auditor")  # proposals are not public yet: the auditor sees everything
    specs = listing(auditor.get, "/specifications")
    stages = {s["stage"] for s in specs}
    assert stages >= {"proposed", "project_notice", "drafting", "comment", "review", "approval", "published",
                      "rereview", "superseded", "abolished", "rejected"}
    assert stages <= set(STAGES)
    by_title = {s["title"]: s for s in specs}
    old, new = by_title["电子天平校准规范"], by_title["电子天平校准规范（修订）"]
    assert (old["stage"], new["stage"], new["kind"]) == ("superseded", "published", "revision")
    assert client.get(f"/api/v1/specifications/{old['id']}").get_json()["superseded_by"] == new["id"]
    assert old["number"].split("—")[0] == new["number"].split("—")[0] != "JJF 0001"  # a revision keeps its serial
    national = sorted(int(s["number"].split(" ")[1].split("—")[0]) for s in specs
                      if s["number"] and s["level"] == "national" and s["number"].startswith("JJF ")
                      and s["kind"] == "new")
    assert len(national) >= 2 and national == list(range(1001, 1001 + len(national)))  # across the years
    assert by_title["声级计检定规程"]["committee"] == "MTC01"  # reassigned when MTC03 was revoked
    assert all(s["number"] for s in specs if s["stage"] in ("published", "rereview", "superseded", "abolished"))

    local = {s["stage"]: s for s in specs if s["committee"] == "MTC31"}
    assert sorted(local) == ["comment", "drafting", "review"]
    assert all(s["level"] == "provincial" for s in local.values())
    assert local["comment"]["id"].startswith("JJG-苏-") and local["drafting"]["id"].startswith("JJF-苏-")
    vote = auditor.get(f"/instances/{local['review']['instance_id']}").get_json()["data"]
    assert vote["review_outcome"] == "open" and vote["voting_member_count"] == 25  # the appointed committee (BR14)
    assert "mtc31_chair" in vote["voters"] and len(vote["voters"]) == 25  # each appointed with an account
    review = auditor.get(f"/specifications/{new['id']}").get_json()["review"]
    assert review["voting_base"]["count"] == 25 and review["cast"] == 25 and review["passed"]

    notices = listing(public, "/notices", status="open")
    assert sorted(n["kind"] for n in notices) == ["comment_draft", "comment_draft", "composition", "establishment",
                                                  "project"]
    [plan] = [n for n in notices if n["kind"] == "establishment"]  # MTC05 applied: its plan is public (BR12)
    assert plan["ref"] == "MTC05" and "MTC05" not in committees  # not in the registry before the authority approves
    assert plan["content"]["scope"] and plan["content"]["host_unit"] and plan["content"]["planned_composition"]
    [members] = [n for n in notices if n["kind"] == "composition"]  # MTC04's proposed member list (BR15)
    listed = members["content"]["members"]
    assert len(listed) >= 25 and {"name", "unit", "title"} <= set(listed[0])
    [project] = [n for n in notices if n["kind"] == "project"]
    assert project["content"]["application_scope"] and project["content"]["necessity"]
    [annual] = public("/plans", query_string={"committee": "MTC01"}).get_json()["items"]  # 十一
    assert annual["status"] == "published" and annual["kind"] == "annual" and len(annual["items"]) == 4
    assert [(a["action"], a["status"]) for a in annual["adjustments"]] == [
        ("postpone", "approved"), ("add", "approved"), ("drop", "rejected")]
    announcements = listing(public, "/notices", kind="approval")
    assert announcements and all(a["content"]["specifications"][0]["number"] for a in announcements)
    [local_comment] = [n for n in notices if n["level"] == "provincial"]
    assert local_comment["specification"] == local["comment"]["id"] and local_comment["window"] == "comment_window"
    assert all(n["comment_count"] + n["objection_count"] >= 2 for n in notices)

    for name in ("samr", "js_amr", "mtc31_sec"):  # one shared argon2 hash of the demo password: each one logs in
        token = client.post("/api/v1/auth/token", json={"username": name, "password": "mtcflow-demo"})
        assert token.status_code == 200 and token.get_json()["access_token"], name
    refused = client.post("/api/v1/auth/token", json={"username": "js_amr", "password": "wrong-password"})
    assert refused.status_code == 401

    again = run()
    assert again.exit_code == 0 and "already" in again.output
    assert len(listing(auditor.get, "/specifications")) == len(specs)
