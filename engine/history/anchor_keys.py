"""Keys for the keyed MAC over audit anchors, kept outside the database so whoever can write to the
database still cannot forge an anchor after recomputing every hash."""
from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path

KEY_ENV = "MTCFLOW_ANCHOR_KEY"
KEY_FILE_ENV = "MTCFLOW_ANCHOR_KEY_FILE"
MIN_SECRET_BYTES = 16


@dataclass(frozen=True)
class Keyring:
    """Secrets by key id; ``current`` signs new anchors, every listed id still verifies (rotation)."""

    keys: dict[str, bytes] = field(default_factory=dict)
    current: str | None = None

    def mac(self, key_id: str, message: str) -> str | None:
        secret = self.keys.get(key_id)
        if secret is None:
            return None
        return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self, key_id: str, message: str, mac: str) -> bool | None:
        """True/False, or None when this key id is not configured (cannot tell)."""
        expected = self.mac(key_id, message)
        return None if expected is None else hmac.compare_digest(expected, mac)


def parse_entry(entry: str) -> tuple[str, bytes]:
    """``KEY_ID:SECRET``; the id names the key in every anchor it signs, so old ones stay checkable."""
    key_id, sep, secret = entry.strip().partition(":")
    if not sep or not key_id or len(secret.encode("utf-8")) < MIN_SECRET_BYTES:
        raise ValueError(f"an anchor key is KEY_ID:SECRET with a secret of at least {MIN_SECRET_BYTES} bytes")
    return key_id, secret.encode("utf-8")


def load(env: dict | None = None) -> Keyring:
    """The key file (one ``KEY_ID:SECRET`` a line, the last one current; ``#`` comments) and/or
    ``MTCFLOW_ANCHOR_KEY`` (current, wins over the file's last line)."""
    env = os.environ if env is None else env
    keys: dict[str, bytes] = {}
    current = None
    if env.get(KEY_FILE_ENV):
        for line in Path(env[KEY_FILE_ENV]).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key_id, secret = parse_entry(line)
                keys[key_id], current = secret, key_id
    if env.get(KEY_ENV):
        key_id, secret = parse_entry(env[KEY_ENV])
        keys[key_id], current = secret, key_id
    return Keyring(keys, current)
