"""Resolve matched expressions into TIMEX3 values and intervals, in context.

Deictic expressions ("last week", "Thursday") are anchored at the publication date;
underspecified ones take their direction from the tense of their clause; anaphoric
ones ("the next day", "two days later") from the latest suitable date mentioned
before.  Without a publication date nothing relative is guessed: the value keeps
its X placeholders and the resolution says so.  Every outcome records its anchor,
direction and a sentence of reasoning, so a reader can check it.

This module drives the resolvers of :mod:`timeline.resolvers` over a text's mentions in
order and records each result in the discourse (:mod:`timeline.discourse`).
"""
from __future__ import annotations

import re
from dataclasses import replace

from .discourse import Discourse, headings, quoted
from .matching import Mention, granularity_hint
from .periods import Period
from .resolvers import RESOLVERS
from .resolvers.clock import apply_time_of_day
from .resolvers.context import (
    MENTION_LABEL,
    RANK,
    Context,
    Outcome,
    Resolved,
    adjoining,
    between,
    closing_day,
    mention_label,
    publication_day,
)
from .timexes import Resolution, Timex
from .values import UNKNOWN_VALUES, zone_suffix

# Fields of a rule that hold the words joining its expression to the next one (see adjoining).
_JOINING_FIELDS = ("until", "ending", "of_following", "apposition")


def _joined(mention: Mention, upcoming: Mention, text: str) -> bool:
    """Whether ``mention`` may take part of its meaning from ``upcoming`` (see adjoining)."""
    gap = None
    for name in _JOINING_FIELDS:
        words = mention.fields.get(name)
        if words:
            gap = between(text, mention, upcoming) if gap is None else gap
            if gap in ((words,) if isinstance(words, str) else words):
                return True
    return False


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
    outcome = apply_time_of_day(outcome, mention.fields)
    within = mention.fields.get("within")
    if outcome.period is not None and within in RANK and RANK[outcome.period.granularity] < RANK[within]:
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
            value += zone_suffix(mention.fields.get("time_zone"))  # "XXXX-XX-XXT10:45Z"
        return outcome, value, outcome.interval, timex_type
    if outcome.period.granularity in ("part_of_day", "minute", "hour"):
        timex_type = "TIME"
    value = outcome.period.value()
    if outcome.period.granularity == "minute" and str(mention.fields.get("second") or "").isdigit():
        value += f":{int(mention.fields['second']):02d}"  # "9:01:10 AM": TIMEX3 keeps the seconds
    if outcome.period.granularity in ("minute", "hour"):
        value += zone_suffix(mention.fields.get("time_zone"))
    # No interval holds a time before the common era: interval arithmetic starts at AD 1.
    interval = None if value.startswith("BC") else outcome.period.narrowed(outcome.mod)
    return outcome, value, interval, timex_type


def _with_timex_ids(timexes: list[Timex]) -> list[Timex]:
    """Replace mention labels in anchors by the ids of the timexes those mentions became."""
    # Every anchoring mention resolved before it was used as an anchor; mentions do not overlap,
    # so a start offset names exactly one.
    ids = {f"{MENTION_LABEL}{timex.start}": f"timex:{timex.id}" for timex in timexes}
    return [
        replace(timex, resolution=replace(timex.resolution, anchor=ids[timex.resolution.anchor]))
        if timex.resolution.anchor.startswith(MENTION_LABEL) else timex
        for timex in timexes
    ]


class _Sections:
    """The headings of a text, passed in text order as resolution reads its mentions: the
    first date a heading names opens a section ("1862"), and a heading without one opens a
    section under the latest that had one ("Western theatre")."""

    def __init__(self, text: str) -> None:
        self.lines = headings(text)
        self.index = 0  # the first heading not yet passed
        self.dated = False  # whether that heading has named a date

    def reach(self, position: int, discourse: Discourse) -> None:
        """Pass the headings that end before ``position``, each undated one opening a section."""
        while self.index < len(self.lines) and self.lines[self.index][1] <= position:
            if not self.dated:
                discourse.open_section()
            self.index += 1
            self.dated = False

    def opens(self, position: int) -> bool:
        """Whether a date at ``position`` is the first one its heading names."""
        if self.dated or self.index >= len(self.lines) or not self.lines[self.index][0] <= position:
            return False
        self.dated = True
        return True

    def inside(self, position: int) -> bool:
        """Whether ``position`` lies in the heading being read."""
        return self.index < len(self.lines) and self.lines[self.index][0] <= position < self.lines[self.index][1]


