"""BR5 (composition) and BR6 (member eligibility) as pure functions over a rule profile.

Each check yields an entry of a structured report ``{"rule", "check", "passed", "message"}`` so the
deciding people see every rule that was applied, not only the ones that failed; the diagram's gateway
routes on the report's ``passed``. Every threshold comes from the profile (domain.md section 3).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from engine.committees.models import VOTING_ROLES
from engine.rules.profiles import Profile

TITLE_LEVELS = {"正高级": 4, "副高级": 3, "中级": 2, "初级": 1, "无": 0}
STAKEHOLDER_CATEGORIES = {"enterprise": "生产企业", "user": "使用方", "testing": "检测校准机构",
                          "research": "科研院校", "regulator": "监管部门", "other": "其他"}
ROLE_NAMES = {"chair": "主任委员", "vice_chair": "副主任委员", "secretary_general": "秘书长", "member": "委员",
              "corresponding_member": "通讯单位成员", "observer": "观察员"}


@dataclass(frozen=True)
class Check:
    rule: str
    check: str
    passed: bool
    message: str
    subject: str | None = None

    def as_dict(self) -> dict:
        found = {"rule": self.rule, "check": self.check, "passed": self.passed, "message": self.message}
        if self.subject:
            found["subject"] = self.subject
        return found


def person_key(entry: dict) -> str:
    """Who a person is across committees: the user account when known, else name and unit."""
    return f"user:{entry['username']}" if entry.get("username") else f"name:{entry['name']}|{entry['unit']}"


# ----- BR6 ----------------------------------------------------------------------------------------
def eligibility(candidate: dict, profile: Profile, term_end: date) -> list[Check]:
    """BR6 for one candidate: experience, title (an exception needs a stated reason), no retirement
    within the term that would start now."""
    name = candidate["name"]
    years = int(profile.value("member_min_experience_years"))
    minimum = str(profile.value("member_min_title_level"))
    checks = [Check("BR6", "experience", candidate.get("experience_years", 0) >= years,
                    f"{name}：从事相关工作 {candidate.get('experience_years', 0)} 年（要求 ≥ {years} 年）", name)]
    level = TITLE_LEVELS.get(candidate.get("title_level") or "无", 0)
    if level >= TITLE_LEVELS.get(minimum, 3):
        checks.append(Check("BR6", "title", True,
                            f"{name}：职称 {candidate.get('title_level')}（要求 {minimum}及以上）", name))
    elif (candidate.get("title_exception") or "").strip():
        checks.append(Check("BR6", "title", True, f"{name}：职称低于{minimum}，按例外推荐："
                                                  f"{candidate['title_exception'].strip()}", name))
    else:
        checks.append(Check("BR6", "title", False, f"{name}：职称 {candidate.get('title_level') or '无'}，"
                                                   f"低于{minimum}且未说明例外理由", name))
    retires = date.fromisoformat(candidate["retirement_date"])
    checks.append(Check("BR6", "retirement", retires > term_end,
                        f"{name}：预计退休 {retires.isoformat()}，任期至 {term_end.isoformat()}", name))
    return checks


def eligibility_report(candidates: list[dict], profile: Profile, term_end: date) -> dict:
    """Every candidate with the BR6 checks applied; duplicates (same name and unit) are not admitted twice."""
    seen, results = set(), []
    for candidate in candidates:
        key = (candidate["name"], candidate["unit"])
        checks = eligibility(candidate, profile, term_end)
        if key in seen:
            checks.append(Check("BR6", "duplicate", False, f"{candidate['name']}（{candidate['unit']}）重复报名",
                                candidate["name"]))
        seen.add(key)
        failed = [c.message for c in checks if not c.passed]
        results.append({**candidate, "eligible": not failed, "reasons": failed})
    eligible = [c for c in results if c["eligible"]]
    return {"rule": "BR6", "term_end": term_end.isoformat(), "candidates": results,
            "eligible_count": len(eligible), "ineligible_count": len(results) - len(eligible)}


# ----- BR5 ----------------------------------------------------------------------------------------
def _share(count: int, total: int) -> str:
    return f"{count}/{total}" if total else "0/0"


def composition_checks(members: list[dict], profile: Profile, *, emerging_field: bool = False,
                       memberships: Callable[[dict], int] = lambda entry: 0) -> list[Check]:
    """BR5 over a planned composition (each entry with role, unit, stakeholder category, eligibility).

    ``memberships(entry)`` counts the person's places on other committees (the registry knows)."""
    checks: list[Check] = []
    voting = [m for m in members if m["role"] in VOTING_ROLES]
    roles = Counter(m["role"] for m in members)
    size, minimum = len(voting), int(profile.value("committee_min_size"))
    odd = bool(profile.value("committee_size_odd"))
    checks.append(Check("BR5", "size", size >= minimum and (size % 2 == 1 or not odd),
                        f"委员（含主任委员、副主任委员、秘书长）{size} 人；要求 ≥ {minimum}"
                        + ("且为奇数" if odd else "")))
    checks.append(Check("BR5", "chair", roles["chair"] == 1, f"主任委员 {roles['chair']} 人（应为 1 人）"))
    checks.append(Check("BR5", "secretary_general", roles["secretary_general"] == 1,
                        f"秘书长 {roles['secretary_general']} 人（应为 1 人）"))
    most = int(profile.value("max_vice_chairs"))
    checks.append(Check("BR5", "vice_chairs", roles["vice_chair"] <= most,
                        f"副主任委员 {roles['vice_chair']} 人（≤ {most}）"))
    leaders = [m for m in members if m["role"] in ("chair", "vice_chair")]
    shared = sorted(unit for unit, n in Counter(m["unit"] for m in leaders).items() if n > 1)
    checks.append(Check("BR5", "leadership_units", not shared, "主任委员、副主任委员来自不同单位" if not shared
                        else f"主任委员、副主任委员有多人来自：{'、'.join(shared)}"))
    chair_units = {m["unit"] for m in members if m["role"] == "chair"}
    same = [m["name"] for m in members if m["role"] == "secretary_general" and m["unit"] in chair_units]
    checks.append(Check("BR5", "secretary_general_unit", not same,
                        "秘书长与主任委员不来自同一单位" if not same else f"秘书长 {same[0]} 与主任委员来自同一单位"))
    cap = int(profile.value("max_members_per_unit"))
    for unit, count in sorted(Counter(m["unit"] for m in voting).items()):
        if count > cap:
            checks.append(Check("BR5", "unit_cap", False, f"{unit} 有委员 {count} 人（同一单位 ≤ {cap}）", unit))
    if not any(c.check == "unit_cap" for c in checks):
        checks.append(Check("BR5", "unit_cap", True, f"同一单位委员均不超过 {cap} 人"))
    share = Fraction(str(profile.value("max_stakeholder_share")))
    categories = Counter(m.get("stakeholder_category") or "other" for m in voting)
    over = [(c, n) for c, n in sorted(categories.items()) if size and Fraction(n, size) > share]
    for category, count in over:
        checks.append(Check("BR5", "stakeholder_share", False, f"{STAKEHOLDER_CATEGORIES.get(category, category)}"
                                                               f"委员 {_share(count, size)}，超过 {share}", category))
    if not over:
        checks.append(Check("BR5", "stakeholder_share", True, f"任一方利益相关者不超过 {share}"))
    if emerging_field:
        floor = Fraction(str(profile.value("emerging_field_min_enterprise_share")))
        count = categories.get("enterprise", 0)
        checks.append(Check("BR5", "enterprise_share", bool(size) and Fraction(count, size) >= floor,
                            f"新兴领域：企业委员 {_share(count, size)}（要求 ≥ {floor}）"))
    most = int(profile.value("max_committees_per_person"))
    busy = [(m["name"], memberships(m) + 1) for m in voting if memberships(m) + 1 > most]
    for name, count in busy:
        checks.append(Check("BR5", "committees_per_person", False,
                            f"{name} 将同时担任 {count} 个委员会委员（≤ {most}）", name))
    if not busy:
        checks.append(Check("BR5", "committees_per_person", True, f"每人担任委员不超过 {most} 个委员会"))
    for member in voting:
        if not member.get("eligible", True):
            reasons = "；".join(member.get("reasons") or [])
            checks.append(Check("BR6", "eligibility", False, f"{member['name']} 不符合委员条件：{reasons}",
                                member["name"]))
    return checks


def composition_report(members: list[dict], problems: list[Check], checks: list[Check], profile: Profile) -> dict:
    everything = problems + checks
    voting = [m for m in members if m["role"] in VOTING_ROLES]
    return {
        "passed": all(c.passed for c in everything),
        "profile": profile.name,
        "counts": {"voting_members": len(voting), **{role: sum(1 for m in members if m["role"] == role)
                                                    for role in ROLE_NAMES}},
        "checks": [c.as_dict() for c in everything],
        "violations": [c.message for c in everything if not c.passed],
    }
