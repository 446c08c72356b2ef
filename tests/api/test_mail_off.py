"""Without an SMTP server configured, preferences can still be kept, nothing is queued and nothing fails."""
from engine.mail.models import MailOutbox


def test_without_smtp_nothing_is_queued_and_nothing_fails(admin, login, engine):
    assert engine.mailer is None
    admin.deploy("timer_deadline.bpmn")
    drafter2 = login("drafter2", "drafter")
    prefs = drafter2.put("/me/notification-preferences", json={"address": "drafter2@example.cn"}).get_json()
    assert prefs["mail_enabled"] is False and prefs["address"] == "drafter2@example.cn"
    login("drafter1", "drafter").start("timer_deadline")
    with engine.db.transaction() as session:
        assert session.query(MailOutbox).count() == 0
    listed = admin.get("/mail/outbox").get_json()
    assert listed["total"] == 0 and listed["mail_enabled"] is False
