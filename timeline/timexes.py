"""The timex: a temporal expression found in a text, with its normalized value.

One place for the output data model, so the tagger, the CLI, the API and the
timeline all speak the same structure.  Offsets are code-point offsets into the
text that was given; intervals are half-open ``[start, end)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
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
        return data
