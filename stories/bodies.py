"""An event's JSON body written from small per-mention parts, without decoding its mentions.

A stored story's largest events gather thousands of mentions.  Decoding them all and
serializing the whole event each time one mention joins costs time and memory in proportion
to the event.  So each mention is stored, when it is analysed, with two parts:

- its **fragment**: its entry in the event's ``mentions``, as ``Event.to_dict`` writes it,
  without ``dated_by`` (the only part that depends on the event);
- its **head**: the few facts the event's own fields are chosen from (the primary mention's
  rank, summary, participants, places, document, date value and label, attributes).

What the event's own fields are chosen from is kept in its row, an :class:`EventState` extended
as members join.  Its body is stored in pieces (``event_text``): its header, then its entries
about PIECE_CHARS at a time.  A new article's mentions come last in document order, so a write
adds their heads to the state, writes the header again and adds their entries to the last piece
(or new ones), and reads nothing of the members before: its cost follows the article, not the
event.  :meth:`EventState.header` applies the rules of :class:`timeline.chronology.Event`
(``primary``, ``summary``, ``to_dict``) and decodes one mention only, the primary one, whose
date and parse make the event's ``date`` and ``event`` (kept in the state until the primary
changes).

Where ``Event.to_dict`` writes ``dated_by`` (a sentence that only supports its event, or an
undated entry of a dated event), a stored entry holds a mark, a control character that JSON
never holds unescaped.  The read puts the event's citation in its place (:func:`citations`,
``stories.snapshots.text_bytes``): a new document dating the event changes one column, not every
entry that cites it.  A test checks, event by event, that the bodies read equal ``Event.to_dict``
of the decoded mentions.
"""
from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
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
MARK_SENTENCE = "\x01"  # where a supporting sentence's entry cites the documents dating its event
MARK_ENTRY = "\x02"  # where an undated entry's does, when its event is dated


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
    """One stored mention of an event: its row, its document's place in the story, its parts."""

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

    @cached_property
    def entry(self) -> str:
        """Its entry in the event's ``mentions``, with a mark where ``Event.to_dict`` writes
        ``dated_by``: always for a sentence that only supports its event (MARK_SENTENCE), and for an
        undated entry when its event is dated (MARK_ENTRY); a dated entry cites no one."""
        if not self.head["entry"]:
            return f"{self.fragment[:-1]}{MARK_SENTENCE}}}"
        if self.head["interval"] is None:
            return f"{self.fragment[:-1]}{MARK_ENTRY}}}"
        return self.fragment

    @property
    def marked(self) -> bool:
        return not self.head["entry"] or self.head["interval"] is None


Member = tuple[Part, str]  # a mention's parts, and its content words


def citations(documents: Collection[str]) -> tuple[str, str]:
    """What an event's marks become (the members ``dated_by`` and ``dated_by_total`` add to an
    entry, with their comma): MARK_SENTENCE's, then MARK_ENTRY's (nothing when no document dates it)."""
    cited = "," + json.dumps(dated_by_fields(sorted(documents)), ensure_ascii=False, separators=_SEPARATORS)[1:-1]
    return cited, cited if documents else ""


def spliced(body: str, cited: tuple[str, str]) -> str:
    """A stored body with its marks replaced by its ``citations``: what a read sends."""
    return body.replace(MARK_SENTENCE, cited[0]).replace(MARK_ENTRY, cited[1])


# A members' check is their count, the sum of their rows and a sum of their rows mixed: equal
# checks mean, short of a contrived coincidence, the same rows.  The mix is nonlinear (the
# product of the two halves of a row scattered modulo a prime), else sets of equal sums of
# powers would share it; SQL computes it alike in 64 bits (stories.merging).
MIX_PRIME = 2_147_483_647
MIX_FACTOR = 1_103_515_245
MIX_HALF = 65_536


