"""The feasts of other calendars (timeline/calendars.py) against their published dates, and their
seasons over the whole range the grammar promises (1900-2100)."""
from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from timeline.calendar_arithmetic import holiday_date
from timeline.calendars import MOVABLE_FEASTS, new_moon, rosh_hashanah_of

# Dates as the calendars' own authorities publish them (Umm al-Qura for the Islamic feasts, the
# Hebrew calendar, the Chinese almanac, Indian Lakshmi Puja listings, the Orthodox churches).
KNOWN = [
    ("ramadan", date(2023, 3, 23)), ("ramadan", date(2024, 3, 11)), ("ramadan", date(2025, 3, 1)),
    ("eid_al_fitr", date(2023, 4, 21)), ("eid_al_fitr", date(2024, 4, 10)), ("eid_al_fitr", date(2025, 3, 30)),
    ("eid_al_adha", date(2023, 6, 28)), ("eid_al_adha", date(2024, 6, 16)), ("eid_al_adha", date(2025, 6, 6)),
    ("rosh_hashanah", date(2023, 9, 16)), ("rosh_hashanah", date(2024, 10, 3)),
    ("yom_kippur", date(2024, 10, 12)), ("yom_kippur", date(2025, 10, 2)),
    ("passover", date(2021, 3, 28)), ("passover", date(2024, 4, 23)), ("passover", date(2025, 4, 13)),
    ("hanukkah", date(2021, 11, 29)), ("hanukkah", date(2024, 12, 26)), ("hanukkah", date(2025, 12, 15)),
    ("chinese_new_year", date(2000, 2, 5)), ("chinese_new_year", date(2020, 1, 25)),
    ("chinese_new_year", date(2024, 2, 10)), ("chinese_new_year", date(2025, 1, 29)),
    ("diwali", date(2020, 11, 14)), ("diwali", date(2022, 10, 24)), ("diwali", date(2023, 11, 12)),
    ("diwali", date(2024, 10, 31)), ("diwali", date(2025, 10, 20)),
    ("orthodox_easter", date(2000, 4, 30)), ("orthodox_easter", date(2021, 5, 2)),
    ("orthodox_easter", date(2024, 5, 5)),
]

# Where each feast can fall in the Gregorian year ((month, day) bounds, inclusive).
SEASONS = {
    "rosh_hashanah": ((9, 5), (10, 5)), "yom_kippur": ((9, 14), (10, 14)), "passover": ((3, 26), (4, 25)),
    "hanukkah": ((11, 27), (12, 27)), "chinese_new_year": ((1, 21), (2, 20)), "diwali": ((10, 16), (11, 15)),
    "orthodox_easter": ((4, 4), (5, 8)),
}


@pytest.mark.parametrize(("feast", "day"), KNOWN, ids=lambda x: str(x))
def test_feast_falls_on_its_published_date(feast: str, day: date) -> None:
    assert MOVABLE_FEASTS[feast](day.year) == day


@pytest.mark.parametrize("feast", sorted(SEASONS))
def test_feast_stays_in_its_season_1900_to_2100(feast: str) -> None:
    (low, high) = SEASONS[feast]
    for year in range(1900, 2101):
        day = MOVABLE_FEASTS[feast](year)
        assert day is not None and low <= (day.month, day.day) <= high, (feast, year, day)


def test_islamic_feasts_drift_through_the_year() -> None:
    """A lunar year is 11 days short: Eid al-Fitr comes 10-12 days earlier each year (the first
    of two in a year where it falls twice)."""
    days = [MOVABLE_FEASTS["eid_al_fitr"](year) for year in range(1990, 2030)]
    assert all(day is not None for day in days)
    for earlier, later in pairwise(days):
        assert earlier is not None and later is not None
        gap = (later - earlier).days
        assert 352 <= gap <= 356 or gap > 700, (earlier, later)


def test_hebrew_years_have_lawful_lengths() -> None:
    """Hebrew years are 353-355 days, or 383-385 in a leap year: the postponements hold."""
    for year in range(5660, 5862):
        length = (rosh_hashanah_of(year + 1) - rosh_hashanah_of(year)).days
        assert length in (353, 354, 355, 383, 384, 385), (year, length)
        assert rosh_hashanah_of(year).isoweekday() in (1, 2, 4, 6)  # never Sunday, Wednesday, Friday


def test_new_moon_of_the_2024_eclipse() -> None:
    """The total solar eclipse of 8 April 2024 came with the new moon at 18:21 UTC."""
    moment = new_moon(300)  # lunations since the new moon of 6 January 2000
    assert (moment.date(), moment.hour, moment.minute // 10) == (date(2024, 4, 8), 18, 2)


# "The n-th weekday before a day" (calendar_arithmetic.holiday_date, "12-25:7:-4"): Advent and
# the Sundays before it, as the German church calendars publish them. Christmas on a Sunday
# (2022) or a Monday (2023) is where "before" and "on or before" differ.
ADVENT = [
    ("12-25:7:-4", date(2022, 11, 27)), ("12-25:7:-4", date(2023, 12, 3)), ("12-25:7:-4", date(2024, 12, 1)),
    ("12-25:7:-1", date(2022, 12, 18)), ("12-25:7:-1", date(2023, 12, 24)),
    ("12-25:7:-5", date(2023, 11, 26)),  # Totensonntag
    ("12-25:7:-6", date(2022, 11, 13)), ("12-25:7:-6", date(2023, 11, 19)),  # Volkstrauertag
    ("12-25:7:-5 -4", date(2022, 11, 16)), ("12-25:7:-5 -4", date(2023, 11, 22)),  # Buß- und Bettag
    ("12-25:7:-5 -4", date(2024, 11, 20)),
]


@pytest.mark.parametrize(("rule", "day"), ADVENT, ids=lambda x: str(x))
def test_weekday_before_a_day(rule: str, day: date) -> None:
    assert holiday_date(rule, day.year) == day
