"""``mtcflow mail …``: drain the e-mail outbox, see what waits and why, send a test message."""
from __future__ import annotations

import signal
import threading

import click

from engine.mail import outbox


def register(main: click.Group, make_engine) -> None:
    @main.group("mail")
    def mail_group() -> None:
        """E-mail copies of notifications (MTCFLOW_SMTP_*); the timer worker also sends them."""

    def _mailer():
        eng = make_engine()
        if eng.mailer is None:
            raise click.ClickException("no SMTP server configured (set MTCFLOW_SMTP_HOST): nothing to send")
        eng.migrate()
        return eng

    @mail_group.command("send")
    @click.option("--loop", is_flag=True, help="keep sending until Ctrl-C (for a worker that sends only mail)")
    @click.option("--poll", type=float, default=30.0, show_default=True, help="seconds between passes with --loop")
    def send(loop: bool, poll: float) -> None:
        """Send what is due in the outbox (failed sends wait with backoff and are retried)."""
        eng = _mailer()
        stop = threading.Event()
        if loop:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        while True:
            report = eng.mailer.drain()
            click.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
            for error in report.errors:
                click.echo(f"  - {error}", err=True)
            if not loop or stop.wait(poll):
                return

    @mail_group.command("status")
    def status() -> None:
        """How many mails are pending, sent and failed, and the latest errors."""
        eng = make_engine()
        eng.migrate()
        with eng.db.transaction() as session:
            counts = outbox.counts(session)
            click.echo(f"SMTP: {eng.settings.mail.host or 'not configured'}; "
                       + ", ".join(f"{state} {n}" for state, n in counts.items()))
            for row in session.scalars(outbox.listing("pending").where(outbox.MailOutbox.attempts > 0).limit(10)):
                click.echo(f"  #{row.id} {row.address} attempts {row.attempts}, next {row.send_after:%Y-%m-%d %H:%M}"
                           f" UTC: {row.last_error}")

    @mail_group.command("test")
    @click.argument("address")
    def test(address: str) -> None:
        """Send one test message now, to check the SMTP settings."""
        error = _mailer().mailer.send_test(address)
        if error:
            raise click.ClickException(f"not sent: {error}")
        click.echo(f"sent a test message to {address}")
