"""Calendar arithmetic that needs no text: the day of a holiday rule (Easter by the computus,
"the 4th Thursday of November"), two-digit years, fiscal periods and working days."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from .calendars import MOVABLE_FEASTS
from .periods import Period


def full_year(year: Any) -> Any:
    """A two-digit year ("FY25", "3Q24") in full: 20xx below 50, 19xx from 50; else unchanged."""
    if isinstance(year, int) and year < 100:
        return year + (2000 if year < 50 else 1900)
    return year


def holiday_date(rule: str, year: int) -> date | None:
    """The day of a holiday rule: "12-25", "11:4:4" (4th Thursday of November), "12-25:7:-4" (the
    4th Sunday before Christmas, the first of Advent), "easter".

    A day count after a space moves it: "11:4:4 +1" (the Friday after Thanksgiving),
    "easter -2" (Good Friday).
    """
    if " " in rule:
        base, days = rule.split(" ", 1)
        base_day = holiday_date(base, year)
        return base_day + timedelta(days=int(days)) if base_day else None
    if rule in MOVABLE_FEASTS:
        return MOVABLE_FEASTS[rule](year)
    if rule == "easter":
        # Anonymous Gregorian computus (Meeus/Jones/Butcher).
        a, b, c = year % 19, year // 100, year % 100
        d, e = divmod(b, 4)
        g = (8 * b + 13) // 25
        h = (19 * a + b - d - g + 15) % 30
        i, k = divmod(c, 4)
        l_ = (32 + 2 * e + 2 * i - h - k) % 7
        m = (a + 11 * h + 19 * l_) // 433
        month = (h + l_ - 7 * m + 90) // 25
        return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)
    if rule.count(":") == 2 and "-" in rule.split(":", 1)[0]:
        # "12-25:7:-4": the fourth Sunday before Christmas (the first of Advent).
        fixed, day_of_week, back = rule.split(":")
        before = holiday_date(fixed, year)
        if before is None:
            return None
        return before - timedelta(days=(before.isoweekday() - int(day_of_week) - 1) % 7 + 1 + 7 * (-int(back) - 1))
    if ":" in rule:
        month, weekday, nth = (int(x) for x in rule.split(":"))
        first = date(year, month, 1)
        offset = (weekday - first.isoweekday()) % 7
        if nth > 0:
            return first + timedelta(days=offset + 7 * (nth - 1))
        following = date(year + (month == 12), month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    month, day = (int(x) for x in rule.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Half the length of a period, for finding the calendar period a fiscal one mostly covers.
HALF_SPAN = {"week": 3, "month": 15, "quarter": 45, "half": 91}
# The granularities a fiscal period closing on a day can have.
FISCAL_GRANULARITIES = (*HALF_SPAN, "year")


def fiscal_period(last_day: date, granularity: str) -> Period:
    """The calendar period a fiscal one closing on ``last_day`` stands for: a week, month, quarter
    or half is the calendar one it mostly covers (the quarter ended July 31 runs May to July: the
    second quarter); a year is the year it ends in, as "fiscal 1990" is."""
    if granularity == "year":
        return Period.containing(last_day, "year")
    return Period.containing(last_day - timedelta(days=HALF_SPAN[granularity]), granularity)


def add_working_days(day: date, count: int) -> date:
    """The day ``count`` working days (Monday to Friday) after ``day``, or before it if negative."""
    step, left = 1 if count > 0 else -1, abs(count)
    while left:
        day += timedelta(days=step)
        left -= day.isoweekday() <= 5
    return day
