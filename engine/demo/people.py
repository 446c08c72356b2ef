"""The demo's people: the members each committee recruits (names, units, titles, stakeholder categories that
pass BR5/BR6) and the user accounts that act in the processes."""
from __future__ import annotations

from engine.demo.driver import Driver
from engine.demo.spec_phases import AUTHORITY, Team

PROVINCIAL_AUTHORITY = "js_amr"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
CATEGORIES = ("research", "testing", "enterprise", "user", "regulator")
TITLES = (("研究员", "正高级"), ("正高级工程师", "正高级"), ("高级工程师", "副高级"))


SEATS = ("chair", "vice1", "vice2", "secgen")  # the first four of a pool take these offices (composition below)


def account(code: str, i: int) -> str:
    """The account of a committee's i-th applicant: ``mtc01_chair``, ``mtc01_vice1``, …, ``mtc01_m1``…``mtc01_m21``."""
    return f"{code.lower()}_{SEATS[i] if i < len(SEATS) else f'm{i - len(SEATS) + 1}'}"


def candidates(code: str, given: str, units: list[str]) -> list[dict]:
    """25 applicants with their accounts (linked at appointment, BR14); each name unique to its committee, at most
    3 per unit, 5 per stakeholder category."""
    return [{"name": f"{SURNAMES[i]}{given}", "unit": units[i % len(units)], "title": TITLES[i % 3][0],
             "title_level": TITLES[i % 3][1], "experience_years": 8 + i % 20,
             "retirement_date": f"{2036 + i % 10}-06-30", "stakeholder_category": CATEGORIES[i % 5],
             "username": account(code, i)}
            for i in range(25)]


def composition(pool: list[dict]) -> list[dict]:
    """Chair, two vice-chairs and the secretary-general from four different units, the rest members."""
    roles = ("chair", "vice_chair", "vice_chair", "secretary_general")
    return [{"name": c["name"], "role": roles[i] if i < len(roles) else "member"} for i, c in enumerate(pool)]


def team(d: Driver, code: str, pool: list[dict], **level) -> Team:
    """Accounts for a committee's secretariat and for each of its 25 recruits (named as in the registry, with their
    units, so BR3's unit rule sees them): the recruits get their committee roles only when appointed (BR14), and
    every appointed voting member votes. ``level`` is Team's level, jurisdiction and authority for a committee that
    is not national."""
    low = code.lower()
    d.user(f"{low}_sec", [f"secretariat:committee/{code}"], pool[3]["unit"], f"{code} 秘书处")
    for i, entry in enumerate(pool):
        office = ("（主任委员）", "（副主任委员）", "（副主任委员）", "（秘书长）")[i] if i < len(SEATS) else ""
        d.user(entry["username"], [], entry["unit"], f"{entry['name']}{office}")
    names = tuple(entry["username"] for entry in pool)
    return Team(code, f"{low}_sec", account(code, 3), account(code, 0), names, **level)


def staff(d: Driver) -> None:
    """The authority, an auditor and the drafters of the demo's specifications."""
    d.user(AUTHORITY, ["authority:level/national"], "市场监管总局计量司", "市场监管总局计量司")
    d.user(PROVINCIAL_AUTHORITY, ["authority:level/provincial/江苏"], "江苏省市场监督管理局计量处",
           "江苏省市场监管局计量处")
    d.user("audit", ["auditor"], "市场监管总局稽查局", "监督审计人员")
    for name, unit in DRAFTERS.items():
        d.user(name, [], unit, f"{unit}起草人")


DRAFTERS = {"drafter_sh": "上海市计量测试技术研究院", "drafter_gd": "广东省计量科学研究院",
            "drafter_zj": "浙江省计量科学研究院", "drafter_js": "江苏省计量科学研究院"}
