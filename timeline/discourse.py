"""The discourse state of one text: what a reader carries from one date to the next.

Three things, all in text order:

- **references**, the dates mentioned so far: what "the next day", "that year" or "four days
  later" point back to;
- **story time**, the latest of those dates when its year comes from the text itself (a date
  written with its year, or one counted from such a date). A date without a year ("On 3
  March"), a weekday or a season takes its year from the story time when the text tells a
  story rather than the news of its publication day (see :meth:`Discourse.story_anchor`);
- **reporting periods**, the periods a company reports figures for: what "a year earlier"
  and "the 1988 period" compare with.

Resolution reads this state and, once a mention is resolved, records it here; nothing
else changes it, and each mention is recorded once.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from .periods import Period
from .tense import Tense
from .timexes import GRANULARITIES

_RANK = {name: index for index, name in enumerate(GRANULARITIES)}
# A story date this far or farther from the publication date (from the nearer end of its
# period) is history, or a publication date the text contradicts: not the news of the day.
FAR_FROM_PUBLICATION = timedelta(days=366)
# A text that has told this many dates far from its publication before its narrator first speaks
# from the publication date is a history (an encyclopedia article, a memoir): news of the day
# opens on the day ("said on Tuesday") and tells its background later, one or two dates of it.
HISTORY_DATES = 3


@dataclass(frozen=True)
class Reference:
    """A date mentioned in the text: its period, the label of its mention, and whether its
    year comes from the text itself (``story``) rather than from the publication date."""

    period: Period
    label: str
    story: bool
    # Whether the story moves to it: a look back ("the previous year", "two days earlier")
    # is a date for anaphora to point to, but the story stays where it was.
    moves: bool = True
    # A date said from the publication date inside a history ("will restore its locks this
    # year"): an aside, which neither moves the story nor ends it.
    aside: bool = False
    # Whether the story starts again here: the date a heading names ("1862", "Westfront 1944"),
    # or that date again where an undated heading opens a section under it (see open_section).
    # What the story told before, in an earlier section, no longer dates anything.
    opens: bool = False


@dataclass
class Discourse:
    """The state resolution builds up while it reads a text, one mention at a time."""

    published: datetime | None
    references: list[Reference] = field(default_factory=list)
    # Labels of mentions whose year comes from the text: absolute dates and those anchored on one.
    story_labels: set[str] = field(default_factory=set)
    # Whether the narrator has spoken from the publication date ("said Friday", "last year"):
    # the text is news of the day, and the years of its background do not date what it leaves
    # without a year.
    news: bool = False
    # How many dates far from the publication date the text told before ``news``: from
    # HISTORY_DATES on, the text is a history, and a word said from the publication date ("this
    # spring", "Thursday's attack") does not make the rest of it news of the day.
    far_dates: int = 0
    # Reporting periods in text order, each with the number of references made up to and
    # including it (see :meth:`reporting_period`).
    reports: list[tuple[Period, str, int]] = field(default_factory=list)
    # Labels of dates that close a fiscal period ("the quarter ended [Sept. 30]"): part of
    # that period's name, not a move of the story to that day.
    closing: set[str] = field(default_factory=set)
    # Labels of periods in a company's own numbering ("the fiscal first quarter"): their value
    # is a label in the year they close, not the calendar months they span.
    fiscal: set[str] = field(default_factory=set)
    # Labels of periods named in apposition to a comparison ("the year-ago quarter, [the second
    # quarter ended Oct. 31]"): the period compared with, not one reported on.
    compared: set[str] = field(default_factory=set)
    # The date the latest dated heading named: each section under it starts the story there again.
    section: Reference | None = None
    # Whether that heading named a stretch ("1943–1945", "June 1941 to June 1944") rather than one date,
    # and where the stretch ends.
    section_stretch: bool = False
    section_end: datetime | None = None

    # --- reading -------------------------------------------------------------------------
    def reference(self, finest_needed: str, skip: set[str] | None = None) -> tuple[Period, str] | None:
        """The latest mentioned period at least as fine as ``finest_needed`` and not labelled in
        ``skip``, else the publication day (labelled "publication"), else None."""
        limit = _RANK.get(finest_needed, _RANK["century"])
        for reference in reversed(self.references):
            if _RANK[reference.period.granularity] <= limit and reference.label not in (skip or ()):
                return reference.period, reference.label
        if self.published is not None:
            return Period.containing(self.published, "day"), "publication"
        return None

    def story_time(self, finest_needed: str = "year") -> Reference | None:
        """The latest date mentioned, if the text itself gives its year and it is at least as
        fine as ``finest_needed``; None once a date counted from the publication date ("last
        week", "yesterday") has brought the text back to the present."""
        limit = _RANK[finest_needed]
        found: Reference | None = None
        for reference in reversed(self.references):
            if reference.aside:
                continue
            if not reference.story:
                break
            if not reference.moves:
                continue
            if found is not None:
                # "On December 7, 1941 ... in 1941 ... In January": a year that only repeats the
                # year of the finer date before it leaves the story at that date.
                inside = found.period.start <= reference.period.start and reference.period.end <= found.period.end
                return reference if inside and _RANK[reference.period.granularity] < _RANK[found.period.granularity] \
                    else found
            fine_enough = _RANK[reference.period.granularity] <= limit
            if reference.opens:
                return reference if fine_enough else None  # the section's story starts here
            if fine_enough:
                found = reference
        return found

    def story_anchor(self, tense: Callable[[], Tense], finest_needed: str = "year",
                     present: bool = False) -> Reference | None:
        """The story time, when it anchors a date the text leaves incomplete, else None.

        The rule, per mention: the story time anchors when there is no publication date, or
        when it lies a year or more from the publication date (history retold, or a
        publication date the text contradicts) or the text is a history (:attr:`history`), the
        clause is not in the future tense and the narrator has not yet dated anything from the
        publication date (``news``). Otherwise
        the text speaks of the days around its publication, which anchors.

        A word that names the period the narrator is in (``present``: "this year", "cette
        année") is said from the publication date once the story has come within a year of it,
        even in a history: "two breaks in 1997, none in 1998, two again this year" has reached
        the writer's present. Only a story far from the publication date ("in 1862 ... in diesem
        Jahr") makes it the story's period.
        """
        story = self.story_time(finest_needed)
        if story is None or self.published is None:
            return story
        near = _gap(story.period, self.published) < FAR_FROM_PUBLICATION
        if self.news or near and (present or not self.history):
            return None
        return None if tense().value == "future" else story

    def reporting_period(self, granularities: tuple[str, ...] = ()) -> tuple[Period, str] | None:
        """The period a report's figures are for: what "a year earlier" and "the 1988 period" compare against.

        It is the latest one named that is over by the publication date (an outlook for a later
        period is an aside, and a quarter still running has no figures yet: "a fourth-quarter
        charge" in late October is a forecast), else the latest begun, else the latest. A year
        counts once begun ("fiscal 1989", "the first nine months" stand for their year). A day or
        week mentioned since, outside that period and not closing it, means the text has moved on
        to other news. With ``granularities``, only periods of those sizes count ("the quarter" asks
        for the quarter reported on, past a month named in passing).
        """
        reports = [report for report in self.reports
                   if not granularities or report[0].granularity in granularities]
        if not reports:
            return None
        moment = datetime.combine(self.published.date(), time()) if self.published is not None else None
        begun = [report for report in reports if moment is None or report[0].start <= moment]
        over = [report for report in begun if moment is None or report[0].end <= moment
                or _RANK[report[0].granularity] >= _RANK["year"] or report[1] in self.fiscal]
        period, label, position = (over or begun or reports)[-1]
        for later in self.references[position:]:
            if _RANK[later.period.granularity] >= _RANK["month"] or later.label in self.closing:
                continue
            if not (period.start <= later.period.start and later.period.end <= period.end):
                return None
        return period, label

    @property
    def history(self) -> bool:
        """Whether the text is a history: no publication date, or HISTORY_DATES dates far from
        it told before the narrator spoke from it (and no news since, see :meth:`speaks_from_publication`)."""
        return self.published is None or self.far_dates >= HISTORY_DATES and not self.news

    def is_story(self, anchor: str) -> bool:
        """Whether an outcome anchored on ``anchor`` gets its year from the text."""
        return anchor == "none" or anchor in self.story_labels

    # --- recording -----------------------------------------------------------------------
    def note_story(self, label: str, anchor: str) -> None:
        """Remember that the mention ``label`` is dated by the text, if its anchor is."""
        if self.is_story(anchor):
            self.story_labels.add(label)

    def speaks_from_publication(self, period: Period | None = None) -> None:
        """The narrator dated something (``period``) from the publication date ("yesterday",
        "last week"): the text is news of the day, unless it has already shown itself a history.

        A history turns into news when it shows its present: its story has come within a year of
        the publication date ("none in 1998, two again this year": what follows, "on 6 June",
        "on Tuesday evening", is this year's and this week's), or it names a day of the
        publication's week other than the publication day itself ("founded in 1987, listed in
        1995, merged in 2001, said on Tuesday": news that opens with its background). A
        history's "this year" said in the future, or its "today" ("the fort, today a museum"),
        is an aside of the writer's present and leaves it a history."""
        if self.news or self.published is None:
            return
        story = self.story_time()
        self.news = not self.history or story is not None \
            and _gap(story.period, self.published) < FAR_FROM_PUBLICATION \
            or period is not None and _this_week(period, self.published)

    def mention(self, period: Period, label: str, moves: bool = True, heading: bool = False) -> None:
        """A date mentioned: it becomes what anaphora point back to, and the story time unless
        it is a look back (``moves`` False) or, in a history, a date counted from the publication.
        The first date of a ``heading`` opens a section: the story starts again there."""
        story = label in self.story_labels
        aside = not story and self.published is not None and self.history
        reference = Reference(period, label, story, moves, aside, opens=heading)
        self.references.append(reference)
        if heading:
            self.section, self.section_stretch, self.section_end = reference, False, period.end
        if story and not self.news and self.published is not None \
                and _gap(period, self.published) >= FAR_FROM_PUBLICATION:
            self.far_dates += 1


    def stretch_section(self, period: Period) -> None:
        """A heading names a second date ("1943–1945"): unless that date lies in its first, the
        section is a stretch of time, and its first date is only where its story starts."""
        if self.section is not None and not (
                self.section.period.start <= period.start and period.end <= self.section.period.end):
            self.section_stretch = True
            self.section_end = max(self.section_end or period.end, period.end)

    def aside_of_section(self, period: Period, closes_stretch: Callable[[], bool] = lambda: False) -> bool:
        """Whether a date lies a year or more outside the time its section's heading names ("1862",
        "1944/1945") while the story is near it: a look far ahead or back ("robbed banks until
        1881", "plans drawn up from 1941"), which the story of the section does not follow. A date
        that closes a stretch (``closes_stretch``: "the river stayed closed until March 1862") is one as soon as it
        lies outside the section while the story is inside: the stretch is told ahead of the story."""
        section = self.section
        if section is None or not section.story or self.section_end is None:
            return False
        story = self.story_time()
        if story is None:
            return False
        story_off = _outside(story.period, section.period.start, self.section_end)
        date_off = _outside(period, section.period.start, self.section_end)
        if not story_off and date_off and closes_stretch():
            return True
        return story_off < FAR_FROM_PUBLICATION <= date_off

    def open_section(self) -> None:
        """A heading without a date ("Western theatre") opens a section under the latest dated
        heading ("1862"): its story starts again at that heading's date, as a reader takes "in
        May" in each theatre's account of the year. A story that has gone on a year or more past
        that date has left it: the heading is the next of its own, not a part of the dated one."""
        if self.section is None:
            return
        story = self.story_time()
        if story is None or _outside(story.period, self.section.period.start, self.section.period.end) \
                < FAR_FROM_PUBLICATION:
            self.references.append(replace(self.section, moves=True))


def _outside(period: Period, start: datetime, end: datetime) -> timedelta:
    """How far ``period`` lies outside the stretch from ``start`` to ``end`` (zero when they overlap)."""
    if period.start < end and start < period.end:
        return timedelta(0)
    return period.start - end if period.start >= end else start - period.end


def _this_week(period: Period, moment: datetime) -> bool:
    """Whether ``period`` is a day (or part of one) of the week around ``moment``, other than its own day."""
    if _RANK[period.granularity] > _RANK["day"] or period.before_common_era:
        return False
    return 0 < abs((period.start.date() - moment.date()).days) < 7


def _gap(period: Period, moment: datetime) -> timedelta:
    """How far ``moment`` lies outside ``period`` (zero inside it)."""
    day = datetime.combine(moment.date(), time())
    if period.start <= day < period.end:
        return timedelta(0)
    return period.start - day if period.start > day else day - period.end


# A heading: a line of its own of at most this many words, with no sentence punctuation at its end.
_HEADING_WORDS = 12
_LINE = re.compile(r"^[^\S\n]*(\S[^\n]*?)[^\S\n]*$", re.MULTILINE)
_SENTENCE_END = (".", "!", "?", ":", ";", ",", "\u2026")
_CLOSING = "\"'\u201c\u201d\u00bb\u2019)]"


def headings(text: str) -> list[tuple[int, int]]:
    """The spans of the lines of ``text`` that are headings ("1862", "Western theatre"): short,
    alone on their line, and not ending as a sentence does. A text of one line has none."""
    if "\n" not in text.strip():
        return []
    found = []
    for line in _LINE.finditer(text):
        words = line.group(1)
        if not words.rstrip(_CLOSING).endswith(_SENTENCE_END) and len(words.split()) <= _HEADING_WORDS:
            found.append((line.start(1), line.end(1)))
    return found


# Quotation marks that open and close (straight double quotes do both), and how far back a
# quotation is looked for: quoted speech rarely runs longer.
_OPENING_QUOTES = ("\u201c", "``", "\u00ab")
_CLOSING_QUOTES = ("\u201d", "''", "\u00bb")
_QUOTE_REACH = 600


def quoted(text: str, position: int) -> bool:
    """Whether ``position`` lies inside a quotation that opened in its paragraph: quoted speech
    has its own "today", which is not the narrator's."""
    start = max(text.rfind("\n", 0, position) + 1, position - _QUOTE_REACH)
    before = text[start:position]
    if before.count('"') % 2:
        return True
    opened = max(before.rfind(mark) for mark in _OPENING_QUOTES)
    return opened >= 0 and opened > max(before.rfind(mark) for mark in _CLOSING_QUOTES)
