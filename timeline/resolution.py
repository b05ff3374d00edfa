"""Resolve matched expressions into TIMEX3 values and intervals, in context.

Deictic expressions ("last week", "Thursday") are anchored at the publication date;
underspecified ones take their direction from the tense of their clause; anaphoric
ones ("the next day", "two days later") from the latest suitable date mentioned
before.  Without a publication date nothing relative is guessed: the value keeps
its X placeholders and the resolution says so.  Every outcome records its anchor,
direction and a sentence of reasoning, so a reader can check it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Callable

from .calendars import MOVABLE_FEASTS
from .discourse import Discourse, Reference, quoted
from .grammar import Grammar
from .matching import Mention, granularity_hint
from .periods import Period, add_months, bc_year
from .tense import Tense, clause_tense
from .timexes import GRANULARITIES, Interval, Resolution, Timex

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Duration unit letter → (granularity to resolve an offset at, how many of them one unit is).
# "a decade ago" is ten years back, not the decade before this one ("a decade ago", said in
# 1999, is 1989, not the 1980s); "a century ago" likewise lands on a decade.
UNIT_STEPS: dict[str, tuple[str, int]] = {
    "S": ("minute", 0), "TM": ("minute", 1), "H": ("hour", 1), "D": ("day", 1), "W": ("week", 1),
    "2W": ("week", 2), "M": ("month", 1), "Q": ("quarter", 1), "Y": ("year", 1),
    "DE": ("year", 10), "CE": ("decade", 10),
}
UNIT_WORDS = {"S": "second", "TM": "minute", "H": "hour", "D": "day", "W": "week", "2W": "fortnight",
              "M": "month", "Q": "quarter", "Y": "year", "DE": "decade", "CE": "century"}
# Underspecified values by granularity, for when there is no anchor.
UNKNOWN_VALUES = {
    "minute": "XXXX-XX-XXTXX:XX", "hour": "XXXX-XX-XXTXX", "part_of_day": "XXXX-XX-XX",
    "day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
    "quarter": "XXXX-QX", "half": "XXXX-HX", "season": "XXXX", "year": "XXXX", "decade": "XXX",
    "century": "XX",
}
_RANK = {name: index for index, name in enumerate(GRANULARITIES)}


@dataclass
class Outcome:
    """What a resolver found: a period (value and interval follow from it) or a bare value."""

    value: str
    period: Period | None = None
    interval: Interval | None = None
    anchor: str = "none"
    anchor_value: str | None = None
    direction: str | None = None
    reason: str = ""
    underspecified: bool = False
    type: str | None = None
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None
    # A period a company reports figures for ("the year ended Sept. 30"), which later
    # comparisons ("a year earlier") count from; quarters, halves and months are by default.
    report: bool = False
    # Resolved against a reporting period ("the year-ago quarter"): a comparison, never one itself.
    compared: bool = False


@dataclass
class Context:
    """What resolution may look at besides the expression: the text, the discourse so far,
    and the next expression when only a joining word stands between ("the quarter ended
    [Sept. 30]", "16–[17 May 2024]")."""

    text: str
    published: datetime | None
    sentences: list[tuple[int, int]]
    grammar: Grammar
    discourse: Discourse = field(init=False)
    # The next mention and its resolution, when it is joined to the one being resolved (see
    # resolve(): a joined run is resolved from its last mention back, each mention once).
    upcoming: tuple[Mention, Resolved | None] | None = None
    _tensed: tuple[Mention, Tense] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.discourse = Discourse(self.published)

    def sentence_of(self, position: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= position < end:
                return start, end
        return 0, len(self.text)

    def tense(self, mention: Mention) -> Tense:
        """The tense of the mention's clause (read once per mention: several rules may ask)."""
        if self._tensed is None or self._tensed[0] is not mention:
            self._tensed = mention, clause_tense(self.text, self.sentence_of(mention.start),
                                                 (mention.start, mention.end), self.grammar.tense)
        return self._tensed[1]

    def reference(self, finest_needed: str, skip: set[str] | None = None) -> tuple[Period, str] | None:
        """The latest mentioned period at least as fine as ``finest_needed`` and not labelled in
        ``skip``, else the publication day."""
        return self.discourse.reference(finest_needed, skip)

    def story(self, mention: Mention, finest_needed: str = "year") -> Reference | None:
        """The story time, when it (rather than the publication date) anchors ``mention``."""
        return self.discourse.story_anchor(lambda: self.tense(mention), finest_needed)


def _pub(ctx: Context) -> date:
    assert ctx.published is not None
    return ctx.published.date()


def _tense_words(tense: Tense) -> str:
    if tense.value is None:
        return "no tense cue"
    if tense.value == "prospective":
        return f"future seen from the past ('{tense.cue}'), so no side of the publication date"
    return f"{tense.value} tense ('{tense.cue}')"


# Past-tense sentences often announce what is still to come ("declared a dividend payable
# Dec. 15", "agreed to a merger in January"), so a past-tense verb that is not right beside
# the expression only weighs the distance: an occurrence after the publication date counts
# this much farther.  A past verb within CLOSE_CUE characters ("was passed on May 20"),
# and future tense always, decide outright.
AGAINST_TENSE_WEIGHT = 3
CLOSE_CUE = 24
NO_CUE_FUTURE_WEIGHT = 1.5


def _past_beside(tense: Tense) -> bool:
    """A past cue within CLOSE_CUE characters: it says outright that the time is over."""
    return tense.value == "past" and (tense.distance or 0) <= CLOSE_CUE


def _by_tense(make: Callable[[int], Period | None], tense: Tense, pub: date,
              weigh: bool = False) -> tuple[Period | None, str]:
    """Pick the year for a period named without one ("in March", "Sept. 30", "the third quarter")."""
    moment = datetime.combine(pub, time())
    options = [p for p in (make(pub.year - 1), make(pub.year), make(pub.year + 1)) if p is not None]

    def distance(period: Period) -> timedelta:
        if period.start <= moment < period.end:
            return timedelta(0)
        return period.start - moment if period.start > moment else moment - period.end

    if weigh and tense.value == "past" and options and not _past_beside(tense):
        def weighted(period: Period) -> timedelta:
            return distance(period) * (AGAINST_TENSE_WEIGHT if period.start > moment else 1)
        return min(options, key=weighted), "weighted"
    if tense.value == "past":
        before = [p for p in options if p.start <= moment]
        return (before[-1] if before else None), "past"
    if tense.value == "future":
        after = [p for p in options if p.end > moment]
        return (after[0] if after else None), "future"
    # No cue: the occurrence nearest to the publication date, the past slightly preferred
    # (news reports more than it announces).
    if weigh and options:
        return min(options, key=lambda p: distance(p) * (NO_CUE_FUTURE_WEIGHT if p.start > moment else 1)), "nearest"
    return (min(options, key=distance) if options else None), "nearest"


def _published(period: Period, ctx: Context, reason: str) -> Outcome:
    """An outcome anchored at the publication date, its direction read off the period."""
    pub = _pub(ctx)
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction=_direction_of(period, pub), reason=reason)


# A story moves forward: an occurrence before the story time counts this much farther away
# ("On 26 October 1795 ... In May" is the May after, seven months on, not the one five months
# before), while a look back of a month or two stays one ("On 10 March ... In January").
STORY_BACK_WEIGHT = 1.5


def _in_story(make: Callable[[int], Period | None], story: Reference,
              fits: Callable[[Period], bool] | None = None, what: str = "occurrence") -> Outcome | None:
    """A period named without its year ("On 3 March", "in the spring"), placed by the story
    time: the occurrence nearest to it, an earlier one counting STORY_BACK_WEIGHT times as far
    (inside a story year, that year), as a reader of a narrative takes it; ``fits`` can rule
    occurrences out ("Monday, Oct. 26")."""
    year = story.period.start.year
    options = [p for p in (make(y) for y in range(year - 1, year + 2)) if p is not None and (fits is None or fits(p))]
    if not options:
        return None
    period = min(options, key=lambda p: _apart(p, story.period)
                 * (STORY_BACK_WEIGHT if p.start < story.period.start else 1))
    return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                   direction=_direction_of(period, story.period.start.date()),
                   reason=f"{what} nearest to the story time {story.period.value()}, the latest date of the narrative")


