"""date_label: a resolved date written the way a person reads it, at its own granularity."""
from datetime import datetime

import pytest

from timeline.timexes import Interval, date_label


def _interval(start: str | None, end: str | None, granularity: str) -> Interval:
    parse = lambda text: datetime.fromisoformat(text) if text else None  # noqa: E731
    return Interval(parse(start), parse(end), granularity)


@pytest.mark.parametrize("value, start, end, granularity, mod, expected", [
    ("2024-05-16", "2024-05-16", "2024-05-17", "day", None, "16 May 2024"),
    ("P2D", "2024-05-16", "2024-05-18", "day", None, "16–17 May 2024"),
    ("P3D", "2024-05-31", "2024-06-03", "day", None, "31 May 2024 – 2 June 2024"),
    ("2024-05-16T14:30", "2024-05-16T14:30", "2024-05-16T14:31", "minute", None, "16 May 2024, 14:30"),
    ("2024-05-16T09", "2024-05-16T09:00", "2024-05-16T10:00", "hour", None, "16 May 2024, 09:00"),
    ("2024-05-16TEV", "2024-05-16T18:00", "2024-05-16T22:00", "part_of_day", None, "16 May 2024, evening"),
    ("2024-W20", "2024-05-13", "2024-05-20", "week", None, "Week 20, 2024"),
    ("2025-W01", "2024-12-30", "2025-01-06", "week", None, "Week 1, 2025"),
    ("2024-W20-WE", "2024-05-18", "2024-05-20", "week", None, "Weekend, week 20, 2024"),
    ("2024-05", "2024-05-01", "2024-06-01", "month", None, "May 2024"),
    ("2024-05", "2024-05-01", "2024-05-11", "month", "START", "early May 2024"),
    ("2024-05", "2024-05-11", "2024-05-21", "month", "MID", "mid-May 2024"),
    ("2024-Q3", "2024-07-01", "2024-10-01", "quarter", None, "Q3 2024"),
    ("2023-H1", "2023-01-01", "2023-07-01", "half", None, "H1 2023"),
    ("2024-SU", "2024-06-01", "2024-09-01", "season", None, "Summer 2024"),
    ("2024", "2024-01-01", "2025-01-01", "year", None, "2024"),
    ("2023", "2023-01-01", "2024-01-01", "year", "END", "late 2023"),
    ("199", "1990-01-01", "2000-01-01", "decade", None, "1990s"),
    ("19", "1900-01-01", "2000-01-01", "century", None, "20th century"),
    ("20", "2000-01-01", "2100-01-01", "century", None, "21st century"),
    ("PAST_REF", None, "2024-05-16", "vague", None, "the past"),
    ("FUTURE_REF", "2024-05-17", None, "vague", "APPROX", "the future"),
    ("XXXX-WXX-4", None, None, "day", None, "XXXX-WXX-4"),
])
def test_label(value, start, end, granularity, mod, expected):
    assert date_label(value, _interval(start, end, granularity), mod) == expected


def test_no_interval_falls_back_to_the_value():
    assert date_label("P2W", None) == "P2W"
