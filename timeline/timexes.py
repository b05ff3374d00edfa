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


_SEASONS = {"SP": "Spring", "SU": "Summer", "FA": "Autumn", "WI": "Winter"}
_PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night",
                 "DT": "daytime"}
_VAGUE = {"PAST_REF": "the past", "PRESENT_REF": "now", "FUTURE_REF": "the future"}
_MOD_WORDS = {"START": "early", "MID": "mid", "END": "late", "APPROX": "about", "BEFORE": "before",
              "AFTER": "after", "ON_OR_BEFORE": "by", "ON_OR_AFTER": "from"}


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B} {moment.year}"


def date_label(value: str, interval: Interval | None, mod: str | None = None) -> str:
    """How a person writes a resolved date at its own granularity, never finer than it is known:
    "16 May 2024", "May 2024", "Week 20, 2024", "Q3 2024", "Summer 2024", "1990s",
    "16 May 2024, afternoon", "early May 2024".  Falls back to the value itself.
    """
    label = _plain_label(value, interval)
    word = _MOD_WORDS.get(mod or "")
    if not word or interval is None or interval.granularity == "vague":
        return label
    return f"mid-{label}" if word == "mid" else f"{word} {label}"


def _plain_label(value: str, interval: Interval | None) -> str:
    if value in _VAGUE:
        return _VAGUE[value]
    before_era = re.fullmatch(r"BC(\d{2}|\d{4})", value)
    if before_era:  # no interval holds a year before the common era
        number = int(before_era[1])
        return f"{number} BC" if len(before_era[1]) == 4 else f"{_ordinal(number + 1)} century BC"
    if interval is None or interval.start is None:
        return value
    start, granularity = interval.start, interval.granularity
    if granularity == "minute":
        return f"{_day(start)}, {start:%H:%M}"
    if granularity == "hour":
        return f"{_day(start)}, {start:%H}:00"
    if granularity == "part_of_day":
        return f"{_day(start)}, {_PARTS_OF_DAY.get(value[-2:], 'part of the day')}"
    if granularity == "day":
        last = interval.end - timedelta(days=1) if interval.end is not None else start
        if last.date() <= start.date():
            return _day(start)
        if (last.year, last.month) == (start.year, start.month):
            return f"{start.day}–{_day(last)}"
        return f"{_day(start)} – {_day(last)}"
    if granularity == "week":
        match = re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", value)
        year, week = (int(match[1]), int(match[2])) if match else start.isocalendar()[:2]
        return f"Weekend, week {week}, {year}" if match and match[3] else f"Week {week}, {year}"
    if granularity == "month":
        return f"{start:%B} {start.year}"
    if granularity == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if granularity == "half":
        return f"H{(start.month - 1) // 6 + 1} {start.year}"
    if granularity == "season":
        match = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value)
        return f"{_SEASONS[match[2]]} {match[1]}" if match else f"{start:%B} {start.year}"
    if granularity == "year":
        return str(start.year)
    if granularity == "decade":
        return f"{start.year // 10 * 10}s"
    if granularity == "century":
        return f"{_ordinal(start.year // 100 + 1)} century"
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