def _apart(period: Period, other: Period) -> timedelta:
    """The time between two periods (zero when they overlap)."""
    if period.start < other.end and other.start < period.end:
        return timedelta(0)
    return period.start - other.end if period.start >= other.end else other.start - period.end


def _direction_of(period: Period, pub: date) -> str:
    moment = datetime.combine(pub, time())
    if period.start <= moment < period.end:
        return "same"
    return "past" if period.start < moment else "future"


def _apply_time_of_day(outcome: Outcome, fields: dict[str, Any]) -> Outcome:
    """Narrow a day to a part of day or a clock time when the expression names one."""
    period = outcome.period
    if period is None and outcome.underspecified and outcome.value.startswith("XXXX-") and "T" not in outcome.value:
        # No publication date: keep the time of day in the X value ("XXXX-WXX-4TEV").
        clock = _clock(fields) if fields.get("hour") is not None or fields.get("clock_word") else None
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
        clock = _clock(fields)
        if clock is not None:
            outcome.period = period.at_clock(*clock)
            outcome.type = "TIME"
    elif fields.get("part_of_day"):
        outcome.period = period.with_part_of_day(fields["part_of_day"])
        outcome.type = "TIME"
    return outcome


def _clock(fields: dict[str, Any]) -> tuple[int, int] | None:
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


def _out_of_range() -> Outcome:
    """No occurrence within the calendar (years 1–9999) fits: keep the expression, unresolved."""
    return Outcome("XXXX", underspecified=True, anchor="publication",
                   reason="no occurrence within the years 1 to 9999 fits")


def _missing(granularity: str, value: str | None = None, what: str = "") -> Outcome:
    return Outcome(
        value or UNKNOWN_VALUES.get(granularity, "XXXX"), anchor="missing", underspecified=True,
        reason=f"no publication date: {what or 'relative expression'} left underspecified",
    )


def _full_year(year: Any) -> Any:
    """A two-digit year ("FY25", "3Q24") in full: 20xx below 50, 19xx from 50; else unchanged."""
    if isinstance(year, int) and year < 100:
        return year + (2000 if year < 50 else 1900)
    return year


# --- resolvers, one per rule kind -------------------------------------------------------------
def _calendar(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    year, month, day = f.get("year") or f.get("year_words"), f.get("month") or f.get("mm"), f.get("day") or f.get("dd")
    if year is None and f.get("year_shift") is not None:
        if ctx.published is None:
            return _missing("month", f"XXXX-{month:02d}", "year")
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
    year = _full_year(year)
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
                reporting = _reporting_period(ctx) if f.get("period_noun") else None
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
    joined = _year_of_following(make, mention, ctx) if day is None and relation is None else None
    if joined is not None:
        return joined
    weekday = f.get("weekday") or f.get("weekday_abbr")
    story = ctx.story(mention) if relation is None else None
    if story is not None:
        # "Monday, Oct. 26" in a story: the year near the story time in which it is a Monday.
        fits = (lambda p: p.start.isoweekday() == weekday) if isinstance(weekday, int) and day is not None else None
        return _in_story(make, story, fits)
    if ctx.published is None:
        value = f"XXXX-{month:02d}" + (f"-{day:02d}" if day is not None else "")
        return _missing(granularity, value, "year")
    if relation is not None:
        return _related(make, relation, ctx)
    if isinstance(weekday, int) and day is not None:
        # "Monday, Oct. 26": the year in which that day is a Monday, nearest first.
        pub = _pub(ctx)
        for year in sorted((pub.year, pub.year - 1, pub.year + 1), key=lambda y: abs(y - pub.year)):
            candidate = make(year)
            if candidate is not None and candidate.start.isoweekday() == weekday:
                reason = f"the year in which {WEEKDAY_NAMES[weekday - 1]} falls on that date"
                return _published(candidate, ctx, reason=reason)
    tense = ctx.tense(mention)
    nearest, how = _by_tense(make, tense, _pub(ctx), weigh=True)
    if nearest is None:
        return _out_of_range()
    reason = {
        "nearest": f"occurrence nearest to the publication date, {_tense_words(tense)}",
        "weighted": f"occurrence nearest to the publication date, weighed by {_tense_words(tense)}",
    }.get(how, f"nearest {how} occurrence from the publication date, {_tense_words(tense)}")
    return _published(nearest, ctx, reason=reason)


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
        return _full_year(short)
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
        return _missing("day", f"XXXX-XX-{day:02d}", "day of an unnamed month")
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
    found = _adjoining(mention, ctx, mention.fields.get("until"))
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


def _year_of_following(make: Callable[[int], Period | None], mention: Mention, ctx: Context) -> Outcome | None:
    """"April and June 1955", "the winter-spring of 1920": a month or season joined by one of the
    rule's ``until`` words to the date after it is the last such period that starts before that
    date ends, so it shares its year, or the year before ("December to March 1943")."""
    found = _adjoining(mention, ctx, mention.fields.get("until"))
    if found is None or _RANK[found[0].granularity] > _RANK["year"]:
        return None
    base, label = found
    options = [p for p in (make(y) for y in (base.end.year - 1, base.end.year)) if p is not None]
    before = [p for p in options if p.start < base.start or p.start < base.end and p.end <= base.end]
    if not before:
        return None
    period = before[-1]
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(), direction="past",
                   reason=f"joined to the later date {base.value()}, whose year it shares or precedes")


def _related(make: Callable[[int], Period | None], relation: str, ctx: Context) -> Outcome | None:
    """"last March", "this September", "next Christmas": the occurrence the word picks."""
    pub = _pub(ctx)
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
    return _published(period, ctx, reason=f"'{relation}': {words}")


