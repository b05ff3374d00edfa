"""A story's whole timeline held by a process, and brought up to date from the rows written since.

Reading a large story's whole timeline means reading every event's body: 12 MB of JSON at
1,000 articles, about 50 ms.  Adding an article changes a few events.  So a process keeps,
for each story it has read whole, the events' bodies in timeline order, the documents'
entries and the answer joined from them in pieces, with the story version they are of.  The
next read takes only what was written after that version (``events.version``,
``removed_events.version``, ``documents.story_version``), in the same snapshot as the ETag,
and joins again only the pieces of the answer those rows leave or enter.  A version that
removed documents or merged the story again (``stories.reset_version``) makes the next read
a whole one.

The answer is, byte for byte, the one :func:`stories.store._timeline_chunks` streams (a test
checks it): every worker gives the same bytes under the same ETag.  Stories whose timeline
is too large for the budget are not held; their reads stream as before, a batch at a time.
"""
from __future__ import annotations

import json
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate, chain, groupby
from typing import Any

from sqlalchemy import ColumnElement, Connection, LargeBinary, Select, bindparam, case, cast, func, select

from timeline.chronology import undated_warnings
from timeline.documents import Document

from . import tables as t
from .bodies import MARK_ENTRY, MARK_SENTENCE

#: How an event's place in the timeline is read: the columns of its ORDER BY, then its number.
ORDER_COLUMNS = (t.events.c.sort_start, t.events.c.sort_length, t.events.c.sort_position, t.events.c.sort_offset,
                 t.events.c.number)
NO_WARNINGS = '"warnings": []}'  # how a stored note without warnings ends (json.dumps, keys in order)


def text_bytes(dialect: str) -> ColumnElement[bytes]:
    """A piece of an event's text (tables.event_text) as the UTF-8 bytes the answer sends, its
    marks replaced by the event's citations (stories.bodies): fetched as bytes, a piece of
    non-ASCII text is neither decoded into a str nor encoded again."""
    events = t.events.c
    text = t.event_text.c.text
    spliced = case((events.dated_by.is_(None), text), else_=func.replace(
        func.replace(text, MARK_SENTENCE, events.dated_by), MARK_ENTRY, events.entry_dated_by))
    if dialect == "postgresql":
        return func.convert_to(spliced, "UTF8", type_=LargeBinary).label("text")
    return cast(spliced, LargeBinary).label("text")  # SQLite keeps text as UTF-8: the cast copies it


def event_texts(dialect: str) -> Select[Any]:
    """The pieces of events' text with the events' places; ordered by event, then piece, they are
    read by :func:`event_bodies`."""
    return select(text_bytes(dialect), t.event_text.c.piece, *ORDER_COLUMNS).join_from(
        t.events, t.event_text, t.event_text.c.event_id == t.events.c.id)


def event_pieces(rows: Iterable[Any]) -> Iterator[tuple[Any, Iterator[bytes]]]:
    """Each event's first row and the pieces of its body, ``]}`` last, from rows of
    :func:`event_texts` grouped by event, pieces in order (each event's pieces are read as they
    come: take them before the next event)."""
    for _, group in groupby(rows, key=lambda row: row.number):
        first = next(group)
        yield first, chain([first.text], (piece.text for piece in group), [b"]}"])  # noqa: B031 - read before the next


def event_bodies(rows: Iterable[Any]) -> Iterator[tuple[Any, bytes]]:
    """Each event's first row and its body (:func:`event_pieces` joined)."""
    for first, pieces in event_pieces(rows):
        yield first, b"".join(pieces)


#: An event's place in the timeline (:func:`order_key`); its last part is ``(1, number)``.
Key = tuple[Any, ...]
#: Where the first piece of the answer starts: before every event's key.
FIRST: Key = ()
HEAD = b'{"events":['


def order_key(row: Any, nulls_first: bool) -> Key:
    """An event's place as the database's ORDER BY gives it (SQLite puts NULL first, PostgreSQL last)."""
    return tuple((0 if nulls_first else 2, 0.0) if value is None else (1, value)
                 for value in (row.sort_start, row.sort_length, row.sort_position, row.sort_offset, row.number))


