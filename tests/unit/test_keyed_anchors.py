"""Keyed anchors hold against someone who can write to the database and recomputes every hash; without
the key, verification says it cannot tell instead of "ok"; an export kept outside catches a rewrite."""
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from api.cli.main import main
from engine.history import anchor_export, anchor_keys, audit
from engine.history.anchor_keys import Keyring
from engine.history.anchors import Head, anchor_hash
from engine.history.log import HASHED_FIELDS, compute_hash
from engine.history.models import AnchorHead, AuditAnchor, Event
from tests.unit import test_audit_tamper as tamper
from tests.unit.test_audit_tamper import SEC, raw

story = tamper.story  # the fixture: two instances, the first one's id

pytestmark = pytest.mark.tamper
K1 = Keyring({"k1": b"k1-secret-0123456789abcdef"}, "k1")
K2 = Keyring({"k1": b"k1-secret-0123456789abcdef", "k2": b"k2-secret-0123456789abcdef"}, "k2")


def anchor(engine, keyring=K1):
    with engine.db.transaction() as session:
        return audit.create_anchor(session, "auditor", keyring).id


def verify(engine, keyring=K1, instance_id=None):
    with engine.db.transaction() as session:
        return audit.verify(session, instance_id, keyring=keyring)


def recompute_everything(engine, stream, seq):
    """What a database writer without the key can do: rewrite one event, recompute every later hash of its
    chain, the instance's head, the anchored heads and every anchor's plain hash."""
    with engine.db.transaction() as session:
        rows, prev, old_to_new = [], None, {}
        for event in session.scalars(select(Event).where(Event.stream == stream).order_by(Event.seq)):
            fields = {name: getattr(event, name) for name in HASHED_FIELDS}
            if event.seq == seq:
                fields["actor"] = "mallory"
            if prev is not None:
                fields["prev_hash"] = prev
            prev = compute_hash(fields)
            old_to_new[event.hash] = prev
            rows.append((event.seq, fields["actor"], fields["prev_hash"], prev))
        anchors = [(a.id, [(h.stream, h.seq, old_to_new.get(h.hash, h.hash)) for h in session.scalars(
            select(AnchorHead).where(AnchorHead.anchor_id == a.id).order_by(AnchorHead.stream))])
            for a in session.scalars(select(AuditAnchor).order_by(AuditAnchor.id))]
    with raw(engine) as conn:
        for number, actor, prev_hash, hash_ in rows:
            conn.execute(text("UPDATE events SET actor = :a, prev_hash = :p, hash = :h WHERE stream = :s AND seq = :q"),
                         {"a": actor, "p": prev_hash, "h": hash_, "s": stream, "q": number})
        conn.execute(text("UPDATE instances SET head_hash = :h WHERE id = :s"), {"h": prev, "s": stream})
        anchor_prev = "0" * 64
        for anchor_id, heads in anchors:
            for head_stream, head_seq, head_hash in heads:
                conn.execute(text("UPDATE anchor_heads SET hash = :h "
                                  "WHERE anchor_id = :a AND stream = :s AND seq = :q"),
                             {"h": head_hash, "a": anchor_id, "s": head_stream, "q": head_seq})
            new = anchor_hash(anchor_prev, [Head(*head) for head in heads])
            conn.execute(text("UPDATE audit_anchors SET prev_hash = :p, hash = :h WHERE id = :a"),
                         {"p": anchor_prev, "h": new, "a": anchor_id})
            anchor_prev = new


def test_recomputed_history_is_caught_by_the_key(engine, story):
    anchor(engine)
    assert verify(engine)["verdict"] == "ok"
    recompute_everything(engine, story, 2)
    unkeyed = verify(engine, Keyring())
    assert unkeyed["ok"] is True  # the chains and plain anchor hashes are all consistent again
    keyed = verify(engine)
    assert (keyed["ok"], keyed["verdict"], keyed["first_broken"]["kind"]) == (False, "broken", "anchor_mac_invalid")


def test_without_the_key_verification_says_unverifiable_not_ok(engine, story, monkeypatch):
    anchor(engine)
    result = verify(engine, Keyring())
    assert result["verdict"] == "unverifiable" and result["anchors"]["missing_key_ids"] == ["k1"]
    monkeypatch.setenv("MTCFLOW_DATABASE_URL", engine.settings.database_url)
    monkeypatch.delenv(anchor_keys.KEY_ENV, raising=False)
    monkeypatch.delenv(anchor_keys.KEY_FILE_ENV, raising=False)
    out = CliRunner().invoke(main, ["audit", "verify"])
    assert out.exit_code == 2 and "UNVERIFIABLE" in out.output and "k1" in out.output