def _holiday(mention: Mention, ctx: Context) -> Outcome | None:
    rule = mention.fields.get("holiday")
    if not isinstance(rule, str):
        return None

    # "Easter week" counts as past once its week has begun, though Easter itself is ahead.
    within = mention.fields.get("within")
    granularity = within if isinstance(within, str) and within in _RANK else "day"

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
        return _published(period, ctx, reason=f"holiday {years} years after the publication year") if period else None
    story = ctx.story(mention) if not mention.fields.get("relation") else None
    if story is not None:
        return _in_story(make, story, what="holiday")
    if ctx.published is None:
        fixed = rule if rule.count("-") == 1 and ":" not in rule and " " not in rule else None
        return _missing("day", f"XXXX-{fixed}" if fixed else None, "year of the holiday")
    if mention.fields.get("relation"):
        return _related(make, mention.fields["relation"], ctx)
    tense = ctx.tense(mention)
    period, how = _by_tense(make, tense, _pub(ctx))
    if period is None:
        return _out_of_range()
    return _published(period, ctx, reason=f"holiday {how} to the publication date, {_tense_words(tense)}")


def holiday_date(rule: str, year: int) -> date | None:
    """The day of a holiday rule: "12-25", "11:4:4" (4th Thursday of November), "easter".

    A day count after a space moves it: "11:4:4 +1" (the Friday after Thanksgiving),
    "easter -2" (Good Friday).
    """
    if " " in rule:
        base, days = rule.split(" ", 1)
        base_day = holiday_date(base, year)
        return base_day + timedelta(days=int(days)) if base_day else None
    if rule in MOVABLE_FEASTS:
        return MOVABLE_FEASTS[rule](year)
    if rule == "easter":
        # Anonymous Gregorian computus (Meeus/Jones/Butcher).
        a, b, c = year % 19, year // 100, year % 100
        d, e = divmod(b, 4)
        g = (8 * b + 13) // 25
        h = (19 * a + b - d - g + 15) % 30
        i, k = divmod(c, 4)
        l_ = (32 + 2 * e + 2 * i - h - k) % 7
        m = (a + 11 * h + 19 * l_) // 433
        month = (h + l_ - 7 * m + 90) // 25
        return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)
    if ":" in rule:
        month, weekday, nth = (int(x) for x in rule.split(":"))
        first = date(year, month, 1)
        offset = (weekday - first.isoweekday()) % 7
        if nth > 0:
            return first + timedelta(days=offset + 7 * (nth - 1))
        following = date(year + (month == 12), month % 12 + 1, 1)
        last = following - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    month, day = (int(x) for x in rule.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _weekend(mention: Mention, ctx: Context) -> Outcome | None:
    if ctx.published is None:
        return _missing("weekend", what="weekend")
    pub = _pub(ctx)
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
        reason = f"weekend nearest the publication date in the clause's direction, {_tense_words(tense)}"
    return _published(period, ctx, reason=reason)


def _clock_on_day(mention: Mention, ctx: Context) -> Outcome | None:
    """"10 p.m. Wednesday", "Thursday at noon": resolve the day; the clock is applied after."""
    f = mention.fields
    if f.get("weekday") is not None:
        return _weekday(mention, ctx)
    if f.get("month") is not None:
        return _calendar(mention, ctx)
    shift = f.get("day_shift")
    if ctx.published is None:
        return _missing("day", what="day of the clock time")
    period = Period.containing(_pub(ctx), "day").shift(int(shift or 0))
    return _published(period, ctx, reason="clock time on a day named relative to publication")


def _weekday(mention: Mention, ctx: Context) -> Outcome | None:
    weekday = mention.fields.get("weekday") or mention.fields.get("weekday_abbr")
    if not isinstance(weekday, int):
        return None
    name = WEEKDAY_NAMES[weekday - 1]
    relation = mention.fields.get("relation", "")
    if mention.fields.get("anchor") == "mention":
        found = ctx.reference("day")
        if found is None:
            return _missing("day", f"XXXX-WXX-{weekday}", "weekday")
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
                       direction=_direction_of(period, day),
                       reason=f"the first {name} from the story time {story.period.value()}, "
                              f"the latest date of the narrative")
    if ctx.published is None:
        return _missing("day", f"XXXX-WXX-{weekday}", "weekday")
    pub = _pub(ctx)
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
            offset, reason = -back, f"{name} on or before the publication date, {_tense_words(tense)}"
        elif tense.value == "future":
            offset, reason = ahead, f"{name} on or after the publication date, {_tense_words(tense)}"
        else:
            offset = -back if back <= ahead else ahead
            reason = f"nearest {name} to the publication date, {_tense_words(tense)}"
    period = Period.containing(pub + timedelta(days=offset), "day")
    direction = "same" if offset == 0 else "past" if offset < 0 else "future"
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction=direction, reason=reason)


def _deictic_day(mention: Mention, ctx: Context) -> Outcome | None:
    shift = int(mention.fields.get("shift", 0))
    if mention.fields.get("anchor") == "mention":
        found = ctx.reference("day")
        if found is None:
            return _missing("day")
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
        return _missing("day", f"XXXX-XX-XXT{part}" if part else None, "day relative to the publication date")
    period = Period.containing(_pub(ctx), "day").shift(shift)
    words = {0: "the publication day", -1: "the day before publication", 1: "the day after publication"}
    return Outcome(period.value(), period, anchor="publication", anchor_value=_pub(ctx).isoformat(),
                   direction={0: "same"}.get(shift, "past" if shift < 0 else "future"),
                   reason=words.get(shift, f"{shift:+d} days from the publication day"))


# Half the length of a period, for finding the calendar period a fiscal one mostly covers.
_HALF_SPAN = {"week": 3, "month": 15, "quarter": 45, "half": 91}


def _adjoining(mention: Mention, ctx: Context, words: str | Sequence[str] | None) -> tuple[Period, str] | None:
    """The period of the next expression when only ``words`` (one, or any of a list) stand
    between ("ended" in "the quarter ended Sept. 30", "of" in "the first nine months of 1997",
    "–" in "16–17 May"), with its label. The next expression is already resolved (see resolve())."""
    if not words or ctx.upcoming is None:
        return None
    upcoming, resolved = ctx.upcoming
    if _between(ctx.text, mention, upcoming) not in ((words,) if isinstance(words, str) else words):
        return None  # "the year ended with a loss": the next expression is not the one named
    if resolved is None or resolved[0].period is None:
        return None
    return resolved[0].period, mention_label(upcoming)


def _between(text: str, mention: Mention, upcoming: Mention) -> str:
    return " ".join(text[mention.end:upcoming.start].lower().split())


# Fields of a rule that hold the words joining its expression to the next one (see _adjoining).
_JOINING_FIELDS = ("until", "ending", "of_following", "apposition")


def _joined(mention: Mention, upcoming: Mention, text: str) -> bool:
    """Whether ``mention`` may take part of its meaning from ``upcoming`` (see _adjoining)."""
    gap = None
    for name in _JOINING_FIELDS:
        words = mention.fields.get(name)
        if words:
            gap = _between(text, mention, upcoming) if gap is None else gap
            if gap in ((words,) if isinstance(words, str) else words):
                return True
    return False


