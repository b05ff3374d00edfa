"""The ``holiday`` resolver: a holiday by its rule ("Christmas", "next Easter", "Thanksgiving
2023"); the day of each rule is computed in :mod:`timeline.calendar_arithmetic`."""
from __future__ import annotations

from ..calendar_arithmetic import holiday_date
from ..matching import Mention
from ..periods import Period
from .calendar import related_occurrence
from .context import (
    RANK,
    Context,
    Outcome,
    by_tense,
    in_story,
    missing,
    out_of_range,
    publication_day,
    published_outcome,
    tense_words,
)


def resolve_holiday(mention: Mention, ctx: Context) -> Outcome | None:
    rule = mention.fields.get("holiday")
    if not isinstance(rule, str):
        return None

    # "Easter week" counts as past once its week has begun, though Easter itself is ahead.
    within = mention.fields.get("within")
    granularity = within if isinstance(within, str) and within in RANK else "day"

    def make(y: int) -> Period | None:
        day = holiday_date(rule, y)
        return Period.containing(day, granularity) if day else None

    if mention.fields.get("year") is not None:
        period = make(mention.fields["year"])
        return Outcome(period.value(), period, reason="holiday of an explicit year") if period else None
    years = mention.fields.get("num")
    if mention.fields.get("in_years") and isinstance(years, int) and ctx.published is not None:
        # "Easter in two years": the holiday of the year that many years after the publication's.
        period = make(ctx.published.year + years)
        if period is None:
            return None
        return published_outcome(period, ctx, reason=f"holiday {years} years after the publication year")
    story = ctx.story(mention) if not mention.fields.get("relation") else None
    if story is not None:
        return in_story(make, story, what="holiday", section=ctx.section(story))
    if ctx.published is None:
        fixed = rule if rule.count("-") == 1 and ":" not in rule and " " not in rule else None
        return missing("day", f"XXXX-{fixed}" if fixed else None, "year of the holiday")
    if mention.fields.get("relation"):
        return related_occurrence(make, mention.fields["relation"], ctx)
    tense = ctx.tense(mention)
    period, how = by_tense(make, tense, publication_day(ctx))
    if period is None:
        return out_of_range()
    return published_outcome(period, ctx, reason=f"holiday {how} to the publication date, {tense_words(tense)}")
