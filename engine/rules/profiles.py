"""Rule profiles: the numbers of the supervision rules per approval level, as files an administrator edits.

Every deadline, window and threshold of domain.md section 3 is configuration, never a literal in code or
BPMN. A profile is a JSON file in the profiles directory (``processes/profiles/`` by default) named after
the approval level it serves (``national.json``, ``provincial.json``); ``"extends"`` inherits another
profile's rules. Diagrams and the lifecycle code ask ``profile.get(key)``; an unknown key is an error
that names the key and the profile, never a silent default.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.config import ROOT
from engine.rules.installed import Installed

log = logging.getLogger("mtcflow.profiles")
DEFAULT_LEVEL = "national"
PROFILES_ENV = "MTCFLOW_PROFILES_DIR"


class ProfileError(ValueError):
    """A profile file is malformed, or a rule or profile that does not exist was asked for."""


@dataclass(frozen=True)
class Profile:
    name: str
    rules: Mapping[str, Any]
    title: str | None = None
    source: str | None = None

    def get(self, key: str) -> Any:
        """The value of rule ``key``; raises ProfileError listing the known keys when it does not exist."""
        if key not in self.rules:
            raise ProfileError(f"rule profile '{self.name}' has no rule '{key}' "
                               f"(known: {', '.join(sorted(self.rules))})")
        return self.rules[key]

    def value(self, key: str) -> Any:
        """A plain rule's ``value`` (thresholds, ratios such as ``"2/3"`` — parse with ``fractions.Fraction``)."""
        rule = self.get(key)
        if not isinstance(rule, dict) or "value" not in rule:
            raise ProfileError(f"rule '{key}' of profile '{self.name}' is a time rule, not a plain value")
        return rule["value"]

    def __contains__(self, key: str) -> bool:
        return key in self.rules

    def keys(self) -> list[str]:
        return sorted(self.rules)


@dataclass
class ProfileSet:
    """All profiles of a deployment, looked up by approval level."""

    profiles: dict[str, Profile]
    default: str = DEFAULT_LEVEL
    directory: Path | None = None
    _warned: set = field(default_factory=set, repr=False)

    def names(self) -> list[str]:
        return sorted(self.profiles)

    def get(self, name: str) -> Profile:
        if name not in self.profiles:
            raise ProfileError(f"no rule profile '{name}' (known: {', '.join(self.names()) or 'none'})")
        return self.profiles[name]

    def for_level(self, level: str | None, jurisdiction: str | None = None) -> tuple[Profile, str | None]:
        """The profile for an instance's approval level, and a warning when it had to fall back.

        Level ``provincial`` in jurisdiction ``江苏`` uses ``provincial.江苏.json`` if it exists, else
        ``provincial.json``; a level with no profile at all uses the default profile and says so.
        """
        if not level:
            return self.get(self.default), None
        level, _, inline = level.partition(".")
        jurisdiction = jurisdiction or inline or None
        candidates = ([f"{level}.{jurisdiction}"] if jurisdiction else []) + [level]
        for name in candidates:
            if name in self.profiles:
                return self.profiles[name], None
        warning = (f"no rule profile for approval level '{level}'; used '{self.default}' "
                   f"(add {level}.json to the profiles directory)")
        if level not in self._warned:
            self._warned.add(level)
            log.warning(warning)
        return self.get(self.default), warning


def selector(level: str | None, jurisdiction: str | None = None) -> str | None:
    """The one string that picks a profile: ``provincial.江苏`` (``for_level`` falls back to ``provincial``)."""
    return f"{level}.{jurisdiction}" if level and jurisdiction else level


def _read(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ProfileError(f"cannot read rule profile {path}: {err}") from err
    if not isinstance(document, dict) or not isinstance(document.get("rules", {}), dict):
        raise ProfileError(f"rule profile {path} must be an object with a 'rules' object")
    return document


def load_profiles(directory: Path, default: str = DEFAULT_LEVEL) -> ProfileSet:
    """Read every ``*.json`` profile in ``directory`` and resolve ``extends`` chains."""
    documents = {path.stem: _read(path) for path in sorted(Path(directory).glob("*.json"))}
    resolved: dict[str, Profile] = {}

    def build(name: str, seen: tuple[str, ...] = ()) -> Profile:
        if name in resolved:
            return resolved[name]
        if name in seen:
            raise ProfileError(f"rule profiles extend each other in a circle: {' → '.join(seen + (name,))}")
        if name not in documents:
            raise ProfileError(f"rule profile '{seen[-1]}' extends '{name}', which does not exist in {directory}")
        document = documents[name]
        rules: dict[str, Any] = {}
        if document.get("extends"):
            rules.update(build(document["extends"], seen + (name,)).rules)
        rules.update(document.get("rules", {}))
        resolved[name] = Profile(name, rules, document.get("title"), str(directory / f"{name}.json"))
        return resolved[name]

    for name in documents:
        build(name)
    if resolved and default not in resolved:
        raise ProfileError(f"the default rule profile '{default}.json' is missing from {directory}")
    return ProfileSet(resolved, default, Path(directory))


def default_directory() -> Path:
    return Path(os.environ.get(PROFILES_ENV) or ROOT / "processes" / "profiles")


_installed: Installed[ProfileSet] = Installed("profiles", lambda: load_profiles(default_directory()))
install = _installed.install  # make a ProfileSet the process default (code outside any engine reads it)
bound = _installed.bound  # the engine's ProfileSet for one transaction (engine.db.session.Database binds it)
current = _installed.current  # the bound profiles, else the default (loaded from the default directory)