@dataclass(frozen=True)
class Entry:
    """A document's part of the answer: its entry (the stored note, encoded) and the warnings it
    brings (that it has no publication date, and its own)."""

    note: bytes
    undated: tuple[str, ...]
    warnings: tuple[str, ...]

    @classmethod
    def of(cls, row: Any) -> Entry:
        """The entry of a document row (its doc_id, published and note)."""
        undated = () if row.published is not None else tuple(undated_warnings([Document(row.doc_id, "")]))
        warnings = () if row.note.endswith(NO_WARNINGS) else tuple(
            f"{row.doc_id}: {warning}" for warning in json.loads(row.note).get("warnings", []))
        return cls(row.note.encode(), undated, warnings)


class DocumentsPart:
    """What follows the events in the answer: the documents' entries and the warnings, kept by
    document position.  Documents added after the last one are appended to what is kept; one
    replaced makes it gathered again from the entries."""

    def __init__(self, entries: Mapping[int, Entry]) -> None:
        self.entries: dict[int, Entry] = {}
        self.positions: list[int] = []
        self.notes: list[bytes] = []
        self.undated: list[str] = []
        self.warnings: list[str] = []
        self.data = b""  # the answer's part, joined from the above
        self.update(entries)

    def update(self, entries: Mapping[int, Entry]) -> None:
        """The entries of documents added or replaced, by position."""
        self.entries.update(entries)
        added = sorted(entries)
        if self.positions and added and added[0] <= self.positions[-1]:
            self.positions, self.notes, self.undated, self.warnings = [], [], [], []
            added = sorted(self.entries)
        for position in added:
            entry = self.entries[position]
            self.positions.append(position)
            self.notes.append(entry.note)
            self.undated += entry.undated
            self.warnings += entry.warnings
        self.data = (b'],"documents":[' + b",".join(self.notes) + b'],"warnings":'
                     + json.dumps(self.undated + self.warnings, ensure_ascii=False).encode() + b"}")


#: What a held timeline reads to be brought up to date, built once (building a statement costs
#: more than running it): the events removed, the events written (by dialect: their bodies are
#: fetched as bytes) and the documents' entries written since a version.
REMOVED_SINCE = select(t.removed_events.c.number).where(t.removed_events.c.story_id == bindparam("story"),
                                                        t.removed_events.c.version > bindparam("version"))
WRITTEN_SINCE = {dialect: event_texts(dialect).where(
    t.events.c.story_id == bindparam("story"), t.events.c.version > bindparam("version"))
    for dialect in ("sqlite", "postgresql")}  # not ordered: the events' version index finds them
DOCUMENTS_SINCE = select(t.documents.c.position, t.documents.c.doc_id, t.documents.c.published,
                         t.documents.c.note).where(t.documents.c.story_id == bindparam("story"),
                                                   t.documents.c.story_version > bindparam("version"))


#: Bytes of events joined into one piece of the answer.  Not the whole answer in one: a fresh
#: buffer of many megabytes costs a page fault for each 4 KB, and pieces of this size reuse freed
#: memory.  A piece is cut after the event that brings it to this size; a rest under a quarter
#: of it goes with the piece before, and a piece a change leaves that small is joined with the
#: next.  So each piece but the last holds from a quarter to about 1.25 times this, plus an event.
PIECE_BYTES = 1 << 18