def _closing_day(mention: Mention, ctx: Context) -> tuple[Period, str] | None:
    """The day or month named right after "ended", "ending" or "to" ("the quarter ended Sept. 30",
    "the year to March"), which closes the period, with its label."""
    closing = _adjoining(mention, ctx, mention.fields.get("ending"))
    if closing is None or closing[0].granularity not in ("day", "month"):
        return None
    ctx.discourse.closing.add(closing[1])
    return closing


def _ended_on(mention: Mention, granularity: str, ctx: Context) -> Outcome | None:
    """"the quarter ended Sept. 30", "the year ending June 30, 1990": the period closing on that day.

    Companies report on fiscal periods, named after the day they close. A quarter, half,
    month or week becomes the calendar one it mostly covers (the quarter ended July 31 runs
    May to July: the second quarter); a year is named by the year it ends in, as "fiscal
    1990" is.
    """
    if granularity not in (*_HALF_SPAN, "year"):
        return None
    closing = _closing_day(mention, ctx)
    if closing is None:
        return None
    end, label = closing
    last_day = end.end.date() - timedelta(days=1)  # a month closes on its last day
    report = _reporting_period(ctx)
    if report is not None and report[1] in ctx.discourse.fiscal and report[0].granularity == granularity \
            and report[0].start.year == last_day.year:
        # "the fiscal first quarter ... the quarter ended Sept. 29": the same quarter, by the
        # company's numbering.
        return Outcome(report[0].value(), report[0], anchor=report[1], anchor_value=report[0].value(),
                       compared=True, reason=f"the fiscal {granularity} reported on, {mention.fields['ending']} "
                                             f"{end.value()}")
    if granularity == "year":
        period = Period.containing(last_day, "year")
    else:
        period = Period.containing(last_day - timedelta(days=_HALF_SPAN[granularity]), granularity)
    return Outcome(period.value(), period, anchor=label, anchor_value=end.value(),
                   direction=_direction_of(period, last_day), report=True,
                   reason=f"the {granularity} {mention.fields['ending']} {end.value()}")


def _relative_period(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    unit, shift = f.get("period"), f.get("shift", 0)
    if unit is None or not isinstance(shift, int):
        return None
    weekend = unit == "weekend"
    granularity = "week" if weekend else unit
    if granularity not in _RANK:
        return None
    if f.get("ending") and shift == 0:
        ended = _ended_on(mention, granularity, ctx)
        if ended is not None:
            return ended
    looks_ahead = f.get("reported") and ctx.tense(mention).value == "future"
    reported = _reported(ctx, granularity, unit == "period") if f.get("reported") and not looks_ahead else None
    if reported is not None:
        return reported
    story = ctx.story(mention) if not weekend and not f.get("closes") else None
    if story is not None:
        # "the next year", "that month" in a story: counted from the story time, not from now.
        period = Period.containing(story.period.start, granularity).shift(shift)
        words = {-1: "previous", 0: "same", 1: "next"}.get(shift, f"{shift:+d}")
        return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                       direction="same" if shift == 0 else "past" if shift < 0 else "future",
                       reason=f"{words} {unit} relative to the story time {story.period.value()}, "
                              f"the latest date of the narrative")
    if ctx.published is None:
        return _missing("weekend" if weekend else granularity, what=f"'{unit}' relative to publication")
    pub = _pub(ctx)
    base = Period.weekend_of(pub) if weekend else Period.containing(pub, granularity)
    if weekend and shift == 1 and base.start > datetime.combine(pub, time()):
        shift = 0  # "the coming weekend" said on a weekday: the one that has not begun yet
    why = ""
    if f.get("closes") and shift == 0:
        tense = ctx.tense(mention)
        if _past_beside(tense):
            # "up 20% since year-end": a past clause speaks of a close that has happened, the
            # previous one while this one is still ahead.
            shift, why = -1, f", its close being past ({_tense_words(tense)})"
    period = base.shift(shift, "week" if weekend else None)
    words = {-1: "previous", 0: "current", 1: "next"}.get(shift, f"{shift:+d}")
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction="same" if shift == 0 else "past" if shift < 0 else "future",
                   reason=f"{words} {unit} relative to the publication date{why}")


def _offset(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    num, unit = f.get("num"), f.get("unit")
    direction = f.get("direction")
    if direction is None:
        word = f.get("direction_word", "")
        direction = -1 if word in ("earlier", "before", "previously", "prior") else 1
    if f.get("back"):
        direction = -1  # "a year ago today"
    if unit not in UNIT_STEPS or not isinstance(num, int):
        vague = "PAST_REF" if direction < 0 else "FUTURE_REF"
        return _vague_outcome(vague, ctx, "an unspecified amount of time " + ("before" if direction < 0 else "after"))
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
            value = _unit_value(num, unit)
            if value is not None:
                return Outcome(value, mod=mod, type="DURATION",
                               reason=f"a length, not an offset: past tense ({tense.cue!r})")
    # Only a look back compares figures ("up from $10 million a year ago"); "will reopen in a
    # year" counts from now, whatever period the story reports on.
    comparison = _reporting_period(ctx) if unit == "Y" and num == 1 and direction < 0 else None
    if comparison is not None:
        # "up from $10 million a year ago": the same reporting period, one year back.
        period = comparison[0].shift(steps, "year")
        named = _adjoining(mention, ctx, f.get("apposition"))
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
            return _missing(granularity, what="offset from an earlier date")
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
    story = ctx.story(mention) if granularity not in ("minute", "hour") else None
    if story is not None:
        # "had signed the agreement two years ago", told of 1975: counted from the story time.
        period = Period.containing(story.period.start, granularity).shift(steps)
        return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                       direction="past" if steps < 0 else "future", mod=mod,
                       reason=f"{words} the story time {story.period.value()}, the latest date of the narrative")
    if ctx.published is None:
        return _missing(granularity, what="offset from the publication date")
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
        period = Period.containing(_pub(ctx), "day").shift(steps, granularity)
    else:
        period = Period.containing(_pub(ctx), granularity).shift(steps)
    return Outcome(period.value(), period, anchor="publication", anchor_value=_pub(ctx).isoformat(),
                   direction="past" if steps < 0 else "future", mod=mod,
                   reason=f"{words} the publication date")


def _date_only(published: datetime) -> bool:
    """Whether a publication date was given without a time of day (midnight, no time zone)."""
    return published.tzinfo is None and published.time() == time()


def _business_days(count: int, ctx: Context) -> Outcome:
    """"two weekdays ago", "five business days from now": counted in Mondays to Fridays from the
    publication date."""
    if ctx.published is None:
        return _missing("day", what="offset in working days from the publication date")
    pub = _pub(ctx)
    day, step, left = pub, 1 if count > 0 else -1, abs(count)
    while left:
        day += timedelta(days=step)
        left -= day.isoweekday() <= 5
    period = Period.containing(day, "day")
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction="past" if count < 0 else "future",
                   reason=f"{abs(count)} working days {'before' if count < 0 else 'after'} the publication date")


