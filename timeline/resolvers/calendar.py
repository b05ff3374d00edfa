"""Resolvers of calendar dates: ``calendar`` ("16 May 2024", "in March", "April 24 and 25"),
``decade``, ``century``, ``era`` ("480 BC") and ``historic_day`` ("D-Day")."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Callable

from ..calendar_arithmetic import full_year
from ..matching import Mention
from ..periods import Period, bc_year
from .context import (
    RANK,
    WEEKDAY_NAMES,
    Context,
    Outcome,
    adjoining,
    by_tense,
    in_story,
    missing,
    out_of_range,
    publication_day,
    published_outcome,
    tense_words,
)


def resolve_calendar(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    year, month, day = f.get("year") or f.get("year_words"), f.get("month") or f.get("mm"), f.get("day") or f.get("dd")
    if year is None and f.get("year_shift") is not None:
        if ctx.published is None:
            return missing("month", f"XXXX-{month:02d}", "year")
        year = ctx.published.year + int(f["year_shift"])
    if f.get("year_short") is not None:
        year = _short_year(f, ctx)
        if year is None:
            return None
    if f.get("year_of") and ctx.published is not None:
        # "March 3 of that year": the year of the latest date mentioned, or the one after or before.
        found = ctx.reference("year")
        if found is not None:
            step = ctx.grammar.lookup("shift", f["year_of"].split()[-1])
            year = found[0].start.year + (step if isinstance(step, int) else 0)
    year = full_year(year)
    if day is not None and year is None and f.get("anchor") == "following":
        earlier = _earlier_day_of_following(day, month, mention, ctx)
        if earlier is not None or month is None:
            return earlier
    if day is not None and month is None and f.get("anchor") == "month":
        return _day_of_month_in_discourse(day, ctx)
    if day is not None and month is None:
        return _later_day_of_mention(day, year, ctx) if f.get("anchor") == "mention" else None
    try:
        if year is not None:
            if day is not None and month is not None:  # (a day without a month returned above)
                period = Period.containing(date(year, month, day), "day")
            elif month is not None:
                period = Period.containing(date(year, month, 1), "month")
            else:
                period = Period.containing(date(year, 1, 1), "year")
                reporting = ctx.discourse.reporting_period() if f.get("period_noun") else None
                if reporting is not None and reporting[0].granularity in ("month", "quarter", "half"):
                    # "the 1988 quarter": the period being reported on, in that year.
                    same = Period.containing(date(year, reporting[0].start.month, 1), reporting[0].granularity)
                    return Outcome(same.value(), same, anchor=reporting[1], anchor_value=reporting[0].value(),
                                   compared=True, reason=f"the reporting period {reporting[0].value()} in {year}")
                if reporting is not None:
                    # "the 1988 period" after "the first nine months": that stretch of 1988.
                    return Outcome(period.value(), period, anchor=reporting[1], anchor_value=reporting[0].value(),
                                   compared=True, reason=f"the reporting period {reporting[0].value()} in {year}")
            return Outcome(period.value(), period, reason="absolute date")
        if month is None:
            return None  # neither year nor month: nothing to place
        if day is not None:
            date(2000, month, day)  # valid in a leap year at least ("February 29")
    except ValueError:
        return None  # "February 30, 2023" is not a date
    granularity = "day" if day is not None else "month"

    def make(y: int) -> Period | None:
        try:
            return Period.containing(date(y, month, day or 1), granularity)
        except ValueError:
            return None

    relation = f.get("relation")
    joined = year_of_following(make, mention, ctx) if day is None and relation is None else None
    if joined is not None:
        return joined
    weekday = f.get("weekday") or f.get("weekday_abbr")
    story = ctx.story(mention) if relation is None else None
    if story is not None:
        # "Monday, Oct. 26" in a story: the year near the story time in which it is a Monday.
        fits = (lambda p: p.start.isoweekday() == weekday) if isinstance(weekday, int) and day is not None else None
        return in_story(make, story, fits, section=ctx.section(story))
    if ctx.published is None:
        value = f"XXXX-{month:02d}" + (f"-{day:02d}" if day is not None else "")
        return missing(granularity, value, "year")
    if relation is not None:
        return related_occurrence(make, relation, ctx)
    if isinstance(weekday, int) and day is not None:
        # "Monday, Oct. 26": the year in which that day is a Monday, nearest first.
        pub = publication_day(ctx)
        for year in sorted((pub.year, pub.year - 1, pub.year + 1), key=lambda y: abs(y - pub.year)):
            candidate = make(year)
            if candidate is not None and candidate.start.isoweekday() == weekday:
                reason = f"the year in which {WEEKDAY_NAMES[weekday - 1]} falls on that date"
                return published_outcome(candidate, ctx, reason=reason)
    tense = ctx.tense(mention)
    nearest, how = by_tense(make, tense, publication_day(ctx), weigh=True)
    if nearest is None:
        return out_of_range()
    reason = {
        "nearest": f"occurrence nearest to the publication date, {tense_words(tense)}",
        "weighted": f"occurrence nearest to the publication date, weighed by {tense_words(tense)}",
    }.get(how, f"nearest {how} occurrence from the publication date, {tense_words(tense)}")
    return published_outcome(nearest, ctx, reason=reason)


def _short_year(f: dict[str, Any], ctx: Context) -> int | None:
    """A year written with two digits: the later end of a range takes the century of the first
    and comes after it ("1962-63"; "1999-00" crosses into the next); after an apostrophe ("since '91") it is the latest
    such year by the publication date (next year at most), else 19xx from 50 and 20xx below."""
    short = int(f["year_short"])
    if f.get("range_from"):
        first = int(f["range_from"])
        year = first // 100 * 100 + short
        if year > first:
            return year
        # Only a range across a century's turn wraps ("1999-00", "1998-2002" written "1998-02").
        return year + 100 if first % 100 >= 90 and short < 10 else None
    if ctx.published is None:
        return full_year(short)
    now = ctx.published.year
    year = now // 100 * 100 + short
    return year - 100 if year > now + 1 else year


def _later_day_of_mention(day: int, year: int | None, ctx: Context) -> Outcome | None:
    """"April 24 and 25": a bare day number after a date is a later day of that date's month."""
    found = ctx.reference("day")
    if found is None or found[1] == "publication" or found[0].granularity != "day":
        return None
    base, label = found
    if day <= base.start.day:
        return None
    try:
        period = Period.containing(date(year or base.start.year, base.start.month, day), "day")
    except ValueError:
        return None
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(), direction="future",
                   reason=f"a later day of the month of the earlier date {base.value()}")


