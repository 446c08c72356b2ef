"""Who acts: a username with role assignments, the shape every engine rule receives."""
from __future__ import annotations

from dataclasses import dataclass, field

SYSTEM = "system"


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str | None = None

    def __str__(self) -> str:
        return f"{self.role}:{self.scope}" if self.scope else self.role

    @classmethod
    def parse(cls, text: str) -> Grant:
        role, _, scope = text.partition(":")
        if not role:
            raise ValueError(f"empty role in {text!r}")
        return cls(role.strip(), scope.strip() or None)


@dataclass(frozen=True)
class Actor:
    username: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    def has_role(self, role: str) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}


SYSTEM_ACTOR = Actor(SYSTEM, (Grant("system"),))
