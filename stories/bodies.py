"""An event's JSON body written from small per-mention parts, without decoding its mentions.

A stored story's largest events gather thousands of mentions.  Decoding them all and
serializing the whole event each time one mention joins costs time and memory in proportion
to the event.  So each mention is stored, when it is analysed, with two parts:

- its **fragment**: its entry in the event's ``mentions``, as ``Event.to_dict`` writes it,
  without ``dated_by`` (the only part that depends on the event; it is spliced in here);
- its **head**: the few facts the event's own fields are chosen from (the primary mention's
  rank, summary, participants, places, document, date value and label, attributes).

:func:`event_body` then applies the rules of :class:`timeline.chronology.Event` (``primary``,
``summary``, ``to_dict``) to the heads, and decodes one mention only: the primary one, whose
date and parse make the event's ``date`` and ``event``.  A test checks, event by event, that
the body equals ``Event.to_dict`` of the decoded mentions.  The members' entries are gathered
into an :class:`Assembly`, which a process keeps: the members a new article adds come last in
document order, so the next write of the event appends their entries to it.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from timeline.chronology import Event, dated_by_fields
from timeline.dating import BASES
from timeline.events import EventMention
from timeline.timexes import GRANULARITIES, date_label

_BASIS_RANK = {name: index for index, name in enumerate(BASES)}
_GRANULARITY_RANK = {name: index for index, name in enumerate(GRANULARITIES)}
_ORIGIN = datetime(1, 1, 1)
_SEPARATORS = (",", ":")


def seconds(moment: datetime | None) -> float | None:
    """A moment as seconds from 0001-01-01 (UTC), a number that sorts alike in every database."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return (moment - _ORIGIN).total_seconds()


def is_dated(mention: EventMention) -> bool:
    """Whether a mention dates an event and may found one: ``merge``'s (and ``Event.dated``'s) rule."""
    return mention.interval is not None and mention.entry


def mention_parts(mention: EventMention) -> tuple[str, str]:
    """(head, fragment) of a mention, as JSON: what its event's body is written from."""
    entry = Event("e0", [mention]).to_dict()["mentions"][0]
    entry.pop("dated_by", None)
    entry.pop("dated_by_total", None)
    interval = mention.interval
    timex = mention.timex
    head = {
        "document": mention.document,
        "offset": mention.position[1],
        "entry": mention.entry,
        "dated": is_dated(mention),
        "basis": _BASIS_RANK[mention.basis],
        "granularity": _GRANULARITY_RANK[interval.granularity] if interval is not None else len(_GRANULARITY_RANK),
        "main": mention.main,
        "trigger": mention.trigger is not None,
        "nominal": mention.nominal,
        "interval": None if interval is None else [seconds(interval.start), seconds(interval.end)],
        "summary": mention.summary,
        "participants": list(mention.participants),
        "places": list(mention.places),
        "timex": None if timex is None else [timex.value, date_label(timex.value, timex.interval, timex.mod)],
        "attributes": [{"text": t.text, "type": t.type, "value": t.value} for t in mention.attributes],
    }
    return (json.dumps(head, ensure_ascii=False, separators=_SEPARATORS),
            json.dumps(entry, ensure_ascii=False, separators=_SEPARATORS))


@dataclass(frozen=True)
class Part:
    """One stored mention of an event: its row, its document's place in the story, its parts.
    Parts are kept by a process and read at each write of their event: what is derived from
    them is worked out once (``cached_property``)."""

    row: int
    document_index: int
    head: dict[str, Any]
    fragment: str

    @cached_property
    def position(self) -> tuple[int, int]:
        return self.document_index, self.head["offset"]

    @cached_property
    def rank(self) -> tuple[Any, ...]:
        """``Event.primary``'s order: surest basis, finest date, main clause, then document order."""
        head = self.head
        return head["basis"], head["granularity"], not head["main"], self.position

    def entry(self, dated_by: str, dated: bool) -> str:
        """Its entry in the event's ``mentions``; ``dated_by`` (its JSON members) is spliced in where
        ``Event.to_dict`` writes it: a non-entry sentence, or an undated entry of a dated event."""
        if not self.head["entry"] or self.head["interval"] is None and dated:
            return f'{self.fragment[:-1]},{dated_by}}}'
        return self.fragment


Member = tuple[Part, str]  # a mention's parts, and its content words


@dataclass(frozen=True)
class Assembly:
    """An event's members as its body lists them, in document order, with what grows as they do:
    their entries, the documents that date the event, and its dated content words.  A
    process keeps it, so that a write to which a later article's mentions only add members
    extends it instead of visiting hundreds of members again (:meth:`extended`)."""

    parts: tuple[Part, ...]
    entries: tuple[str, ...]
    dated_by: str  # the dated members' documents, as spliced into entries (see _dated_by)
    dated_documents: frozenset[str]
    dated_words: frozenset[str]

    @classmethod
    def of(cls, members: Sequence[Member]) -> Assembly:
        ordered = sorted(members, key=lambda member: member[0].position)
        dated = [member for member in ordered if member[0].head["dated"]]
        documents = frozenset(part.head["document"] for part, _ in dated)
        dated_by = _dated_by(documents)
        entries = tuple(part.entry(dated_by, bool(documents)) for part, _ in ordered)
        return cls(tuple(part for part, _ in ordered), entries, dated_by, documents,
                   frozenset(word for _, words in dated for word in words.split()))

    @property
    def mentions(self) -> str:
        """The entries joined, as the body's ``mentions`` (not kept: a copy of every entry)."""
        return ",".join(self.entries)

    @cached_property
    def rows(self) -> frozenset[int]:
        return frozenset(part.row for part in self.parts)

    def follows(self, members: Sequence[Member]) -> bool:
        """Whether every one of ``members`` comes after this assembly's last part in document order."""
        return not self.parts or all(part.position > self.parts[-1].position for part, _ in members)

    def extended(self, members: Sequence[Member]) -> Assembly:
        """This assembly with ``members`` added, all of which :meth:`follows` (a new article's)."""
        later = sorted(members, key=lambda member: member[0].position)
        dated = [member for member in later if member[0].head["dated"]]
        documents = self.dated_documents.union(part.head["document"] for part, _ in dated)
        words = self.dated_words.union(word for _, words in dated for word in words.split())
        parts = self.parts + tuple(part for part, _ in later)
        if documents == self.dated_documents:
            entries = self.entries + tuple(part.entry(self.dated_by, bool(documents)) for part, _ in later)
            return Assembly(parts, entries, self.dated_by, documents, words)
        dated_by = _dated_by(documents)  # a new dating document: the entries that cite them change
        return Assembly(parts, tuple(part.entry(dated_by, True) for part in parts), dated_by, documents, words)