def mixed(row: int) -> int:
    scattered = row * MIX_FACTOR % MIX_PRIME
    return scattered % MIX_HALF * (scattered // MIX_HALF)


@dataclass(frozen=True)
class MemberCheck:
    count: int = 0
    total: int = 0
    mixed: int = 0

    @classmethod
    def of(cls, rows: Iterable[int]) -> MemberCheck:
        rows = list(rows)
        return cls(len(rows), sum(rows), sum(map(mixed, rows)))

    def __add__(self, other: MemberCheck) -> MemberCheck:
        return MemberCheck(self.count + other.count, self.total + other.total, self.mixed + other.mixed)


@dataclass(frozen=True)
class EventHeader:
    """An event's body up to its mentions (``..."mentions":[``), and its place in the timeline."""

    text: str
    sort_start: float | None
    sort_length: float
    sort_position: int
    sort_offset: int


def _added(values: list[Any], more: Iterable[Any]) -> None:
    """``values`` with ``more`` added as ``Event.to_dict`` adds a mention's (each not held before it)."""
    values += [value for value in more if value not in values]


@dataclass
class EventState:
    """What an event's own fields are chosen from, kept in its row and extended as members join in
    document order (:meth:`add`); made from every member when they did not (a merge, a removal, a
    sentence of an earlier article joining).  Each field holds what ``Event`` would compute from
    all members so far: the primary candidates, the dated members' participants, places, dates
    and clauses, every member's documents and attributes."""

    members: MemberCheck = MemberCheck()
    last_row: int = 0  # the highest member row: rows above it joined since
    first: Part | None = None  # the first member in document order
    first_entry: Part | None = None
    best_dated: Part | None = None  # the dated member of least rank: Event.primary when there is one
    first_dated: tuple[int, int] | None = None  # the first dated member's position
    last: tuple[int, int] | None = None  # the last member's position
    marked: bool = False  # whether an entry holds a mark
    participants: list[str] = field(default_factory=list)  # the dated members'
    places: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # every member's document, sorted
    dates: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # value: its label, its documents
    dated_attributes: list[Any] = field(default_factory=list)
    undated_attributes: list[Any] = field(default_factory=list)
    # per interval of dated clauses (a trigger, not a noun), the first of least basis: a nominal
    # primary's summary is the best of those overlapping its interval (Event.summary)
    clauses: dict[tuple[Any, ...], tuple[int, tuple[int, int], str]] = field(default_factory=dict)
    # what the primary member's mention gives the event, worked out when it became primary: its
    # row, its date, its parse ("event", or None) and its place ([undated, start, negative length])
    own: list[Any] | None = None
    pieces: int = 0  # the pieces of its entries stored (numbered from 1: piece 0 is the header)
    tail_chars: int = 0  # the characters of the last

    def lay(self, entries: Sequence[str]) -> list[str]:
        """Where a write puts the entries of members it added (:func:`laid`): what is added to the
        last piece (when there is one), then new pieces; the state counts them."""
        texts = laid(entries, self.tail_chars, first=self.pieces == 0)
        if self.pieces == 0:
            self.pieces, self.tail_chars = len(texts), len(texts[-1])
        else:
            self.tail_chars = self.tail_chars + len(texts[0]) if len(texts) == 1 else len(texts[-1])
            self.pieces += len(texts) - 1
        return texts

    def follows(self, members: Sequence[Member]) -> bool:
        """Whether every one of ``members`` comes after the last member in document order."""
        return self.last is None or all(part.position > self.last for part, _ in members)

    def add(self, part: Part) -> None:
        """A member that comes after every member held (:meth:`follows`)."""
        head = part.head
        self.members += MemberCheck(1, part.row, mixed(part.row))
        self.last_row = max(self.last_row, part.row)
        self.first = self.first or part
        if head["entry"] and self.first_entry is None:
            self.first_entry = part
        self.last = part.position
        self.marked = self.marked or part.marked
        at = bisect_left(self.sources, head["document"])
        if at == len(self.sources) or self.sources[at] != head["document"]:
            self.sources.insert(at, head["document"])
        if not head["dated"]:
            _added(self.undated_attributes, head["attributes"])
            return
        _added(self.dated_attributes, head["attributes"])
        if self.first_dated is None:
            self.first_dated = part.position
        if self.best_dated is None or part.rank < self.best_dated.rank:
            self.best_dated = part
        _added(self.participants, head["participants"])
        _added(self.places, head["places"])
        if head["timex"] is not None:
            value, label = head["timex"]
            documents = self.dates.setdefault(value, (label, []))[1]
            if head["document"] not in documents:
                documents.append(head["document"])
        if head["trigger"] and not head["nominal"]:
            interval = tuple(head["interval"])
            best = self.clauses.get(interval)
            if best is None or head["basis"] < best[0]:
                self.clauses[interval] = (head["basis"], part.position, head["summary"])

    @property
    def primary(self) -> Part:
        """``Event.primary``: the dated member of least rank, else the first entry, else the first."""
        primary = self.best_dated or self.first_entry or self.first
        assert primary is not None, "an event has members"
        return primary

    def header(self, number: int, conflicting: bool, decode: Callable[[Part], EventMention]) -> EventHeader:
        """The event's body up to its mentions, as ``Event(f"e{number}", mentions, conflicting).to_dict()``
        writes it; ``decode`` gives the primary member's mention (its date and parse), asked for
        when the primary member is not the one the state knows."""
        primary = self.primary
        if self.own is None or self.own[0] != primary.row:
            single = Event("e0", [decode(primary)])
            own = single.to_dict()
            undated, start, negative_length, _ = single.sort_key()  # the primary's interval (undated: datetime.max)
            self.own = [primary.row, own["date"], own.get("event"), undated, seconds(start), negative_length]
        _, date, event, undated, start, negative_length = self.own
        summary = primary.head["summary"]
        if primary.head["trigger"] and primary.head["nominal"]:
            clauses = [(basis, position, text) for interval, (basis, position, text) in self.clauses.items()
                       if _overlaps(interval, primary.head["interval"])]
            if clauses:
                summary = min(clauses)[2]
        dated = self.best_dated is not None
        data: dict[str, Any] = {
            "id": f"e{number}", "date": date, "summary": summary,
            "participants": self.participants if dated else list(primary.head["participants"]),
            "places": self.places if dated else list(primary.head["places"]),
            "sources": self.sources, "conflicting": conflicting}
        if conflicting:
            data["dates"] = [{"value": value, "label": label, "documents": documents}
                             for value, (label, documents) in self.dates.items()]
        data["attributes"] = self.dated_attributes + [a for a in self.undated_attributes
                                                      if a not in self.dated_attributes]
        if event is not None:
            data["event"] = event
        text = json.dumps(data, ensure_ascii=False, separators=_SEPARATORS)[:-1] + ',"mentions":['
        first = self.first_dated if not undated and self.first_dated is not None else (self.first or primary).position
        return EventHeader(text, start, negative_length, first[0], first[1])

    def digest(self, conflicting: bool) -> str:
        """A digest of what the event's body is written from: its member rows (a row never changes;
        a new analysis is new rows) and its ``conflicting`` flag (its number is its row's).  The
        same members give the same body; other members, a changed one (its ``changed`` time moves,
        for ``?since=`` readers)."""
        text = f"{int(conflicting)}:{self.members.count}:{self.members.total}:{self.members.mixed}"
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def to_json(self) -> str:
        return json.dumps({
            "format": STATE_FORMAT, "members": [self.members.count, self.members.total, self.members.mixed],
            "last_row": self.last_row,
            "first": _part_json(self.first), "first_entry": _part_json(self.first_entry),
            "best_dated": _part_json(self.best_dated), "first_dated": self.first_dated, "last": self.last,
            "marked": self.marked, "participants": self.participants, "places": self.places,
            "sources": self.sources, "dates": [[value, label, documents] for value, (label, documents)
                                               in self.dates.items()],
            "dated_attributes": self.dated_attributes, "undated_attributes": self.undated_attributes,
            "clauses": [[list(interval), *best] for interval, best in self.clauses.items()],
            "own": self.own, "pieces": [self.pieces, self.tail_chars]}, ensure_ascii=False, separators=_SEPARATORS)

    @classmethod
    def from_json(cls, text: str) -> EventState | None:
        """The state stored; None when it was stored in another format (the event is then written
        from all its members, and its state in this one)."""
        data = json.loads(text)
        if data.get("format") != STATE_FORMAT:
            return None
        return cls(MemberCheck(*data["members"]), data["last_row"], _json_part(data["first"]),
                   _json_part(data["first_entry"]), _json_part(data["best_dated"]), _position(data["first_dated"]),
                   _position(data["last"]), data["marked"], data["participants"], data["places"], data["sources"],
                   {value: (label, documents) for value, label, documents in data["dates"]},
                   data["dated_attributes"], data["undated_attributes"],
                   {tuple(interval): (basis, _position(position), text)
                    for interval, basis, position, text in data["clauses"]}, data["own"], *data["pieces"])


#: The format of a stored EventState: a state of another is made again from the event's members.
STATE_FORMAT = 1

#: Characters of entries a piece of an event's text is closed at (tables.event_text): a write
#: stores again its header and the last piece, not the event's megabytes.
PIECE_CHARS = 1 << 15


def laid(entries: Sequence[str], tail_chars: int, first: bool) -> list[str]:
    """``entries`` laid after a last piece of ``tail_chars`` characters: what is added to it, then
    new pieces (``first``: there is no piece yet, and the first entry is the event's).  A piece is
    closed after the entry that brings it to PIECE_CHARS; every entry but the event's first
    follows a comma."""
    texts: list[list[str]] = [[]]
    size = tail_chars
    for index, entry in enumerate(entries):
        if size >= PIECE_CHARS:
            texts.append([])
            size = 0
        text = entry if first and index == 0 else f",{entry}"
        texts[-1].append(text)
        size += len(text)
    return ["".join(text) for text in texts]


def _part_json(part: Part | None) -> list[Any] | None:
    return None if part is None else [part.row, part.document_index, part.head]


def _json_part(data: list[Any] | None) -> Part | None:
    return None if data is None else Part(data[0], data[1], data[2], "")


def _position(data: list[int] | None) -> Any:
    return None if data is None else (data[0], data[1])


def _overlaps(a: Sequence[float | None] | None, b: Sequence[float | None] | None) -> bool:
    """``timeline.chronology.overlaps`` on stored intervals (open sides reach infinitely far)."""
    if a is None or b is None:
        return False
    return ((a[0] is None or b[1] is None or a[0] < b[1]) and (b[0] is None or a[1] is None or b[0] < a[1]))
