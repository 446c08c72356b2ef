"""E-mail copies of notifications through a real SMTP server on loopback: preferences, the outbox written in the
action's transaction (a rollback sends nothing), retries with backoff through an outage, digests, operators."""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.access.actors import Actor, Grant
from engine.config import MailSettings
from engine.mail.models import MailOutbox
from engine.timers.worker import TimerWorker
from tests.conftest import make_engine
from tests.smtp_support import SmtpServer, self_signed
from tests.timer_support import run_worker

BASE = "https://mtc.example.cn"


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def engine(db_url, clock, smtp):
    """The engine under test, with the loopback SMTP server configured (plain SMTP: loopback only)."""
    eng = make_engine(db_url)
    eng.close()
    settings = replace(eng.settings, mail=MailSettings(host="127.0.0.1", port=smtp.port, tls="none",
                                                       sender="mtcflow <noreply@mtc.example.cn>", base_url=BASE))
    eng = type(eng)(settings)
    yield eng
    from tests.replay_check import assert_all_consistent

    assert_all_consistent(eng)
    eng.close()


def outbox(engine) -> list[MailOutbox]:
    with engine.db.transaction() as session:
        return list(session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def wants_mail(caller, address: str, **prefs) -> dict:
    response = caller.put("/me/notification-preferences", json={"address": address, **prefs})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_new_task_and_reminder_arrive_in_chinese_with_the_link(admin, login, engine, clock, smtp):
    admin.deploy("timer_deadline.bpmn")
    drafter1, drafter2 = login("drafter1", "drafter"), login("drafter2", "drafter")
    wants_mail(drafter1, "drafter1@example.cn")
    prefs = wants_mail(drafter2, "drafter2@example.cn", kinds=["task", "reminder"])
    assert prefs["kinds"] == ["task", "reminder"] and prefs["mail_enabled"] is True
    assert {k["kind"]: k["label"] for k in prefs["available"]}["overdue"] == "逾期警告"

    inst = drafter1.start("timer_deadline")
    [draft] = inst["tasks"]
    assert engine.mailer.drain().sent == 1  # drafter2 only: the one who started it is in the application
    [mail] = smtp.inbox.wait_for(1)
    assert mail.to == "drafter2@example.cn"
    assert mail.subject.startswith("[mtcflow] 新任务：")
    assert "drafter2，您好" in mail.body and "有一项新任务等待您办理" in mail.body
    assert f"{BASE}/tasks/{draft['id']}" in mail.body
    assert "办理期限：2028年03月02日" in mail.body  # the due date in China time

    clock.set(clock.now() + timedelta(days=366 + 365 - 60, seconds=1))
    run_worker(engine)
    assert engine.mailer.drain().sent == 2
    reminders = smtp.inbox.wait_for(3)[1:]
    assert sorted(m.to for m in reminders) == ["drafter1@example.cn", "drafter2@example.cn"]
    assert all(m.subject.startswith("[mtcflow] 提醒：") and "提醒：起草期限即将届满" in m.body for m in reminders)

    clock.set(clock.now() + timedelta(days=61))
    run_worker(engine)
    engine.mailer.drain()
    overdue = smtp.inbox.wait_for(4)[3:]
    assert [(m.to, m.subject.split("：")[0]) for m in overdue] == [("drafter1@example.cn", "[mtcflow] 逾期警告")]
    assert engine.mailer.drain().sent == 0  # nothing twice


def test_reassignment_and_decision_reach_the_people_concerned(admin, login, engine, smtp):
    admin.deploy("timer_deadline.bpmn")
    drafter1, drafter2, authority = login("drafter1", "drafter"), login("drafter2", "drafter"), login("auth",
                                                                                                       "authority")
    wants_mail(drafter2, "drafter2@example.cn", kinds=["reassigned"])
    wants_mail(drafter1, "drafter1@example.cn", kinds=["decision"])
    inst = drafter1.start("timer_deadline")
    [draft] = inst["tasks"]
    response = authority.post(f"/tasks/{draft['id']}/assign", json={"assignee": "drafter2", "reason": "张工出差"})
    assert response.status_code == 200, response.get_json()
    engine.mailer.drain()
    [mail] = smtp.inbox.wait_for(1)
    assert (mail.to, mail.subject.split("：")[0]) == ("drafter2@example.cn", "[mtcflow] 任务转派")
    assert "auth 已将此任务转派给您。理由：张工出差" in mail.body and f"{BASE}/tasks/{draft['id']}" in mail.body

    assert authority.post(f"/instances/{inst['id']}/cancel", json={"reason": "计划撤销"}).status_code == 200
    engine.mailer.drain()
    decision = smtp.inbox.wait_for(2)[1]
    assert decision.to == "drafter1@example.cn" and "您提交的事项已撤销（计划撤销）" in decision.body
    assert f"{BASE}/instances/{inst['id']}" in decision.body


def test_an_action_that_rolled_back_sends_nothing(admin, login, engine, smtp):
    admin.deploy("timer_deadline.bpmn")
    login("drafter1", "drafter")
    wants_mail(login("drafter2", "drafter"), "drafter2@example.cn")
    actor = Actor("drafter1", (Grant.parse("drafter"),))
    with pytest.raises(RuntimeError), engine.db.transaction() as session:
        engine.runtime.start(session, actor, "timer_deadline")
        raise RuntimeError("the action fails")

    queued, armed = [], [True]

    def fail_the_commit(session):  # runs after the outbox's listener: the rows are flushed, then the commit fails
        if armed and armed.pop():
            queued.extend(session.scalars(select(MailOutbox.id)))
            raise RuntimeError("the commit fails")

    engine.db.listen("before_commit", fail_the_commit)
    with pytest.raises(RuntimeError), engine.db.transaction() as session:
        engine.runtime.start(session, actor, "timer_deadline")
    assert len(queued) == 1  # the mail was in the action's transaction …
    assert outbox(engine) == []  # … and went with its rollback
    assert engine.mailer.drain().sent == 0 and smtp.inbox.messages == []


def test_events_of_a_savepoint_that_rolled_back_send_nothing(admin, login, engine, smtp):
    """A failing service task rolls back its savepoint: what it wrote there is not mailed, what the action wrote
    before it is."""
    admin.deploy("timer_deadline.bpmn")
    wants_mail(login("drafter1", "drafter"), "drafter1@example.cn", kinds=["decision"])
    wants_mail(login("drafter2", "drafter"), "drafter2@example.cn", kinds=["task"])
    with engine.db.transaction() as session:
        kept = engine.runtime.start(session, Actor("drafter1", (Grant.parse("drafter"),)), "timer_deadline")
        savepoint = session.begin_nested()
        engine.runtime.cancel(session, Actor("auth", (Grant.parse("authority"),)), kept.id, "撤回")
        savepoint.rollback()
        kept_id = kept.id
    assert [(row.username, row.kind, row.instance_id) for row in outbox(engine)] == [("drafter2", "task", kept_id)]


def test_an_smtp_outage_loses_nothing_retried_with_backoff(admin, login, engine, clock, smtp):
    admin.deploy("timer_deadline.bpmn")
    drafter1 = login("drafter1", "drafter")
    wants_mail(login("drafter2", "drafter"), "drafter2@example.cn")
    smtp.stop()
    drafter1.start("timer_deadline")
    report = engine.mailer.drain()
    assert (report.sent, report.retrying) == (0, 1) and "Connection" in report.errors[0]
    [row] = outbox(engine)
    assert (row.state, row.attempts, row.send_after) == ("pending", 1, clock.now() + timedelta(minutes=1))
    listed = admin.get("/mail/outbox", query_string={"state": "pending"}).get_json()
    assert listed["counts"] == {"pending": 1, "sent": 0, "failed": 0}
    assert listed["items"][0]["attempts"] == 1 and "Connection" in listed["items"][0]["last_error"]

    clock.advance(seconds=61)
    assert engine.mailer.drain().retrying == 1  # still down: the next wait doubles
    assert outbox(engine)[0].send_after == clock.now() + timedelta(minutes=2)

    smtp.start()  # the server is back
    clock.advance(seconds=60)
    assert engine.mailer.drain().sent == 0  # not before its time
    clock.advance(seconds=61)
    assert engine.mailer.drain().sent == 1
    [mail] = smtp.inbox.wait_for(1)
    assert mail.to == "drafter2@example.cn" and mail.subject.startswith("[mtcflow] 新任务")
    [row] = outbox(engine)
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, None)


