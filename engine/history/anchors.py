"""Audit anchors: chained sets of chain heads, each with a keyed MAC whose key lives outside the database.

The plain anchor hash stops edits; someone who can write to the database could still rewrite an event,
recompute every later hash, the anchored heads and the anchor hashes. The MAC stops that: anchors are
chained, so the newest anchor's MAC covers every earlier anchor and every head they saw.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import clock
from engine.history.anchor_keys import Keyring
from engine.history.log import GENESIS, GLOBAL_STREAM, _iso
from engine.history.models import AnchorHead, AuditAnchor, Event

MAC_VERSION = "mtcflow-anchor/1"


@dataclass(frozen=True)
class Head:
    stream: str
    seq: int
    hash: str


def anchor_hash(prev: str, heads) -> str:
    text = prev + "".join(f"|{h.stream}:{h.seq}:{h.hash}" for h in heads)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mac_message(created_at, created_by: str | None, heads: int, prev_hash: str, hash_: str, key_id: str) -> str:
    """What the MAC covers; not the row id, which is only known after the insert (the row is append-only)."""
    return "|".join((MAC_VERSION, _iso(created_at), created_by or "", str(heads), prev_hash, hash_, key_id))


def create_anchor(session: Session, actor: str | None, keyring: Keyring | None = None) -> AuditAnchor | None:
    """Anchor the current head of every chain that moved since the last anchor (None if nothing did),
    with a MAC by the keyring's current key when one is configured."""
    current = session.execute(select(Event.stream, func.max(Event.seq)).group_by(Event.stream)).all()
    anchored = dict(session.execute(select(AnchorHead.stream, func.max(AnchorHead.seq))
                                    .group_by(AnchorHead.stream)).all())
    moved = sorted((stream, seq) for stream, seq in current if anchored.get(stream, 0) < seq)
    if not moved:
        return None
    heads = [Head(stream, seq, session.scalar(select(Event.hash).where(Event.stream == stream, Event.seq == seq)))
             for stream, seq in moved]
    last = session.scalar(select(AuditAnchor).order_by(AuditAnchor.id.desc()).limit(1))
    prev = last.hash if last else GENESIS
    anchor = AuditAnchor(created_at=clock.now().astimezone(UTC), created_by=actor, heads=len(heads),
                         prev_hash=prev, hash=anchor_hash(prev, heads))
    ring = keyring or Keyring()
    if ring.current is not None:
        anchor.key_id = ring.current
        anchor.mac = ring.mac(ring.current, mac_message(anchor.created_at, actor, anchor.heads, prev, anchor.hash,
                                                        ring.current))
    session.add(anchor)
    session.flush()
    session.add_all(AnchorHead(anchor_id=anchor.id, stream=h.stream, seq=h.seq, hash=h.hash) for h in heads)
    session.flush()
    return anchor


def mac_state(anchor: AuditAnchor, keyring: Keyring) -> str:
    """``verified``, ``invalid``, ``unkeyed`` (no MAC) or ``unverifiable`` (its key id is not configured)."""
    if not anchor.mac or not anchor.key_id:
        return "unkeyed"
    message = mac_message(anchor.created_at, anchor.created_by, anchor.heads, anchor.prev_hash, anchor.hash,
                          anchor.key_id)
    found = keyring.check(anchor.key_id, message, anchor.mac)
    return "unverifiable" if found is None else ("verified" if found else "invalid")


def check(session: Session, heads_seen: dict[str, tuple[int, str]], instance_id: str | None,
          keyring: Keyring, report) -> dict:
    """Check links, plain hashes and MACs of every anchor, and that anchored heads still exist unchanged;
    ``report(kind, stream, seq, detail)`` records a break. Returns the anchors' summary."""
    prev, latest = GENESIS, None
    counts = {"verified": 0, "invalid": 0, "unkeyed": 0, "unverifiable": 0}
    missing_keys: set[str] = set()
    anchored: dict[str, int] = {}
    for anchor in session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)):
        heads = list(session.execute(select(AnchorHead.stream, AnchorHead.seq, AnchorHead.hash)
                                     .where(AnchorHead.anchor_id == anchor.id).order_by(AnchorHead.stream)))
        if anchor.prev_hash != prev or anchor_hash(prev, heads) != anchor.hash or anchor.heads != len(heads):
            report("anchor_altered", GLOBAL_STREAM, None, f"audit anchor {anchor.id}")
        prev = anchor.hash
        latest = (anchor.id, mac_state(anchor, keyring))
        counts[latest[1]] += 1
        if latest[1] == "invalid":
            report("anchor_mac_invalid", GLOBAL_STREAM, None,
                   f"audit anchor {anchor.id}: its MAC (key {anchor.key_id}) does not match its content")
        elif latest[1] == "unverifiable":
            missing_keys.add(anchor.key_id)
        for head in heads:
            anchored[head.stream] = max(anchored.get(head.stream, 0), head.seq)
            if instance_id is not None and head.stream != instance_id:
                continue
            stored = session.scalar(select(Event.hash).where(Event.stream == head.stream, Event.seq == head.seq))
            if stored is None:
                report("anchored_event_missing", head.stream, head.seq,
                       f"anchor {anchor.id} saw this event; it is gone")
            elif stored != head.hash:
                report("anchored_event_changed", head.stream, head.seq, f"anchor {anchor.id} saw a different hash")
    unanchored = sum(max(seq - anchored.get(stream, 0), 0) for stream, (seq, _h) in heads_seen.items())
    return {"count": sum(counts.values()), **counts, "missing_key_ids": sorted(missing_keys),
            "latest": latest[0] if latest else None, "latest_mac": latest[1] if latest else None,
            "events_after_last_anchor": unanchored}


def verdict(ok: bool, summary: dict) -> str:
    """``ok`` only when the chains verify and the newest anchor's MAC checks with a configured key (it covers
    every earlier anchor); otherwise say why the record does not hold against a database writer."""
    if not ok:
        return "broken"
    if summary["latest"] is None:
        return "unanchored"
    return {"verified": "ok", "unkeyed": "unkeyed"}.get(summary["latest_mac"], "unverifiable")
