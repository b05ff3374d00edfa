"""The merged timeline: event mentions from several articles, merged and ordered.

Merging rule (documented in docs/timeline.md, tested in tests/test_chronology.py):
two dated mentions report the same happening when their intervals overlap and the
IDF-weighted overlap of their content words (weighted Jaccard) reaches
``merge_threshold``.  Words every mention shares (the story's protagonists) weigh
little, so "Putin" alone never merges two clauses.  Mentions from different
documents that are as alike as ``conflict_threshold`` but whose intervals do not
overlap are one happening told with incompatible dates: they join one event marked
``conflicting``, with the sources behind each date.  An undated sentence joins the
event it matches best when the similarity reaches ``support_threshold``.

Merging compares a mention only with earlier mentions sharing one of its rarest words
(an inverted index, see ``_candidate_pairs``), so it grows near-linearly with the number
of mentions instead of comparing every pair.

Ordering rule: by interval start; when two intervals start together the longer
(coarser) one comes first, since it contains the other ("2023" before
"2023-01-01", a week before its Monday); then document order.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, repeat
from typing import Any, Iterable, Mapping, Sequence

from spacy.language import Language

from . import longtail
from .dating import BASES
from .documents import Document, display_name
from .events import EventMention, event_mentions, news_sentences, parsed_mentions
from .grammar import DateLabels, load_grammar, load_labels
from .languages import UnsupportedLanguage, is_supported, unsupported_reason
from .longtail import LongTailExtractor
from .pipeline import Extractor
from .registry import get_extractor
from .syntax import default_parser, load_parser
from .timexes import GRANULARITIES, Interval, Timex, date_label

DEFAULT_MERGE_THRESHOLD = 0.2
DEFAULT_CONFLICT_THRESHOLD = 0.55
DEFAULT_SUPPORT_THRESHOLD = 0.25
_RANK = {name: index for index, name in enumerate(GRANULARITIES)}
# Which mention dates an event: its own timex first, then the story's date, then the paper's.
_BASIS_RANK = {name: index for index, name in enumerate(BASES)}
# ``build_timeline``'s parser by default: the shipped one, or the one ``TIMELINE_PARSER`` names
# (``none``: the clause heuristics; ``timeline.syntax.default_parser``).
AUTO = "auto"
# Sentences parsed per batch (spaCy's nlp.pipe): a sentence is short, and 64 of them (about 1,600 words)
# parse faster per word than 16 (measured: docs/benchmarks.md) for 20 MB more peak memory.
PARSE_BATCH = 64


@dataclass(frozen=True)
class BuildOptions:
    """Thresholds of the merging rule (weighted Jaccard similarity, 0..1)."""

    merge_threshold: float = DEFAULT_MERGE_THRESHOLD
    conflict_threshold: float = DEFAULT_CONFLICT_THRESHOLD
    support_threshold: float = DEFAULT_SUPPORT_THRESHOLD

    def __post_init__(self) -> None:
        for name in ("merge_threshold", "conflict_threshold", "support_threshold"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be in (0, 1], not {value!r}")


def dating(mention: EventMention) -> tuple[Timex, Interval]:
    """The timex and interval of a dated mention: event_mentions dates mentions only by timexes with intervals."""
    timex = mention.timex
    if timex is None or timex.interval is None:
        raise ValueError(f"the mention of {mention.document!r} at {mention.sentence_start} has no date")
    return timex, timex.interval


@dataclass
class Event:
    """One happening: its date, a summary, and every mention that reports it."""

    id: str
    mentions: list[EventMention]
    conflicting: bool = False
    label_language: str = "en"  # the language its dates are written in for people (``label_language``)

    @property
    def dated(self) -> list[EventMention]:
        """The mentions that date the event (an undated supporting sentence does not)."""
        return [m for m in self.mentions if m.interval is not None and m.entry]

    @property
    def primary(self) -> EventMention:
        """The mention that dates the event: the surest basis, the finest date, a main clause
        before a subordinate one, then the earliest in document order (the first entry for an
        undated event)."""
        dated = self.dated
        if not dated:
            return min((m for m in self.mentions if m.entry), key=lambda m: m.position, default=self.mentions[0])
        return min(dated, key=lambda m: (_BASIS_RANK[m.basis], _granularity_rank(m), not m.main, m.position))

    @property
    def interval(self) -> Interval | None:
        return self.primary.interval

    @property
    def summary(self) -> str:
        """The primary mention's summary; for a noun ("the concert") a clause that tells the
        same happening on the same date reads better, when there is one."""
        primary = self.primary
        if primary.trigger is not None and primary.nominal:
            clauses = [m for m in self.dated if not m.nominal and m.trigger is not None
                       and m.interval is not None and primary.interval is not None
                       and overlaps(m.interval, primary.interval)]
            if clauses:
                return min(clauses, key=lambda m: (_BASIS_RANK[m.basis], m.position)).summary
        return primary.summary

    def sort_key(self) -> tuple[Any, ...]:
        """Interval start, the longer interval first, then the story's order (which document,
        then where in it); undated events last."""
        interval = self.interval
        if interval is not None and interval.start is None and interval.end is not None \
                and self.primary.dating is not None and self.primary.dating.before is not None:
            # "before 16 May 2024": right before what starts on that date (a second: stored orders keep it)
            return 0, interval.end - timedelta(seconds=1), 0.0, min(m.position for m in self.dated)
        if interval is None or interval.start is None:
            return (1, datetime.max, 0.0, min(m.position for m in self.mentions))
        end = interval.end or datetime.max
        length = (end - interval.start).total_seconds()
        return 0, interval.start, -length, min(m.position for m in (self.dated or self.mentions))

    def to_dict(self) -> dict[str, Any]:
        primary = self.primary
        labels = load_labels(self.label_language)
        participants: list[str] = []
        places: list[str] = []
        for mention in self.dated or [primary]:
            participants += [p for p in mention.participants if p not in participants]
            places += [p for p in mention.places if p not in places]
        data: dict[str, Any] = {
            "id": self.id,
            "date": _date_dict(primary, labels),
            "summary": self.summary,
            "participants": participants,
            "places": places,
            "sources": sorted({m.document for m in self.mentions}),
            "conflicting": self.conflicting,
        }
        if self.conflicting:
            by_value: dict[str, list[str]] = {}
            written: dict[str, str] = {}
            for mention in self.dated:
                if mention.timex is None:
                    continue
                timex = mention.timex
                documents = by_value.setdefault(timex.value, [])
                written.setdefault(timex.value, date_label(timex.value, timex.interval, timex.mod, labels))
                if mention.document not in documents:
                    documents.append(mention.document)
            data["dates"] = [{"value": value, "label": written[value], "documents": documents}
                             for value, documents in by_value.items()]
        attributes = []
        for mention in self.mentions:
            attributes += [{"text": t.text, "type": t.type, "value": t.value} for t in mention.attributes
                           if {"text": t.text, "type": t.type, "value": t.value} not in attributes]
        data["attributes"] = attributes
        if primary.trigger is not None:
            data["event"] = _event_dict(primary)
        data["mentions"] = [_mention_dict(m, self, labels) for m in sorted(self.mentions, key=lambda m: m.position)]
        return data


def _granularity_rank(mention: EventMention) -> int:
    return _RANK[mention.interval.granularity] if mention.interval is not None else len(_RANK)


def _date_value(mention: EventMention) -> str | None:
    """The TIMEX3 value of the mention's date: its timex's, the carried one's, or the day's."""
    dating = mention.dating
    if dating is not None and dating.value is not None:
        return dating.value
    anchor = mention.timex or (dating.anchor if dating is not None else None)
    if anchor is not None:
        return anchor.value
    interval = mention.interval
    return interval.start.date().isoformat() if interval is not None and interval.start is not None else None


def _date_dict(mention: EventMention, labels: DateLabels) -> dict[str, Any]:
    """The event's date: value, label, interval, and how it was found (basis, reason)."""
    interval = mention.interval
    reason = mention.dating.reason if mention.dating is not None else "a time expression in the clause"
    ongoing = bool(mention.dating and mention.dating.ongoing)
    if interval is None:
        return {"value": None, "label": labels.undated, "start": None, "end": None, "granularity": None,
                "basis": "undated", "reason": reason, "ongoing": False}
    value = _date_value(mention) or ""
    anchor = mention.timex or (mention.dating.anchor if mention.dating is not None else None)
    if mention.dating is not None and mention.dating.before is not None:  # "before 16 May 2024"
        label = date_label(value, mention.dating.before, mention.dating.mod, labels)
    else:
        label = date_label(value, interval, anchor.mod if anchor is not None else None, labels)
    if ongoing:
        label = labels.ongoing.format(date=label)
    return {"value": value, "label": label, **interval.to_dict(),
            "basis": mention.basis, "reason": reason, "ongoing": ongoing}