def test_a_daily_digest_gathers_the_day_into_one_mail(admin, login, engine, clock, smtp):
    admin.deploy("timer_deadline.bpmn")
    drafter1 = login("drafter1", "drafter")
    wants_mail(login("drafter2", "drafter"), "drafter2@example.cn", digest=True)
    first, second = drafter1.start("timer_deadline"), drafter1.start("timer_deadline")
    assert engine.mailer.drain().sent == 0  # 09:00 UTC = 17:00 China time: the digest goes at 08:00 tomorrow
    clock.set(clock.now().replace(hour=23, minute=59))
    assert engine.mailer.drain().sent == 0
    clock.advance(seconds=61)  # 00:00 UTC = 08:00 China time
    assert engine.mailer.drain().sent == 1
    [mail] = smtp.inbox.wait_for(1)
    assert mail.subject == "[mtcflow] 每日通知摘要（2 条）"
    assert f"{BASE}/tasks/{first['tasks'][0]['id']}" in mail.body
    assert f"{BASE}/tasks/{second['tasks'][0]['id']}" in mail.body


def test_the_timer_worker_drains_the_outbox(admin, login, engine, smtp):
    admin.deploy("timer_deadline.bpmn")
    wants_mail(login("drafter2", "drafter"), "drafter2@example.cn")
    login("drafter1", "drafter").start("timer_deadline")
    TimerWorker(engine, poll_seconds=30).wake()
    assert smtp.inbox.wait_for(1)[0].to == "drafter2@example.cn"


