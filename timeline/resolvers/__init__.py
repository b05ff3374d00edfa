"""The resolvers, one per rule kind: what a matched expression's fields denote in time.

Each resolver takes a :class:`~timeline.matching.Mention` and the :class:`Context` (the text,
the publication date, the discourse so far) and returns an :class:`Outcome`, or None when
the match is no timex after all. :data:`RESOLVERS` maps each rule kind of the grammar schema
(:mod:`timeline.grammar.schema`) to its resolver; :mod:`timeline.resolution` drives them.
"""
from __future__ import annotations

from typing import Callable

from ..matching import Mention
from .amounts import _duration, _set, _vague
from .calendar import _calendar, _century, _decade, _era, _historic_day
from .clock import _clock_on_day, _clock_time
from .context import Context, Outcome
from .holiday import _holiday
from .offset import _offset
from .relative import _anaphoric_period, _deictic_day, _relative_period
from .weekday import _nth_in, _weekday, _weekday_day, _weekend
from .year_parts import _half, _quarter, _season

RESOLVERS: dict[str, Callable[[Mention, Context], Outcome | None]] = {
    "calendar": _calendar, "weekday": _weekday, "deictic_day": _deictic_day,
    "relative_period": _relative_period, "offset": _offset, "anaphoric_period": _anaphoric_period,
    "decade": _decade, "century": _century, "quarter": _quarter, "half": _half, "season": _season,
    "clock": _clock_time, "duration": _duration, "set": _set, "vague": _vague,
    "holiday": _holiday, "weekend": _weekend, "clock_on_day": _clock_on_day,
    "era": _era, "historic_day": _historic_day, "weekday_day": _weekday_day, "nth_in": _nth_in,
}