def _day_of_month_in_discourse(day: int, ctx: Context) -> Outcome | None:
    """"el día 13", "am 24.": a day named by its number alone is in the month of the latest date
    mentioned, else of the publication date."""
    found = ctx.reference("day")
    if found is None:
        return missing("day", f"XXXX-XX-{day:02d}", "day of an unnamed month")
    base, label = found
    try:
        period = Period.containing(date(base.start.year, base.start.month, day), "day")
    except ValueError:
        return None
    where = "the publication date" if label == "publication" else f"the earlier date {base.value()}"
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                   reason=f"day {day} of the month of {where}")


def _earlier_day_of_following(day: int, month: int | None, mention: Mention, ctx: Context) -> Outcome | None:
    """"16–17 May 2024", "from 14 to 18 August": a bare day right before one of the rule's
    ``until`` words and a date is an earlier day of that date's month and year. With a month
    ("May 30 - June 2, 2019") it is the last such day before that date: "Dec. 30 to Jan. 2,
    2019" starts in 2018."""
    found = adjoining(mention, ctx, mention.fields.get("until"))
    if found is None or found[0].granularity != "day":
        return None
    base, label = found
    if month is None and day >= base.start.day:
        return None  # "17-16 May" is no range
    year = base.start.year - ((month or 0, day) >= (base.start.month, base.start.day))
    try:
        period = Period.containing(date(year, month or base.start.month, day), "day")
    except ValueError:
        return None  # "February 29 to March 2, 2023"
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(), direction="past",
                   reason=f"an earlier day of the month of the date after it, {base.value()}")


def year_of_following(make: Callable[[int], Period | None], mention: Mention, ctx: Context) -> Outcome | None:
    """"April and June 1955", "the winter-spring of 1920": a month or season joined by one of the
    rule's ``until`` words to the date after it is the last such period that starts before that
    date ends, so it shares its year, or the year before ("December to March 1943")."""
    found = adjoining(mention, ctx, mention.fields.get("until"))
    if found is None or RANK[found[0].granularity] > RANK["year"]:
        return None
    base, label = found
    options = [p for p in (make(y) for y in (base.end.year - 1, base.end.year)) if p is not None]
    before = [p for p in options if p.start < base.start or p.start < base.end and p.end <= base.end]
    if not before:
        return None
    period = before[-1]
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(), direction="past",
                   reason=f"joined to the later date {base.value()}, whose year it shares or precedes")


