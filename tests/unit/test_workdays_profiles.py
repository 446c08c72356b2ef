"""The official working-day calendar, administrator holiday files, the loud fallback, and rule profiles."""
import json
import logging
from datetime import date
from fractions import Fraction

import pytest

from engine.config import ROOT
from engine.rules.durations import Amount, Yearly, from_rule
from engine.rules.profiles import ProfileError, load_profiles
from engine.rules.workdays import HolidayFileError, WorkCalendar, load_holiday_files

PROFILES = ROOT / "processes" / "profiles"


def test_spring_festival_2026_and_make_up_saturdays():
    calendar = WorkCalendar(None)
    assert calendar.is_workday(date(2026, 2, 14)) == (True, None)  # Saturday, make-up working day
    assert calendar.is_workday(date(2026, 2, 16)) == (False, None)  # Monday inside the holiday
    assert calendar.is_workday(date(2026, 2, 28)) == (True, None)  # Saturday, make-up working day
    # Friday 13 Feb + 5 working days: Sat 14 (make-up), then 24, 25, 26, 27 after the holiday
    assert calendar.shift(date(2026, 2, 13), 5) == (date(2026, 2, 27), [])
    assert calendar.shift(date(2026, 2, 13), 6) == (date(2026, 2, 28), [])
    assert calendar.shift(date(2026, 2, 10), 20) == (date(2026, 3, 16), [])
    assert calendar.shift(date(2026, 2, 24), -1) == (date(2026, 2, 14), [])
    assert calendar.source(2026).startswith("chinesecalendar")


def test_year_nobody_entered_falls_back_loudly(caplog):
    calendar = WorkCalendar(None)
    assert calendar.source(2027) is None
    with caplog.at_level(logging.WARNING, logger="mtcflow.calendar"):
        day, warnings = calendar.shift(date(2026, 12, 28), 5)
    # 29, 30, 31 Dec 2026 (official), then 2027 guessed: 1 Jan is a fixed-date holiday, so 4 and 5 Jan
    assert day == date(2027, 1, 5)
    assert len(warnings) == 1 and "2027" in warnings[0] and "2027.json" in warnings[0]
    assert any("no official holiday schedule for 2027" in r.message for r in caplog.records)


def test_holiday_file_enters_a_later_year(tmp_path):
    (tmp_path / "2027.json").write_text(json.dumps({
        "year": 2027, "source": "国务院办公厅通知（测试数据）",
        "holidays": ["2027-01-01", "2027-02-06/2027-02-12"], "workdays": ["2027-02-13"]}), encoding="utf-8")
    calendar = WorkCalendar(tmp_path)
    assert calendar.source(2027) == "国务院办公厅通知（测试数据）"
    assert calendar.shift(date(2027, 2, 5), 1) == (date(2027, 2, 13), [])  # holiday week, make-up Saturday
    assert calendar.shift(date(2026, 12, 31), 1) == (date(2027, 1, 4), [])


@pytest.mark.parametrize("document, message", [
    ({"year": 2027, "workdays": ["2027-02-10"]}, "weekend"),
    ({"year": 2027, "holidays": ["2027-02-13"], "workdays": ["2027-02-13"]}, "both"),
    ({"year": 2027, "holidays": ["2028-01-01"]}, "inside 2027"),
    ({"year": 2027, "holidays": ["2027-02-30"]}, "not a date"),
    ({"holidays": []}, "year"),
])
def test_bad_holiday_files_are_refused(tmp_path, document, message):
    (tmp_path / "bad.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(HolidayFileError, match=message):
        load_holiday_files(tmp_path)


def test_national_profile_holds_the_domain_numbers():
    national = load_profiles(PROFILES).get("national")
    assert from_rule("comment_window", national.get("comment_window")) == Amount(iso="P30D")
    assert from_rule("project_notice_window", national.get("project_notice_window")) == Amount(iso="P30D")
    assert from_rule("drafting_deadline", national.get("drafting_deadline")) == Amount(iso="P2Y")
    assert from_rule("extension_request_lead", national.get("extension_request_lead")) == Amount(iso="P30D")
    assert from_rule("annual_report_due", national.get("annual_report_due")) == Yearly(1, 31)
    assert from_rule("annual_report_reminder_lead", national.get("annual_report_reminder_lead")) == Amount(iso="P15D")
    assert from_rule("rectification_period", national.get("rectification_period")) == Amount(iso="P6M")
    assert from_rule("rereview_interval", national.get("rereview_interval")) == Amount(iso="P5Y")
    assert from_rule("term", national.get("term")) == Amount(iso="P5Y")
    assert from_rule("renewal_lead", national.get("renewal_lead")) == Amount(iso="P6M")
    assert Fraction(national.value("review_quorum")) == Fraction(2, 3)
    assert Fraction(national.value("review_pass")) == Fraction(3, 4)
    assert national.value("committee_min_size") == 25 and national.value("comment_min_units") == 20


def test_provincial_profile_extends_and_differs():
    profiles = load_profiles(PROFILES)
    provincial, national = profiles.get("provincial"), profiles.get("national")
    assert from_rule("comment_window", provincial.get("comment_window")) == Amount(workdays=20)
    assert provincial.get("rereview_interval") == national.get("rereview_interval")  # inherited
    assert set(national.keys()) <= set(provincial.keys())
    assert profiles.for_level("provincial", "江苏") == (provincial, None)
    assert profiles.for_level(None) == (national, None)
    fallback, warning = profiles.for_level("municipal")
    assert fallback is national and "municipal" in warning


def test_unknown_rule_and_profile_are_clear_errors(tmp_path):
    profiles = load_profiles(PROFILES)
    with pytest.raises(ProfileError, match="has no rule 'coment_window'.*comment_window"):
        profiles.get("national").get("coment_window")
    with pytest.raises(ProfileError, match="no rule profile 'county'"):
        profiles.get("county")
    with pytest.raises(ProfileError, match="time rule, not a plain value"):
        profiles.get("national").value("term")
    (tmp_path / "national.json").write_text('{"rules": {}}')
    (tmp_path / "a.json").write_text('{"extends": "b", "rules": {}}')
    (tmp_path / "b.json").write_text('{"extends": "a", "rules": {}}')
    with pytest.raises(ProfileError, match="circle"):
        load_profiles(tmp_path)
