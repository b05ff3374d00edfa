"""Resolvers of parts of a year: ``quarter`` and ``half`` (calendar or fiscal: "the third
quarter", "fiscal 1Q") and ``season`` ("last summer", "the spring of 1943")."""
from __future__ import annotations

from datetime import date, datetime, time

from ..calendar_arithmetic import full_year
from ..matching import Mention
from ..periods import Period
from ..tense import Tense
from .calendar import year_of_following
from .context import (
    Context,
    Outcome,
    by_tense,
    closing_day,
    direction_of,
    in_story,
    mention_label,
    missing,
    out_of_range,
    past_beside,
    publication_day,
    published_outcome,
    tense_words,
)


def _period_of_year(mention: Mention, ctx: Context, granularity: str, count: int) -> Outcome | None:
    f = mention.fields
    ordinal = f.get("ordinal")
    if ordinal is None and isinstance(f.get("month"), int) and 1 <= f["month"] <= 12:
        # "the June quarter": named by the month it closes, so the period holding that month.
        ordinal = (f["month"] - 1) // (12 // count) + 1
    if not isinstance(ordinal, int):
        return None
    if ordinal < 0:
        ordinal = count
    if not 1 <= ordinal <= count:
        return None
    months = 12 // count

    def make(y: int) -> Period:
        return Period.containing(date(y, (ordinal - 1) * months + 1, 1), granularity)

    year = full_year(f.get("year"))
    if f.get("year_offset") is not None and year is None and ctx.published is not None:
        # "the year-ago third quarter": that quarter in the year before the one reported on.
        report = ctx.discourse.reporting_period()
        pub = publication_day(ctx)
        base = make(report[0].start.year) if report is not None else by_tense(make, Tense(None), pub)[0]
        if base is None:
            return out_of_range()
        period = base.shift(int(f["year_offset"]), "year")
        return Outcome(period.value(), period, anchor=report[1] if report else "publication",
                       anchor_value=report[0].value() if report else publication_day(ctx).isoformat(),
                       direction="past", compared=True,
                       reason=f"the {granularity} named, {-int(f['year_offset'])} year(s) before the one reported on")
    if year is None and f.get("year_shift") is not None and ctx.published is not None:
        period = make(ctx.published.year + int(f["year_shift"]))
        return published_outcome(period, ctx,
                                 reason=f"{granularity} of the year named relative to the publication date")
    if year is not None:
        period = make(year)
        return Outcome(period.value(), period, reason=f"{granularity} of an explicit year")
    closing = closing_day(mention, ctx) if f.get("ending") else None
    if closing is not None:
        # "the fiscal first quarter ended Sept. 30": a company's own numbering, named in the
        # year it closes; its figures are what "a year ago" compares with.
        end, label = closing
        period = make(end.start.year)
        return Outcome(period.value(), period, anchor=label, anchor_value=end.value(), report=True,
                       direction=direction_of(period, end.start.date()),
                       reason=f"the {granularity} {f['ending']} {end.value()}, named in the year it closes")
    story = ctx.story(mention) if not f.get("fiscal") else None
    if story is not None:
        return in_story(make, story, what=granularity, section=ctx.section(story))
    if ctx.published is None:
        return missing(granularity, f"XXXX-{granularity[0].upper()}{ordinal}", f"year of the {granularity}")
    tense = ctx.tense(mention)
    if f.get("fiscal") and tense.value != "future":
        # "earned $5 million in the fiscal first quarter": the company's numbering says nothing
        # of the calendar, but figures are for a quarter over by now, labelled in the year it closed.
        ctx.discourse.fiscal.add(mention_label(mention))
        closed = Period.containing(publication_day(ctx), granularity).shift(-1)
        period = make(closed.start.year)
        return Outcome(period.value(), period, anchor="publication", anchor_value=publication_day(ctx).isoformat(),
                       direction="past", reason=f"fiscal {granularity}: labelled in the year of the "
                                                f"latest {granularity} closed by the publication date")
    # Reports speak of the quarter just closed in every tense ("third-quarter profit will
    # rise"), so the nearest one is taken, unless a past verb right beside it says the period
    # is over ("earned $5 million in the first quarter").
    close_past = past_beside(tense)
    nearest, _ = by_tense(make, tense if close_past else Tense(None), publication_day(ctx))
    if nearest is None:
        return out_of_range()
    if close_past:
        return published_outcome(nearest, ctx, reason=f"latest {granularity} begun by the publication date, "
                                                 f"{tense_words(tense)}")
    return published_outcome(nearest, ctx, reason=f"{granularity} nearest to the publication date")


def resolve_quarter(mention: Mention, ctx: Context) -> Outcome | None:
    return _period_of_year(mention, ctx, "quarter", 4)


def resolve_half(mention: Mention, ctx: Context) -> Outcome | None:
    return _period_of_year(mention, ctx, "half", 2)


def resolve_season(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    code = f.get("season")
    if code not in ("SP", "SU", "FA", "WI"):
        return None
    if f.get("year") is not None or f.get("year_words") is not None:
        period = Period.season(f.get("year") or f["year_words"], code)
        return Outcome(period.value(), period, reason="season of an explicit year")
    if f.get("anchor") == "mention":
        found = ctx.reference("century")
        if found is None:
            return missing("season", f"XXXX-{code}", "season")
        base, label = found
        year = base.start.year
        options = [Period.season(y, code) for y in range(year - 2, year + 3)]
        if f.get("relation") in ("previous", "preceding"):
            period = [p for p in options if p.end <= base.start][-1]
        else:
            period = [p for p in options if p.start >= base.end][0]
        return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                       direction=direction_of(period, base.start.date()),
                       reason=f"the {f.get('relation')} such season after the earlier date {base.value()}")
    shift = f.get("shift")  # -1, 0, 1 from the shift table; absent for "the summer"
    joined = year_of_following(lambda y: Period.season(y, code), mention, ctx) if shift is None else None
    if joined is not None:
        return joined
    story = ctx.story(mention) if shift is None else None
    if story is not None:
        return in_story(lambda y: Period.season(y, code), story, what="season", section=ctx.section(story))
    if ctx.published is None:
        return missing("season", f"XXXX-{code}", "season")
    pub = publication_day(ctx)
    moment = datetime.combine(pub, time())
    options = [Period.season(y, code) for y in (pub.year - 2, pub.year - 1, pub.year, pub.year + 1)]
    current = next((p for p in options if p.start <= moment < p.end), None)
    if shift == -1:
        period = [p for p in options if p.end <= moment][-1]
        reason = "the last such season before the publication date"
    elif shift == 1:
        period = [p for p in options if p.start > moment][0]
        reason = "the next such season after the publication date"
    elif shift == 0 or current is not None:
        period = current or Period.season(pub.year, code)
        reason = "the season of the publication year"
    else:
        tense = ctx.tense(mention)
        made, how = by_tense(lambda y: Period.season(y, code), tense, pub)
        if made is None:
            return out_of_range()
        period = made
        reason = f"nearest {how} such season, {tense_words(tense)}"
    return published_outcome(period, ctx, reason=reason)
