"""Series, marks and the shape of project ids and specification numbers."""
import pytest

from engine.errors import Conflict
from engine.specifications import numbering as spec_numbering


@pytest.mark.parametrize(("spec_type", "level", "jurisdiction", "series"), [
    ("JJF", "national", None, "JJF"),
    ("型式评价大纲", "national", None, "JJF"),
    ("JJG", "national", None, "JJG"),
    ("检定系统表", "national", None, "JJG"),
    ("JJG", "provincial", "江苏", "JJG(苏)"),
    ("JJF", "provincial", "广东省", "JJF(粤)"),
    ("JJF", "provincial", "新疆维吾尔自治区", "JJF(新)"),
    ("JJF", "provincial", "某特别区", "JJF(某特别区)"),  # not a province the table knows: the name as given
    ("JJG", "ministry", "交通运输部", "JJG(交通运输部)"),
])
def test_series(spec_type, level, jurisdiction, series):
    assert spec_numbering.series(spec_type, level, jurisdiction) == series


NATIONAL = spec_numbering.NumberRule({"JJF": 1001, "JJG": 1, "检定系统表": 2001})
LOCAL = spec_numbering.NumberRule({"JJF": 1, "JJG": 1}, digits=3)


def test_numbers_and_project_ids(engine):
    with engine.db.transaction() as session:
        assert spec_numbering.number(session, "JJG", "national", None, 2026, NATIONAL) == "JJG 1—2026"  # no padding
        assert spec_numbering.number(session, "JJG", "national", None, 2027, NATIONAL) == "JJG 2—2027"  # runs on
        assert spec_numbering.number(session, "JJG", "provincial", "江苏", 2026, LOCAL) == "JJG(苏)001—2026"
        assert spec_numbering.project_id(session, "JJG", "provincial", "江苏", 2026) == "JJG-苏-2026-001"
        assert spec_numbering.project_id(session, "型式评价大纲", "national", None, 2026) == "JJF-2026-001"


def test_ranges_of_a_series_and_a_yearly_profile(engine):
    with engine.db.transaction() as session:
        assert spec_numbering.number(session, "检定系统表", "national", None, 2026, NATIONAL) == "JJG 2001—2026"
        assert spec_numbering.number(session, "JJG", "national", None, 2026, NATIONAL) == "JJG 1—2026"
        assert spec_numbering.number(session, "JJF", "national", None, 2026, NATIONAL) == "JJF 1001—2026"
        assert spec_numbering.number(session, "型式评价大纲", "national", None, 2026, NATIONAL) == "JJF 1002—2026"
        yearly = spec_numbering.NumberRule({"JJF": 1001}, yearly=True, digits=4)
        assert spec_numbering.number(session, "JJF", "national", None, 2030, yearly) == "JJF 1001—2030"
        # the first number raised later (the series moved on outside the system): the counter jumps, never back
        raised = spec_numbering.NumberRule({"JJF": 1100})
        assert spec_numbering.number(session, "JJF", "national", None, 2026, raised) == "JJF 1100—2026"
        assert spec_numbering.number(session, "JJF", "national", None, 2026, NATIONAL) == "JJF 1101—2026"


def test_a_full_range_refuses_rather_than_running_into_the_next(engine):
    tight = spec_numbering.NumberRule({"JJG": 1999, "检定系统表": 2001})
    with engine.db.transaction() as session:
        assert spec_numbering.number(session, "JJG", "national", None, 2026, tight) == "JJG 1999—2026"
        assert spec_numbering.number(session, "JJG", "national", None, 2026, tight) == "JJG 2000—2026"
        with pytest.raises(Conflict):
            spec_numbering.number(session, "JJG", "national", None, 2026, tight)


@pytest.mark.parametrize(("old", "old_type", "new_type", "split", "kept"), [
    ("JJG 98—2006", "JJG", "JJG", False, "JJG 98—2019"),  # a revision keeps its serial
    ("JJG(苏)055—2006", "JJG", "JJG", False, None),  # another series: a new number
    ("JJG 41—1990", "JJG", "JJF", False, None),  # JJF 1207—2008 代替 JJG 41—1990: the type changed
    ("JJG 98—2006", "JJG", "JJG", True, None),  # one of several parts replacing it
    ("JJG 2001—2006", "检定系统表", "JJG", False, None),  # out of the tables' own range
    ("JJF 1059.1—2012", "JJF", "JJF", False, "JJF 1059.1—2019"),
])
def test_revision_number(old, old_type, new_type, split, kept):
    assert spec_numbering.revision_number(old, old_type, new_type, "national", None, 2019, NATIONAL, split) == kept


@pytest.mark.parametrize(("first", "spec_type", "start"), [
    ({"JJF": 1001, "JJG": 1, "检定系统表": 2001}, "型式评价大纲", 1001),
    ({"JJF": 1001, "JJG": 1, "检定系统表": 2001}, "检定系统表", 2001),
    ({"JJF": 1001, "JJG": 1}, "检定系统表", 1), ({"JJF": 1001}, "JJG", 1), ({}, "JJF", 1), ({"JJF": 0}, "JJF", 1),
    ({"JJF": True}, "JJF", 1),
])
def test_first_number_of_the_profile(first, spec_type, start):
    assert spec_numbering.NumberRule(first).start(spec_type) == start