def _event_dict(mention: EventMention) -> dict[str, Any]:
    """What the parse says of the happening: trigger, class, polarity, factuality, tense, aspect."""
    return {"trigger": mention.trigger.to_dict() if mention.trigger is not None else None,
            "class": mention.event_class, "polarity": mention.polarity, "factuality": mention.factuality,
            "tense": mention.tense, "aspect": mention.aspect, "nominal": mention.nominal}


def _mention_dict(mention: EventMention, event: Event, labels: DateLabels) -> dict[str, Any]:
    data: dict[str, Any] = {
        "document": mention.document,
        "sentence": mention.sentence,
        "sentence_start": mention.sentence_start,
        "sentence_end": mention.sentence_end,
        "summary": mention.summary,
    }
    if mention.trigger is not None:
        data.update(_event_dict(mention))
    if mention.timex is not None:
        data["timex"] = {"text": mention.timex.text, "start": mention.timex.start, "end": mention.timex.end,
                         "value": mention.timex.value,
                         "label": date_label(mention.timex.value, mention.timex.interval, mention.timex.mod, labels)}
        data["resolution"] = mention.timex.resolution.to_dict()
    else:
        data["timex"] = None
    data["basis"] = mention.basis if mention.entry or mention.timex is not None else "support"
    if mention.dating is not None:
        data["reason"] = mention.dating.reason
        anchor = mention.dating.anchor
        if mention.basis == "narrative" and anchor is not None:
            data["anchor"] = {"text": anchor.text, "start": anchor.start, "end": anchor.end, "value": anchor.value}
    if not mention.entry or mention.interval is None and event.dated:
        data.update(dated_by_fields(sorted({m.document for m in event.dated})))
    return data


