"""The resolvers, one per rule kind: what a matched expression's fields denote in time.

Each resolver takes a :class:`~timeline.matching.Mention` and the :class:`Context` (the text,
the publication date, the discourse so far) and returns an :class:`Outcome`, or None when
the match is no timex after all. :data:`RESOLVERS` maps each rule kind of the grammar schema
(:mod:`timeline.grammar.schema`) to its resolver; :mod:`timeline.resolution` drives them.
"""
from __future__ import annotations

from typing import Callable

from ..anchored import event_anchored
from ..matching import Mention
from .amounts import resolve_duration, resolve_set, resolve_vague
from .calendar import resolve_calendar, resolve_century, resolve_decade, resolve_era, resolve_historic_day
from .clock import resolve_clock, resolve_clock_on_day
from .context import Context, Outcome
from .holiday import resolve_holiday
from .offset import resolve_offset
from .relative import resolve_anaphoric_period, resolve_deictic_day, resolve_relative_period
from .weekday import resolve_nth_in, resolve_weekday, resolve_weekday_day, resolve_weekend
from .year_parts import resolve_half, resolve_quarter, resolve_season

RESOLVERS: dict[str, Callable[[Mention, Context], Outcome | None]] = {
    "calendar": resolve_calendar,
    "weekday": resolve_weekday,
    "deictic_day": resolve_deictic_day,
    "relative_period": resolve_relative_period,
    "offset": resolve_offset,
    "anaphoric_period": resolve_anaphoric_period,
    "decade": resolve_decade,
    "century": resolve_century,
    "quarter": resolve_quarter,
    "half": resolve_half,
    "season": resolve_season,
    "clock": resolve_clock,
    "duration": resolve_duration,
    "set": resolve_set,
    "vague": resolve_vague,
    "holiday": resolve_holiday,
    "weekend": resolve_weekend,
    "clock_on_day": resolve_clock_on_day,
    "era": resolve_era,
    "historic_day": resolve_historic_day,
    "weekday_day": resolve_weekday_day,
    "nth_in": resolve_nth_in,
    "event_anchored": event_anchored,
}
