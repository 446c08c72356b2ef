"""The message catalogue: every entry in Chinese and English, every literal key the pages use is in it."""
from __future__ import annotations

import re
from pathlib import Path

from api.web.i18n import CATALOGUE

API = Path(__file__).resolve().parents[2] / "api"
USES = re.compile(r"""\bt\(\s*['"]([a-z_]+\.[a-z_.]+|[a-z_]+)['"]\s*\)""")


def test_every_entry_has_both_languages():
    assert {key for key, entry in CATALOGUE.items() if not (entry.get("zh") and entry.get("en"))} == set()


def test_every_literal_key_used_by_pages_and_scripts_exists():
    used = set()
    for path in [*API.glob("templates/*.html"), *API.glob("static/*.js")]:
        used |= set(USES.findall(path.read_text("utf-8")))
    assert used, "no keys found: the pattern is wrong"
    assert used - set(CATALOGUE) == set()
