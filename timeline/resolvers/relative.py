"""Resolvers of periods named relative to a date: ``deictic_day`` ("yesterday"),
``relative_period`` ("last week", "the quarter ended Sept. 30") and ``anaphoric_period``
("that day", "the next month")."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from ..calendar_arithmetic import FISCAL_GRANULARITIES, fiscal_period
from ..matching import Mention
from ..periods import Period
from .context import (
    RANK,
    Context,
    Outcome,
    closing_day,
    direction_of,
    missing,
    past_beside,
    publication_day,
    reported_period,
    tense_words,
)


def resolve_deictic_day(mention: Mention, ctx: Context) -> Outcome | None:
    shift = int(mention.fields.get("shift", 0))
    if mention.fields.get("anchor") == "mention":
        found = ctx.reference("day")
        if found is None:
            return missing("day")
        base, label = found
        period = Period.containing(base.start, "day").shift(shift)
        return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                       reason="part of the day last mentioned")
    story = ctx.story(mention, "day") if ctx.published is None else None
    if story is not None:
        # No publication date: "the next morning" of a diary, "yesterday" in a letter dated by
        # the story, counted from the story's day.
        period = Period.containing(story.period.start, "day").shift(shift)
        return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                       direction={0: "same"}.get(shift, "past" if shift < 0 else "future"),
                       reason=f"{shift:+d} days from the story time {story.period.value()}, the latest date of the "
                              f"narrative (no publication date)")
    if ctx.published is None:
        part = mention.fields.get("part_of_day")
        return missing("day", f"XXXX-XX-XXT{part}" if part else None, "day relative to the publication date")
    period = Period.containing(publication_day(ctx), "day").shift(shift)
    words = {0: "the publication day", -1: "the day before publication", 1: "the day after publication"}
    return Outcome(period.value(), period, anchor="publication", anchor_value=publication_day(ctx).isoformat(),
                   direction={0: "same"}.get(shift, "past" if shift < 0 else "future"),
                   reason=words.get(shift, f"{shift:+d} days from the publication day"))


def _ended_on(mention: Mention, granularity: str, ctx: Context) -> Outcome | None:
    """"the quarter ended Sept. 30", "the year ending June 30, 1990": the period closing on that day.

    Companies report on fiscal periods, named after the day they close. A quarter, half,
    month or week becomes the calendar one it mostly covers (the quarter ended July 31 runs
    May to July: the second quarter); a year is named by the year it ends in, as "fiscal
    1990" is.
    """
    if granularity not in FISCAL_GRANULARITIES:
        return None
    closing = closing_day(mention, ctx)
    if closing is None:
        return None
    end, label = closing
    last_day = end.end.date() - timedelta(days=1)  # a month closes on its last day
    report = ctx.discourse.reporting_period()
    if report is not None and report[1] in ctx.discourse.fiscal and report[0].granularity == granularity \
            and report[0].start.year == last_day.year:
        # "the fiscal first quarter ... the quarter ended Sept. 29": the same quarter, by the
        # company's numbering.
        return Outcome(report[0].value(), report[0], anchor=report[1], anchor_value=report[0].value(),
                       compared=True, reason=f"the fiscal {granularity} reported on, {mention.fields['ending']} "
                                             f"{end.value()}")
    period = fiscal_period(last_day, granularity)
    return Outcome(period.value(), period, anchor=label, anchor_value=end.value(),
                   direction=direction_of(period, last_day), report=True,
                   reason=f"the {granularity} {mention.fields['ending']} {end.value()}")


def resolve_relative_period(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    unit, shift = f.get("period"), f.get("shift", 0)
    if unit is None or not isinstance(shift, int):
        return None
    weekend = unit == "weekend"
    granularity = "week" if weekend else unit
    if granularity not in RANK:
        return None
    if f.get("ending") and shift == 0:
        ended = _ended_on(mention, granularity, ctx)
        if ended is not None:
            return ended
    looks_ahead = f.get("reported") and ctx.tense(mention).value == "future"
    reported = reported_period(ctx, granularity, unit == "period") if f.get("reported") and not looks_ahead else None
    if reported is not None:
        return reported
    story = ctx.story(mention, present=shift == 0) if not weekend and not f.get("closes") else None
    if story is not None:
        # "the next year", "that month" in a story: counted from the story time, not from now.
        period = Period.containing(story.period.start, granularity).shift(shift)
        words = {-1: "previous", 0: "same", 1: "next"}.get(shift, f"{shift:+d}")
        return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                       direction="same" if shift == 0 else "past" if shift < 0 else "future",
                       reason=f"{words} {unit} relative to the story time {story.period.value()}, "
                              f"the latest date of the narrative")
    if ctx.published is None:
        return missing("weekend" if weekend else granularity, what=f"'{unit}' relative to publication")
    pub = publication_day(ctx)
    base = Period.weekend_of(pub) if weekend else Period.containing(pub, granularity)
    if weekend and shift == 1 and base.start > datetime.combine(pub, time()):
        shift = 0  # "the coming weekend" said on a weekday: the one that has not begun yet
    why = ""
    if f.get("closes") and shift == 0:
        tense = ctx.tense(mention)
        if past_beside(tense):
            # "up 20% since year-end": a past clause speaks of a close that has happened, the
            # previous one while this one is still ahead.
            shift, why = -1, f", its close being past ({tense_words(tense)})"
    period = base.shift(shift, "week" if weekend else None)
    words = {-1: "previous", 0: "current", 1: "next"}.get(shift, f"{shift:+d}")
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction="same" if shift == 0 else "past" if shift < 0 else "future",
                   reason=f"{words} {unit} relative to the publication date{why}")


def resolve_anaphoric_period(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    unit = f.get("period")
    part_of_day = f.get("part_of_day")
    if part_of_day:
        unit = "day"
    if unit in (None, "time", "period"):
        unit = "day" if unit == "time" else "quarter" if unit == "period" else None
    if unit is None or unit not in RANK and unit != "weekend":
        return None
    granularity = "week" if unit == "weekend" else unit
    shift = f.get("shift", 0)
    if isinstance(shift, str):
        shift = ctx.grammar.lookup("shift", shift) or 0
    if f.get("direction") in ("before", "after"):
        shift = -1 if f["direction"] == "before" else 1
    if f.get("ending") and shift == 0:
        ended = _ended_on(mention, granularity, ctx)
        if ended is not None:
            return ended
    # A day closing a fiscal period is part of that period's name ("the quarter ended Oct. 31
    # ... that quarter"); only a quarter or half refers back past it.
    found = ctx.reference(granularity, ctx.discourse.closing if granularity in ("quarter", "half") else None)
    if f.get("reported") and shift == 0 and (found is None or found[0].granularity != granularity):
        # "Earlier this month it expected to break even for the quarter": in a results story, with
        # no quarter named since, the quarter reported on, not the one holding the last date.
        reported = reported_period(ctx, granularity, False)
        if reported is not None:
            return reported
    if found is None:
        return missing(granularity, what="reference to an earlier date")
    base, label = found
    period = base.coarsen(granularity) if RANK[base.granularity] < RANK[granularity] else base
    if base.granularity != granularity and RANK[base.granularity] < RANK[granularity]:
        period = Period.containing(base.start, granularity)
    elif base.granularity in ("part_of_day", "minute", "hour"):
        period = Period.containing(base.start, "day")
    period = period.shift(int(shift))
    if unit == "weekend":
        period = Period.weekend_of(period.start.date())
    if part_of_day:
        period = period.with_part_of_day(part_of_day)
    where = "the publication date" if label == "publication" else f"the earlier date {base.value()}"
    move = {0: "same", -1: "previous", 1: "next"}.get(int(shift), f"{int(shift):+d}")
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                   direction={0: "same", -1: "past", 1: "future"}.get(int(shift)),
                   type="TIME" if part_of_day else None,
                   reason=f"{move} {unit} relative to {where}")