#: Documents a mention's ``dated_by`` names at most (the first, by id); ``dated_by_total`` then
#: says how many date the event.  Every mention that does not date its event carries the list,
#: so an event told by thousands of articles would otherwise grow with the square of its size.
DATED_BY_LIMIT = 20


def dated_by_fields(documents: list[str]) -> dict[str, Any]:
    """What a mention that does not date its event says of the (sorted) documents that do."""
    if len(documents) <= DATED_BY_LIMIT:
        return {"dated_by": documents}
    return {"dated_by": documents[:DATED_BY_LIMIT], "dated_by_total": len(documents)}


@dataclass
class Timeline:
    """The merged, ordered events of a set of documents, with per-document notes."""

    events: list[Event]
    documents: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    label_language: str = "en"  # the language of its date labels (``label_language``)

    def to_dict(self) -> dict[str, Any]:
        return {"events": [e.to_dict() for e in self.events], "documents": self.documents,
                "warnings": self.warnings, "labels": self.label_language}


def label_language(documents: Iterable[Document], requested: str | None = None) -> str:
    """The one language a timeline's dates are written in for people ("16 de mayo de 2024"):
    ``requested`` when given, else the documents' own when they all share one with a grammar,
    else English.  A requested language without a grammar is :class:`UnsupportedLanguage`."""
    if requested is not None:
        if not is_supported(requested):
            raise UnsupportedLanguage(requested, "no grammar, so no date labels")
        return requested
    languages = {document.language for document in documents}
    shared = languages.pop() if len(languages) == 1 else "en"
    return shared if is_supported(shared) else "en"


