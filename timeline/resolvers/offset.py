"""The ``offset`` resolver: a number of units from the publication date or an earlier date
("two weeks ago", "a year later", "two weekdays ago", "up from a year ago")."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from ..calendar_arithmetic import add_working_days
from ..matching import Mention
from ..periods import Period
from ..values import unit_value
from .amounts import vague_outcome
from .context import UNIT_STEPS, UNIT_WORDS, Context, Outcome, adjoining, missing, publication_day


def resolve_offset(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    num, unit = f.get("num"), f.get("unit")
    direction = f.get("direction")
    if direction is None:
        direction = -1 if f.get("direction_word") == -1 else 1  # "two days earlier", "a year later"
    if f.get("back"):
        direction = -1  # "a year ago today"
    if unit not in UNIT_STEPS or not isinstance(num, int):
        vague = "PAST_REF" if direction < 0 else "FUTURE_REF"
        return vague_outcome(vague, ctx, "an unspecified amount of time " + ("before" if direction < 0 else "after"))
    if f.get("business_days"):
        return _business_days(num * direction, ctx)
    granularity, per_unit = UNIT_STEPS[unit]
    steps = num * per_unit * direction
    mod = f.get("approx") or f.get("approx_outside") or None
    if f.get("past_is_length"):
        tense = ctx.tense(mention)
        if tense.value == "past":
            # "sold out in 20 minutes", "the coldest morning in 30 years": in a past clause
            # "in N units" says how long something took, not when it will happen.
            value = unit_value(num, unit)
            if value is not None:
                return Outcome(value, mod=mod, type="DURATION",
                               reason=f"a length, not an offset: past tense ({tense.cue!r})")
    # Only a look back compares figures ("up from $10 million a year ago"); "will reopen in a
    # year" counts from now, whatever period the story reports on.
    comparison = ctx.discourse.reporting_period() if unit == "Y" and num == 1 and direction < 0 else None
    if comparison is not None:
        # "up from $10 million a year ago": the same reporting period, one year back.
        period = comparison[0].shift(steps, "year")
        named = adjoining(mention, ctx, f.get("apposition"))
        if named is not None and named[0].granularity == period.granularity:
            # "the comparable year-ago quarter, the second quarter ended Oct. 31": the text names it.
            ctx.discourse.compared.add(named[1])
            return Outcome(named[0].value(), named[0], anchor=named[1], anchor_value=named[0].value(),
                           direction="past" if steps < 0 else "future", mod=mod, compared=True,
                           reason=f"the period named in apposition, {named[0].value()}")
        return Outcome(period.value(), period, anchor=comparison[1], anchor_value=comparison[0].value(),
                       direction="past" if steps < 0 else "future", mod=mod, compared=True,
                       reason=f"the reporting period {comparison[0].value()} one year {'back' if steps < 0 else 'on'}")
    if f.get("anchor") == "mention":
        # The latest date mentioned, however coarse: "March 2021 ... two weeks later" counts
        # from March 2021, not from the publication date.
        found = ctx.reference("century")
        if found is None:
            return missing(granularity, what="offset from an earlier date")
        base, label = found
        if granularity in ("minute", "hour") and base.granularity in ("minute", "hour"):
            # "At 9:30 the polls opened. Two hours later ...": the clock moves, to the minute.
            moved = base.start + timedelta(minutes=steps * (60 if granularity == "hour" else 1))
            period = Period.containing(moved, "minute")
        else:
            if granularity in ("minute", "hour"):
                granularity, steps = "day", round(steps / (24 if granularity == "hour" else 1440))
            # Like "N units ago": the result has the unit's granularity ("a week later" → a week).
            period = Period.containing(base.start, granularity).shift(steps)
        where = "the publication date" if label == "publication" else f"the earlier date {base.value()}"
        words = f"{num} {UNIT_WORDS.get(unit, unit)}{'' if num == 1 else 's'} {'before' if direction < 0 else 'after'}"
        return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                       direction="past" if direction < 0 else "future", mod=mod, reason=f"{words} {where}")
    words = f"{num} {UNIT_WORDS.get(unit, unit)}{'' if num == 1 else 's'} {'before' if steps < 0 else 'after'}"
    story = ctx.story(mention) if granularity not in ("minute", "hour") and f.get("anchor") != "now" else None
    if story is not None:
        # "had signed the agreement two years ago", told of 1975: counted from the story time.
        period = Period.containing(story.period.start, granularity).shift(steps)
        return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                       direction="past" if steps < 0 else "future", mod=mod,
                       reason=f"{words} the story time {story.period.value()}, the latest date of the narrative")
    if ctx.published is None:
        return missing(granularity, what="offset from the publication date")
    if unit in ("H", "TM", "S"):
        # Hours and minutes count from the publication moment, and the result is the day they
        # land on.  A date-only publication date has no clock: "3 hours ago" is then the
        # publication day itself (midnight is not the moment), whole days away only in whole days.
        seconds = {"H": 3600, "TM": 60, "S": 1}[unit] * num * direction
        if _date_only(ctx.published):
            days = int(seconds / 86400)  # toward zero: less than a day away is the same day
            period = Period.containing(ctx.published + timedelta(days=days), "day")
            reason = (f"{words} publication; the publication date has no time of day, so "
                      + ("the publication day" if days == 0 else f"{abs(days)} whole day(s) away"))
        else:
            # "in 3 hours", "10 minutes from now", said at a known time: that moment, to the minute
            # (in the publication's local clock time).
            moment = (ctx.published + timedelta(seconds=seconds)).replace(tzinfo=None)
            period = Period.containing(moment, "minute")
            reason = f"{words} the publication time {ctx.published.strftime('%H:%M')}"
        return Outcome(period.value(), period, anchor="publication", anchor_value=ctx.published.isoformat(),
                       direction="past" if seconds < 0 else "future", mod=mod, reason=reason)
    if f.get("lands_on_day"):
        # "a week from today", "a year ago today": the same day, moved by the offset.
        period = Period.containing(publication_day(ctx), "day").shift(steps, granularity)
    else:
        period = Period.containing(publication_day(ctx), granularity).shift(steps)
    return Outcome(period.value(), period, anchor="publication", anchor_value=publication_day(ctx).isoformat(),
                   direction="past" if steps < 0 else "future", mod=mod,
                   reason=f"{words} the publication date")


def _date_only(published: datetime) -> bool:
    """Whether a publication date was given without a time of day (midnight, no time zone)."""
    return published.tzinfo is None and published.time() == time()


def _business_days(count: int, ctx: Context) -> Outcome:
    """"two weekdays ago", "five business days from now": counted in Mondays to Fridays from the
    publication date."""
    if ctx.published is None:
        return missing("day", what="offset in working days from the publication date")
    pub = publication_day(ctx)
    period = Period.containing(add_working_days(pub, count), "day")
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction="past" if count < 0 else "future",
                   reason=f"{abs(count)} working days {'before' if count < 0 else 'after'} the publication date")