class Held:
    """A story's timeline as of ``version``, and the answer joined from it in pieces.

    The events are kept in timeline order, their keys in one list and their bodies in another
    beside it, and their keys by number; the answer's events are joined into pieces of
    consecutive events, each known by the key it starts from, so that a change joins again only
    the pieces its events leave or enter.  Each piece but the last ends with the comma before the
    next.  The documents' part of the answer is kept by document position."""

    def __init__(self, version: int, events: Iterable[tuple[Key, bytes]], documents: Mapping[int, Entry]) -> None:
        self.version = version
        self.lock = threading.Lock()  # one patch at a time
        ordered = sorted(events)  # by key: no two are equal
        self.order: list[Key] = [key for key, _ in ordered]
        self.bodies: list[bytes] = [body for _, body in ordered]
        self.keys: dict[int, Key] = {key[-1][1]: key for key in self.order}
        self.starts, self.pieces = self._cut(0, len(self.order), last=True)
        self.starts[0] = FIRST
        self.documents = DocumentsPart(documents)

    def answer(self) -> list[bytes]:
        return [HEAD, *(piece for piece in self.pieces if piece), self.documents.data]

    @property
    def size(self) -> int:
        """Bytes held: the bodies and entries, and the answer joined from them."""
        return 2 * (sum(len(piece) for piece in self.pieces) + len(self.documents.data))

    def patch(self, version: int, removed: Iterable[int], written: Iterable[tuple[Key, bytes]],
              documents: Mapping[int, Entry]) -> None:
        """Bring the timeline to ``version``: the events ``removed`` and ``written`` (their keys and
        bodies) since, and the documents' entries written since, by position."""
        written = list(written)
        dirty: set[int] = set()  # the pieces to join again
        for number in [*removed, *(key[-1][1] for key, _ in written)]:
            old = self.keys.pop(number, None)
            if old is not None:
                dirty.add(self._piece_of(old))
                at = bisect_left(self.order, old)
                del self.order[at], self.bodies[at]
        for key, body in written:
            self.keys[key[-1][1]] = key
            at = bisect_left(self.order, key)
            self.order.insert(at, key)
            self.bodies.insert(at, body)
            dirty.add(self._piece_of(key))
        for index in sorted(dirty, reverse=True):  # from the last, so the indexes before stay
            self._rejoin(index)
        if self.pieces[-1].endswith(b","):  # the piece after it was left empty
            self.pieces[-1] = self.pieces[-1][:-1]
        if documents:
            self.documents.update(documents)
        self.version = version

    def _piece_of(self, key: Key) -> int:
        return bisect_right(self.starts, key) - 1

    def _end(self, index: int) -> int:
        """Where the events of piece ``index`` end in ``order``."""
        return bisect_left(self.order, self.starts[index + 1]) if index + 1 < len(self.starts) else len(self.order)

    def _rejoin(self, index: int) -> None:
        """Join piece ``index`` again from its events; a piece left small is joined with the next."""
        low = bisect_left(self.order, self.starts[index])
        count = 1
        starts, pieces = self._cut(low, self._end(index), last=index + 1 == len(self.pieces))
        if len(pieces) == 1 and len(pieces[0]) < PIECE_BYTES // 4 and index + 1 < len(self.pieces):
            count = 2
            starts, pieces = self._cut(low, self._end(index + 1), last=index + 2 == len(self.pieces))
        if index == 0:
            starts[0] = FIRST
        elif not pieces[0]:
            starts, pieces = [], []  # no events left: the piece is dropped
        self.starts[index:index + count] = starts
        self.pieces[index:index + count] = pieces

    def _cut(self, low: int, high: int, last: bool) -> tuple[list[Key], list[bytes]]:
        """The events from ``low`` to ``high`` in the order joined into pieces of at least
        PIECE_BYTES (a small rest goes with the piece before it), and the key each piece starts
        from; one empty piece when there are none."""
        if low == high:
            return [FIRST], [b""]
        bodies = self.bodies[low:high]
        totals = list(accumulate(map(len, bodies)))  # bytes up to each event
        cuts = [0]  # where each piece starts
        while (end := bisect_left(totals, (totals[cuts[-1] - 1] if cuts[-1] else 0) + PIECE_BYTES) + 1) < len(bodies):
            cuts.append(end)  # after the event that brings the piece to PIECE_BYTES
        if len(cuts) > 1 and totals[-1] - totals[cuts[-1] - 1] < PIECE_BYTES // 4:
            cuts.pop()
        ends = [*cuts[1:], len(bodies)]
        pieces = [b",".join(bodies[start:end] if last and end == len(bodies) else [*bodies[start:end], b""])
                  for start, end in zip(cuts, ends, strict=True)]  # b"": the comma before the next piece
        return [self.order[low + start] for start in cuts], pieces