def idf_table(frequency: Mapping[str, int], mentions: int) -> dict[str, float]:
    """Each word's IDF, from the number of mentions (out of ``mentions``) that have it."""
    total = mentions or 1
    return {word: math.log(1 + total / count) for word, count in frequency.items()}


def similarity(a: EventMention | frozenset[str], b: EventMention | frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted Jaccard overlap of two mentions' (or word sets') content words."""
    return _Weights(idf).similarity(a if isinstance(a, frozenset) else a.words,
                                    b if isinstance(b, frozenset) else b.words)


class _Weights:
    """Word-set weights under one IDF table, totals cached: w(A∪B) = w(A) + w(B) - w(A∩B),
    so a comparison costs the shared words only, not the union.  Sums are exact (``math.fsum``):
    a set's order follows the process's hash seed, and a rounding that followed it made two
    processes merge the same mentions differently at a threshold."""

    def __init__(self, idf: dict[str, float]) -> None:
        self.idf = idf
        self.totals: dict[frozenset[str], float] = {}

    def total(self, words: frozenset[str]) -> float:
        total = self.totals.get(words)
        if total is None:
            total = self.totals[words] = math.fsum(map(self.idf.get, words, repeat(1.0)))
        return total

    def similarity(self, left: frozenset[str], right: frozenset[str]) -> float:
        shared = math.fsum(map(self.idf.get, left & right, repeat(1.0)))
        union = self.total(left) + self.total(right) - shared
        return shared / union if union > 0 else 0.0


def overlaps(a: Interval | None, b: Interval | None) -> bool:
    """Whether two intervals share a moment (open sides reach infinitely far); None: no date."""
    if a is None or b is None:
        return False
    return ((a.start is None or b.end is None or a.start < b.end)
            and (b.start is None or a.end is None or b.start < a.end))


class _Groups:
    """Union-find over mention indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


# Blocking (keeps merging near-linear on thousands of articles): a mention is compared only
# with mentions that contain one of its BLOCKING_KEYS rarest words, looked up in an inverted
# index that keeps the POSTING_LIMIT most recent mentions per word (merging is transitive, so
# the latest few members of an event are enough to join it).  Pairs sharing none of
# those words share only common words, whose weight cannot reach the thresholds in practice.
BLOCKING_KEYS = 4
SUPPORT_KEYS = 12  # undated sentences are longer than dated clauses: more keys
POSTING_LIMIT = 16


def _keys(mention: EventMention, idf: dict[str, float], repeated: frozenset[str],
          count: int = BLOCKING_KEYS) -> list[str]:
    """The mention's rarest words among those another mention also has (a word said once
    can pair nothing)."""
    return sorted(mention.words & repeated, key=lambda w: (-idf.get(w, 0.0), w))[:count]


def concept_keys(mention: EventMention) -> list[str]:
    """Index keys of the mention's concepts: the same happening told in other words is a candidate too.
    (A control character no word has, and one a database's text may hold, unlike NUL.)"""
    return [f"\x1f{concept}" for concept in sorted(mention.concepts)]


