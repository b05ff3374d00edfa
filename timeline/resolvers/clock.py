"""Resolvers of clock times: ``clock`` ("3 p.m." on the day last mentioned) and
``clock_on_day`` ("Thursday at noon"), and the narrowing of a day to a time of day."""
from __future__ import annotations

from typing import Any

from ..matching import Mention
from ..periods import Period
from .calendar import resolve_calendar
from .context import RANK, Context, Outcome, adjoining, missing, publication_day, published_outcome
from .weekday import resolve_weekday


def apply_time_of_day(outcome: Outcome, fields: dict[str, Any]) -> Outcome:
    """Narrow a day to a part of day or a clock time when the expression names one."""
    period = outcome.period
    if period is None and outcome.underspecified and outcome.value.startswith("XXXX-") and "T" not in outcome.value:
        # No publication date: keep the time of day in the X value ("XXXX-WXX-4TEV").
        clock = clock_of(fields) if fields.get("hour") is not None or fields.get("clock_word") else None
        if clock is not None:
            outcome.value += f"T{clock[0]:02d}:{clock[1]:02d}"
            outcome.type = "TIME"
        elif fields.get("part_of_day"):
            outcome.value += f"T{fields['part_of_day']}"
            outcome.type = "TIME"
        return outcome
    if period is None or period.granularity != "day":
        return outcome
    if fields.get("hour") is not None or fields.get("clock_word"):
        clock = clock_of(fields)
        if clock is not None:
            outcome.period = period.at_clock(*clock)
            outcome.type = "TIME"
    elif fields.get("part_of_day"):
        outcome.period = period.with_part_of_day(fields["part_of_day"])
        outcome.type = "TIME"
    return outcome


def clock_of(fields: dict[str, Any]) -> tuple[int, int] | None:
    if fields.get("clock_word"):
        hour, minute = (int(x) for x in fields["clock_word"].split(":"))
    else:
        named = fields.get("hour")
        if not isinstance(named, int):
            return None
        hour, minute = named, fields.get("minute") or 0
        meridiem = fields.get("ampm")
        part = fields.get("part_of_day")
        if meridiem is None and 1 <= hour <= 11 and (part in ("AF", "EV") or part == "NI" and hour >= 6):
            meridiem = "PM"  # "tonight at 8", "at 9 this evening"
        if meridiem == "PM" and str(fields.get("range_to", "")).isdigit() and 12 > hour > int(fields["range_to"]):
            meridiem = "AM"  # "11-1pm": the range crosses noon
        if meridiem == "PM" and hour < 12:
            hour += 12
        elif meridiem == "AM" and hour == 12:
            hour = 0
    direction, count = fields.get("clock_direction"), fields.get("clock_fraction") or fields.get("num")
    if direction in (1, -1) and isinstance(count, int) and 0 < count < 60 and minute == 0:
        # "half past three", "a quarter to noon", "20 past 6": minutes counted from the hour named.
        hour, minute = divmod((hour * 60 + direction * count) % 1440, 60)
    if not (0 <= hour <= 23 and 0 <= minute <= 59) and (hour, minute) != (24, 0):
        return None
    return hour, minute


def resolve_clock_on_day(mention: Mention, ctx: Context) -> Outcome | None:
    """"10 p.m. Wednesday", "Thursday at noon": resolve the day; the clock is applied after."""
    f = mention.fields
    if f.get("weekday") is not None:
        return resolve_weekday(mention, ctx)
    if f.get("month") is not None:
        return resolve_calendar(mention, ctx)
    shift = f.get("day_shift")
    if ctx.published is None:
        return missing("day", what="day of the clock time")
    period = Period.containing(publication_day(ctx), "day").shift(int(shift or 0))
    return published_outcome(period, ctx, reason="clock time on a day named relative to publication")


def resolve_clock(mention: Mention, ctx: Context) -> Outcome | None:
    clock = clock_of(mention.fields)
    if clock is None:
        return None
    # "from 9:30 to 11:00 on Thursday": the first end takes the day of the second.
    closing = adjoining(mention, ctx, mention.fields.get("until"))
    found = closing if closing is not None and RANK[closing[0].granularity] <= RANK["day"] \
        else ctx.reference("day")
    if found is closing and closing is not None and closing[0].granularity == "minute" \
            and clock > (closing[0].start.hour, closing[0].start.minute):
        found = closing[0].shift(-1, "day"), closing[1]  # "from 22:00 to 06:00 tomorrow": overnight
    if found is None:
        hour, minute = clock
        return missing("minute", f"XXXX-XX-XXT{hour:02d}:{minute:02d}", "day of the clock time")
    base, label = found
    period = Period.containing(base.start, "day").at_clock(*clock)
    where = "the publication date" if label == "publication" else f"the day last mentioned ({base.value()})"
    anchor_value = base.value()
    if closing is not None and label == closing[1]:  # the range's second end, perhaps overnight
        anchor_value = closing[0].value()
        where = f"the day {'before that ' if base is not closing[0] else ''}of the range's second end ({anchor_value})"
    # "around 2:40 a.m.": the approximator stays outside the extent but sets mod.
    return Outcome(period.value(), period, anchor=label, anchor_value=anchor_value,
                   mod=mention.fields.get("approx_outside") or None, reason=f"clock time on {where}")