def _reporting_period(ctx: Context, granularities: tuple[str, ...] = ()) -> tuple[Period, str] | None:
    """The period a report's figures are for: what "a year earlier" and "the 1988 period" compare against.

    It is the latest one named that is over by the publication date (an outlook for a later
    period is an aside, and a quarter still running has no figures yet: "a fourth-quarter
    charge" in late October is a forecast), else the latest begun, else the latest. A year
    counts once begun ("fiscal 1989", "the first nine months" stand for their year). A day or
    week mentioned since, outside that period and not closing it, means the text has moved on
    to other news. With ``granularities``, only periods of those sizes count ("the quarter" asks
    for the quarter reported on, past a month named in passing).
    """
    reports = [report for report in ctx.discourse.reports
               if not granularities or report[0].granularity in granularities]
    if not reports:
        return None
    moment = datetime.combine(_pub(ctx), time()) if ctx.published is not None else None
    begun = [report for report in reports if moment is None or report[0].start <= moment]
    over = [report for report in begun if moment is None or report[0].end <= moment
            or _RANK[report[0].granularity] >= _RANK["year"] or report[1] in ctx.discourse.fiscal]
    period, label, position = (over or begun or reports)[-1]
    for later in ctx.discourse.references[position:]:
        if _RANK[later.period.granularity] >= _RANK["month"] or later.label in ctx.discourse.closing:
            continue
        if not (period.start <= later.period.start and later.period.end <= period.end):
            return None
    return period, label


def _reported(ctx: Context, granularity: str, any_period: bool) -> Outcome | None:
    """The reporting period itself, when it has the granularity asked for ("the latest quarter")
    or, for the bare noun "period", is a month, quarter or half ("the latest period")."""
    report = _reporting_period(ctx, ("month", "quarter", "half") if any_period else (granularity,))
    if report is None:
        return None
    period, label = report
    # Named again, it is again the period the story's figures are for.
    return Outcome(period.value(), period, anchor=label, anchor_value=period.value(), report=True,
                   reason=f"the reporting period {period.value()}")


def _anaphoric_period(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    unit = f.get("period")
    part_of_day = f.get("part_of_day")
    if part_of_day:
        unit = "day"
    if unit in (None, "time", "period"):
        unit = "day" if unit == "time" else "quarter" if unit == "period" else None
    if unit is None or unit not in _RANK and unit != "weekend":
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
        reported = _reported(ctx, granularity, False)
        if reported is not None:
            return reported
    if found is None:
        return _missing(granularity, what="reference to an earlier date")
    base, label = found
    period = base.coarsen(granularity) if _RANK[base.granularity] < _RANK[granularity] else base
    if base.granularity != granularity and _RANK[base.granularity] < _RANK[granularity]:
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


def _decade(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    if f.get("decade_full") is not None:
        start = int(f["decade_full"])
    elif f.get("century_word"):
        start = (1900 if f["century_word"] == "nineteen" else 1800) + int(f["decade_word"]) * 10
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


def _century(mention: Mention, ctx: Context) -> Outcome | None:
    ordinal = mention.fields.get("ordinal")
    if not isinstance(ordinal, int) or not 1 <= ordinal <= 30:
        return None
    period = Period.containing(date((ordinal - 1) * 100 or 1, 1, 1), "century")
    return Outcome(period.value(), period, reason=f"the {ordinal}th century")


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

    year = _full_year(f.get("year"))
    if f.get("year_offset") is not None and year is None and ctx.published is not None:
        # "the year-ago third quarter": that quarter in the year before the one reported on.
        report = _reporting_period(ctx)
        base = make(report[0].start.year) if report is not None else _by_tense(make, Tense(None), _pub(ctx))[0]
        if base is None:
            return _out_of_range()
        period = base.shift(int(f["year_offset"]), "year")
        return Outcome(period.value(), period, anchor=report[1] if report else "publication",
                       anchor_value=report[0].value() if report else _pub(ctx).isoformat(),
                       direction="past", compared=True,
                       reason=f"the {granularity} named, {-int(f['year_offset'])} year(s) before the one reported on")
    if year is None and f.get("year_shift") is not None and ctx.published is not None:
        period = make(ctx.published.year + int(f["year_shift"]))
        return _published(period, ctx, reason=f"{granularity} of the year named relative to the publication date")
    if year is not None:
        period = make(year)
        return Outcome(period.value(), period, reason=f"{granularity} of an explicit year")
    closing = _closing_day(mention, ctx) if f.get("ending") else None
    if closing is not None:
        # "the fiscal first quarter ended Sept. 30": a company's own numbering, named in the
        # year it closes; its figures are what "a year ago" compares with.
        end, label = closing
        period = make(end.start.year)
        return Outcome(period.value(), period, anchor=label, anchor_value=end.value(), report=True,
                       direction=_direction_of(period, end.start.date()),
                       reason=f"the {granularity} {f['ending']} {end.value()}, named in the year it closes")
    story = ctx.story(mention) if not f.get("fiscal") else None
    if story is not None:
        return _in_story(make, story, what=granularity)
    if ctx.published is None:
        return _missing(granularity, f"XXXX-{granularity[0].upper()}{ordinal}", f"year of the {granularity}")
    tense = ctx.tense(mention)
    if f.get("fiscal") and tense.value != "future":
        # "earned $5 million in the fiscal first quarter": the company's numbering says nothing
        # of the calendar, but figures are for a quarter over by now, labelled in the year it closed.
        ctx.discourse.fiscal.add(mention_label(mention))
        closed = Period.containing(_pub(ctx), granularity).shift(-1)
        period = make(closed.start.year)
        return Outcome(period.value(), period, anchor="publication", anchor_value=_pub(ctx).isoformat(),
                       direction="past", reason=f"fiscal {granularity}: labelled in the year of the "
                                                f"latest {granularity} closed by the publication date")
    # Reports speak of the quarter just closed in every tense ("third-quarter profit will
    # rise"), so the nearest one is taken, unless a past verb right beside it says the period
    # is over ("earned $5 million in the first quarter").
    close_past = _past_beside(tense)
    nearest, _ = _by_tense(make, tense if close_past else Tense(None), _pub(ctx))
    if nearest is None:
        return _out_of_range()
    if close_past:
        return _published(nearest, ctx, reason=f"latest {granularity} begun by the publication date, "
                                                 f"{_tense_words(tense)}")
    return _published(nearest, ctx, reason=f"{granularity} nearest to the publication date")


def _quarter(mention: Mention, ctx: Context) -> Outcome | None:
    return _period_of_year(mention, ctx, "quarter", 4)


def _half(mention: Mention, ctx: Context) -> Outcome | None:
    return _period_of_year(mention, ctx, "half", 2)


def _season(mention: Mention, ctx: Context) -> Outcome | None:
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
            return _missing("season", f"XXXX-{code}", "season")
        base, label = found
        year = base.start.year
        options = [Period.season(y, code) for y in range(year - 2, year + 3)]
        if f.get("relation") in ("previous", "preceding"):
            period = [p for p in options if p.end <= base.start][-1]
        else:
            period = [p for p in options if p.start >= base.end][0]
        return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                       direction=_direction_of(period, base.start.date()),
                       reason=f"the {f.get('relation')} such season after the earlier date {base.value()}")
    shift = f.get("shift")  # -1, 0, 1 from the shift table; absent for "the summer"
    joined = _year_of_following(lambda y: Period.season(y, code), mention, ctx) if shift is None else None
    if joined is not None:
        return joined
    story = ctx.story(mention) if shift is None else None
    if story is not None:
        return _in_story(lambda y: Period.season(y, code), story, what="season")
    if ctx.published is None:
        return _missing("season", f"XXXX-{code}", "season")
    pub = _pub(ctx)
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
        made, how = _by_tense(lambda y: Period.season(y, code), tense, pub)
        if made is None:
            return _out_of_range()
        period = made
        reason = f"nearest {how} such season, {_tense_words(tense)}"
    return _published(period, ctx, reason=reason)


def _clock_time(mention: Mention, ctx: Context) -> Outcome | None:
    clock = _clock(mention.fields)
    if clock is None:
        return None
    # "from 9:30 to 11:00 on Thursday": the first end takes the day of the second.
    closing = _adjoining(mention, ctx, mention.fields.get("until"))
    found = closing if closing is not None and _RANK[closing[0].granularity] <= _RANK["day"] \
        else ctx.reference("day")
    if found is closing and closing is not None and closing[0].granularity == "minute" \
            and clock > (closing[0].start.hour, closing[0].start.minute):
        found = closing[0].shift(-1, "day"), closing[1]  # "from 22:00 to 06:00 tomorrow": overnight
    if found is None:
        hour, minute = clock
        return _missing("minute", f"XXXX-XX-XXT{hour:02d}:{minute:02d}", "day of the clock time")
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


def _unit_value(num: Any, unit: str) -> str | None:
    """A duration value: P2D, PT48H, P10Y for a decade, PXM for "months".

    Quarters keep their own unit (P2Q, PXQ), as TimeML keeps the unit the text counts in;
    only a fraction of one is counted in months, since P2.5Q is no value.
    """
    if unit == "2W":
        unit, num = "W", num * 2 if isinstance(num, (int, float)) else num
    if unit == "Q" and isinstance(num, float) and not num.is_integer():
        unit, num = "M", num * 3
    if unit in ("DE", "CE"):
        unit, num = "Y", num * (10 if unit == "DE" else 100) if isinstance(num, (int, float)) else num
    if unit == "S" and isinstance(num, float) and not num.is_integer():
        return f"PT{num:g}S"  # a race time, "9.58 seconds": TIMEX3 allows a decimal smallest unit
    if isinstance(num, float) and not num.is_integer():
        # "2 1/2 years" → P2Y6M: the fraction in the next smaller unit.
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("TM", 60), "TM": ("S", 60)}
        if unit not in smaller:
            return None
        whole = int(num)
        small_unit, factor = smaller[unit]
        rest = round((num - whole) * factor)
        parts = ([(whole, unit)] if whole else []) + [(rest, small_unit)]
        date_part = "".join(f"{n}{u}" for n, u in parts if u in ("Y", "M", "W", "D"))
        time_part = "".join(f"{n}{'M' if u == 'TM' else u}" for n, u in parts if u in ("H", "TM", "S"))
        return "P" + date_part + (f"T{time_part}" if time_part else "")
    if isinstance(num, float):
        num = int(num)
    amount = "X" if num == "X" else str(num)
    if unit in ("H", "TM", "S"):
        return f"PT{amount}{'M' if unit == 'TM' else unit}"
    return f"P{amount}{unit}"


