"""Timer values without Python: profile keys, working days, offsets; what SpiffWorkflow gets; what is refused."""
from datetime import timedelta

import pytest

from engine.rules.expressions import TimerExpressionError, check_timer_expression, resolve
from tests.timer_support import utc

NOW = utc(2026, 2, 10, 1, 0)  # Tuesday 10 Feb 2026, 09:00 Beijing time


def test_profile_key_resolves_per_level():
    national = resolve("comment_window", "timeDuration", None, NOW)
    assert national.due == NOW + timedelta(days=30) and national.value == "PT2592000.000000S"
    assert national.note["profile"] == "national" and national.warnings == []
    # provincial: 20 working days across the Spring Festival (15–23 Feb off, 14 and 28 Feb worked),
    # ending 24:00 Beijing time on Monday 16 March
    provincial = resolve("comment_window", "timeDuration", "provincial.江苏", NOW)
    assert provincial.due == utc(2026, 3, 16, 16, 0) and provincial.note["profile"] == "provincial"


def test_offsets_dates_and_cycles():
    reminder = resolve("annual_report_due - annual_report_reminder_lead", "timeDate", None, NOW)
    assert reminder.value == utc(2027, 1, 16, 16).isoformat()  # 15 days before 31 Jan 24:00 Beijing
    assert resolve("annual_report_due", "due", None, NOW).due == utc(2027, 1, 31, 16)
    assert resolve("drafting_deadline - P2M", "timeDuration", None, NOW).due == utc(2027, 12, 10, 1)
    assert resolve("P5WD + P1D", "timeDuration", None, NOW).due == utc(2026, 2, 25, 16)
    # two working days remain from 00:00 Thursday 26 Feb until the end of Friday 27 Feb
    assert resolve("2026-02-28T00:00:00+08:00 - P2WD", "timeDate", None, NOW).due == utc(2026, 2, 25, 16)
    assert resolve("R3/task_reminder_lead", "timeCycle", None, NOW).value == "R3/P7D"
    assert resolve("P30D", "timeDuration", None, NOW).value == "P30D"  # ISO literals pass through
    assert resolve("amount * 2", "timeDuration", None, NOW) is None  # sandboxed Python, as before


def test_unknown_year_warning_travels_with_the_value():
    resolved = resolve("P5WD", "timeDuration", None, utc(2026, 12, 28, 1))
    assert resolved.due == utc(2027, 1, 5, 16)
    assert resolved.warnings and "2027" in resolved.note["warnings"][0]


@pytest.mark.parametrize("expression, kind, message", [
    ("", "timeDuration", "no time expression"),
    ("P3X", "timeDuration", "not a valid ISO 8601"),
    ("P20WDX", "timeDuration", "not a valid ISO 8601"),
    ("coment_window", "timeDuration", "unknown rule-profile key 'coment_window'"),
    ("review_quorum", "timeDuration", "not a time rule"),
    ("2020-01-31T00:00:00+08:00", "timeDate", "already past"),
    ("2026-01-31T00:00:00+08:00 - P1D", "timeDate", "already past"),
    ("R3/2020-01-01T00:00:00Z/P7D", "timeCycle", "already past"),
    ("R3/comment_window", "timeCycle", "working days cannot repeat"),
    ("comment_window", "timeCycle", "needs R<n>/<duration>"),
    ("comment_window - annual_report_due", "timeDuration", "must be a duration, not a date"),
    ("R3/P7D", "due", "cycle cannot be a due date"),
    ("amount * 2", "due", "mtc:due takes"),
    ("__import__('os')", "timeDuration", "neither ISO 8601 nor a valid expression"),
])
def test_refused_at_deployment(expression, kind, message):
    with pytest.raises(TimerExpressionError, match=message.replace("(", r"\(").replace("*", r"\*")):
        check_timer_expression(expression, kind, NOW)


@pytest.mark.parametrize("expression, kind", [
    ("P30D", "timeDuration"), ("comment_window", "timeDuration"), ("P20WD", "timeDuration"),
    ("drafting_deadline - drafting_reminder_lead", "timeDuration"), ("annual_report_due", "timeDate"),
    ("R3/P7D", "timeCycle"), ("R/task_reminder_lead", "timeCycle"), ("drafting_deadline", "due"),
    ("2027-01-31T00:00:00+08:00", "timeDate"), ("amount * 2", "timeDuration"),
])
def test_accepted_at_deployment(expression, kind):
    check_timer_expression(expression, kind, NOW)