def _candidate_pairs(mentions: list[EventMention], idf: dict[str, float],
                     repeated: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Pairs (earlier, later) worth comparing, from an inverted index of words."""
    postings: dict[str, list[int]] = {}
    for index, mention in enumerate(mentions):
        seen: set[int] = set()
        concepts = concept_keys(mention)
        for key in _keys(mention, idf, repeated) + concepts:
            for other in postings.get(key, ()):
                if other not in seen:
                    seen.add(other)
                    yield other, index
        for word in chain(mention.words, concepts):
            posting = postings.setdefault(word, [])
            posting.append(index)
            if len(posting) > POSTING_LIMIT:
                del posting[0]


MERGED, CONFLICT = "merged", "conflict"


def join_verdict(a: EventMention, b: EventMention, weights: _Weights, options: BuildOptions) -> str | None:
    """Whether two dated mentions report one happening: MERGED (dates overlap and content alike,
    or one happening at a coarse and a fine date), CONFLICT (dates incompatible, content very
    alike, different documents) or None."""
    score = weights.similarity(a.words, b.words)
    if _ongoing(a) != _ongoing(b):
        return None  # a situation that still holds overlaps all that follows; it is not those events
    if overlaps(a.interval, b.interval):
        return MERGED if score >= options.merge_threshold or _same_happening(a, b) else None
    if (score >= options.conflict_threshold and a.document != b.document and a.timex is not None
            and len(a.words & b.words) > 1 and b.timex is not None):
        return CONFLICT
    if _same_happening(a, b) and _within(a.interval, b.interval):
        return MERGED  # a coarse and a fine date of one happening ("2022", "February 2022")
    return None


def merge(dated: list[EventMention], undated: list[EventMention], options: BuildOptions) -> list[Event]:
    """Group mentions into events by the merging rule, attach undated support, order them.

    ``dated`` are the mentions that may found an event (an undated one among them founds an
    undated event when it supports none); ``undated`` the sentences that may only support one.
    """
    return add_mentions([], dated, undated, options)


def _same_happening(a: EventMention, b: EventMention) -> bool:
    """The same kind of happening (trigger lemma or synonym, "invasion" ~ "invaded" ~
    "initiation of hostilities") with a participant or place in common, or in one document
    where one of them names nobody ("the concert" and "sat down for a concert")."""
    if not a.concepts & b.concepts:
        return False
    names_a, names_b = set(a.participants) | set(a.places), set(b.participants) | set(b.places)
    return bool(names_a & names_b) or a.document == b.document and not (names_a and names_b)


def add_mentions(events: list[Event], dated: list[EventMention], undated: list[EventMention],
                 options: BuildOptions) -> list[Event]:
    """Merge new mentions into existing events (which stay whole) and order the result.

    The existing events' mentions seed the groups, so an event never splits; a new mention
    joins one when the merging rule says so.  ``merge`` is this with no existing events.
    """
    seeded = [m for event in events for m in event.mentions if m.interval is not None and m.entry]
    others = [m for event in events for m in event.mentions if not (m.interval is not None and m.entry)]
    entries = seeded + [m for m in dated if m.interval is not None]
    # Undated entries support an event, else found their own; earlier support is attached anew.
    loose = [m for m in others if m.entry] + [m for m in dated if m.interval is None]
    undated = [m for m in others if not m.entry] + undated
    mentions = entries + loose + undated
    counts = Counter(chain.from_iterable(mention.words for mention in mentions))
    idf = idf_table(counts, len(mentions))
    repeated = frozenset(word for word, count in counts.items() if count > 1)
    weights = _Weights(idf)
    groups = _Groups(len(entries))
    conflicting: set[int] = set()
    offset = 0
    for event in events:
        size = sum(1 for m in event.mentions if m.interval is not None and m.entry)
        for index in range(offset + 1, offset + size):
            groups.union(index, offset)
        if event.conflicting:
            conflicting.update(range(offset, offset + size))
        offset += size
    for i, j in _candidate_pairs(entries, idf, repeated):
        verdict = join_verdict(entries[i], entries[j], weights, options)
        if verdict is not None:
            groups.union(i, j)
            if verdict == CONFLICT:
                conflicting.update((i, j))
    members: dict[int, list[int]] = {}
    for index in range(len(entries)):
        members.setdefault(groups.find(index), []).append(index)
    merged = [Event("", [entries[i] for i in indexes], conflicting=any(i in conflicting for i in indexes))
              for indexes in members.values()]
    _attach(merged, loose + undated, idf, repeated, weights, options)
    merged.sort(key=Event.sort_key)
    for number, event in enumerate(merged, 1):
        event.id = f"e{number}"
    return merged


def _ongoing(mention: EventMention) -> bool:
    return mention.dating is not None and mention.dating.ongoing


def _within(a: Interval | None, b: Interval | None) -> bool:
    """One interval inside the other (open sides reach infinitely far)."""
    if a is None or b is None:
        return False
    return _contains(a, b) or _contains(b, a)


def _contains(outer: Interval, inner: Interval) -> bool:
    return ((outer.start is None or inner.start is not None and outer.start <= inner.start)
            and (outer.end is None or inner.end is not None and inner.end <= outer.end))


def _attach(events: list[Event], mentions: list[EventMention], idf: dict[str, float], repeated: frozenset[str],
            weights: _Weights, options: BuildOptions) -> None:
    """Attach undated sentences to the event they match best; an undated entry that matches
    none becomes an undated event of its own."""
    # An undated sentence is compared with all an event's words (its mentions together tell
    # more of the happening than any one clause), for the events sharing one of its rare words.
    event_words = [frozenset().union(*(m.words for m in e.dated)) for e in events]
    by_word: dict[str, list[int]] = {}
    for index, words in enumerate(event_words):
        for word in words:
            by_word.setdefault(word, []).append(index)
    by_concept: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        for concept in frozenset().union(*(m.concepts for m in event.dated)):
            by_concept.setdefault(concept, []).append(index)
    for mention in mentions:
        told = _planned_match(mention, events, by_concept)
        if told is not None:
            events[told].mentions.append(mention)
            continue
        keys = _keys(mention, idf, repeated, SUPPORT_KEYS)
        candidates = {index for key in keys for index in by_word.get(key, ())[-POSTING_LIMIT:]}
        scored = [(weights.similarity(mention.words, event_words[index]), index) for index in sorted(candidates)]
        score, index = max(scored, default=(0.0, -1))
        if index >= 0 and score >= options.support_threshold \
                and mention.document not in {m.document for m in events[index].dated}:
            events[index].mentions.append(mention)
        elif mention.entry:
            events.append(Event("", [mention]))


def _planned_match(mention: EventMention, events: list[Event], by_concept: dict[str, list[int]]) -> int | None:
    """The one event a planned happening told without a date is told again by (:func:`planned_event`)."""
    if not planned_kind(mention):
        return None
    indexes = {i for concept in mention.concepts for i in by_concept.get(concept, ())}
    return planned_event(mention, [(index, other) for index in sorted(indexes) for other in events[index].dated])


def planned_kind(mention: EventMention) -> bool:
    """A planned happening told without a date, with a kind of happening (a trigger's synonym group)."""
    return mention.dating is not None and mention.dating.after is not None and bool(mention.concepts)


def planned_event(mention: EventMention, dated: Sequence[tuple[int, EventMention]]) -> int | None:
    """Of (event, dated mention) pairs, the one event a planned undated happening is told by, or None.

    "Both leaders are to celebrate a gala" (an article of 16 May) and "the two leaders sat down for
    a celebratory concert" (another, on Thursday 16 May): the same kind of happening (a trigger of
    one synonym group), dated no earlier than the plan's article, told by another article, with a
    participant or place in common or one of them naming nobody; and only when exactly one event
    of the story fits.
    """
    after = mention.dating.after if mention.dating is not None else None
    if after is None:
        return None
    found = {event for event, other in dated
             if other.concepts & mention.concepts and other.interval is not None and other.document != mention.document
             and (other.interval.start is None or other.interval.start >= after) and _names_agree(other, mention)}
    return found.pop() if len(found) == 1 else None


def _names_agree(a: EventMention, b: EventMention) -> bool:
    """A participant or place in common, or one of the two naming nobody."""
    names_a, names_b = set(a.participants) | set(a.places), set(b.participants) | set(b.places)
    return bool(names_a & names_b) or not names_a or not names_b


# Incremental merging, for stories that grow one article at a time (the ``stories`` package
# keeps the index and the counts in its database): ``merge``'s rule, one mention at a time,
# against the candidates that the caller's blocking index returns for ``incremental_keys``.
# ``frequency`` counts words over the ``mentions`` mentions stored so far (the new one included);
# ``idf`` is their ``idf_table``.  Each must hold at least the words of the mention and of its
# candidates that the story has (a word it has not has no IDF); the caller may keep one ``idf``
# for many mentions while the counts stay the same.

def incremental_keys(mention: EventMention, frequency: Mapping[str, int], mentions: int,
                     count: int = BLOCKING_KEYS) -> list[str]:
    """The words to look up a new mention's candidates by: its rarest words seen before (with
    ``concept_keys`` for a dated mention, as ``merge`` looks them up)."""
    repeated = frozenset(word for word in mention.words if frequency.get(word, 0) > 1)
    return _keys(mention, idf_table(frequency, mentions), repeated, count)


def incremental_postings(mention: EventMention) -> list[str]:
    """The keys a new dated mention is indexed under (its words and its concepts), as ``merge`` indexes it."""
    return sorted(mention.words) + concept_keys(mention)


def incremental_joins(mention: EventMention, candidates: Sequence[EventMention], idf: dict[str, float],
                      options: BuildOptions) -> list[tuple[int, str]]:
    """The candidates (earlier dated mentions) a new dated mention joins: (index, MERGED or CONFLICT)."""
    weights = _Weights(idf)
    verdicts = ((index, join_verdict(other, mention, weights, options)) for index, other in enumerate(candidates))
    return [(index, verdict) for index, verdict in verdicts if verdict is not None]


def incremental_support(mention: EventMention, event_words: Sequence[frozenset[str]],
                        event_documents: Sequence[set[str]], idf: dict[str, float],
                        options: BuildOptions) -> int | None:
    """The candidate event (index) an undated mention supports, as ``merge`` attaches it, or None."""
    weights = _Weights(idf)
    scored = [(weights.similarity(mention.words, words), index) for index, words in enumerate(event_words)]
    score, index = max(scored, default=(0.0, -1))
    if index >= 0 and score >= options.support_threshold and mention.document not in event_documents[index]:
        return index
    return None


def incremental_supporters(mentions: Sequence[EventMention], event_words: frozenset[str], event_documents: set[str],
                           idf: dict[str, float], options: BuildOptions) -> list[int]:
    """The undated mentions (indexes) that would support one event, as ``merge`` attaches them:
    ``incremental_support`` of each against that event alone, under one set of weights."""
    weights = _Weights(idf)
    return [index for index, mention in enumerate(mentions)
            if weights.similarity(mention.words, event_words) >= options.support_threshold
            and mention.document not in event_documents]


def undated_warnings(documents: Iterable[Document]) -> list[str]:
    """What a reader must know of documents without a publication date: nothing relative in
    them was resolved."""
    return [f"{document.id}: no publication date; relative dates in it are left out"
            for document in documents if document.published is None]


def build_timeline(documents: Iterable[Document], extractor: Extractor | None = None,
                   options: BuildOptions | None = None, parser: Language | str | None = AUTO,
                   labels: str | None = None) -> Timeline:
    """Extract, attach and merge: the timeline of ``documents`` (e.g. several articles on one story).

    ``parser`` is the spaCy pipeline (or its path) the events are read with; ``AUTO`` the shipped
    one, or the one ``TIMELINE_PARSER`` names (:func:`timeline.syntax.default_parser`); None
    none: events then come from clause heuristics.  ``labels``: the language dates are written
    in for people (:func:`label_language`: by default the documents' own, if they share one).
    """
    extractor = extractor or Extractor()
    options = options or BuildOptions()
    documents = list(documents)
    language = label_language(documents, labels)
    nlp = default_parser() if parser == AUTO else load_parser(parser) if parser is not None else None
    per_document, parser_warnings = analyse_documents(documents, extractor, nlp)
    dated = [mention for found, _, _ in per_document for mention in found]
    undated = [mention for _, unplaced, _ in per_document for mention in unplaced]
    notes = [note for _, _, note in per_document]
    warnings = undated_warnings(documents) + [f"{note['id']}: {warning}" for note in notes
                                              for warning in note["warnings"]] + parser_warnings
    events = merge(dated, undated, options)
    for event in events:
        event.label_language = language
    return Timeline(events, notes, warnings, language)


def analyse_documents(documents: list[Document], extractor: Extractor, nlp: Language | None
                      ) -> tuple[list[tuple[list[EventMention], list[EventMention], dict[str, Any]]], list[str]]:
    """Each document's (entries, supporting sentences, note in the timeline's ``documents``) and
    the run's own warnings: the part of building a timeline done once per document (a stored
    story keeps it).  A mention's ``document_index`` is its document's place in ``documents``."""
    # Each document is read with its own language's grammar; one in a language without a grammar
    # is not read at all (no junk dates).
    readers = [_reader(document.language, extractor) for document in documents]
    foreign = [reader is None for reader in readers]
    analyses = [([], []) if reader is None else reader.analyze(document.text, document.published)
                for document, reader in zip(documents, readers, strict=True)]
    readable = [not skip and nlp is not None and nlp.lang == document.language
                for document, skip in zip(documents, foreign, strict=True)]
    grammar = extractor.grammar if nlp is None or nlp.lang == extractor.language else load_grammar(nlp.lang)
    parses = _parse(nlp, documents, analyses, readable, grammar.events) if nlp is not None else {}
    analysed: list[tuple[list[EventMention], list[EventMention], dict[str, Any]]] = []
    for index, (document, (timexes, sentences)) in enumerate(zip(documents, analyses, strict=True)):
        note: dict[str, Any] = {
            "id": document.id, "name": display_name(document), "title": document.title, "url": document.url,
            "language": document.language,
            "published": document.published.isoformat() if document.published else None,
            "published_source": document.published_source, "site": document.site, "author": document.author,
            "timexes": 0, "event_mentions": 0, "warnings": list(document.warnings),
        }
        reader = readers[index]
        if reader is None:  # a language without a grammar: nothing is guessed
            note["warnings"].append(unsupported_reason(document.language))
            analysed.append(([], [], note))
            continue
        if isinstance(reader, LongTailExtractor):
            note["warnings"].append(reader.warning())
        if readable[index]:
            mentions = parsed_mentions(document, index, timexes, parses[index], reader.grammar)
            found = [m for m in mentions if m.entry]
            unplaced = [m for m in mentions if not m.entry]
        else:
            found, unplaced = event_mentions(document, index, timexes, sentences, reader.grammar)
        note.update(timexes=len(timexes), event_mentions=sum(1 for m in found if m.interval is not None))
        analysed.append((found, unplaced, note))
    warnings = []
    heuristic = sorted({d.language for d, parsed, skip in zip(documents, readable, foreign, strict=True)
                        if not parsed and not skip})
    if heuristic and nlp is not None:  # a parser was asked for, but not for these languages
        warnings.append(f"no parser for {', '.join(heuristic)}: events come from clause heuristics, "
                        "dated only by a time expression in their sentence")
    return analysed, warnings


def _reader(language: str, extractor: Extractor) -> Extractor | LongTailExtractor | None:
    """The Extractor a document in ``language`` is read with: the timeline's own for its language,
    the process's one (timeline.registry) of another language with a grammar, absolute dates only for a language
    dateparser knows (:mod:`timeline.longtail`), else None."""
    if language == extractor.language:
        return extractor
    if is_supported(language):
        return get_extractor(language)
    return LongTailExtractor(language) if longtail.knows(language) else None


def _parse(nlp: Language, documents: list[Document], analyses: list[tuple[list[Any], list[tuple[int, int]]]],
           readable: list[bool], words: Any) -> dict[int, list[tuple[tuple[int, int], Any]]]:
    """Every news sentence of the readable documents, parsed in batches: per document,
    ((start, end), Doc) in text order."""
    spans = [(index, span) for index, (document, (_, sentences)) in enumerate(zip(documents, analyses, strict=True))
             if readable[index] for span in news_sentences(document, sentences, words)]
    texts = (documents[index].text[start:end] for index, (start, end) in spans)
    parsed: dict[int, list[tuple[tuple[int, int], Any]]] = {i: [] for i, ok in enumerate(readable) if ok}
    for (index, span), doc in zip(spans, nlp.pipe(texts, batch_size=PARSE_BATCH), strict=True):
        parsed[index].append((span, doc))
    return parsed