def related_occurrence(make: Callable[[int], Period | None], relation: str, ctx: Context) -> Outcome | None:
    """"last March", "this September", "next Christmas": the occurrence the word picks."""
    pub = publication_day(ctx)
    moment = datetime.combine(pub, time())
    options = [p for p in (make(y) for y in range(pub.year - 2, pub.year + 3)) if p is not None]
    if relation in ("last", "past", "this past"):
        chosen = [p for p in options if p.end <= moment][-1:]
        words = "the last one before the publication date"
    elif relation in ("next", "coming", "this coming"):
        chosen = [p for p in options if p.start > moment][:1]
        words = "the next one after the publication date"
    else:
        chosen = [p for p in options if p.start.year == pub.year][:1]
        words = "the one in the publication year"
    if not chosen:
        return None
    period = chosen[0]
    return published_outcome(period, ctx, reason=f"'{relation}': {words}")


def resolve_decade(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    if f.get("decade_full") is not None:
        start = int(f["decade_full"])
    elif isinstance(f.get("century_word"), int):
        start = f["century_word"] + int(f["decade_word"]) * 10
    elif f.get("decade_short") is None and f.get("decade_word") == 0:
        start = 2000  # "the noughties": the word names the 2000s only
    else:
        short = int(f["decade_short"]) if f.get("decade_short") is not None else int(f.get("decade_word", 0)) * 10
        now = ctx.published.year if ctx.published else 1999
        start = now // 100 * 100 + short
        if start > now:
            start -= 100
    period = Period.containing(date(start, 1, 1), "decade")
    return Outcome(period.value(), period, reason="decade")


def resolve_century(mention: Mention, ctx: Context) -> Outcome | None:
    ordinal = mention.fields.get("ordinal")
    if not isinstance(ordinal, int) or not 1 <= ordinal <= 30:
        return None
    period = Period.containing(date((ordinal - 1) * 100 or 1, 1, 1), "century")
    return Outcome(period.value(), period, reason=f"the {ordinal}th century")


def resolve_era(mention: Mention, ctx: Context) -> Outcome | None:
    """"480 BC", "AD 800", "the 3rd century BCE", "September 480 BC", "the autumn of 481 BC", "the
    470s BC". A time before the common era is written as TIMEX2 and HeidelTime write it (BC0480,
    BC0481-FA, BC047 for the 470s BC, BC02 for the years 299-200 BC); no interval holds it, since
    the calendar arithmetic starts at AD 1."""
    f = mention.fields
    era, ordinal, decade = f.get("era"), f.get("ordinal"), f.get("decade_full")
    if isinstance(ordinal, int):
        if not 1 <= ordinal <= 99:
            return None
        if era == "BC":
            return Outcome(f"BC{ordinal - 1:02d}", reason=f"the {ordinal}th century before the common era")
        return resolve_century(mention, ctx)
    if isinstance(decade, int):
        if era == "BC":
            return Outcome(f"BC{decade // 10:03d}", reason="a decade before the common era")
        period = Period.containing(date(max(decade, 1), 1, 1), "decade")
        return Outcome(period.value(), period, reason="a decade of the common era")
    year = int(f.get("era_year") or 0)
    month, day, season = f.get("month"), f.get("day"), f.get("season")
    if year == 0 or season not in (None, "SP", "SU", "FA", "WI"):
        return None  # there is no year 0 in either era
    try:
        date(2000, month or 1, day or 1)  # "30 February 480 BC" is no date
    except ValueError:
        return None
    if era == "BC":
        if year > 3000:
            return None
        year = bc_year(year)  # held in the stand-in years, so that the story can count from it
    if season:
        period = Period.season(year, season)
    elif month:
        period = Period.containing(date(year, month, day or 1), "day" if day else "month")
    else:
        period = Period.containing(date(year, 1, 1), "year")
    return Outcome(period.value(), period,
                   reason="a time before the common era" if era == "BC" else "a time of the common era")


def resolve_historic_day(mention: Mention, ctx: Context) -> Outcome | None:
    """"Black Tuesday", "D-Day", "9/11": a day of history named, on its one date."""
    known = mention.fields.get("historic_day")  # the date, from the grammar's table
    if not isinstance(known, str):
        return None
    period = Period.containing(date.fromisoformat(known), "day")
    return Outcome(period.value(), period, reason="a day of history known by its name")
