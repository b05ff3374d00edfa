"""What every resolver shares: the :class:`Context` it may look at, the :class:`Outcome` it
returns, and the helpers that place a period by tense, by the story time or by the
publication date, or take part of its meaning from the expression joined to it."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable

from ..discourse import Discourse, Reference
from ..grammar import Grammar
from ..matching import Mention
from ..periods import Period
from ..tense import Tense, clause_tense
from ..timexes import GRANULARITIES, Interval
from ..values import UNKNOWN_VALUES

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


RANK = {name: index for index, name in enumerate(GRANULARITIES)}


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
    _starts: list[int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.discourse = Discourse(self.published)

    def sentence_of(self, position: int) -> tuple[int, int]:
        """The sentence around ``position`` (sentences are in text order and do not overlap), else the text."""
        if self._starts is None:
            self._starts = [start for start, _ in self.sentences]
        index = bisect_right(self._starts, position) - 1
        if index >= 0 and position < self.sentences[index][1]:
            return self.sentences[index]
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

    def story(self, mention: Mention, finest_needed: str = "year", present: bool = False) -> Reference | None:
        """The story time, when it (rather than the publication date) anchors ``mention``; ``present``
        when the mention names the period the narrator is in ("this year")."""
        return self.discourse.story_anchor(lambda: self.tense(mention), finest_needed, present)

    def section(self, story: Reference) -> Period | None:
        """The year a heading named ("1862") when the story time begins in it: the year of the
        section being read, which dates what it leaves without a year. A story that has gone on
        into another year ("In May 1918 ... in July") is dated by the story time as usual."""
        section = self.discourse.section
        if section is None or section.period.granularity != "year" or not section.story \
                or self.discourse.section_stretch:
            return None
        return section.period if section.period.start <= story.period.start < section.period.end else None


def publication_day(ctx: Context) -> date:
    assert ctx.published is not None
    return ctx.published.date()


def tense_words(tense: Tense) -> str:
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


def past_beside(tense: Tense) -> bool:
    """A past cue within CLOSE_CUE characters: it says outright that the time is over."""
    return tense.value == "past" and (tense.distance or 0) <= CLOSE_CUE


def by_tense(make: Callable[[int], Period | None], tense: Tense, pub: date,
              weigh: bool = False) -> tuple[Period | None, str]:
    """Pick the year for a period named without one ("in March", "Sept. 30", "the third quarter")."""
    moment = datetime.combine(pub, time())
    options = [p for p in (make(pub.year - 1), make(pub.year), make(pub.year + 1)) if p is not None]

    def distance(period: Period) -> timedelta:
        if period.start <= moment < period.end:
            return timedelta(0)
        return period.start - moment if period.start > moment else moment - period.end

    if weigh and tense.value == "past" and options and not past_beside(tense):
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


def published_outcome(period: Period, ctx: Context, reason: str) -> Outcome:
    """An outcome anchored at the publication date, its direction read off the period."""
    pub = publication_day(ctx)
    return Outcome(period.value(), period, anchor="publication", anchor_value=pub.isoformat(),
                   direction=direction_of(period, pub), reason=reason)


# A story moves forward: an occurrence before the story time counts this much farther away
# ("On 26 October 1795 ... In May" is the May after, seven months on, not the one five months
# before), while a look back of a month or two stays one ("On 10 March ... In January").
STORY_BACK_WEIGHT = 1.5


def in_story(make: Callable[[int], Period | None], story: Reference,
              fits: Callable[[Period], bool] | None = None, what: str = "occurrence",
              section: Period | None = None) -> Outcome | None:
    """A period named without its year ("On 3 March", "in the spring"), placed by the story
    time: the occurrence nearest to it, an earlier one counting STORY_BACK_WEIGHT times as far
    (inside a story year, that year), as a reader of a narrative takes it; ``fits`` can rule
    occurrences out ("Monday, Oct. 26"). Under a heading that names a year ("1862"), the
    ``section`` the story is in, an occurrence that begins in that year is taken: each account
    of the year may go back to its spring."""
    year = story.period.start.year
    options = [p for p in (make(y) for y in range(year - 1, year + 2)) if p is not None and (fits is None or fits(p))]
    inside = [p for p in options if section is not None and section.start <= p.start < section.end]
    if section is not None and inside:
        period = min(inside, key=lambda p: _apart(p, story.period))
        reason = (f"{what} in {section.value()}, the year its section's heading names, nearest to the story time "
                  f"{story.period.value()}")
    elif options:
        # Equally near ("In 1812 ... in the winter": both winters overlap 1812), the story goes on.
        period = min(options, key=lambda p: (_apart(p, story.period)
                                             * (STORY_BACK_WEIGHT if p.start < story.period.start else 1),
                                             p.start < story.period.start))
        reason = f"{what} nearest to the story time {story.period.value()}, the latest date of the narrative"
    else:
        return None
    return Outcome(period.value(), period, anchor=story.label, anchor_value=story.period.value(),
                   direction=direction_of(period, story.period.start.date()), reason=reason)


def _apart(period: Period, other: Period) -> timedelta:
    """The time between two periods (zero when they overlap)."""
    if period.start < other.end and other.start < period.end:
        return timedelta(0)
    return period.start - other.end if period.start >= other.end else other.start - period.end


def direction_of(period: Period, pub: date) -> str:
    moment = datetime.combine(pub, time())
    if period.start <= moment < period.end:
        return "same"
    return "past" if period.start < moment else "future"


def out_of_range() -> Outcome:
    """No occurrence within the calendar (years 1–9999) fits: keep the expression, unresolved."""
    return Outcome("XXXX", underspecified=True, anchor="publication",
                   reason="no occurrence within the years 1 to 9999 fits")


def missing(granularity: str, value: str | None = None, what: str = "") -> Outcome:
    return Outcome(
        value or UNKNOWN_VALUES.get(granularity, "XXXX"), anchor="missing", underspecified=True,
        reason=f"no publication date: {what or 'relative expression'} left underspecified",
    )


def adjoining(mention: Mention, ctx: Context, words: str | Sequence[str] | None) -> tuple[Period, str] | None:
    """The period of the next expression when only ``words`` (one, or any of a list) stand
    between ("ended" in "the quarter ended Sept. 30", "of" in "the first nine months of 1997",
    "–" in "16–17 May"), with its label. The next expression is already resolved (see resolve())."""
    if not words or ctx.upcoming is None:
        return None
    upcoming, resolved = ctx.upcoming
    if between(ctx.text, mention, upcoming) not in ((words,) if isinstance(words, str) else words):
        return None  # "the year ended with a loss": the next expression is not the one named
    if resolved is None or resolved[0].period is None:
        return None
    return resolved[0].period, mention_label(upcoming)


def between(text: str, mention: Mention, upcoming: Mention) -> str:
    return " ".join(text[mention.end:upcoming.start].lower().split())


def closing_day(mention: Mention, ctx: Context) -> tuple[Period, str] | None:
    """The day or month named right after "ended", "ending" or "to" ("the quarter ended Sept. 30",
    "the year to March"), which closes the period, with its label."""
    closing = adjoining(mention, ctx, mention.fields.get("ending"))
    if closing is None or closing[0].granularity not in ("day", "month"):
        return None
    ctx.discourse.closing.add(closing[1])
    return closing


def reported_period(ctx: Context, granularity: str, any_period: bool) -> Outcome | None:
    """The reporting period itself, when it has the granularity asked for ("the latest quarter")
    or, for the bare noun "period", is a month, quarter or half ("the latest period")."""
    report = ctx.discourse.reporting_period(("month", "quarter", "half") if any_period else (granularity,))
    if report is None:
        return None
    period, label = report
    # Named again, it is again the period the story's figures are for.
    return Outcome(period.value(), period, anchor=label, anchor_value=period.value(), report=True,
                   reason=f"the reporting period {period.value()}")


# A resolved mention: its outcome (with its final mod), value, interval and type.
Resolved = tuple[Outcome, str, Interval | None, str]


MENTION_LABEL = "mention@"


def mention_label(mention: Mention) -> str:
    """How resolution names a mention as an anchor before timex ids exist: by its start offset."""
    return f"{MENTION_LABEL}{mention.start}"
