"""Who acts: a username with role assignments (and a work unit), the shape every engine rule receives."""
from __future__ import annotations

from dataclasses import dataclass, field

SYSTEM = "system"

# domain.md section 1, plus the administrator of users. Strict grants (admin API, CLI) accept only these.
ROLES: dict[str, str] = {
    "authority": "批准机关",
    "chair": "主任委员",
    "vice_chair": "副主任委员",
    "secretary_general": "秘书长",
    "secretariat": "秘书处",
    "member": "委员",
    "corresponding_member": "通讯单位成员",
    "drafter": "起草人",
    "chief_reviewer": "主审人",
    "observer": "社会专家、群众代表",
    "auditor": "监督审计人员",
    "process_admin": "流程管理员",
    "user_admin": "用户管理员",
}
AUDITOR = "auditor"
# Roles that confer no business visibility or decision: diagrams, user accounts, the system itself.
ADMIN_ROLES = frozenset({"process_admin", "user_admin"})
NON_BUSINESS = ADMIN_ROLES | {AUDITOR, SYSTEM}


@dataclass(frozen=True)
class Grant:
    role: str
    scope: str | None = None
    id: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.role}:{self.scope}" if self.scope else self.role

    @property
    def is_business(self) -> bool:
        return self.role not in NON_BUSINESS

    @classmethod
    def parse(cls, text: str) -> Grant:
        role, _, scope = text.partition(":")
        if not role.strip():
            raise ValueError(f"empty role in {text!r}")
        return cls(role.strip(), scope.strip() or None)


@dataclass(frozen=True)
class Actor:
    username: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    unit: str | None = None

    def has_role(self, role: str) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def is_system(self) -> bool:
        return SYSTEM in self.roles

    @property
    def is_auditor(self) -> bool:
        return AUDITOR in self.roles

    @property
    def business_grants(self) -> tuple[Grant, ...]:
        return tuple(g for g in self.grants if g.is_business)


SYSTEM_ACTOR = Actor(SYSTEM, (Grant(SYSTEM),))
