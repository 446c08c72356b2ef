"""A signed, timestamped export of the audit anchors that an auditor keeps outside the system.

Checked later against the database, it exposes a rewrite of the record by someone who held both the
database and the anchor key after the export was taken: the exported anchors and the heads they saw
must still be there, unchanged.
"""
from __future__ import annotations

import json
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import clock
from engine.history import anchors
from engine.history.anchor_keys import Keyring
from engine.history.log import GENESIS, _iso
from engine.history.models import AnchorHead, AuditAnchor, Event

FORMAT = "mtcflow-anchor-export/1"


def _canonical(document: dict) -> str:
    body = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def export(session: Session, keyring: Keyring) -> dict:
    """Every anchor with the heads it saw, signed by the current key; refuses without a key, since an
    unsigned copy proves nothing about where it came from."""
    if keyring.current is None:
        raise ValueError("no anchor key configured (MTCFLOW_ANCHOR_KEY or MTCFLOW_ANCHOR_KEY_FILE)")
    rows = []
    for anchor in session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)):
        heads = session.execute(select(AnchorHead.stream, AnchorHead.seq, AnchorHead.hash)
                                .where(AnchorHead.anchor_id == anchor.id).order_by(AnchorHead.stream))
        rows.append({"id": anchor.id, "created_at": _iso(anchor.created_at), "created_by": anchor.created_by,
                     "prev_hash": anchor.prev_hash, "hash": anchor.hash, "key_id": anchor.key_id, "mac": anchor.mac,
                     "heads": [[h.stream, h.seq, h.hash] for h in heads]})
    document = {"format": FORMAT, "exported_at": _iso(clock.now().astimezone(UTC)), "key_id": keyring.current,
                "anchors": rows}
    document["signature"] = keyring.mac(keyring.current, _canonical(document))
    return document


def check(document: dict, keyring: Keyring, session: Session | None = None) -> dict:
    """The export's signature and anchor chain, and (with a session) that the database still holds every
    exported anchor and anchored event unchanged. Returns ``{"ok", "signature", "anchors", "problems"}``."""
    problems: list[str] = []
    if document.get("format") != FORMAT:
        return {"ok": False, "signature": "unknown", "anchors": 0, "problems": ["not an mtcflow anchor export"]}
    found = keyring.check(document.get("key_id") or "", _canonical(document), document.get("signature") or "")
    signature = "unverifiable" if found is None else ("valid" if found else "invalid")
    if signature != "valid":
        problems.append(f"export signature {signature} (key {document.get('key_id')})")
    prev = GENESIS
    for row in document["anchors"]:
        heads = [anchors.Head(*head) for head in row["heads"]]
        if row["prev_hash"] != prev or anchors.anchor_hash(prev, heads) != row["hash"]:
            problems.append(f"anchor {row['id']} in the export does not match its own heads or link")
        prev = row["hash"]
        if session is not None:
            problems.extend(_against_database(session, row, heads))
    return {"ok": not problems, "signature": signature, "anchors": len(document["anchors"]),
            "exported_at": document.get("exported_at"), "problems": problems}


def _against_database(session: Session, row: dict, heads: list[anchors.Head]) -> list[str]:
    stored = session.get(AuditAnchor, row["id"])
    if stored is None:
        return [f"anchor {row['id']} is gone from the database"]
    problems = []
    if (stored.prev_hash, stored.hash) != (row["prev_hash"], row["hash"]):
        problems.append(f"anchor {row['id']} differs in the database (rewritten since the export)")
    for head in heads:
        event_hash = session.scalar(select(Event.hash).where(Event.stream == head.stream, Event.seq == head.seq))
        if event_hash != head.hash:
            what = "is gone" if event_hash is None else "has a different hash"
            problems.append(f"event {head.stream} step {head.seq} seen by anchor {row['id']} {what}")
    return problems
