"""Delivery of the outbox over SMTP, outside any action's transaction: claim, send, record, back off.

A drain claims due rows under a short lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never
send the same row), commits, talks to the server with no transaction open, then records each result. A
failed send stays pending with its error and is retried after a doubling delay (1 minute up to 1 hour), so an
SMTP outage loses nothing; only a recipient the server refuses outright ends as ``failed``. A worker that dies
mid-send leaves its lease to expire and the row is sent again: delivery is at least once.
"""
from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import func, or_, select

from engine import clock
from engine.config import MailSettings
from engine.mail import compose
from engine.mail.models import MailOutbox

LEASE = timedelta(minutes=5)
FIRST_RETRY, MAX_RETRY = timedelta(minutes=1), timedelta(hours=1)


@dataclass
class DrainReport:
    sent: int = 0  # messages (a digest of many rows is one)
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outgoing:
    ids: tuple[int, ...]
    address: str
    subject: str
    body: str


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


class SmtpTransport:
    """One connection per drain, opened on the first message (TLS from the first byte, or STARTTLS)."""

    def __init__(self, settings: MailSettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        self._smtp.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file)
        if s.tls == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.effective_port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
            if s.tls == "starttls":
                smtp.starttls(context=context)
        if s.user:
            _login(smtp, s.user, s.password or "")
        return smtp

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except Exception:  # noqa: BLE001 (the connection is being dropped anyway)
                self._smtp.close()
            self._smtp = None


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; a UTF-8 name or password (RFC 4616 allows it) goes as AUTH PLAIN."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


class Mailer:
    """Drains one engine's outbox; ``transport`` is injectable (tests may pass their own)."""

    def __init__(self, db, settings: MailSettings, *, batch: int = 50,
                 transport: Callable[[MailSettings], SmtpTransport] = SmtpTransport):
        self.db, self.settings, self.batch, self.transport = db, settings, batch, transport

    def drain(self) -> DrainReport:
        report = DrainReport()
        outgoing = self._claim(clock.now())
        if not outgoing:
            return report
        transport, results = self.transport(self.settings), []
        try:
            for message in outgoing:
                results.append((message, self._send(transport, message)))
        finally:
            transport.close()
        self._record(results, report)
        return report

    def send_test(self, address: str) -> str | None:
        """Send one message now, bypassing the outbox (``mtcflow mail test``); returns the error, if any."""
        transport = self.transport(self.settings)
        try:
            return self._send(transport, Outgoing((), address, f"{compose.PREFIX} 邮件测试",
                                                  "这是一封 mtcflow 测试邮件：邮件服务器配置可用。\n"
                                                  f"{self.settings.base_url}/notifications"))
        finally:
            transport.close()

    def next_due(self) -> datetime | None:
        """When the next pending row can be sent (a row another sender holds: when its lease ends)."""
        with self.db.transaction() as session:
            return session.scalar(select(func.min(func.coalesce(MailOutbox.locked_until, MailOutbox.send_after)))
                                  .where(MailOutbox.state == "pending"))

    def _claim(self, now: datetime) -> list[Outgoing]:
        with self.db.transaction() as session:
            rows = list(session.scalars(
                select(MailOutbox).where(MailOutbox.state == "pending", MailOutbox.send_after <= now,
                                         or_(MailOutbox.locked_until.is_(None), MailOutbox.locked_until < now))
                .order_by(MailOutbox.id).limit(self.batch).with_for_update(skip_locked=True)))
            for row in rows:
                row.locked_until = now + LEASE
            return self._group(rows)

    def _group(self, rows: list[MailOutbox]) -> list[Outgoing]:
        """Immediate rows go one by one; a user's due digest rows go as one mail."""
        outgoing, digests = [], {}
        for row in rows:
            if row.digest:
                digests.setdefault((row.username, row.address), []).append(row)
            else:
                outgoing.append(Outgoing((row.id,), row.address, row.subject, row.body))
        for (username, address), items in digests.items():
            subject, body = compose.digest(username, [(r.subject, r.link or "") for r in items],
                                           f"{self.settings.base_url}/notifications")
            outgoing.append(Outgoing(tuple(r.id for r in items), address, subject, body))
        return outgoing

    def _send(self, transport: SmtpTransport, message: Outgoing) -> str | None:
        """``None`` when sent, else the error; a refused recipient is prefixed ``refused:``."""
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.settings.sender, message.address, message.subject
        email["Date"], email["Message-ID"] = formatdate(localtime=False), make_msgid(domain="mtcflow")
        email.set_content(message.body, charset="utf-8")
        try:
            transport.send(email)
        except smtplib.SMTPRecipientsRefused as err:
            return f"refused: {err.recipients}"
        except Exception as err:  # noqa: BLE001 (whatever the server or the network did, the row waits and retries)
            transport.close()  # reconnect for the next message
            return f"{type(err).__name__}: {err}"
        return None

    def _record(self, results: list[tuple[Outgoing, str | None]], report: DrainReport) -> None:
        now = clock.now()
        with self.db.transaction() as session:
            for message, error in results:
                for row in session.scalars(select(MailOutbox).where(MailOutbox.id.in_(message.ids))):
                    row.locked_until = None
                    if error is None:
                        row.state, row.sent_at, row.last_error = "sent", now, None
                        continue
                    row.attempts += 1
                    row.last_error = error[:2000]
                    if error.startswith("refused:"):
                        row.state = "failed"
                    else:
                        row.send_after = now + backoff(row.attempts)
                if error is None:
                    report.sent += 1
                elif error.startswith("refused:"):
                    report.failed += 1
                    report.errors.append(error)
                else:
                    report.retrying += 1
                    report.errors.append(error)
