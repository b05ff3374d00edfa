"""The timex: a temporal expression found in a text, with its normalized value.

One place for the output data model, so the tagger, the CLI, the API and the
timeline all speak the same structure.  Offsets are code-point offsets into the
text that was given; intervals are half-open ``[start, end)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .grammar import DateLabels, load_labels

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")

# Granularities, finest first: the order is used when comparing intervals.
GRANULARITIES = (
    "minute", "hour", "part_of_day", "day", "week", "month",
    "quarter", "season", "half", "year", "decade", "century", "vague",
)


def _iso(moment: datetime | None, with_time: bool) -> str | None:
    if moment is None:
        return None
    return moment.isoformat(timespec="minutes") if with_time else moment.date().isoformat()


@dataclass(frozen=True)
class Interval:
    """The stretch of time a DATE or TIME covers: ``start`` inclusive, ``end`` exclusive.

    Vague references leave one side open (``None``): PAST_REF ends at the publication
    date, FUTURE_REF starts after it; their granularity is ``"vague"``.
    """

    start: datetime | None
    end: datetime | None
    granularity: str

    def to_dict(self) -> dict[str, str | None]:
        # Dates for day-or-coarser intervals, date-times for finer ones or for a day cut to
        # hours ("early Tuesday"): both sides in the same form, readable for people.
        with_time = self.granularity in ("minute", "hour", "part_of_day") or any(
            moment is not None and moment.time() != datetime.min.time() for moment in (self.start, self.end)
        )
        return {
            "start": _iso(self.start, with_time),
            "end": _iso(self.end, with_time),
            "granularity": self.granularity,
        }


def _day(moment: datetime, labels: DateLabels) -> str:
    return labels.day.format(day=labels.day_number(moment.day), month=labels.months[moment.month - 1],
                             year=moment.year)


def roman(number: int) -> str:
    """``number`` (1 to 3999) in Roman numerals, as some languages number centuries ("siglo XX")."""
    digits = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        digits.append(letters * count)
    return "".join(digits)


def date_label(value: str, interval: Interval | None, mod: str | None = None,
               labels: DateLabels | None = None) -> str:
    """How a person writes a resolved date at its own granularity, never finer than it is known:
    "16 May 2024", "May 2024", "Week 20, 2024", "Q3 2024", "Summer 2024", "1990s",
    "16 May 2024, afternoon", "early May 2024", in the words of ``labels`` (a language's
    ``load_labels``; by default English's).  Falls back to the value itself.
    """
    labels = labels or load_labels()
    label = _plain_label(value, interval, labels)
    template = labels.mods.get(mod or "")
    if not template or interval is None or interval.granularity == "vague":
        return label
    return template.format(date=label)


def _plain_label(value: str, interval: Interval | None, labels: DateLabels) -> str:
    if value in labels.vague:
        return labels.vague[value]
    before_era = re.fullmatch(r"BC(\d{2}|\d{4})", value)
    if before_era:  # no interval holds a year before the common era
        number = int(before_era[1])
        if len(before_era[1]) == 4:
            return labels.bc_year.format(year=number)
        return labels.bc_century.format(ordinal=labels.ordinal(number + 1), roman=roman(number + 1))
    if interval is None or interval.start is None:
        return value
    start, granularity = interval.start, interval.granularity
    if granularity == "minute":
        return labels.day_time.format(date=_day(start, labels), time=f"{start:%H:%M}")
    if granularity == "hour":
        return labels.day_time.format(date=_day(start, labels), time=f"{start:%H}:00")
    if granularity == "part_of_day":
        return labels.day_part.format(date=_day(start, labels), part=labels.parts_of_day.get(value[-2:],
                                                                                            labels.part_of_day))
    if granularity == "day":
        last = interval.end - timedelta(days=1) if interval.end is not None else start
        if last.date() <= start.date():
            return _day(start, labels)
        if (last.year, last.month) == (start.year, start.month):
            return labels.days_in_month.format(first=labels.day_number(start.day), date=_day(last, labels))
        return labels.days.format(first=_day(start, labels), date=_day(last, labels))
    if granularity == "week":
        match = re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value)
        year, week = (int(match[1]), int(match[2])) if match else start.isocalendar()[:2]
        return (labels.weekend if match and match[3] else labels.week).format(week=week, year=year)
    if granularity == "month":
        return labels.month.format(month=labels.months[start.month - 1], year=start.year)
    if granularity == "quarter":
        return labels.quarter.format(quarter=(start.month - 1) // 3 + 1, year=start.year)
    if granularity == "half":
        return labels.half.format(half=(start.month - 1) // 6 + 1, year=start.year)
    if granularity == "season":
        match = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        if match:
            return labels.season.format(season=labels.seasons.get(match[2], match[2]), year=match[1])
        return labels.month.format(month=labels.months[start.month - 1], year=start.year)
    if granularity == "year":
        return labels.year.format(year=start.year)
    if granularity == "decade":
        return labels.decade.format(decade=start.year // 10 * 10)
    if granularity == "century":
        century = start.year // 100 + 1
        return labels.century.format(ordinal=labels.ordinal(century), roman=roman(century))
    return value


@dataclass(frozen=True)
class Resolution:
    """Why a timex got its value, so a reader can check the reasoning.

    ``anchor`` is ``"publication"`` (the document's publication date), ``"timex:<id>"``
    (an earlier expression in the text), ``"none"`` (absolute expressions need no anchor)
    or ``"missing"`` (relative expression but no publication date: left underspecified).
    """

    rule: str
    anchor: str
    direction: str | None = None  # "past", "future", "same" or None
    anchor_value: str | None = None
    reason: str = ""
    underspecified: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "anchor": self.anchor}
        if self.anchor_value is not None:
            data["anchor_value"] = self.anchor_value
        data["direction"] = self.direction
        data["reason"] = self.reason
        data["underspecified"] = self.underspecified
        return data


@dataclass(frozen=True)
class TimexRange:
    """One stretch of time named by two timexes as its ends ("from 9:30 to 11:00 on Thursday",
    "3-4pm", "May 3-5", "between June 2 and June 6"), linked as TimeML links them: a DURATION
    with a ``beginPoint`` and an ``endPoint``.  Both ends carry the same range and keep their
    own values, so each end is still scored as the timex it is.

    ``start``/``end``/``text`` span both ends and what joins them; ``value`` is the length of the
    stretch; ``interval`` runs from the first end's start to the second end's end, or to its
    start when the second end is a clock reading ("to 11:00" ends at 11:00).
    """

    begin_point: str  # the id of the first end
    end_point: str  # the id of the second end
    start: int
    end: int
    text: str
    value: str
    interval: Interval

    def to_dict(self) -> dict[str, Any]:
        return {"begin_point": self.begin_point, "end_point": self.end_point, "start": self.start,
                "end": self.end, "text": self.text, "value": self.value, "interval": self.interval.to_dict()}


@dataclass(frozen=True)
class Timex:
    """A TIMEX3: the expression's span, type, normalized value and how it was resolved."""

    id: str
    start: int
    end: int
    text: str
    type: str
    value: str
    resolution: Resolution
    interval: Interval | None = None
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None
    range: TimexRange | None = None  # set on both ends of a range

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
            "interval": self.interval.to_dict() if self.interval else None,
        }
        if self.mod:
            data["mod"] = self.mod
        if self.quant:
            data["quant"] = self.quant
        if self.freq:
            data["freq"] = self.freq
        data["resolution"] = self.resolution.to_dict()
        if self.range is not None:
            data["range"] = self.range.to_dict()
        return data