def resolve(mentions: list[Mention], ctx: Context) -> list[Timex]:
    """Turn matched mentions into timexes, in text order, recording each in the discourse.

    A mention joined to the next one ("the quarter ended [Sept. 30]", "May 30 - [June 2,
    2019]") takes part of its meaning from it, so a run of joined mentions is resolved from
    its last mention back, all against the discourse as it stood before the run, and then
    recorded in text order. Each mention is resolved once, and a chain of any length ("May
    1 to May 2 to ...") costs no recursion.
    """
    timexes: list[Timex] = []
    sections = _Sections(ctx.text)
    start = 0
    while start < len(mentions):
        sections.reach(mentions[start].start, ctx.discourse)
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
                sections.reach(mentions[index].start, ctx.discourse)
                timexes.append(_record(mentions[index], result, f"t{len(timexes) + 1}", ctx, sections))
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
    if mention.kind == "relative_period" and outcome.direction == "past" and outcome.anchor != "publication":
        return False  # "last year" said from the story's year looks back as "the previous year" does
    # Once the text is news of the day the story anchors nothing more: no need to ask.
    if not ctx.discourse.news and ctx.discourse.story_time() is not None and (
            _span_end(mention, ctx) or _past_perfect(mention, ctx) or _planned(mention, ctx)):
        return False  # a plan, a look back or a look ahead from the story told so far
    if outcome.period is not None \
            and ctx.discourse.aside_of_section(outcome.period, lambda: _closes_stretch(mention, ctx)) \
            and not _opens_sentence(mention, ctx):
        return False  # "robbed banks until 1881" under "1862"; "In March 1975, ..." sets a new scene
    if mention.kind == "deictic_day" and outcome.anchor != "publication":
        return False  # "yesterday ... tomorrow" told from the story's day: both count from that day
    if ctx.published is None or outcome.period is None or outcome.period.before_common_era:
        return True
    return outcome.period.start.date() <= ctx.published.date()  # a publication time may carry a zone


def _opens_sentence(mention: Mention, ctx: Context) -> bool:
    """Whether a date opens its sentence, after a preposition at most ("In March 1975, ...")."""
    return len(ctx.text[ctx.sentence_of(mention.start)[0]:mention.start].split()) <= 1


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
    # The auxiliary may stand right before the date ("seit 1939", "since 1939"): nothing follows it then.
    return any(word in ctx.grammar.tense.anterior and following not in ctx.grammar.tense.not_anterior_before
               for word, following in zip(words, [*words[1:], ""], strict=False))


def _span_end(mention: Mention, ctx: Context) -> bool:
    """Whether a date dates the event that closes a stretch begun in the story ("a siege that
    lasted until the fall of the city in February 1945"): a look ahead, which the story does not
    follow. A date right after the closing word ("held Chongqing until November 25", "until late
    1945") is the stretch's own end, to which the story goes on."""
    words = _words_before(mention, ctx)
    return any(word in ctx.grammar.tense.span_ends for word in words[:-2])


def _closes_stretch(mention: Mention, ctx: Context) -> bool:
    """Whether a date is the end of a stretch, right after the closing word ("until March 1862")."""
    return any(word in ctx.grammar.tense.span_ends for word in _words_before(mention, ctx)[-2:])


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


def _record(mention: Mention, resolved: Resolved, identifier: str, ctx: Context, sections: _Sections) -> Timex:
    """The timex of a resolved mention, its date noted in the discourse."""
    outcome, value, interval, timex_type = resolved
    label = mention_label(mention)
    # Year-on-year comparisons ("a year earlier") do not move the narrative's reference time.
    comparison = mention.kind == "offset" and mention.fields.get("unit") in ("Y", "DE", "CE")
    if outcome.period is not None and timex_type in ("DATE", "TIME") and not comparison:
        if sections.inside(mention.start):
            # A heading's first date opens its section; a second one ("June 1944 to May 1945")
            # names where the section ends, not where its story starts.
            heading = sections.opens(mention.start)
            ctx.discourse.mention(outcome.period, label, moves=heading, heading=heading)
            if not heading:
                ctx.discourse.stretch_section(outcome.period)
        else:
            ctx.discourse.mention(outcome.period, label, moves=_moves_story(mention, outcome, ctx))
    if outcome.anchor == "publication" and outcome.period is not None and not quoted(ctx.text, mention.start) \
            and (mention.kind in _DEICTIC_KINDS or mention.fields.get("relation")):
        ctx.discourse.speaks_from_publication(outcome.period)
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
        closing = closing_day(mention, ctx)
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
    closing = closing_day(mention, ctx) or adjoining(mention, ctx, mention.fields.get("of_following"))
    if closing is not None and RANK[closing[0].granularity] <= RANK["year"]:
        return closing[0].coarsen("year")
    if ctx.discourse.reports:
        return ctx.discourse.reports[-1][0].coarsen("year")
    return Period.containing(publication_day(ctx), "year") if ctx.published is not None else None