class Snapshots:
    """The held timelines of one process, by database, story and its creation, within a byte budget.
    A timeline larger than half of the budget is not held."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.held: OrderedDict[tuple[Any, ...], Held] = OrderedDict()
        self.too_large: set[tuple[Any, ...]] = set()
        self.lock = threading.Lock()

    def answer(self, connection: Connection, key: tuple[Any, ...], story: Any) -> list[bytes] | None:
        """The whole timeline of ``story`` (its row: id, version, reset_version) at its version, from
        what is held and the rows written since; None when it is not held (read it whole, then
        :meth:`put` it)."""
        with self.lock:
            held = self.held.get(key)
            if held is not None:
                self.held.move_to_end(key)
        if held is None:
            return None
        with held.lock:
            if not story.reset_version <= held.version <= story.version:
                return None
            if held.version == story.version:
                return held.answer()
            dialect = connection.dialect.name
            since = {"story": story.id, "version": held.version}
            removed = connection.execute(REMOVED_SINCE, since).scalars().all()
            written = [(order_key(row, dialect == "sqlite"), body)
                       for row, body in event_bodies(sorted(connection.execute(WRITTEN_SINCE[dialect], since),
                                                            key=lambda row: (row.number, row.piece)))]
            documents = {row.position: Entry.of(row) for row in connection.execute(DOCUMENTS_SINCE, since)}
            try:
                held.patch(story.version, removed, written, documents)
            except BaseException:
                self._drop(key)  # left part-way: read whole next time
                raise
            answer = held.answer()
        self._fit(key, held)
        return answer

    def gatherer(self, key: tuple[Any, ...], version: int, nulls_first: bool) -> Gatherer | None:
        """What gathers a whole read of the story to be held; None when it was too large before."""
        if key in self.too_large:
            return None
        return Gatherer(version, self.max_bytes // 4, nulls_first, lambda: self._too_large(key))

    def _drop(self, key: tuple[Any, ...]) -> None:
        with self.lock:
            self.held.pop(key, None)

    def _too_large(self, key: tuple[Any, ...]) -> None:
        with self.lock:
            self.held.pop(key, None)
            self.too_large.add(key)

    def put(self, key: tuple[Any, ...], held: Held) -> bool:
        """Hold a timeline read whole (unless a newer one is held); whether it fits the budget."""
        with self.lock:
            current = self.held.get(key)
            if current is not None and current.version >= held.version:
                return True
            self.held[key] = held
        return self._fit(key, held)

    def _fit(self, key: tuple[Any, ...], held: Held) -> bool:
        """Whether ``held``, the timeline held under ``key``, fits the budget; the least recently
        read others are let go until all fit."""
        with self.lock:
            if held.size > self.max_bytes // 2:
                self.held.pop(key, None)
                self.too_large.add(key)  # its reads stream from the database, and are not gathered again
                return False
            if self.held.get(key) is held:
                self.held.move_to_end(key)
            while sum(entry.size for entry in self.held.values()) > self.max_bytes:
                self.held.popitem(last=False)
            return True


class Gatherer:
    """Gathers the rows of a whole read as they are streamed, up to ``limit`` bytes (then gives up:
    :meth:`held` is None)."""

    def __init__(self, version: int, limit: int, nulls_first: bool, give_up: Callable[[], None]) -> None:
        self.version = version
        self.events: list[tuple[Key, bytes]] | None = []
        self.documents: dict[int, Entry] = {}
        self.limit = limit
        self.nulls_first = nulls_first
        self.give_up = give_up
        self.size = 0

    @property
    def gathering(self) -> bool:
        """Whether it still gathers (it gives up on a timeline too large to hold)."""
        return self.events is not None

    def event(self, row: Any, body: bytes) -> None:
        if self.events is not None:
            self.events.append((order_key(row, self.nulls_first), body))
            self._count(len(body))

    def document(self, row: Any) -> None:
        if self.events is not None:
            self.documents[row.position] = Entry.of(row)
            self._count(len(row.note))

    def held(self) -> Held | None:
        """The timeline gathered, joined in pieces; None when it was too large."""
        return None if self.events is None else Held(self.version, self.events, self.documents)

    def _count(self, size: int) -> None:
        self.size += size
        if self.size > self.limit and self.events is not None:
            self.events = None
            self.give_up()
