"""How each event is dated, and why: the basis of its date.

In order of preference:

- ``explicit``: a time expression governs the event in the parse ("landed in Beijing *this
  Thursday*").  After "since" the date opens a situation that still holds: an interval with
  an open end, not a point ("a lifeline *since February 2022*").
- ``narrative``: the story's reference time, the last explicit date of the paragraph, carried
  forward to the events told after it, when the tenses agree (a past event takes a past or
  present reference, a planned one a reference from the publication day on).
  A happening told before another ("ahead of the visit") takes the date the article gave that
  one, as a bound: before it (TimeML's ``mod="BEFORE"``), with that date's basis.
- ``publication``: a past event of the main line of a news sentence, told with no date, is
  of the day the article was published ("Putin visited China" in a story of 16 May).
- ``undated``: none of these; kept when the article has no publication date, otherwise it
  may still support an event that other sentences date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from .predicates import Candidate, bare_participle
from .timexes import Interval, Timex

# How a date was found, surest first.
BASES = ("explicit", "narrative", "publication", "undated")
# Classes that tell a happening (a state, an intention or a report is not an entry by itself).
HAPPENINGS = frozenset({"occurrence", "aspectual", "perception"})


@dataclass(frozen=True)
class Dating:
    """An event mention's date: ``basis`` and ``reason``; ``interval`` None when undated;
    ``anchor`` the timex that gave the date (its own, or the one carried forward)."""

    basis: str
    reason: str
    interval: Interval | None = None
    anchor: Timex | None = None
    ongoing: bool = False
    # A planned event told without a date can only happen from this day on (the publication day):
    # what it may be told with ("the gala" of an article, "the concert on Thursday" of another).
    after: datetime | None = None
    # Told before another happening ("ahead of the visit"): the TIMEX3 value of that happening's
    # date and its interval; ``interval`` then ends where it starts, its start open.
    value: str | None = None
    before: Interval | None = None

    @property
    def mod(self) -> str | None:
        """The TIMEX3 mod of the date: BEFORE for a happening told before another."""
        return "BEFORE" if self.before is not None else None


class StoryClock:
    """The reference time of one document as it is read: the last explicit date of the
    current paragraph, and the publication date."""

    def __init__(self, published: datetime | None) -> None:
        self.published = published
        self.reference: Timex | None = None
        # The date of each kind of happening told so far (by lemma and synonym group), the latest.
        self.told: dict[str, Dating] = {}

    def tell(self, concepts: Iterable[str], dating: Dating) -> None:
        """Remember a dated happening's kinds, for a later "ahead of the visit"."""
        if dating.basis != "undated" and dating.interval is not None and dating.interval.start is not None \
                and dating.before is None:
            for concept in concepts:
                self.told[concept] = dating

    def told_of(self, concepts: Iterable[str]) -> Dating | None:
        """The date of the latest happening of one of these kinds the article told, or None."""
        return next((self.told[c] for c in concepts if c in self.told), None)

    def new_paragraph(self) -> None:
        self.reference = None

    def date(self, candidate: Candidate, trigger: str, prior: tuple[str, Dating | None] | None = None) -> Dating:
        """Date one candidate, in reading order (an explicit date becomes the reference).

        ``prior``: the happening the candidate is told before ("the visit" of "ahead of the
        visit") and the date the article gave it, if any."""
        timex = candidate.timex
        if timex is not None and timex.interval is not None:
            if candidate.open_start:
                interval = Interval(timex.interval.start, None, timex.interval.granularity)
                return Dating("explicit", f"'{timex.text}' governs '{trigger}'; after 'since' it opens a situation "
                                          "that still holds", interval, timex, ongoing=True)
            self.reference = timex
            return Dating("explicit", f"'{timex.text}' governs '{trigger}'", timex.interval, timex)
        return self._implicit(candidate, trigger, prior)

    def _implicit(self, candidate: Candidate, trigger: str, prior: tuple[str, Dating | None] | None) -> Dating:
        if candidate.nominal or not candidate.main or candidate.event_class not in HAPPENINGS:
            return Dating("undated", f"'{trigger}' has no date of its own"
                                     + ("" if candidate.main else " and is not on the sentence's main line"),
                          after=self._planned_from(candidate))
        if prior is not None:
            return self._before(trigger, *prior)
        # The simple past tells what happened at a time; a perfect tells of a result now
        # ("has intensified"), a past perfect of a time before the story's.
        # A past participle on its own ("dynamics tipped towards the U.S.") describes; it is no past tense.
        past = candidate.tense == "past" and candidate.aspect not in ("perfect", "perfect_progressive") \
            and not bare_participle(candidate.token)
        planned = candidate.factuality == "planned"
        reference = self.reference
        if reference is not None and reference.interval is not None:
            if past and self._not_after_publication(reference.interval) \
                    or planned and self._not_before_publication(reference.interval):
                return Dating("narrative", f"no date of its own; the story's last date, '{reference.text}', "
                                           f"carried forward in the paragraph ({'past' if past else 'planned'})",
                              reference.interval, reference)
        if past and self.published is not None and candidate.factuality in ("happened", "negated"):
            day = datetime(self.published.year, self.published.month, self.published.day)
            return Dating("publication", f"a past event told with no date: the publication date, "
                                         f"{day.date().isoformat()}",
                          Interval(day, day + timedelta(days=1), "day"))
        if self.published is None:
            return Dating("undated", "no date in the text and no publication date")
        after = self._planned_from(candidate)
        if after is not None:
            return Dating("undated", f"'{trigger}' is planned, with no date of its own: from the publication date, "
                                     f"{after.date().isoformat()}, on", after=after)
        return Dating("undated", f"'{trigger}' has no date of its own and is not a past event")

    @staticmethod
    def _before(trigger: str, event: str, known: Dating | None) -> Dating:
        """A happening told before another ("ahead of the visit"): before the date the article gave
        that one, with its basis; undated when it gave none (not the publication day: the text
        says it came earlier)."""
        if known is None or known.interval is None or known.interval.start is None:
            return Dating("undated", f"'{trigger}' is told before '{event}', which the article has not dated: "
                                     "not of the publication day")
        value = known.anchor.value if known.anchor is not None else known.interval.start.date().isoformat()
        basis = "publication" if known.basis == "publication" else "narrative"
        return Dating(basis, f"told before '{event}', which the article dates {value} ({known.basis}): "
                             "before that date", Interval(None, known.interval.start, known.interval.granularity),
                      known.anchor if basis == "narrative" else None, value=value, before=known.interval)

    def _planned_from(self, candidate: Candidate) -> datetime | None:
        """The publication day, for a planned happening told without a date (it can only happen from then on)."""
        if candidate.factuality != "planned" or candidate.event_class not in HAPPENINGS or self.published is None:
            return None
        return datetime(self.published.year, self.published.month, self.published.day)

    def when(self, dating: Dating) -> str:
        """A dated event against the publication day: "past", "present" or "future" (past when
        either is unknown: news tells what happened)."""
        interval = dating.interval
        if interval is None or self.published is None or interval.start is None:
            return "past"
        day = datetime(self.published.year, self.published.month, self.published.day)
        if interval.start >= day + timedelta(days=1):
            return "future"
        if interval.end is not None and interval.end <= day:
            return "past"
        return "present" if dating.ongoing else "past"

    def _not_after_publication(self, interval: Interval) -> bool:
        if self.published is None or interval.start is None:
            return True
        return interval.start < datetime(self.published.year, self.published.month, self.published.day) \
            + timedelta(days=1)

    def _not_before_publication(self, interval: Interval) -> bool:
        if self.published is None or interval.end is None:
            return True
        return interval.end > datetime(self.published.year, self.published.month, self.published.day)
