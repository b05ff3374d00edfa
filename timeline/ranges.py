"""Ranges: two timexes that are the ends of one stretch of time, linked into one interval.

"from 9:30 to 11:00 on Thursday", "3-4pm", "May 3-5", "between June 2 and June 6", "from
Monday to Wednesday", "1914-1918": the tagger finds and resolves each end as a timex of its
own (TimeML's convention, and what TempEval scores); this pass links the two, as TimeML does
with a DURATION whose ``beginPoint`` and ``endPoint`` are the ends. Both ends get the same
:class:`~timeline.timexes.TimexRange`, with the whole stretch as its interval.

The words that join the ends are grammar data (``[ranges]`` in ``timeline/grammar/<lang>.toml``).

>>> from datetime import datetime
>>> from timeline.grammar import load_grammar
>>> from timeline.pipeline import tag_text
>>> ends = tag_text("The fair runs May 3-5.", datetime(2024, 5, 16), load_grammar("en"))
>>> ends[0].range.text, ends[0].range.value, ends[0].range.interval.to_dict()
('May 3-5', 'P3D', {'start': '2024-05-03', 'end': '2024-05-06', 'granularity': 'day'})
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .grammar import RangeWords
from .timexes import GRANULARITIES, Interval, Timex, TimexRange

# A clock reading as the second end is the moment the stretch stops ("to 11:00" ends at 11:00).
_CLOCK_GRANULARITIES = ("minute", "hour")
# How far before the first end an opener ("from", "between") and a verb of change may stand.
_LOOK_BEFORE = 40


def link_ranges(timexes: list[Timex], text: str, words: RangeWords) -> list[Timex]:
    """``timexes`` with each pair of neighbours that names one stretch linked by a range.

    A pair is linked when only a connector stands between them (or a paired connector, such
    as "and" after "between"), both are dates or times with an interval, the stretch runs
    forward, and no verb of change puts them as an old and a new date ("postponed from
    Tuesday to Thursday"). A timex is the end of at most one range.
    """
    if not words.connectors and not words.paired:
        return timexes
    linked = list(timexes)
    index = 0
    while index + 1 < len(linked):
        found = _range(linked[index], linked[index + 1], text, words)
        if found is None:
            index += 1
            continue
        linked[index] = replace(linked[index], range=found)
        linked[index + 1] = replace(linked[index + 1], range=found)
        index += 2
    return linked


def _range(first: Timex, second: Timex, text: str, words: RangeWords) -> TimexRange | None:
    """The range of two neighbouring timexes, if they are the ends of one stretch."""
    joint = " ".join(text[first.end:second.start].lower().split())
    before = text[max(0, first.start - _LOOK_BEFORE):first.start].lower().split()
    opener = before[-1] if before else ""
    if joint in words.paired:
        if opener != words.paired[joint]:
            return None
    elif joint not in words.connectors:
        return None
    if opener in words.openers and any(word in words.changes for word in before[:-1]):
        return None  # "postponed the vote from Tuesday to Thursday": two dates, not one stretch
    interval = _stretch(first, second)
    if interval is None or interval.start is None or interval.end is None:
        return None
    return TimexRange(begin_point=first.id, end_point=second.id, start=first.start, end=second.end,
                      text=text[first.start:second.end], value=length_value(interval.start, interval.end),
                      interval=interval)


def _stretch(first: Timex, second: Timex) -> Interval | None:
    """From the start of the first end to the end of the second (its start if it is a clock
    reading); None unless both are dates or times with both sides known and it runs forward."""
    if first.type not in ("DATE", "TIME") or second.type not in ("DATE", "TIME"):
        return None
    a, b = first.interval, second.interval
    if a is None or b is None or None in (a.start, a.end, b.start, b.end) or "vague" in (a.granularity, b.granularity):
        return None
    assert a.start is not None and b.start is not None and b.end is not None
    end = b.start if b.granularity in _CLOCK_GRANULARITIES else b.end
    if end <= a.start or b.start < a.start:
        return None
    coarser = max(a.granularity, b.granularity, key=GRANULARITIES.index)
    return Interval(a.start, end, coarser)


def length_value(start: datetime, end: datetime) -> str:
    """The TIMEX3 DURATION value of the stretch ``[start, end)`` in its largest whole unit:
    years, then months, then weeks or days, else hours and minutes ("PT1H30M")."""
    if start.time() == end.time() == datetime.min.time():
        if (start.month, start.day) == (end.month, end.day) == (1, 1):
            return f"P{end.year - start.year}Y"
        if start.day == end.day == 1:
            return f"P{(end.year - start.year) * 12 + end.month - start.month}M"
        days = (end - start).days
        return f"P{days // 7}W" if days % 7 == 0 and start.weekday() == 0 else f"P{days}D"
    minutes = int((end - start).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if days:
        return f"P{days}D" + (f"T{clock}" if clock else "")
    return f"PT{clock or '0M'}"
