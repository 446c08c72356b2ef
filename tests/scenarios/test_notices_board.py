"""The public notice board end to end: a process opens a notice, the public comments and objects without
login, the window closes with the clock, late comments are refused, and the deciding task sees them (BR12)."""
from datetime import timedelta

from tests.scenarios.notice_support import PROBLEM, VARIABLES, comment, public, start
from tests.timer_support import events, run_worker


def test_open_comment_close_and_route_on_objections(admin, login, engine, app, clock):
    client = public(app)
    admin.deploy("notice_window.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, scope={"committee": "MTC-12", "specification": "JJF-2026-001", "level": "national"})
    assert inst["state"] == "waiting"
    notice_id = inst["data"]["notice_id"]
    closes_at = clock.now() + timedelta(days=30)
    assert inst["data"]["notice_closes_at"] == closes_at.isoformat()
    assert [t["due_at"] for t in inst["timers"]] == [closes_at.isoformat()]  # same profile key, same instant

    board = client.get("/api/v1/notices").get_json()  # no login
    assert board["total"] == 1
    [shown] = board["items"]
    assert (shown["id"], shown["status"], shown["phase"], shown["kind"]) == (notice_id, "open", "open",
                                                                             "comment_draft")
    assert (shown["subject"], shown["ref"], shown["committee"], shown["level"]) == (
        VARIABLES["notice_subject"], "JJF-2026-001", "MTC-12", "national")
    assert shown["closes_at"] == closes_at.isoformat() and shown["window"] == "comment_window"

    first = comment(client, notice_id, contact="zhang@example.cn")
    assert first.status_code == 201, first.get_json()
    assert "contact" not in first.get_json()
    clock.advance(days=29, hours=23)
    objection = comment(client, notice_id, author="李四", unit=None, kind="objection",
                        text="起草单位占比过高，有异议。")
    assert objection.status_code == 201
    detail = client.get(f"/api/v1/notices/{notice_id}").get_json()
    assert (detail["comment_count"], detail["objection_count"]) == (2, 1)

    clock.set(closes_at)  # the window is over even before the timer has fired
    late = comment(client, notice_id)
    assert late.status_code == 409 and late.content_type == PROBLEM
    problem = late.get_json()
    assert problem["detail"].startswith(f"The comment window of notice {notice_id} closed at")
    assert (problem["notice_phase"], problem["closes_at"]) == ("ended", closes_at.isoformat())
    assert client.get(f"/api/v1/notices/{notice_id}").get_json()["phase"] == "ended"

    clock.advance(seconds=1)
    report, _ = run_worker(engine)
    assert report.fired == 1
    authority = login("samr", "authority:level/national")
    after = authority.get(f"/instances/{inst['id']}").get_json()
    [decide] = after["tasks"]
    assert decide["element_id"] == "decide"  # notice_objection_count > 0
    data = after["data"]
    assert (data["notice_comment_count"], data["notice_objection_count"]) == (2, 1)
    assert [(c["author"], c["unit"], c["kind"]) for c in data["notice_comments"]] == [
        ("张三", "某省计量测试研究院", "comment"), ("李四", None, "objection")]
    assert set(data["notice_comments"][0]) == {"id", "author", "unit", "kind", "text", "at"}

    closed = client.get(f"/api/v1/notices/{notice_id}").get_json()
    assert (closed["status"], closed["phase"]) == ("closed", "closed")
    assert closed["closed_at"] == (closes_at + timedelta(seconds=1)).isoformat()
    refused = comment(client, notice_id, kind="objection")
    assert refused.status_code == 409 and refused.get_json()["notice_phase"] == "closed"
    assert client.get("/api/v1/notices", query_string={"status": "closed"}).get_json()["total"] == 1
    assert client.get("/api/v1/notices", query_string={"status": "open"}).get_json()["total"] == 0

    types = [e.type for e in events(engine, inst["id"])]
    assert types.count("notice_comment_received") == 2
    assert types.index("notice_opened") < types.index("notice_comment_received") < types.index("notice_closed")
    [closed_event] = events(engine, inst["id"], "notice_closed")
    assert closed_event.data["objections"] == 1 and len(closed_event.data["comment_sha256"]) == 2


def test_comments_without_objection_go_to_the_summary(admin, login, engine, app, clock):
    client = public(app)
    admin.deploy("notice_window.bpmn")
    sec = login("sec", "secretariat")
    inst = start(sec)
    assert comment(client, inst["data"]["notice_id"]).status_code == 201
    clock.advance(days=30, seconds=1)
    run_worker(engine)
    after = login("sec").get(f"/instances/{inst['id']}").get_json()
    assert [t["element_id"] for t in after["tasks"]] == ["summary"]
    assert (after["data"]["notice_comment_count"], after["data"]["notice_objection_count"]) == (1, 0)


def test_provincial_window_in_working_days_matches_the_timer(admin, login, engine, app, clock):
    client = public(app)
    admin.deploy("notice_window.bpmn")
    sec = login("sec-js", "secretariat:level/provincial/江苏")
    inst = start(sec, variables={**VARIABLES, "notice_kind": "project", "notice_window": "project_notice_window",
                                 "notice_ref": "JJF(苏)-2026-003"},
                 scope={"level": "provincial", "jurisdiction": "江苏"})
    [timer] = inst["timers"]
    assert inst["data"]["notice_closes_at"] == timer["due_at"]
    # 20 working days counted from the day after Monday 2 March 2026: ends 24:00 Beijing time, Monday 30 March
    assert timer["due_at"] == "2026-03-30T16:00:00+00:00"
    mine = client.get("/api/v1/notices", query_string={"level": "provincial", "jurisdiction": "江苏"}).get_json()
    assert [n["ref"] for n in mine["items"]] == ["JJF(苏)-2026-003"]
    assert client.get("/api/v1/notices", query_string={"level": "national"}).get_json()["total"] == 0


def test_board_filters_and_pagination(admin, login, app, clock):
    client = public(app)
    admin.deploy("notice_window.bpmn")
    sec = login("sec", "secretariat")
    for n, kind in enumerate(["project", "comment_draft", "composition", "comment_draft"]):
        start(sec, variables={**VARIABLES, "notice_kind": kind, "notice_ref": f"REF-{n}"})
        clock.advance(minutes=1)
    board = client.get("/api/v1/notices", query_string={"per_page": 3}).get_json()
    assert (board["total"], len(board["items"]), board["per_page"]) == (4, 3, 3)
    assert [n["ref"] for n in board["items"]] == ["REF-3", "REF-2", "REF-1"]  # newest first
    second = client.get("/api/v1/notices", query_string={"per_page": 3, "page": 2}).get_json()
    assert [n["ref"] for n in second["items"]] == ["REF-0"]
    drafts = client.get("/api/v1/notices", query_string={"kind": "comment_draft"}).get_json()
    assert {n["ref"] for n in drafts["items"]} == {"REF-1", "REF-3"}
    assert client.get("/api/v1/notices", query_string={"ref": "REF-2"}).get_json()["items"][0]["kind"] == "composition"
    bad = client.get("/api/v1/notices", query_string={"kind": "gossip"})
    assert bad.status_code == 422 and bad.content_type == PROBLEM
    assert client.get("/api/v1/notices/999").status_code == 404


def test_comment_validation(admin, login, app):
    client = public(app)
    admin.deploy("notice_window.bpmn")
    notice_id = start(login("sec", "secretariat"))["data"]["notice_id"]
    for body, field in (({"text": "无署名"}, "author"), ({"author": "王五"}, "text"),
                        ({"author": "王五", "text": "x", "kind": "praise"}, "kind"),
                        ({"author": "王五", "text": "x" * 5001}, "text"),
                        ({"author": "王五", "text": "x", "vote": "yes"}, "vote")):
        response = client.post(f"/api/v1/notices/{notice_id}/comments", json=body)
        assert response.status_code == 422 and response.content_type == PROBLEM, body
        assert field in str(response.get_json()["errors"]), body
    assert comment(client, 999).status_code == 404
    assert client.get(f"/api/v1/notices/{notice_id}").get_json()["comment_count"] == 0


def test_staff_read_comments_with_contacts_in_their_scope(admin, login, app):
    client = public(app)
    admin.deploy("notice_window.bpmn")
    sec = login("sec12", "secretariat:committee/MTC-12")
    inst = start(sec, scope={"committee": "MTC-12"})
    notice_id = inst["data"]["notice_id"]
    comment(client, notice_id, contact="13800000000")
    listing = sec.get(f"/notices/{notice_id}/comments").get_json()
    assert [(c["author"], c["contact"]) for c in listing["items"]] == [("张三", "13800000000")]
    # a member sees the comments, not the senders' contacts — even when secretariat of another committee
    member = login("m12", "member:committee/MTC-12", "secretariat:committee/MTC-13")
    assert [(c["author"], "contact" in c) for c in member.get(f"/notices/{notice_id}/comments").get_json()["items"]] \
        == [("张三", False)]
    other = login("sec13", "secretariat:committee/MTC-13")
    assert other.get(f"/notices/{notice_id}/comments").status_code == 404
    assert client.get(f"/api/v1/notices/{notice_id}/comments").status_code == 401


def test_notice_open_refuses_bad_input(admin, login):
    admin.deploy("notice_window.bpmn")
    sec = login("sec", "secretariat")
    for variables, field in (({**VARIABLES, "notice_kind": "rumour"}, "notice_kind"),
                             ({**VARIABLES, "notice_window": "no_such_rule"}, "notice_window"),
                             ({k: v for k, v in VARIABLES.items() if k != "notice_subject"}, "notice_subject")):
        response = sec.post("/instances", json={"process_key": "notice_window", "variables": variables})
        assert response.status_code == 422, response.get_json()
        assert response.get_json()["errors"][0]["field"] == field
    assert sec.get("/instances").get_json()["total"] == 0  # refused as a whole


def test_concurrent_comments_all_land_in_one_chain(admin, login, engine, app):
    from tests.api.test_concurrency import race

    admin.deploy("notice_window.bpmn")
    inst = start(login("sec", "secretariat"))
    notice_id = inst["data"]["notice_id"]
    clients = [public(app) for _ in range(6)]

    def send(i):
        response = clients[i].post(f"/api/v1/notices/{notice_id}/comments",
                                   json={"author": f"公众{i}", "text": f"意见 {i}"},
                                   environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        return response.status_code

    assert race(6, send) == [201] * 6
    assert len(events(engine, inst["id"], "notice_comment_received")) == 6
    assert public(app).get(f"/api/v1/notices/{notice_id}").get_json()["comment_count"] == 6


def test_cancelling_the_process_withdraws_its_notice(admin, login, app):
    admin.deploy("notice_window.bpmn")
    sec = login("sec", "secretariat")
    inst = start(sec)
    notice_id = inst["data"]["notice_id"]
    assert sec.post(f"/instances/{inst['id']}/cancel", json={"reason": "方案撤回"}).status_code == 200
    client = public(app)
    shown = client.get(f"/api/v1/notices/{notice_id}").get_json()
    assert (shown["status"], shown["phase"]) == ("closed", "withdrawn")
    refused = comment(client, notice_id)
    assert refused.status_code == 409 and refused.get_json()["notice_phase"] == "withdrawn"
    assert client.get("/api/v1/notices", query_string={"status": "open"}).get_json()["total"] == 0
    assert client.get("/api/v1/notices", query_string={"status": "closed"}).get_json()["total"] == 1


def test_closed_notices_leave_the_board_but_stay_in_their_registry(admin, login, engine, app, clock):
    admin.deploy("notice_window.bpmn")
    start(login("sec", "secretariat"))
    clock.advance(days=30, seconds=1)
    run_worker(engine)
    client = public(app)
    clock.advance(days=89)
    assert client.get("/api/v1/notices").get_json()["total"] == 1
    clock.advance(days=2)
    assert client.get("/api/v1/notices").get_json()["total"] == 0
    assert client.get("/api/v1/notices", query_string={"ref": "JJF-2026-001"}).get_json()["total"] == 1
