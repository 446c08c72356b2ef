"""Project ids and specification numbers: ``JJF 1001—2026`` nationally, ``JJG(苏)001—2026`` locally.

Each number comes from a counter row per (kind, series, year), locked for the rest of the transaction
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs one writer at a time), and the registry's unique
constraint on the number is the last guard: two approvals never get one number, however they interleave.
A series is what the published number shows: JJG (verification regulations and verification system
tables, which share the JJG series), JJF (calibration specifications and type-evaluation outlines),
with the province's mark for local specifications.

Where a series starts is the rule profile's (``spec_number_first``: JJF 1001 nationally, as the printed JJF
series begins; 1 for JJG and local series), and ``spec_number_yearly`` says whether it starts again each year
(the issue's "per type and year") or runs on across years, as the published national series do.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.specifications.models import SpecCounter

SERIES_OF_TYPE = {"JJG": "JJG", "检定系统表": "JJG", "JJF": "JJF", "型式评价大纲": "JJF"}
DASH = "—"  # the number and year are joined by an em dash, as printed on the specification
PROVINCE_MARKS = {
    "北京": "京", "天津": "津", "河北": "冀", "山西": "晋", "内蒙古": "蒙", "辽宁": "辽", "吉林": "吉",
    "黑龙江": "黑", "上海": "沪", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽", "江西": "赣",
    "山东": "鲁", "河南": "豫", "湖北": "鄂", "湖南": "湘", "广东": "粤", "广西": "桂", "海南": "琼",
    "重庆": "渝", "四川": "川", "贵州": "黔", "云南": "滇", "西藏": "藏", "陕西": "陕", "甘肃": "甘",
    "青海": "青", "宁夏": "宁", "新疆": "新",
}


def local_mark(level: str | None, jurisdiction: str | None) -> str | None:
    """The mark of a local series (苏 for 江苏); None for national specifications."""
    if not level or level == "national" or not jurisdiction:
        return None
    if level != "provincial":
        return jurisdiction
    # 江苏 / 江苏省, 新疆 / 新疆维吾尔自治区: the province's short name starts its full name
    return next((mark for name, mark in PROVINCE_MARKS.items() if jurisdiction.startswith(name)), jurisdiction)


def series(spec_type: str, level: str | None, jurisdiction: str | None) -> str:
    base = SERIES_OF_TYPE[spec_type]
    mark = local_mark(level, jurisdiction)
    return f"{base}({mark})" if mark else base


def next_value(session: Session, kind: str, series_name: str, year: int, first: int = 1) -> int:
    """The next value of a counter, never below ``first``, holding its row lock until the transaction ends."""
    query = select(SpecCounter).where(SpecCounter.kind == kind, SpecCounter.series == series_name,
                                      SpecCounter.year == year).with_for_update()
    row = session.scalar(query)
    if row is None:
        try:
            with session.begin_nested():
                row = SpecCounter(kind=kind, series=series_name, year=year, last=0)
                session.add(row)
        except IntegrityError:  # another transaction created it first: wait for its lock
            row = session.scalar(query.execution_options(populate_existing=True))
    row.last = max(row.last + 1, first)
    session.flush()
    return row.last


def project_id(session: Session, spec_type: str, level: str | None, jurisdiction: str | None, year: int) -> str:
    """``JJF-2026-001`` (national) or ``JJF-苏-2026-001``: the id a project carries from its proposal on."""
    base = SERIES_OF_TYPE[spec_type]
    mark = local_mark(level, jurisdiction)
    prefix = f"{base}-{mark}" if mark else base
    value = next_value(session, "project", prefix, year)
    return f"{prefix}-{year}-{value:03d}"


def number(session: Session, spec_type: str, level: str | None, jurisdiction: str | None, year: int,
           digits: int, first: int = 1, yearly: bool = True) -> str:
    """The next specification number of the series, published in ``year``: counted from ``first`` within the
    year (``yearly``) or across all years (counter year 0)."""
    name = series(spec_type, level, jurisdiction)
    value = next_value(session, "number", name, year if yearly else 0, first)
    separator = "" if "(" in name else " "
    return f"{name}{separator}{value:0{digits}d}{DASH}{year}"


def first_number(rule: object, spec_type: str) -> int:
    """``spec_number_first`` of a profile ({"JJF": 1001, "JJG": 1}) for the type's series; 1 if not given."""
    value = rule.get(SERIES_OF_TYPE[spec_type]) if isinstance(rule, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else 1