def _duration(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    num, unit = f.get("num", 1), f.get("unit")
    if unit is None or num is None:
        return None
    if f.get("plus_half") and isinstance(num, (int, float)):
        num = num + 0.5
    value = _unit_value(num, unit)
    if value is None:
        return None
    return Outcome(value, mod=f.get("approx") or f.get("approx_outside") or None, reason="duration")


def _set(mention: Mention, ctx: Context) -> Outcome | None:
    f = mention.fields
    quant = (f.get("quant") or "").upper() or None
    if f.get("frequency"):
        return Outcome(f["frequency"], reason="frequency word")
    if f.get("weekday") or f.get("weekdays"):
        day = f.get("weekday") or f.get("weekdays")
        clock = _clock(f) if f.get("hour") is not None or f.get("clock_word") else None
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
    value = _unit_value(num if isinstance(num, (int, float)) else 1, unit_code)
    if value is None:
        return None
    freq = None
    if f.get("times"):
        times = f["times"]
        count = {"once": 1, "twice": 2, "thrice": 3}.get(times)
        if count is None:
            parsed = times.split()[0]
            count = parsed if parsed.isdigit() else ctx.grammar.lookup("number_word", parsed)
        freq = f"{count}X" if count else None
    return Outcome(value, quant=quant, freq=freq, reason="recurring period")


def _vague_outcome(value: str, ctx: Context, what: str) -> Outcome:
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


def _vague(mention: Mention, ctx: Context) -> Outcome | None:
    value = mention.fields.get("value") or mention.fields.get("vague")
    if value not in ("PRESENT_REF", "PAST_REF", "FUTURE_REF"):
        return None
    if mention.fields.get("future_only") and (ctx.tense(mention).value == "past" or (
            ctx.tense(mention).value == "prospective" and ctx.story(mention) is not None)):
        # "the Germans soon intervened", "in 1941 ... it would soon reach the river": a step of a
        # past story (the future seen from it), no reference to the future of the publication.
        return None
    words = {"PRESENT_REF": "the present", "PAST_REF": "an unspecified past", "FUTURE_REF": "an unspecified future"}
    return _vague_outcome(value, ctx, f"vague reference to {words[value]}")


def _weekday_day(mention: Mention, ctx: Context) -> Outcome | None:
    """"Tuesday the 19th": the day of that number, in the month nearest the publication date (the
    clause's tense deciding) in which it falls on that weekday."""
    f = mention.fields
    weekday, day = f.get("weekday"), f.get("day")
    if not isinstance(weekday, int) or not isinstance(day, int):
        return None
    if ctx.published is None:
        return _missing("day", what="month of the weekday and day")
    pub = _pub(ctx)
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
    return _published(period, ctx, reason=f"the nearest month in which the {day}th is a "
                                          f"{WEEKDAY_NAMES[weekday - 1]}, {_tense_words(tense)}")


def _nth_in(mention: Mention, ctx: Context) -> Outcome | None:
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
        return _missing("day", what="period the day is counted in")
    pub = _pub(ctx)
    if isinstance(month, int):
        tense = ctx.tense(mention)
        found, how = _by_tense(lambda y: counted(Period.containing(date(y, month, 1), "month")), tense, pub)
        if found is None:
            return None
        return _published(found, ctx, reason=f"counted in the {how} such month, {_tense_words(tense)}")
    granularity = f.get("period")
    shift = f.get("shift")
    if granularity not in ("month", "year"):
        return None
    container = Period.containing(pub, granularity).shift(shift if isinstance(shift, int) else 0)
    period = counted(container)
    return _published(period, ctx, reason=f"counted in {container.value()}") if period else None


def _era(mention: Mention, ctx: Context) -> Outcome | None:
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
        return _century(mention, ctx)
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


def _historic_day(mention: Mention, ctx: Context) -> Outcome | None:
    """"Black Tuesday", "D-Day", "9/11": a day of history named, on its one date."""
    known = mention.fields.get("historic_day")  # the date, from the grammar's table
    if not isinstance(known, str):
        return None
    period = Period.containing(date.fromisoformat(known), "day")
    return Outcome(period.value(), period, reason="a day of history known by its name")


def _event_anchored(mention: Mention, ctx: Context) -> Outcome | None:
    from .anchored import event_anchored  # its own module, which builds on this one
    return event_anchored(mention, ctx)


RESOLVERS: dict[str, Callable[[Mention, Context], Outcome | None]] = {
    "calendar": _calendar, "weekday": _weekday, "deictic_day": _deictic_day,
    "relative_period": _relative_period, "offset": _offset, "anaphoric_period": _anaphoric_period,
    "decade": _decade, "century": _century, "quarter": _quarter, "half": _half, "season": _season,
    "clock": _clock_time, "duration": _duration, "set": _set, "vague": _vague,
    "holiday": _holiday, "weekend": _weekend, "clock_on_day": _clock_on_day,
    "era": _era, "historic_day": _historic_day, "weekday_day": _weekday_day, "nth_in": _nth_in,
    "event_anchored": _event_anchored,
}


# A resolved mention: its outcome (with its final mod), value, interval and type.
Resolved = tuple[Outcome, str, Interval | None, str]


def _outcome(mention: Mention, ctx: Context) -> Resolved | None:
    """Resolve one mention (None: not a timex after all)."""
    if mention.kind not in RESOLVERS:
        raise ValueError(f"grammar rule {mention.rule.name!r} has unknown kind {mention.kind!r}")
    try:
        return _resolved(mention, ctx)
    except (OverflowError, ValueError):  # date() refuses years outside 1..9999 with either
        # Arithmetic beyond years 1–9999 ("next year" published on 9999-12-31, the end of
        # "the next day" there): keep the expression, say why it has no value, guess nothing.
        hint = granularity_hint(mention.kind, mention.fields) or "year"
        lost = Outcome(UNKNOWN_VALUES.get(hint, "XXXX"), underspecified=True, anchor="publication",
                       reason="the resolved date falls outside the years 1 to 9999",
                       mod=mention.fields.get("mod") or None)
        return lost, lost.value, None, mention.type


def _resolved(mention: Mention, ctx: Context) -> Resolved | None:
    """The outcome of the mention's resolver with its value, interval and type."""
    outcome = RESOLVERS[mention.kind](mention, ctx)
    if outcome is None:
        return None
    outcome = _apply_time_of_day(outcome, mention.fields)
    within = mention.fields.get("within")
    if outcome.period is not None and within in _RANK and _RANK[outcome.period.granularity] < _RANK[within]:
        # "the week of March 6": the period of that size around the date named.
        outcome.period = Period.containing(outcome.period.start, within)
    days = mention.fields.get("day_offset")
    if isinstance(days, int) and outcome.period is not None and outcome.period.granularity == "day":
        # "the day before last Tuesday's hearing": the date named, moved by a day.
        outcome.period = outcome.period.shift(days)
        outcome.reason += f"; then the day {'before' if days < 0 else 'after'}"
    outcome.mod = mention.fields.get("mod") or outcome.mod or None
    timex_type = outcome.type or mention.type
    if outcome.period is None:
        value = outcome.value
        if outcome.underspecified and value[-6:-3].startswith("T") and value[-3:-2] == ":":
            value += _zone_suffix(mention.fields.get("time_zone"))  # "XXXX-XX-XXT10:45Z"
        return outcome, value, outcome.interval, timex_type
    if outcome.period.granularity in ("part_of_day", "minute", "hour"):
        timex_type = "TIME"
    value = outcome.period.value()
    if outcome.period.granularity == "minute" and str(mention.fields.get("second") or "").isdigit():
        value += f":{int(mention.fields['second']):02d}"  # "9:01:10 AM": TIMEX3 keeps the seconds
    if outcome.period.granularity in ("minute", "hour"):
        value += _zone_suffix(mention.fields.get("time_zone"))
    # No interval holds a time before the common era: interval arithmetic starts at AD 1.
    interval = None if value.startswith("BC") else outcome.period.narrowed(outcome.mod)
    return outcome, value, interval, timex_type


def _zone_suffix(zone: Any) -> str:
    """A clock's time zone as ISO 8601 writes it after the time ("09:30 GMT" → "Z", EST → "-05",
    IST → "+05:30"); nothing for "local time" or no zone. The interval stays in local clock time."""
    if not isinstance(zone, str) or not zone:
        return ""
    if zone == "Z" or len(zone) == 3:
        return zone
    return f"{zone[:3]}:{zone[3:]}"


_MENTION_LABEL = "mention@"


def mention_label(mention: Mention) -> str:
    """How resolution names a mention as an anchor before timex ids exist: by its start offset."""
    return f"{_MENTION_LABEL}{mention.start}"


def _with_timex_ids(timexes: list[Timex]) -> list[Timex]:
    """Replace mention labels in anchors by the ids of the timexes those mentions became."""
    # Every anchoring mention resolved before it was used as an anchor; mentions do not overlap,
    # so a start offset names exactly one.
    ids = {f"{_MENTION_LABEL}{timex.start}": f"timex:{timex.id}" for timex in timexes}
    return [
        replace(timex, resolution=replace(timex.resolution, anchor=ids[timex.resolution.anchor]))
        if timex.resolution.anchor.startswith(_MENTION_LABEL) else timex
        for timex in timexes
    ]


def resolve(mentions: list[Mention], ctx: Context) -> list[Timex]:
    """Turn matched mentions into timexes, in text order, recording each in the discourse.

    A mention joined to the next one ("the quarter ended [Sept. 30]", "May 30 - [June 2,
    2019]") takes part of its meaning from it, so a run of joined mentions is resolved from
    its last mention back, all against the discourse as it stood before the run, and then
    recorded in text order. Each mention is resolved once, and a chain of any length ("May
    1 to May 2 to ...") costs no recursion.
    """
    timexes: list[Timex] = []
    start = 0
    while start < len(mentions):
        last = start
        while last + 1 < len(mentions) and _joined(mentions[last], mentions[last + 1], ctx.text):
            last += 1
        resolved: list[Resolved | None] = [None] * (last - start + 1)
        for index in range(last, start - 1, -1):
            ctx.upcoming = (mentions[index + 1], resolved[index + 1 - start]) if index < last else None
            result = _outcome(mentions[index], ctx)
            resolved[index - start] = result
            if result is not None:
                ctx.discourse.note_story(mention_label(mentions[index]), result[0].anchor)
        for index in range(start, last + 1):
            ctx.upcoming = (mentions[index + 1], resolved[index + 1 - start]) if index < last else None
            result = resolved[index - start]
            if result is not None:
                timexes.append(_record(mentions[index], result, f"t{len(timexes) + 1}", ctx))
        start = last + 1
    ctx.upcoming = None
    return _with_timex_ids(timexes)


def _moves_story(mention: Mention, outcome: Outcome, ctx: Context) -> bool:
    """Whether the story time moves to a date just mentioned. A look back ("the previous year",
    "two days earlier") does not, nor "yesterday" or "tomorrow" said on the story's day, nor a
    date after the publication date: a story is told of the past ("debentures due March 1,
    2011" names a term, not the story)."""
    if mention.kind in ("anaphoric_period", "offset") and outcome.direction == "past":
        return False
    # Once the text is news of the day the story anchors nothing more: no need to ask.
    if not ctx.discourse.news and ctx.discourse.story_time() is not None and (
            _span_end(mention, ctx) or _past_perfect(mention, ctx) or _planned(mention, ctx)):
        return False  # a plan, a look back or a look ahead from the story told so far
    if mention.kind == "deictic_day" and outcome.anchor != "publication":
        return False  # "yesterday ... tomorrow" told from the story's day: both count from that day
    if ctx.published is None or outcome.period is None or outcome.period.before_common_era:
        return True
    return outcome.period.start.date() <= ctx.published.date()  # a publication time may carry a zone


def _planned(mention: Mention, ctx: Context) -> bool:
    """Whether a date is told as a plan or a future seen from the story: a future or prospective
    cue before it in its clause ("would be exposed for a planned campaign in 1976", "the crossing
    was scheduled for 1857"). A plan is no step of the story, which stays where it was. A cue
    after the date belongs to what follows ("opened on 4 April 1872 and would build ...")."""
    tense = ctx.tense(mention)
    if tense.value not in ("future", "prospective") or tense.cue is None or tense.distance is None:
        return False
    end = mention.start - tense.distance
    return ctx.text[end - len(tense.cue):end].lower().replace("\u2019", "'") == tense.cue.lower()


def _past_perfect(mention: Mention, ctx: Context) -> bool:
    """Whether a date is told in the past perfect ("troops that had landed in the north in late
    1858"): a look back from the story. The auxiliary stands in the words before the date, not
    as "had to"."""
    words = _words_before(mention, ctx)
    return any(word in ctx.grammar.tense.anterior and following != "to"
               for word, following in zip(words, words[1:], strict=False))


def _span_end(mention: Mention, ctx: Context) -> bool:
    """Whether a date dates the event that closes a stretch begun in the story ("a siege that
    lasted until the fall of the city in February 1945"): a look ahead, which the story does not
    follow. A date right after the closing word ("held Chongqing until November 25", "until late
    1945") is the stretch's own end, to which the story goes on."""
    words = _words_before(mention, ctx)
    return any(word in ctx.grammar.tense.span_ends for word in words[:-2])


# How many words before a date, within its clause, may bear on whether the story follows it:
# "had [landed in the north in]", "until [the fall of Budapest in]".
_WORDS_BEFORE = 8


def _words_before(mention: Mention, ctx: Context) -> list[str]:
    """The last words before a mention, lower-cased, back to a comma or other clause break."""
    start = max(ctx.sentence_of(mention.start)[0], mention.start - 12 * _WORDS_BEFORE)
    clause = re.split(r"[,;:()\u2014]", ctx.text[start:mention.start])[-1]
    return clause.lower().replace("\u2019", "'").split()[-_WORDS_BEFORE:]


# Rule kinds whose words count from the moment of writing ("yesterday", "Friday", "last year",
# "two weeks ago"): anchored on the publication date, they show the text is news of the day.
_DEICTIC_KINDS = frozenset({"deictic_day", "weekday", "relative_period", "offset", "clock_on_day", "weekend"})


def _record(mention: Mention, resolved: Resolved, identifier: str, ctx: Context) -> Timex:
    """The timex of a resolved mention, its date noted in the discourse."""
    outcome, value, interval, timex_type = resolved
    label = mention_label(mention)
    # Year-on-year comparisons ("a year earlier") do not move the narrative's reference time.
    comparison = mention.kind == "offset" and mention.fields.get("unit") in ("Y", "DE", "CE")
    if outcome.period is not None and timex_type in ("DATE", "TIME") and not comparison:
        ctx.discourse.mention(outcome.period, label, moves=_moves_story(mention, outcome, ctx))
    if outcome.anchor == "publication" and outcome.period is not None and not quoted(ctx.text, mention.start) \
            and (mention.kind in _DEICTIC_KINDS or mention.fields.get("relation")):
        ctx.discourse.speaks_from_publication()
    _note_report(mention, outcome, label, ctx)
    return Timex(
        id=identifier, start=mention.start, end=mention.end, text=ctx.text[mention.start:mention.end],
        type=timex_type, value=value, interval=interval, mod=outcome.mod,
        quant=outcome.quant, freq=outcome.freq,
        resolution=Resolution(
            rule=mention.rule.name, anchor=outcome.anchor, direction=outcome.direction,
            anchor_value=outcome.anchor_value, reason=outcome.reason, underspecified=outcome.underspecified,
        ),
    )


def _note_report(mention: Mention, outcome: Outcome, label: str, ctx: Context) -> None:
    """Remember a period that figures are reported for: a month, quarter or half named, a period
    closing on a date, or one the grammar marks (``reporting``: "fiscal 1989", "the first nine months").
    A period named as background or outlook (``aside``: "after a flat second quarter") is not one,
    nor is a month that closes one ("the year to [March 2023]")."""
    discourse = ctx.discourse
    if outcome.compared or mention.fields.get("aside") or label in discourse.compared or label in discourse.closing:
        return
    period = outcome.period
    if mention.fields.get("reporting") and period is None:
        # "the first nine months" is no calendar period, but its figures compare with the
        # same months a year back: the year it falls in stands for it.
        period = _report_year(mention, ctx)
    elif period is None and mention.fields.get("ending"):
        # "the half-year to December 2023": a stretch closing on a date reports on the year
        # of that date, as a reporting one does; without such a date it reports nothing.
        closing = _closing_day(mention, ctx)
        period = closing[0].coarsen("year") if closing is not None else None
    elif period is None or not (outcome.report or mention.fields.get("reporting")
                                or period.granularity in ("month", "quarter", "half")):
        return
    if period is not None:
        ctx.discourse.reports.append((period, label, len(ctx.discourse.references)))


def _report_year(mention: Mention, ctx: Context) -> Period | None:
    """The year of a reporting stretch such as "the six months ended Aug. 12": the year of its last
    day or the year named after it ("the first nine months of 1997"), else of the reporting
    period in discourse, else of the publication."""
    closing = _closing_day(mention, ctx) or _adjoining(mention, ctx, mention.fields.get("of_following"))
    if closing is not None and _RANK[closing[0].granularity] <= _RANK["year"]:
        return closing[0].coarsen("year")
    if ctx.discourse.reports:
        return ctx.discourse.reports[-1][0].coarsen("year")
    return Period.containing(_pub(ctx), "year") if ctx.published is not None else None