def _dated_by(documents: frozenset[str]) -> str:
    """``dated_by`` (and ``dated_by_total``) as spliced into an entry: a JSON object's members."""
    return json.dumps(dated_by_fields(sorted(documents)), ensure_ascii=False, separators=_SEPARATORS)[1:-1]


def members_digest(conflicting: bool, rows: frozenset[int]) -> str:
    """A digest of what an event's body is written from: its mention rows (a row never changes; a
    new analysis is new rows) and its ``conflicting`` flag (its number is its row's).  Two writes
    of an event are compared by it, which costs a
    fraction of hashing a body of several hundred kilobytes.  The same members give the same
    body; other members, a changed one (its ``changed`` time moves, for ``?since=`` readers)."""
    text = ("1:" if conflicting else "0:") + ",".join(map(str, sorted(rows)))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class EventBody:
    """What is stored of an event: its body, a digest of it, its place in the timeline, and what
    an undated sentence is compared with (the content words and documents of its dated mentions)."""

    body: str
    digest: str
    sort_start: float | None
    sort_length: float
    sort_position: int
    sort_offset: int


def _overlaps(a: list[float | None] | None, b: list[float | None] | None) -> bool:
    """``timeline.chronology.overlaps`` on stored intervals (open sides reach infinitely far)."""
    if a is None or b is None:
        return False
    return ((a[0] is None or b[1] is None or a[0] < b[1]) and (b[0] is None or a[1] is None or b[0] < a[1]))


def primary_part(parts: Sequence[Part]) -> Part:
    """``Event.primary``: the part whose mention dates the event (the first entry when none does)."""
    dated = [part for part in parts if part.head["dated"]]
    if dated:
        return min(dated, key=lambda part: part.rank)
    entries = [part for part in parts if part.head["entry"]]
    return min(entries or parts, key=lambda part: part.position)


def event_body(number: int, conflicting: bool, assembly: Assembly,
               decode: Callable[[Part], EventMention]) -> EventBody:
    """The event's body as ``Event(f"e{number}", mentions, conflicting).to_dict()`` gives it, from
    its members' parts; ``decode`` gives the mention of a part (called for the primary one only)."""
    ordered = assembly.parts
    dated = [part for part in ordered if part.head["dated"]]
    members = dated + [part for part in ordered if not part.head["dated"]]  # member_order
    primary = primary_part(members)
    single = Event(f"e{number}", [decode(primary)], conflicting)
    own = single.to_dict()
    summary = primary.head["summary"]
    if primary.head["trigger"] and primary.head["nominal"]:
        clauses = [part for part in dated if not part.head["nominal"] and part.head["trigger"]
                   and _overlaps(part.head["interval"], primary.head["interval"])]
        if clauses:
            summary = min(clauses, key=lambda part: (part.head["basis"], part.position)).head["summary"]
    participants: list[str] = []
    places: list[str] = []
    for part in dated or [primary]:
        participants += [p for p in part.head["participants"] if p not in participants]
        places += [p for p in part.head["places"] if p not in places]
    data: dict[str, Any] = {"id": own["id"], "date": own["date"], "summary": summary,
                            "participants": participants, "places": places,
                            "sources": sorted({part.head["document"] for part in ordered}),
                            "conflicting": conflicting}
    if conflicting:
        by_value: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for part in dated:
            if part.head["timex"] is None:
                continue
            value, label = part.head["timex"]
            documents = by_value.setdefault(value, [])
            labels.setdefault(value, label)
            if part.head["document"] not in documents:
                documents.append(part.head["document"])
        data["dates"] = [{"value": value, "label": labels[value], "documents": documents}
                         for value, documents in by_value.items()]
    attributes: list[dict[str, Any]] = []
    for part in members:
        if part.head["attributes"]:
            attributes += [a for a in part.head["attributes"] if a not in attributes]
    data["attributes"] = attributes
    if "event" in own:
        data["event"] = own["event"]
    header = json.dumps(data, ensure_ascii=False, separators=_SEPARATORS)
    body = f'{header[:-1]},"mentions":[{assembly.mentions}]}}'
    undated, start, negative_length, _ = single.sort_key()  # the primary's interval (undated: datetime.max)
    first = (ordered[0] if undated or not dated else dated[0]).position  # parts are in document order
    return EventBody(body, members_digest(conflicting, assembly.rows), seconds(start), negative_length,
                     first[0], first[1])
