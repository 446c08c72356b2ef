"""Project ids and specification numbers as national practice has them: ``JJF 1001—2026``, ``JJG 98—2019``,
``JJG 2001—2026`` (a verification scheme table), locally ``JJG(苏)001—2026``.

Each new serial comes from a counter row per (kind, range, year), locked for the rest of the transaction
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs one writer at a time), and the registry's unique
constraint on the number is the last guard: two approvals never get one number, however they interleave.
A series is what the published number shows: JJG (verification regulations and verification scheme tables),
JJF (calibration specifications and type-evaluation outlines), with the province's mark for local ones.

The level's profile says where each range of a series starts (``spec_number_first``: JJF 1001, JJG 1 and the
national 检定系统表 their own JJG 2001 onwards — a type named there counts apart from its series), whether the
serial starts again each year (``spec_number_yearly``: no, the national series run on across years) and its
minimum width (``spec_number_digits``: 1, not zero-padded nationally; 3 for JJG(苏)001).
A revision keeps its predecessor's serial with the new year (JJG 98—2006 → JJG 98—2019); a replacement that
changes the type's range or splits a specification takes a new serial (JJF 1207—2008 代替 JJG 41—1990).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.errors import Conflict
from engine.specifications.models import SpecCounter

SERIES_OF_TYPE = {"JJG": "JJG", "检定系统表": "JJG", "JJF": "JJF", "型式评价大纲": "JJF",
                  # 62号 十一's further types are technical specifications, numbered in the JJF series [I]
                  "测量方法": "JJF", "测量程序": "JJF", "标准参考数据": "JJF", "算法溯源技术方法": "JJF"}
DASH = "—"  # the number and year are joined by an em dash, as printed on the specification
NUMBER = re.compile(rf"^(?P<series>.+?) ?(?P<serial>\d+(?:\.\d+)?){DASH}(?P<year>\d{{4}})$")
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


@dataclass(frozen=True)
class NumberRule:
    """A level's numbering, read from its profile (``spec_number_first`` / ``_yearly`` / ``_digits``)."""

    first: dict
    yearly: bool = False
    digits: int = 1

    @classmethod
    def of(cls, rules) -> NumberRule:
        def value(key, default):
            return rules.value(key) if key in rules else default
        first = value("spec_number_first", {})
        return cls(first if isinstance(first, dict) else {}, bool(value("spec_number_yearly", False)),
                   int(value("spec_number_digits", 1)))

    def range_key(self, spec_type: str) -> str:
        """What a type counts in: its own range if the profile names the type (检定系统表), else its series."""
        return spec_type if spec_type in self.first and spec_type != SERIES_OF_TYPE[spec_type] \
            else SERIES_OF_TYPE[spec_type]

    def start(self, spec_type: str) -> int:
        return _positive(self.first.get(self.range_key(spec_type)))

    def ceiling(self, spec_type: str) -> int | None:
        """The first serial of the next range printed in the same series (JJG's ends where 2001 begins)."""
        start, base = self.start(spec_type), SERIES_OF_TYPE[spec_type]
        starts = [_positive(v) for k, v in self.first.items() if k != self.range_key(spec_type)
                  and SERIES_OF_TYPE.get(k) == base]
        return min((s for s in starts if s > start), default=None)


def _positive(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else 1


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


def formatted(series_name: str, serial: int | str, year: int, digits: int = 1) -> str:
    separator = "" if "(" in series_name else " "
    shown = f"{serial:0{digits}d}" if isinstance(serial, int) else serial
    return f"{series_name}{separator}{shown}{DASH}{year}"


def number(session: Session, spec_type: str, level: str | None, jurisdiction: str | None, year: int,
           rule: NumberRule) -> str:
    """The next new number of the type's range, published in ``year``."""
    name = series(spec_type, level, jurisdiction)
    key = rule.range_key(spec_type)
    counter = name if key == SERIES_OF_TYPE[spec_type] else name + "/" + key
    value = next_value(session, "number", counter, year if rule.yearly else 0, rule.start(spec_type))
    ceiling = rule.ceiling(spec_type)
    if ceiling is not None and value >= ceiling:
        raise Conflict(f"The {key} range of {name} is full: {value} reaches the next range, which starts at "
                       f"{ceiling} (profile spec_number_first).")
    return formatted(name, value, year, rule.digits)


def parse(value: str | None) -> tuple[str, str, int] | None:
    """``JJG 98—2006`` → (``JJG``, ``98``, 2006); None if it is not a specification number."""
    match = NUMBER.match(value or "")
    return (match["series"], match["serial"], int(match["year"])) if match else None


def revision_number(predecessor_number: str | None, predecessor_type: str, spec_type: str, level: str | None,
                    jurisdiction: str | None, year: int, rule: NumberRule, split: bool) -> str | None:
    """The predecessor's serial with the new year when the revision stays in its range and is not one of several
    parts replacing it; None when it must take a new number."""
    parsed = parse(predecessor_number)
    if parsed is None or split or rule.range_key(predecessor_type) != rule.range_key(spec_type):
        return None
    old_series, serial, _ = parsed
    if old_series != series(spec_type, level, jurisdiction):
        return None
    return formatted(old_series, serial, year)
