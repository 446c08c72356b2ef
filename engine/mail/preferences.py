"""What each user receives by e-mail: an address, the kinds of notification, and immediate or a daily digest."""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from engine import clock
from engine.errors import InvalidInput
from engine.mail.models import MailPreference

# kind → its Chinese label (the order shown on the page)
KINDS = {
    "task": "新任务（分配给我或我的角色）",
    "reminder": "提醒",
    "overdue": "逾期警告",
    "reassigned": "任务转派给我",
    "notice": "公示结束",
    "decision": "我提交的事项有了结果",
}
_PART = r"[^@\s<>,;\"\x00-\x1f\x7f]+"  # no spaces, separators or control characters (NUL breaks PostgreSQL)
_ADDRESS = re.compile(rf"^{_PART}@{_PART}\.{_PART}$")


def get(session: Session, username: str) -> dict:
    """The user's preferences, or the defaults (no address: nothing is sent; every kind; immediate)."""
    row = session.get(MailPreference, username)
    if row is None:
        return {"address": None, "kinds": list(KINDS), "digest": False}
    return {"address": row.address, "kinds": [k for k in KINDS if k in (row.kinds or [])], "digest": row.digest}


def put(session: Session, username: str, address: str | None, kinds: list[str], digest: bool) -> dict:
    """Replace the user's preferences; an empty address stops e-mail altogether."""
    address = (address or "").strip() or None
    if address is not None and (len(address) > 320 or not _ADDRESS.match(address)):
        raise InvalidInput(f"{address!r} is not an e-mail address.")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise InvalidInput(f"Unknown notification kinds: {', '.join(unknown)} (known: {', '.join(KINDS)}).")
    row = session.get(MailPreference, username)
    if row is None:
        row = MailPreference(username=username)
        session.add(row)
    row.address, row.kinds, row.digest, row.updated_at = address, sorted(set(kinds), key=list(KINDS).index), \
        digest, clock.now()
    session.flush()
    return get(session, username)
