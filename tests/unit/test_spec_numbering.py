"""Series, marks and the shape of project ids and specification numbers."""
import pytest

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


def test_numbers_and_project_ids(engine):
    with engine.db.transaction() as session:
        assert spec_numbering.number(session, "JJF", "national", None, 2026, 4) == "JJF 0001—2026"
        assert spec_numbering.number(session, "JJF", "national", None, 2026, 4) == "JJF 0002—2026"
        assert spec_numbering.number(session, "JJG", "provincial", "江苏", 2026, 3) == "JJG(苏)001—2026"
        assert spec_numbering.project_id(session, "JJG", "provincial", "江苏", 2026) == "JJG-苏-2026-001"
        assert spec_numbering.project_id(session, "型式评价大纲", "national", None, 2026) == "JJF-2026-001"


def test_first_number_and_a_series_running_on_across_years(engine):
    with engine.db.transaction() as session:
        assert spec_numbering.number(session, "JJF", "national", None, 2026, 4, first=1001) == "JJF 1001—2026"
        assert spec_numbering.number(session, "JJF", "national", None, 2026, 4, first=1001) == "JJF 1002—2026"
        # a deployment continuing the published series: no restart in a new year, never below its first number
        assert spec_numbering.number(session, "JJG", "national", None, 2026, 4, 1250, yearly=False) == "JJG 1250—2026"
        assert spec_numbering.number(session, "JJG", "national", None, 2027, 4, 1250, yearly=False) == "JJG 1251—2027"
        # the first number raised later (the series moved on outside the system): the counter jumps, never back
        assert spec_numbering.number(session, "JJF", "national", None, 2026, 4, first=1100) == "JJF 1100—2026"
        assert spec_numbering.number(session, "JJF", "national", None, 2026, 4, first=1001) == "JJF 1101—2026"


@pytest.mark.parametrize(("rule", "spec_type", "first"), [
    ({"JJF": 1001, "JJG": 1}, "型式评价大纲", 1001), ({"JJF": 1001, "JJG": 1}, "检定系统表", 1),
    ({"JJF": 1001}, "JJG", 1), (None, "JJF", 1), ({"JJF": 0}, "JJF", 1), ({"JJF": True}, "JJF", 1),
])
def test_first_number_of_the_profile(rule, spec_type, first):
    assert spec_numbering.first_number(rule, spec_type) == first