def test_anchor_without_key_is_reported_unkeyed(engine, story):
    assert verify(engine)["verdict"] == "unanchored"
    anchor(engine, Keyring())
    result = verify(engine)
    assert result["ok"] and result["verdict"] == "unkeyed" and result["anchors"]["unkeyed"] == 1


def test_rotation_old_key_ids_still_verify(engine, story, clock):
    first = anchor(engine, K1)
    assert verify(engine)["anchors"]["latest"] == first
    with engine.db.transaction() as session:
        engine.runtime.start(session, SEC, "approval", variables={"n": 2})
    second = anchor(engine, K2)
    with engine.db.transaction() as session:
        assert [a.key_id for a in session.scalars(select(AuditAnchor).order_by(AuditAnchor.id))] == ["k1", "k2"]
    both = verify(engine, K2)
    assert both["verdict"] == "ok" and both["anchors"]["verified"] == 2
    only_old = verify(engine, K1)
    assert only_old["verdict"] == "unverifiable" and only_old["anchors"]["latest"] == second


def test_forged_mac_or_key_id_is_not_ok(engine, story):
    anchor_id = anchor(engine)
    with raw(engine) as conn:
        conn.execute(text("UPDATE audit_anchors SET mac = :m WHERE id = :a"), {"m": "0" * 64, "a": anchor_id})
    assert verify(engine)["first_broken"]["kind"] == "anchor_mac_invalid"
    with raw(engine) as conn:
        conn.execute(text("UPDATE audit_anchors SET key_id = 'nobody' WHERE id = :a"), {"a": anchor_id})
    assert verify(engine)["verdict"] == "unverifiable"
    with raw(engine) as conn:
        conn.execute(text("UPDATE audit_anchors SET key_id = NULL, mac = NULL WHERE id = :a"), {"a": anchor_id})
    assert verify(engine)["verdict"] == "unkeyed"


def test_keyring_from_file_and_env(tmp_path):
    keys = tmp_path / "anchor.keys"
    keys.write_text("# retired\nold:old-secret-0123456789\nnew:new-secret-0123456789\n", encoding="utf-8")
    ring = anchor_keys.load({anchor_keys.KEY_FILE_ENV: str(keys)})
    assert ring.current == "new" and set(ring.keys) == {"old", "new"}
    ring = anchor_keys.load({anchor_keys.KEY_FILE_ENV: str(keys), anchor_keys.KEY_ENV: "env:env-secret-0123456789"})
    assert ring.current == "env" and set(ring.keys) == {"old", "new", "env"}
    with pytest.raises(ValueError, match="KEY_ID:SECRET"):
        anchor_keys.load({anchor_keys.KEY_ENV: "short"})


def test_export_kept_outside_catches_a_rewrite_even_with_the_key(engine, story, tmp_path, monkeypatch):
    anchor(engine)
    monkeypatch.setenv("MTCFLOW_DATABASE_URL", engine.settings.database_url)
    monkeypatch.setenv(anchor_keys.KEY_ENV, "k1:k1-secret-0123456789abcdef")
    runner = CliRunner()
    path = tmp_path / "anchors.json"
    assert runner.invoke(main, ["audit", "export-anchors", "--output", str(path)]).exit_code == 0
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["key_id"] == "k1" and document["exported_at"].startswith("2026-03-02T09:00:00")
    ok = runner.invoke(main, ["audit", "check-export", str(path)])
    assert ok.exit_code == 0 and "ok: " in ok.output, ok.output
    recompute_everything(engine, story, 2)  # an insider holding the key could even re-sign the anchors
    broken = runner.invoke(main, ["audit", "check-export", str(path)])
    assert broken.exit_code == 1 and "rewritten since the export" in broken.output
    assert runner.invoke(main, ["audit", "check-export", "--offline", str(path)]).exit_code == 0


def test_export_signature_and_chain_are_checked(engine, story):
    anchor(engine)
    with engine.db.transaction() as session:
        document = anchor_export.export(session, K1)
    assert anchor_export.check(document, K1)["ok"]
    assert anchor_export.check(document, Keyring())["signature"] == "unverifiable"
    forged = {**document, "exported_at": "2030-01-01T00:00:00.000000+00:00"}
    assert anchor_export.check(forged, K1)["signature"] == "invalid"
    with pytest.raises(ValueError, match="no anchor key"), engine.db.transaction() as session:
        anchor_export.export(session, Keyring())
