"""Calendar periods: the arithmetic behind TIMEX3 values and intervals.

A :class:`Period` is a stretch of calendar time at one granularity (a day, an ISO
week, a quarter, a season ...), identified by its first moment.  Resolution
shifts periods ("last week" is this week shifted by -1) and the output reads
their TIMEX3 value and half-open interval from them, so both always agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .timexes import Interval

# Parts of day as (start hour, length in hours); EV ends at midnight, NI runs into the next day.
PARTS_OF_DAY: dict[str, tuple[int, int]] = {
    "MO": (6, 6), "MI": (11, 2), "AF": (12, 6), "EV": (18, 6), "NI": (21, 9), "DT": (6, 12),
}
SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
# Sub-units used to narrow a period for START / MID / END: (unit, count is computed).
_MOD_SUBUNIT = {
    "century": "decade", "decade": "year", "year": "month", "half": "month", "season": "month",
    "quarter": "month", "month": "day", "week": "day", "day": "hour", "part_of_day": "hour",
}
_MONTHS_PER = {"month": 1, "quarter": 3, "season": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}


def add_months(day: date, months: int) -> date:
    """Shift a date by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_first - timedelta(days=1)).day))


def _first_of_week(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


# Years before the common era have no place in Python's calendar (years 1-9999), yet a story
# of 490 BC counts its years, seasons and days like any other. They are held in a stand-in
# stretch of that calendar: 1 BC is year BC_BASE, 2 BC the year before it, and so on back to
# year BC_FLOOR; BC_BASE is a multiple of 400, so leap years fall as the proleptic Gregorian
# calendar has them. A year at or above BC_FLOOR is a year before the common era, and its
# value is written as TIMEX2 and HeidelTime write it (BC0490, BC0480-SU). A count that runs
# past 1 BC does not carry on into the common era (a known limit: such stories are rare).
BC_BASE = 8000
BC_FLOOR = BC_BASE - 2999


def bc_year(year: int) -> int:
    """The stand-in calendar year for ``year`` BC (1 <= year <= 3000)."""
    return BC_BASE + 1 - year


@dataclass(frozen=True)
class Period:
    """A calendar period at one granularity, starting at ``start``.

    ``start`` is normalized to the first moment of the period (e.g. Monday for a
    week, the 1st for a month), so equal periods compare equal.
    """

    granularity: str
    start: datetime
    part_of_day: str | None = None  # MO/AF/EV/NI for granularity "part_of_day"
    weekend: bool = False  # granularity "week" but only Saturday..Monday
    midnight: bool = False  # a "T24:00" minute: the end of ``start``'s previous day

    # --- construction -------------------------------------------------------------
    @classmethod
    def containing(cls, moment: date | datetime, granularity: str) -> "Period":
        """The period of the given granularity that contains ``moment``."""
        day = moment.date() if isinstance(moment, datetime) else moment
        if granularity == "day":
            first = day
        elif granularity == "week":
            first = _first_of_week(day)
        elif granularity == "month":
            first = day.replace(day=1)
        elif granularity == "quarter":
            first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        elif granularity == "half":
            first = date(day.year, 1 if day.month <= 6 else 7, 1)
        elif granularity == "season":
            # Meteorological seasons; December belongs to the winter that starts that year.
            month = day.month
            start_month = 12 if month == 12 else (month // 3) * 3 if month >= 3 else 12
            year = day.year - 1 if month < 3 else day.year
            first = date(year, start_month, 1)
        elif granularity == "year":
            first = date(day.year, 1, 1)
        elif granularity == "decade":
            first = date(max(1, day.year // 10 * 10), 1, 1)
        elif granularity == "century":
            first = date(max(1, day.year // 100 * 100), 1, 1)  # the 1st century starts in year 1
        elif granularity in ("hour", "minute") and isinstance(moment, datetime):
            keep = moment.replace(second=0, microsecond=0)
            if granularity == "hour":
                keep = keep.replace(minute=0)
            return cls(granularity, keep)
        else:
            raise ValueError(f"unknown granularity {granularity!r}")
        return cls(granularity, datetime.combine(first, time()))

    @classmethod
    def season(cls, year: int, code: str) -> "Period":
        return cls("season", datetime(year, SEASON_START_MONTH[code], 1))

    @classmethod
    def weekend_of(cls, day: date) -> "Period":
        monday = _first_of_week(day)
        return cls("week", datetime.combine(monday + timedelta(days=5), time()), weekend=True)

    def with_part_of_day(self, code: str) -> "Period":
        """The part of this period's day named by ``code`` (MO, AF, EV, NI ...)."""
        return Period("part_of_day", datetime.combine(self.start.date(), time()), part_of_day=code)

    def at_clock(self, hour: int, minute: int) -> "Period":
        """A clock time on this period's day; hour 24 means the midnight that ends the day."""
        day = datetime.combine(self.start.date(), time())
        if hour == 24:
            return Period("minute", day + timedelta(days=1), midnight=True)
        return Period("minute", day.replace(hour=hour, minute=minute))

    # --- arithmetic -----------------------------------------------------------------
    def shift(self, amount: int, unit: str | None = None) -> "Period":
        """This period moved by ``amount`` units (default: its own granularity), keeping the granularity."""
        unit = unit or ("day" if self.granularity == "part_of_day" else self.granularity)
        start = self.start
        if unit in ("minute", "hour", "day", "week"):
            step = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1),
                    "day": timedelta(days=1), "week": timedelta(weeks=1)}[unit]
            moved = start + step * amount
        elif unit in _MONTHS_PER:
            moved = datetime.combine(add_months(start.date(), _MONTHS_PER[unit] * amount), start.time())
        else:
            raise ValueError(f"cannot shift by {unit!r}")
        if self.granularity in ("part_of_day", "minute", "hour") or self.weekend:
            return Period(self.granularity, moved, self.part_of_day, self.weekend, self.midnight)
        # Re-normalize so e.g. a month shifted by weeks lands on its containing month.
        return Period.containing(moved, self.granularity)

    def coarsen(self, granularity: str) -> "Period":
        """The period of a coarser granularity that contains this one."""
        return Period.containing(self.start, granularity)

    # --- reading --------------------------------------------------------------------
    @property
    def end(self) -> datetime:
        if self.granularity == "part_of_day":
            hour, length = PARTS_OF_DAY[self.part_of_day or "DT"]
            return self.start + timedelta(hours=hour + length)
        if self.weekend:
            return self.start + timedelta(days=2)
        return self.shift(1).start

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) of the period: both sides closed, unlike a vague Interval's."""
        start = self.start
        if self.granularity == "part_of_day":
            start = start + timedelta(hours=PARTS_OF_DAY[self.part_of_day or "DT"][0])
        return start, self.end

    def interval(self) -> Interval:
        return Interval(*self.bounds(), self.granularity)

    def narrowed(self, mod: str | None) -> Interval:
        """The interval, narrowed to its first/middle/last third for START/MID/END.

        The period is cut into sub-units (a month into days, a year into months ...);
        with ``k = round(n / 3)`` START keeps the first k, END the last k and MID the rest.
        """
        first, last = self.bounds()
        sub = _MOD_SUBUNIT.get(self.granularity)
        if mod not in ("START", "MID", "END") or sub is None or self.weekend:
            return Interval(first, last, self.granularity)
        edges = [first]
        while edges[-1] < last:
            nxt = Period.containing(edges[-1], sub).shift(1).start
            edges.append(min(nxt, last))
        count = len(edges) - 1
        k = max(1, round(count / 3))
        if mod == "START":
            lo, hi = 0, k
        elif mod == "END":
            lo, hi = count - k, count
        else:
            lo, hi = k, count - k
        return Interval(edges[lo], edges[hi], self.granularity)

    @property
    def before_common_era(self) -> bool:
        """Whether the period is a time before the common era, held in the stand-in years."""
        return BC_FLOOR <= self.start.year <= BC_BASE

    def value(self) -> str:
        """The TIMEX3 value (ISO 8601 with TimeML extensions)."""
        value = self._iso_value()
        if not self.before_common_era or self.granularity not in _BC_VALUES:
            return value  # no BC clock, week, quarter or half values: they keep their stand-in year
        year = BC_BASE + 1 - self.start.year  # the year before the common era the period starts in
        if self.granularity == "decade":
            return f"BC{year // 10:03d}"  # a stand-in decade straddles two: named by its first year's
        if self.granularity == "century":
            return f"BC{(year - 1) // 100:02d}"
        return f"BC{year:04d}{value[4:]}"

    def _iso_value(self) -> str:
        day = self.start.date()
        g = self.granularity
        if g == "day":
            return day.isoformat()
        if g == "week":
            year, week, _ = (day - timedelta(days=5) if self.weekend else day).isocalendar()
            return f"{year:04d}-W{week:02d}" + ("-WE" if self.weekend else "")
        if g == "month":
            return f"{day.year:04d}-{day.month:02d}"
        if g == "quarter":
            return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
        if g == "half":
            return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
        if g == "season":
            code = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}[day.month]
            return f"{day.year:04d}-{code}"
        if g == "year":
            return f"{day.year:04d}"
        if g == "decade":
            return f"{day.year // 10:03d}"
        if g == "century":
            return f"{day.year // 100:02d}"
        if g == "part_of_day":
            return f"{day.isoformat()}T{self.part_of_day}"
        if g == "hour":
            return f"{day.isoformat()}T{self.start.hour:02d}"
        if self.midnight:
            return f"{(day - timedelta(days=1)).isoformat()}T24:00"
        return f"{day.isoformat()}T{self.start.hour:02d}:{self.start.minute:02d}"


# Granularities that have a value before the common era (BC0490, BC0490-SU, BC048, BC04 ...).
_BC_VALUES = frozenset({"day", "month", "season", "year", "decade", "century"})
