"""Resolvers of lengths and recurrences: ``duration`` ("three years"), ``set`` ("every
Monday", "twice a year") and ``vague`` ("recently", "in the future")."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from ..matching import Mention
from ..timexes import Interval
from ..values import sum_value, unit_value
from .clock import clock_of
from .context import UNIT_STEPS, Context, Outcome


def resolve_duration(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    num, unit = f.get("num", 1), f.get("unit")
    if unit is None or num is None:
        return None
    if f.get("plus_half") and isinstance(num, (int, float)):
        num = num + 0.5
    value = unit_value(num, unit)
    if value is None:
        return None
    if f.get("plus_unit") is not None:  # "two years and three months": the lengths added up
        more = unit_value(f.get("plus_num", 1), f["plus_unit"])
        if more is None:
            return None
        value = sum_value([value, more])
    return Outcome(value, mod=f.get("approx") or f.get("approx_outside") or None, reason="duration")


def resolve_set(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    quant = (f.get("quant") or "").upper() or None
    if f.get("frequency"):
        return Outcome(f["frequency"], reason="frequency word")
    if f.get("weekday") or f.get("weekdays"):
        day = f.get("weekday") or f.get("weekdays")
        clock = clock_of(f) if f.get("hour") is not None or f.get("clock_word") else None
        at = f"T{clock[0]:02d}:{clock[1]:02d}" if clock else f"T{f['part_of_day']}" if f.get("part_of_day") else ""
        return Outcome(f"XXXX-WXX-{day}{at}", quant=quant or "EACH", reason="recurring weekday")
    if f.get("season"):
        return Outcome(f"XXXX-{f['season']}", quant=quant, reason="recurring season")
    if f.get("weekend"):
        return Outcome("XXXX-WXX-WE", quant=quant, reason="recurring weekend")
    if f.get("month"):
        day = f"-{f['day']:02d}" if f.get("day") else ""
        return Outcome(f"XXXX-{f['month']:02d}{day}", quant=quant, reason="recurring date")
    if f.get("part_of_day") and not f.get("unit"):
        return Outcome(f"XXXX-XX-XXT{f['part_of_day']}", quant=quant, reason="recurring part of day")
    unit = f.get("unit")
    unit_code = ctx.grammar.lookup("unit", unit) if isinstance(unit, str) and unit not in UNIT_STEPS else unit
    if unit_code is None:
        return None
    num = f.get("num", 1)
    value = unit_value(num if isinstance(num, (int, float)) else 1, unit_code)
    if value is None:
        return None
    freq = None
    if f.get("times"):
        times = f["times"]
        count = ctx.grammar.numbers.times.get(times)
        if count is None:
            parsed = times.split()[0]
            count = parsed if parsed.isdigit() else ctx.grammar.lookup("number_word", parsed)
        freq = f"{count}X" if count else None
    return Outcome(value, quant=quant, freq=freq, reason="recurring period")


def vague_outcome(value: str, ctx: Context, what: str) -> Outcome:
    if ctx.published is None:
        return Outcome(value, anchor="missing", reason=f"{what}; no publication date to place it")
    pub = ctx.published.date()
    start = datetime.combine(pub, time())
    interval = {
        "PRESENT_REF": Interval(start, start + timedelta(days=1), "day"),
        "PAST_REF": Interval(None, start, "vague"),
        "FUTURE_REF": Interval(start + timedelta(days=1), None, "vague"),
    }.get(value)
    return Outcome(value, interval=interval, anchor="publication", anchor_value=pub.isoformat(),
                   direction={"PRESENT_REF": "same", "PAST_REF": "past", "FUTURE_REF": "future"}.get(value),
                   reason=what)


def resolve_vague(mention: Mention, ctx: Context) -> Outcome | None:
    value = mention.fields.get("value") or mention.fields.get("vague")
    if value not in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
        return None
    if mention.fields.get("future_only") and (ctx.tense(mention).value == "past" or (
            ctx.tense(mention).value == "prospective" and ctx.story(mention) is not None)):
        # "the Germans soon intervened", "in 1941 ... it would soon reach the river": a step of a
        # past story (the future seen from it), no reference to the future of the publication.
        return None
    words = {"PRESENT_REF": "the present", "PAST_REF": "an unspecified past", "FUTURE_REF": "an unspecified future"}
    return vague_outcome(value, ctx, f"vague reference to {words[value]}")
