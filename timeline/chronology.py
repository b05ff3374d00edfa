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
from itertools import chain, repeat
from typing import Any, Iterable, Mapping, Sequence

from .documents import Document
from .events import EventMention, event_mentions
from .grammar import Grammar
from .pipeline import Extractor
from .timexes import GRANULARITIES, Interval, date_label

DEFAULT_MERGE_THRESHOLD = 0.2
DEFAULT_CONFLICT_THRESHOLD = 0.55
DEFAULT_SUPPORT_THRESHOLD = 0.25
_RANK = {name: index for index, name in enumerate(GRANULARITIES)}


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


@dataclass
class Event:
    """One happening: its date, a summary, and every mention that reports it."""

    id: str
    mentions: list[EventMention]
    conflicting: bool = False

    @property
    def dated(self) -> list[EventMention]:
        return [m for m in self.mentions if m.timex is not None]

    @property
    def primary(self) -> EventMention:
        """The mention that dates the event: the finest date, then the earliest in document order."""
        return min(self.dated, key=lambda m: (_RANK[m.timex.interval.granularity], m.position))

    @property
    def interval(self) -> Interval:
        return self.primary.timex.interval

    @property
    def summary(self) -> str:
        return self.primary.summary

    def sort_key(self) -> tuple[Any, ...]:
        interval = self.interval
        length = (interval.end - interval.start).total_seconds() if interval.start and interval.end else 0
        return interval.start, -length, min(m.position for m in self.dated)

    def to_dict(self) -> dict[str, Any]:
        primary = self.primary.timex
        participants: list[str] = []
        places: list[str] = []
        for mention in self.dated:
            participants += [p for p in mention.participants if p not in participants]
            places += [p for p in mention.places if p not in places]
        data: dict[str, Any] = {
            "id": self.id,
            "date": {"value": primary.value, "label": date_label(primary.value, primary.interval, primary.mod),
                     **primary.interval.to_dict()},
            "summary": self.summary,
            "participants": participants,
            "places": places,
            "sources": sorted({m.document for m in self.mentions}),
            "conflicting": self.conflicting,
        }
        if self.conflicting:
            by_value: dict[str, list[str]] = {}
            for mention in self.dated:
                documents = by_value.setdefault(mention.timex.value, [])
                if mention.document not in documents:
                    documents.append(mention.document)
            data["dates"] = [{"value": value, "documents": documents} for value, documents in by_value.items()]
        attributes = []
        for mention in self.mentions:
            attributes += [{"text": t.text, "type": t.type, "value": t.value} for t in mention.attributes
                           if {"text": t.text, "type": t.type, "value": t.value} not in attributes]
        data["attributes"] = attributes
        data["mentions"] = [_mention_dict(m, self) for m in sorted(self.mentions, key=lambda m: m.position)]
        return data


def _mention_dict(mention: EventMention, event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {
        "document": mention.document,
        "sentence": mention.sentence,
        "sentence_start": mention.sentence_start,
        "sentence_end": mention.sentence_end,
        "summary": mention.summary,
    }
    if mention.timex is not None:
        data["timex"] = {"text": mention.timex.text, "start": mention.timex.start, "end": mention.timex.end,
                         "value": mention.timex.value}
        data["resolution"] = mention.timex.resolution.to_dict()
    else:
        data["timex"] = None
        data["dated_by"] = sorted({m.document for m in event.dated})
    return data


@dataclass
class Timeline:
    """The merged, ordered events of a set of documents, with per-document notes."""

    events: list[Event]
    documents: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"events": [e.to_dict() for e in self.events], "documents": self.documents,
                "warnings": self.warnings}


def _idf(frequency: Counter[str], mentions: int) -> dict[str, float]:
    """Each word's IDF, from the number of mentions (out of ``mentions``) that have it."""
    total = mentions or 1
    return {word: math.log(1 + total / count) for word, count in frequency.items()}