def test_preferences_are_checked_and_the_outbox_is_for_process_admins(admin, login, engine):
    drafter = login("drafter1", "drafter")
    assert drafter.get("/me/notification-preferences").get_json()["address"] is None
    assert drafter.put("/me/notification-preferences", json={"address": "不是地址"}).status_code == 422
    bad_kind = drafter.put("/me/notification-preferences", json={"address": "a@example.cn", "kinds": ["spam"]})
    assert bad_kind.status_code == 422
    assert drafter.get("/mail/outbox").status_code == 403
    assert admin.get("/mail/outbox").get_json()["mail_enabled"] is True


def test_starttls_with_a_login_and_the_command_line(admin, login, engine, clock, tmp_path, monkeypatch):
    """STARTTLS against a certificate trusted through MTCFLOW_SMTP_CA_FILE, with the login from the environment;
    ``mtcflow mail status`` shows a failed attempt and ``mtcflow mail send`` delivers once the login is right."""
    from click.testing import CliRunner

    from api.cli import main as cli_main

    cert, key = self_signed(tmp_path)
    server = SmtpServer(tls=(cert, key), login=("mtcflow", "正确的口令")).start()
    try:
        monkeypatch.setenv("MTCFLOW_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("MTCFLOW_SMTP_PORT", str(server.port))
        monkeypatch.setenv("MTCFLOW_SMTP_USER", "mtcflow")
        monkeypatch.setenv("MTCFLOW_SMTP_PASSWORD", "错误的口令")
        monkeypatch.setenv("MTCFLOW_SMTP_CA_FILE", str(cert))
        monkeypatch.setenv("MTCFLOW_BASE_URL", BASE + "/")
        mail = MailSettings.from_env(os.environ)
        assert (mail.tls, mail.base_url, mail.effective_port) == ("starttls", BASE, server.port)
        tls_engine = type(engine)(replace(engine.settings, mail=mail))
        monkeypatch.setattr(cli_main, "_engine", lambda: tls_engine)
        admin.deploy("timer_deadline.bpmn")
        wants_mail(login("drafter2", "drafter"), "drafter2@example.cn")
        with tls_engine.db.transaction() as session:
            tls_engine.runtime.start(session, Actor("drafter1", (Grant.parse("drafter"),)), "timer_deadline")
        runner = CliRunner()
        result = runner.invoke(cli_main.main, ["mail", "send"])
        assert result.exit_code == 0 and "sent 0, retrying 1" in result.output, result.output
        status = runner.invoke(cli_main.main, ["mail", "status"]).output
        assert "pending 1" in status and "attempts 1" in status and "Authentication" in status, status

        tls_engine.close()
        tls_engine = type(engine)(replace(tls_engine.settings, mail=replace(mail, password="正确的口令")))
        clock.advance(minutes=1)
        result = runner.invoke(cli_main.main, ["mail", "send"])
        assert "sent 1, retrying 0" in result.output, result.output
        [received] = server.inbox.wait_for(1)
        assert received.to == "drafter2@example.cn" and received.subject.startswith("[mtcflow] 新任务")
        assert runner.invoke(cli_main.main, ["mail", "test", "ops@example.cn"]).exit_code == 0
        assert server.inbox.wait_for(2)[1].subject == "[mtcflow] 邮件测试"
        tls_engine.close()
    finally:
        server.stop()
