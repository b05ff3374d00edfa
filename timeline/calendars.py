"""Feasts of other calendars in the Gregorian calendar: the Hebrew, Islamic, Chinese and Hindu
ones, and the Orthodox Easter of the Julian calendar.

Each function takes a Gregorian year and gives the day the feast begins in it (for feasts that
last several days, the first: the first day of Ramadan, the first night of Hanukkah). The
computations are the calendars' own rules, written for this project:

- the Hebrew calendar is arithmetic (the molad and the postponements of Rosh Hashanah,
  as in Reingold and Dershowitz, *Calendrical Calculations*), so its days are exact;
- the Islamic months start, as the Umm al-Qura calendar roughly has it, on the day after the
  astronomical new moon when that falls before sunset in Mecca (about 15:30 UTC), else a day
  later; countries that wait to see the crescent may start a day after;
- the Chinese New Year is the day (in Beijing) of the new moon between January 21 and
  February 20;
- Diwali (Lakshmi Puja) falls on the new moon that ends the month Ashvin, the first after
  the sun enters sidereal Libra: the day whose evening (18:30 in India) is the last before it;
- new moons come from the mean lunation with the periodic terms of Jean Meeus, *Astronomical
  Algorithms* (ch. 49): within a few minutes over 1900-2100.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timedelta

# --- new moons -----------------------------------------------------------------------------
_JD_UNIX = 2440587.5  # the Julian day of 1970-01-01 00:00 UTC

# (coefficient, power of E, multiples of M, M', F, Omega) of Meeus's new-moon corrections.
_NEW_MOON_TERMS = (
    (-0.40720, 0, 0, 1, 0, 0), (0.17241, 1, 1, 0, 0, 0), (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0), (0.00739, 1, -1, 1, 0, 0), (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0), (-0.00111, 0, 0, 1, -2, 0), (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0), (-0.00042, 0, 0, 3, 0, 0), (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0), (-0.00024, 1, -1, 2, 0, 0), (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0), (0.00004, 0, 0, 2, -2, 0), (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0), (0.00003, 0, 0, 2, 2, 0), (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0), (-0.00002, 0, -1, 1, -2, 0), (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)


def new_moon(lunation: int) -> datetime:
    """The moment (UTC, naive) of the new moon ``lunation`` lunations after that of January 2000."""
    k = lunation
    t = k / 1236.85
    jde = (2451550.09766 + 29.530588861 * k + 0.00015437 * t ** 2 - 0.000000150 * t ** 3
           + 0.00000000073 * t ** 4)
    e = 1 - 0.002516 * t - 0.0000074 * t ** 2
    m = math.radians(2.5534 + 29.10535670 * k - 0.0000014 * t ** 2 - 0.00000011 * t ** 3)
    m_moon = math.radians(201.5643 + 385.81693528 * k + 0.0107582 * t ** 2 + 0.00001238 * t ** 3
                          - 0.000000058 * t ** 4)
    f = math.radians(160.7108 + 390.67050284 * k - 0.0016118 * t ** 2 - 0.00000227 * t ** 3)
    omega = math.radians(124.7746 - 1.56375588 * k + 0.0020672 * t ** 2 + 0.00000215 * t ** 3)
    for coefficient, power, a, b, c, d in _NEW_MOON_TERMS:
        jde += coefficient * e ** power * math.sin(a * m + b * m_moon + c * f + d * omega)
    # Terrestrial time runs about a minute ahead of UTC over these years: near enough for days.
    return datetime(1970, 1, 1) + timedelta(days=jde - _JD_UNIX, seconds=-65)


def new_moons_between(start: datetime, end: datetime) -> list[datetime]:
    """The new moons (UTC) in ``[start, end)``."""
    first = math.floor((start - datetime(2000, 1, 6)).days / 29.530588861) - 1
    moons = (new_moon(k) for k in range(first, first + 3 + math.ceil((end - start).days / 29.5)))
    return [moon for moon in moons if start <= moon < end]


def _new_moon_day(start: date, end: date, zone_hours: float) -> date | None:
    """The local day (at ``zone_hours`` from UTC) of the new moon between two local days, inclusive."""
    shift = timedelta(hours=zone_hours)
    moons = new_moons_between(datetime.combine(start, datetime.min.time()) - shift,
                              datetime.combine(end + timedelta(days=1), datetime.min.time()) - shift)
    return (moons[0] + shift).date() if moons else None


# --- the Chinese and Hindu calendars ------------------------------------------------------
def chinese_new_year(year: int) -> date | None:
    """The first day of the Chinese lunar year that begins in ``year`` (Beijing time)."""
    return _new_moon_day(date(year, 1, 21), date(year, 2, 20), 8)


# The sun enters sidereal Libra (Tula sankranti) on 17 October 2020 at 01:35 UTC, and a
# sidereal year later each year after: the lunar month holding that day is Ashvin, ended by the
# new moon of Diwali.
_TULA_SANKRANTI_2020 = datetime(2020, 10, 17, 1, 35)
_SIDEREAL_YEAR = 365.25636


def diwali(year: int) -> date | None:
    """Lakshmi Puja, on the new moon that ends the month Ashvin (the first after the sun enters
    sidereal Libra): the day whose evening in India (18:30, UTC+5:30) is the last before it."""
    sankranti = _TULA_SANKRANTI_2020 + timedelta(days=(year - 2020) * _SIDEREAL_YEAR)
    moons = new_moons_between(sankranti, sankranti + timedelta(days=31))
    if not moons:
        return None
    indian = moons[0] + timedelta(hours=5, minutes=30)
    day = indian.date()
    return day if (indian.hour, indian.minute) >= (18, 30) else day - timedelta(days=1)


# --- the Islamic calendar -----------------------------------------------------------------
_ISLAMIC_EPOCH = date(622, 7, 19).toordinal()  # 1 Muharram 1 AH, by the arithmetic calendar
_MECCA_SUNSET_UTC = 15.5  # hours: sunset in Mecca, about 18:30 local time all year round


def _tabular_islamic(year: int, month: int, day: int) -> date:
    """A day of the arithmetic (tabular) Islamic calendar: within two days of the observed one."""
    return date.fromordinal(_ISLAMIC_EPOCH - 1 + (year - 1) * 354 + (3 + 11 * year) // 30
                            + 29 * (month - 1) + month // 2 + day)


def islamic_day(year: int, month: int, day: int) -> date:
    """A day of the Islamic calendar: the month starts the day after the new moon if that falls
    before sunset in Mecca, else the day after that."""
    estimate = _tabular_islamic(year, month, 1)
    moons = new_moons_between(datetime.combine(estimate - timedelta(days=16), datetime.min.time()),
                              datetime.combine(estimate + timedelta(days=14), datetime.min.time()))
    moon = min(moons, key=lambda m: abs((m.date() - estimate).days))
    first = moon.date() + timedelta(days=1 if moon.hour + moon.minute / 60 < _MECCA_SUNSET_UTC else 2)
    return first + timedelta(days=day - 1)


def islamic_feast(month: int, day: int) -> Callable[[int], date | None]:
    """The day of an Islamic date (``month``, ``day``) in a Gregorian year: the first one, when a
    short Islamic year puts it there twice."""
    def in_year(year: int) -> date | None:
        guess = round((year - 622) * 365.2425 / 354.367)  # Islamic years elapsed by that year
        days = sorted(d for y in range(guess - 1, guess + 3) if (d := islamic_day(y, month, day)).year == year)
        return days[0] if days else None
    return in_year


# --- the Hebrew calendar ------------------------------------------------------------------
_HEBREW_EPOCH = -1373427  # R.D. of 1 Tishrei AM 1 (7 October 3761 BCE, Julian)


def _elapsed_days(year: int) -> int:
    """Days from the Hebrew epoch to Rosh Hashanah of ``year`` before the year-length postponements."""
    months = (235 * year - 234) // 19
    parts = 12084 + 13753 * months
    days = 29 * months + parts // 25920
    return days + 1 if (3 * (days + 1)) % 7 < 3 else days


def rosh_hashanah_of(hebrew_year: int) -> date:
    """1 Tishrei of a Hebrew year."""
    before, this, after = (_elapsed_days(hebrew_year + d) for d in (-1, 0, 1))
    correction = 2 if after - this == 356 else 1 if this - before == 382 else 0
    return date.fromordinal(_HEBREW_EPOCH + this + correction)


def rosh_hashanah(year: int) -> date:
    return rosh_hashanah_of(year + 3761)


def yom_kippur(year: int) -> date:
    return rosh_hashanah(year) + timedelta(days=9)


def passover(year: int) -> date:
    """15 Nisan: always 163 days before the next Rosh Hashanah."""
    return rosh_hashanah(year) - timedelta(days=163)


def hanukkah(year: int) -> date:
    """25 Kislev (its eve is the first candle): Tishrei has 30 days, Heshvan 30 in a full year."""
    new_year = rosh_hashanah(year)
    length = (rosh_hashanah(year + 1) - new_year).days
    return new_year + timedelta(days=30 + (30 if length in (355, 385) else 29) + 24)


# --- the Julian calendar ------------------------------------------------------------------
def orthodox_easter(year: int) -> date:
    """Easter of the Julian computus (Meeus), in the Gregorian calendar."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    julian = date(year, month, day + 1)
    return julian + timedelta(days=year // 100 - year // 400 - 2)


# Rule names of the grammar's holiday table → the day in a Gregorian year.
MOVABLE_FEASTS: dict[str, Callable[[int], date | None]] = {
    "ramadan": islamic_feast(9, 1),
    "eid_al_fitr": islamic_feast(10, 1),
    "eid_al_adha": islamic_feast(12, 10),
    "rosh_hashanah": rosh_hashanah,
    "yom_kippur": yom_kippur,
    "passover": passover,
    "hanukkah": hanukkah,
    "diwali": diwali,
    "chinese_new_year": chinese_new_year,
    "orthodox_easter": orthodox_easter,
}
