"""Resolvers of days of the week: ``weekday`` ("Friday", "last Tuesday"), ``weekend``,
``weekday_day`` ("Tuesday the 19th") and ``nth_in`` ("the third Tuesday of September")."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..matching import Mention
from ..periods import Period, add_months
from .context import (
    WEEKDAY_NAMES,
    Context,
    Outcome,
    by_tense,
    direction_of,
    missing,
    publication_day,
    published_outcome,
    tense_words,
)


def resolve_weekend(mention: Mention, ctx: Context) -> Outcome | None:
    if ctx.published is None:
        return missing("weekend", what="weekend")
    pub = publication_day(ctx)
    this = Period.weekend_of(pub)
    if mention.fields.get("relation") == "this":
        period, reason = this, "the weekend of the publication week ('this')"
    else:
        tense = ctx.tense(mention)
        moment = datetime.combine(pub, time())
        if this.start <= moment:
            period = this
        elif tense.value == "past":
            period = this.shift(-1, "week")
        else:
            period = this
        reason = f"weekend nearest the publication date in the clause's direction, {tense_words(tense)}"
    return published_outcome(period, ctx, reason=reason)


def resolve_weekday(mention: Mention, ctx: Context) -> Outcome | None:
    weekday = mention.fields.get("weekday") or mention.fields.get("weekday_abbr")
    if not isinstance(weekday, int):
        return None
    name = WEEKDAY_NAMES[weekday - 1]
    relation = mention.fields.get("relation", "")
    if mention.fields.get("anchor") == "mention":
        found = ctx.reference("day")
        if found is None:
            return missing("day", f"XXXX-WXX-{weekday}", "weekday")
        base, label = found
        day = base.start.date()
        if relation in ("previous", "preceding"):
            day -= timedelta(days=(day.isoweekday() - weekday) % 7 or 7)
        else:
            day += timedelta(days=(weekday - day.isoweekday()) % 7 or 7)
        period = Period.containing(day, "day")
        where = "the publication date" if label == "publication" else f"the earlier date {base.value()}"
        return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                       direction="past" if relation in ("previous", "preceding") else "future",
                       reason=f"{name} {'before' if relation in ('previous', 'preceding') else 'after'} {where}")
    # A weekday without a date is how news dates the news of the week ("Smith, born on June 3,
    # 1950, died on Tuesday"): it follows the story only in a history (a text with no
    # publication date, or one that has told several dates far from it first).
    story = ctx.story(mention, "week") if not relation and ctx.discourse.history else None
    if story is not None:
        # "On 3 June ... On Monday": the story moves on, to the first Monday from the story's
        # day (or in the story's week).
        day = story.period.start.date()
        period = Period.containing(day + timedelta(days=(weekday - day.isoweekday()) % 7), "day")
        return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                       direction=direction_of(period, day),
                       reason=f"the first {name} from the story time {story.period.value()}, "
                              f"the latest date of the narrative")
    if ctx.published is None:
        return missing("day", f"XXXX-WXX-{weekday}", "weekday")
    pub = publication_day(ctx)
    back = (pub.isoweekday() - weekday) % 7
    ahead = (weekday - pub.isoweekday()) % 7
    weeks = mention.fields.get("shift")
    if mention.fields.get("of_week") and isinstance(weeks, int):
        # "Wednesday of next week": that day of the week named.
        offset = weekday - pub.isoweekday() + 7 * weeks
        reason = f"{name} of the week {weeks:+d} from the publication week"
    elif relation == "after next":
        offset, reason = (ahead or 7) + 7, f"{name} a week after the next one"
    elif relation in ("last", "past", "previous", "this past"):
        offset, reason = -(back or 7), f"{name} before the publication date ('{relation}')"
    elif relation in ("next", "coming", "this coming"):
        offset, reason = ahead or 7, f"{name} after the publication date ('{relation}')"
    elif relation == "this":
        offset, reason = weekday - pub.isoweekday(), f"{name} of the publication week ('this')"
    else:
        tense = ctx.tense(mention)
        if tense.value == "past":
            offset, reason = -back, f"{name} on or before the publication date, {tense_words(tense)}"
        elif tense.value == "future":
            offset, reason = ahead, f"{name} on or after the publication date, {tense_words(tense)}"
        else:
            offset = -back if back <= ahead else ahead
            reason = f"nearest {name} to the publication date, {tense_words(tense)}"
    period = Period.containing(pub + timedelta(days=offset), "day")
    direction = "same" if offset == 0 else "past" if offset < 0 else "future"
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction=direction, reason=reason)


def resolve_weekday_day(mention: Mention, ctx: Context) -> Outcome | None:
    """"Tuesday the 19th": the day of that number, in the month nearest the publication date (the
    clause's tense deciding) in which it falls on that weekday."""
    f = mention.fields
    weekday, day = f.get("weekday"), f.get("day")
    if not isinstance(weekday, int) or not isinstance(day, int):
        return None
    if ctx.published is None:
        return missing("day", what="month of the weekday and day")
    pub = publication_day(ctx)
    options = []
    for months in range(-12, 13):
        first = add_months(pub.replace(day=1), months)
        try:
            candidate = first.replace(day=day)
        except ValueError:
            continue
        if candidate.isoweekday() == weekday:
            options.append(candidate)
    tense = ctx.tense(mention)
    if tense.value == "past":
        options = [d for d in options if d <= pub] or options
    elif tense.value == "future":
        options = [d for d in options if d >= pub] or options
    if not options:
        return None
    chosen = min(options, key=lambda d: abs((d - pub).days))
    period = Period.containing(chosen, "day")
    return published_outcome(period, ctx, reason=f"the nearest month in which the {day}th is a "
                                          f"{WEEKDAY_NAMES[weekday - 1]}, {tense_words(tense)}")


def resolve_nth_in(mention: Mention, ctx: Context) -> Outcome | None:
    """"the third Tuesday of September", "the last weekend of October", "the last day of 2015",
    "the first week of June": a day, week or weekend counted within a month or year. A week is the
    ISO week holding the counted day (the first week of June holds June 1)."""
    f = mention.fields
    ordinal, weekday, unit = f.get("nth"), f.get("weekday"), f.get("nth_unit")
    if not isinstance(ordinal, int) or not 1 <= abs(ordinal) <= 5:
        return None

    def counted(container: Period) -> Period | None:
        first, end = container.start.date(), container.end.date()
        if isinstance(weekday, int) or unit == "weekend":
            target = weekday if isinstance(weekday, int) else 6
            days = [first + timedelta(days=i) for i in range((end - first).days)
                    if (first + timedelta(days=i)).isoweekday() == target]
        elif unit == "day":
            days = [first + timedelta(days=i) for i in range((end - first).days)]
        elif unit == "week":  # the week holding the 1st, 8th, 15th ... or the last day
            days = [first + timedelta(weeks=i) for i in range(6) if first + timedelta(weeks=i) < end]
            days = days if ordinal > 0 else [end - timedelta(days=1)]
        else:
            return None
        if not days or ordinal > len(days):
            return None
        day = days[ordinal - 1] if ordinal > 0 else days[-1]
        if unit == "weekend":
            return Period.weekend_of(day)
        return Period.containing(day, "week" if unit == "week" else "day")

    month, year = f.get("month"), f.get("year")
    if isinstance(year, int):
        container = Period.containing(date(year, month or 1, 1), "month" if month else "year")
        period = counted(container)
        return Outcome(period.value(), period, reason=f"counted in {container.value()}") if period else None
    if ctx.published is None:
        return missing("day", what="period the day is counted in")
    pub = publication_day(ctx)
    if isinstance(month, int):
        tense = ctx.tense(mention)
        found, how = by_tense(lambda y: counted(Period.containing(date(y, month, 1), "month")), tense, pub)
        if found is None:
            return None
        return published_outcome(found, ctx, reason=f"counted in the {how} such month, {tense_words(tense)}")
    granularity = f.get("period")
    shift = f.get("shift")
    if granularity not in ("month", "year"):
        return None
    container = Period.containing(pub, granularity).shift(shift if isinstance(shift, int) else 0)
    period = counted(container)
    return published_outcome(period, ctx, reason=f"counted in {container.value()}") if period else None
