"""Series, marks and the shape of project ids and specification numbers."""
import pytest

from engine.lifecycle import spec_numbering


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