def similarity(a: EventMention | frozenset[str], b: EventMention | frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted Jaccard overlap of two mentions' (or word sets') content words."""
    return _Weights(idf).similarity(a if isinstance(a, frozenset) else a.words,
                                    b if isinstance(b, frozenset) else b.words)


class _Weights:
    """Word-set weights under one IDF table, totals cached: w(A∪B) = w(A) + w(B) - w(A∩B),
    so a comparison costs the shared words only, not the union."""

    def __init__(self, idf: dict[str, float]) -> None:
        self.idf = idf
        self.totals: dict[frozenset[str], float] = {}

    def total(self, words: frozenset[str]) -> float:
        total = self.totals.get(words)
        if total is None:
            total = self.totals[words] = sum(map(self.idf.get, words, repeat(1.0)))
        return total

    def similarity(self, left: frozenset[str], right: frozenset[str]) -> float:
        shared = sum(map(self.idf.get, left & right, repeat(1.0)))
        union = self.total(left) + self.total(right) - shared
        return shared / union if union > 0 else 0.0


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two intervals share a moment (open sides reach infinitely far)."""
    return (a.start is None or b.end is None or a.start < b.end) and (b.start is None or a.end is None or b.start < a.end)


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


def _candidate_pairs(mentions: list[EventMention], idf: dict[str, float],
                     repeated: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Pairs (earlier, later) worth comparing, from an inverted index of words."""
    postings: dict[str, list[int]] = {}
    for index, mention in enumerate(mentions):
        seen: set[int] = set()
        for key in _keys(mention, idf, repeated):
            for other in postings.get(key, ()):
                if other not in seen:
                    seen.add(other)
                    yield other, index
        for word in mention.words:
            posting = postings.setdefault(word, [])
            posting.append(index)
            if len(posting) > POSTING_LIMIT:
                del posting[0]


MERGED, CONFLICT = "merged", "conflict"


def join_verdict(a: EventMention, b: EventMention, weights: _Weights, options: BuildOptions) -> str | None:
    """Whether two dated mentions report one happening: MERGED (dates overlap, content alike),
    CONFLICT (dates incompatible, content very alike, different documents) or None."""
    score = weights.similarity(a.words, b.words)
    if overlaps(a.timex.interval, b.timex.interval):
        return MERGED if score >= options.merge_threshold else None
    if score >= options.conflict_threshold and a.document != b.document:
        return CONFLICT
    return None


def merge(dated: list[EventMention], undated: list[EventMention], options: BuildOptions) -> list[Event]:
    """Group mentions into events by the merging rule, attach undated support, order them."""
    mentions = dated + undated
    counts = Counter(chain.from_iterable(mention.words for mention in mentions))
    idf = _idf(counts, len(mentions))
    repeated = frozenset(word for word, count in counts.items() if count > 1)
    weights = _Weights(idf)
    groups = _Groups(len(dated))
    conflicting: set[int] = set()
    for i, j in _candidate_pairs(dated, idf, repeated):
        verdict = join_verdict(dated[i], dated[j], weights, options)
        if verdict is not None:
            groups.union(i, j)
            if verdict == CONFLICT:
                conflicting.update((i, j))
    members: dict[int, list[int]] = {}
    for index in range(len(dated)):
        members.setdefault(groups.find(index), []).append(index)
    events = [Event("", [dated[i] for i in indexes], conflicting=any(i in conflicting for i in indexes))
              for indexes in members.values()]
    # An undated sentence is compared with all an event's words (its mentions together tell
    # more of the happening than any one clause), for the events sharing one of its rare words.
    event_words = [frozenset().union(*(m.words for m in e.dated)) for e in events]
    by_word: dict[str, list[int]] = {}
    for index, words in enumerate(event_words):
        for word in words:
            by_word.setdefault(word, []).append(index)
    for mention in undated:
        keys = _keys(mention, idf, repeated, SUPPORT_KEYS)
        candidates = {index for key in keys for index in by_word.get(key, ())[-POSTING_LIMIT:]}
        scored = [(weights.similarity(mention.words, event_words[index]), index) for index in sorted(candidates)]
        score, index = max(scored, default=(0.0, -1))
        if index >= 0 and score >= options.support_threshold \
                and mention.document not in {m.document for m in events[index].dated}:
            events[index].mentions.append(mention)
    events.sort(key=Event.sort_key)
    for number, event in enumerate(events, 1):
        event.id = f"e{number}"
    return events


# Incremental merging, for stories that grow one article at a time (the ``stories`` package
# keeps the index and the counts in its database): the same rule as ``merge``, one mention at a
# time, against the candidates that the caller's blocking index returns for ``incremental_keys``.
# ``frequency`` counts words over the ``mentions`` mentions stored so far (the new one included);
# it must hold at least the words of the mention and of its candidates.

def incremental_keys(mention: EventMention, frequency: Mapping[str, int], mentions: int,
                     count: int = BLOCKING_KEYS) -> list[str]:
    """The words to look up a new mention's candidates by: its rarest words seen before."""
    repeated = frozenset(word for word in mention.words if frequency.get(word, 0) > 1)
    return _keys(mention, _idf(Counter(frequency), mentions), repeated, count)


def incremental_joins(mention: EventMention, candidates: Sequence[EventMention], frequency: Mapping[str, int],
                      mentions: int, options: BuildOptions) -> list[tuple[int, str]]:
    """The candidates (earlier dated mentions) a new dated mention joins: (index, MERGED or CONFLICT)."""
    weights = _Weights(_idf(Counter(frequency), mentions))
    verdicts = ((index, join_verdict(other, mention, weights, options)) for index, other in enumerate(candidates))
    return [(index, verdict) for index, verdict in verdicts if verdict is not None]


def incremental_support(mention: EventMention, event_words: Sequence[frozenset[str]],
                        event_documents: Sequence[set[str]], frequency: Mapping[str, int], mentions: int,
                        options: BuildOptions) -> int | None:
    """The candidate event (index) an undated mention supports, as ``merge`` attaches it, or None."""
    weights = _Weights(_idf(Counter(frequency), mentions))
    scored = [(weights.similarity(mention.words, words), index) for index, words in enumerate(event_words)]
    score, index = max(scored, default=(0.0, -1))
    if index >= 0 and score >= options.support_threshold and mention.document not in event_documents[index]:
        return index
    return None


def undated_warnings(documents: Iterable[Document]) -> list[str]:
    """What a reader must know of documents without a publication date: nothing relative in
    them was resolved."""
    return [f"{document.id}: no publication date; relative dates in it are left out"
            for document in documents if document.published is None]


def build_timeline(documents: Iterable[Document], extractor: Extractor | None = None,
                   options: BuildOptions | None = None) -> Timeline:
    """Extract, attach and merge: the timeline of ``documents`` (e.g. several articles on one story)."""
    extractor = extractor or Extractor()
    options = options or BuildOptions()
    grammar = extractor.nlp.get_pipe("timex").grammar
    dated: list[EventMention] = []
    undated: list[EventMention] = []
    notes: list[dict[str, Any]] = []
    documents = list(documents)
    for index, document in enumerate(documents):
        found, unplaced, note = analyse_document(document, index, extractor, grammar)
        dated += found
        undated += unplaced
        notes.append(note)
    return Timeline(merge(dated, undated, options), notes, undated_warnings(documents))


def analyse_document(document: Document, index: int, extractor: Extractor,
                     grammar: Grammar | None = None) -> tuple[list[EventMention], list[EventMention], dict[str, Any]]:
    """One document's (dated, undated) event mentions and its note in the timeline's ``documents``;
    ``index`` is its place in the story.  The part of building a timeline done once per document."""
    grammar = grammar or extractor.nlp.get_pipe("timex").grammar
    timexes, sentences = extractor.analyze(document.text, document.published)
    found, unplaced = event_mentions(document, index, timexes, sentences, grammar)
    note = {
        "id": document.id, "title": document.title, "url": document.url, "language": document.language,
        "published": document.published.isoformat() if document.published else None,
        "timexes": len(timexes), "event_mentions": len(found),
    }
    return found, unplaced, note
