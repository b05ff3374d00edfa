"""A story's whole timeline held by a process, and brought up to date from the rows written since.

Reading a large story's whole timeline means reading every event's body: 12 MB of JSON at
1,000 articles, about 50 ms.  Adding an article changes a few events.  So a process keeps,
for each story it has read whole, the events' bodies (by number, with their place in the
timeline) and the documents' entries, with the story version they are of.  The next read
takes only what was written after that version (``events.version``,
``removed_events.version``, ``documents.story_version``), in the same snapshot as the ETag,
and joins the answer again in memory.  A version that removed documents or merged the story
again (``stories.reset_version``) makes the next read a whole one.

The answer is, byte for byte, the one :func:`stories.store._timeline_chunks` streams (a test
checks it): every worker gives the same bytes under the same ETag.  Stories whose timeline
is too large for the budget are not held; their reads stream as before, a batch at a time.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, LargeBinary, cast, func, select

from timeline.chronology import undated_warnings
from timeline.documents import Document

from . import tables as t

#: How an event's place in the timeline is read: the columns of its ORDER BY, then its number.
ORDER_COLUMNS = (t.events.c.sort_start, t.events.c.sort_length, t.events.c.sort_position, t.events.c.sort_offset,
                 t.events.c.number)
NO_WARNINGS = '"warnings": []}'  # how a stored note without warnings ends (json.dumps, keys in order)


def body_bytes(dialect: str) -> ColumnElement[bytes]:
    """An event's body as the UTF-8 bytes the answer sends: fetched as bytes, a body of a few
    hundred KB of non-ASCII text is neither decoded into a str nor encoded again (0.35 ms each
    way for 400 KB)."""
    if dialect == "postgresql":
        return func.convert_to(t.events.c.body, "UTF8", type_=LargeBinary).label("body")
    return cast(t.events.c.body, LargeBinary).label("body")  # SQLite keeps text as UTF-8: the cast copies it


def order_key(row: Any, nulls_first: bool) -> tuple[Any, ...]:
    """An event's place as the database's ORDER BY gives it (SQLite puts NULL first, PostgreSQL last)."""
    return tuple((0 if nulls_first else 2, 0.0) if value is None else (1, value)
                 for value in (row.sort_start, row.sort_length, row.sort_position, row.sort_offset, row.number))


@dataclass(frozen=True)
class Entry:
    """A document's entry in the timeline: its id, whether it has no publication date, its note."""

    doc_id: str
    undated: bool
    note: str


def documents_tail(entries: Iterable[Entry]) -> bytes:
    """What follows the events in the answer: the documents' entries and the warnings."""
    entries = list(entries)
    warnings = undated_warnings(Document(entry.doc_id, "") for entry in entries if entry.undated)
    warnings += [f"{entry.doc_id}: {warning}" for entry in entries if not entry.note.endswith(NO_WARNINGS)
                 for warning in json.loads(entry.note).get("warnings", [])]
    return (b'],"documents":[' + b",".join(entry.note.encode() for entry in entries) + b'],"warnings":'
            + json.dumps(warnings, ensure_ascii=False).encode() + b"}")


#: Bytes of the answer joined into one piece.  Not the whole answer in one: a fresh buffer of
#: many megabytes costs a page fault for each 4 KB, and pieces of this size reuse freed memory.
PIECE_BYTES = 1 << 18


@dataclass
class Held:
    """A story's timeline as of ``version``: events by number (their order key and body), entries
    by document position, and the answer joined from them, in pieces."""

    version: int
    events: dict[int, tuple[tuple[Any, ...], bytes]]
    documents: dict[int, Entry]
    pieces: list[bytes] = field(default_factory=list)

    def join(self) -> None:
        self.pieces = []
        pending = [b'{"events":[']
        size = 0
        for _, body in sorted(self.events.values(), key=lambda item: item[0]):
            pending += [body, b","]
            size += len(body)
            if size >= PIECE_BYTES:
                self.pieces.append(b"".join(pending))
                pending, size = [], 0
        if pending and pending[-1] == b",":
            pending.pop()
        elif self.pieces and self.events:
            self.pieces[-1] = self.pieces[-1][:-1]  # the last event's comma
        pending.append(documents_tail(self.documents[position] for position in sorted(self.documents)))
        self.pieces.append(b"".join(pending))

    @property
    def size(self) -> int:
        """Bytes held: the bodies and entries, and the answer joined from them."""
        return 2 * sum(len(piece) for piece in self.pieces)


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
        :meth:`keep` it)."""
        with self.lock:
            held = self.held.get(key)
            if held is not None:
                self.held.move_to_end(key)
        if held is None or not story.reset_version <= held.version <= story.version:
            return None
        if held.version == story.version:
            return held.pieces
        nulls_first = connection.dialect.name == "sqlite"
        events = dict(held.events)
        for number in connection.execute(select(t.removed_events.c.number).where(
                t.removed_events.c.story_id == story.id, t.removed_events.c.version > held.version)).scalars():
            events.pop(number, None)
        for row in connection.execute(select(body_bytes(connection.dialect.name), *ORDER_COLUMNS).where(
                t.events.c.story_id == story.id, t.events.c.version > held.version)):
            events[row.number] = (order_key(row, nulls_first), row.body)
        documents = dict(held.documents)
        for document in connection.execute(select(t.documents.c.position, t.documents.c.doc_id,
                                                  t.documents.c.published, t.documents.c.note).where(
                t.documents.c.story_id == story.id, t.documents.c.story_version > held.version)):
            documents[document.position] = Entry(document.doc_id, document.published is None, document.note)
        newer = Held(story.version, events, documents)
        newer.join()
        self.put(key, newer)
        return newer.pieces

    def gatherer(self, key: tuple[Any, ...], version: int, nulls_first: bool) -> Gatherer | None:
        """What gathers a whole read of the story to be held; None when it was too large before."""
        if key in self.too_large:
            return None
        return Gatherer(Held(version, {}, {}), self.max_bytes // 4, nulls_first, lambda: self._too_large(key))

    def _too_large(self, key: tuple[Any, ...]) -> None:
        with self.lock:
            self.held.pop(key, None)
            self.too_large.add(key)

    def put(self, key: tuple[Any, ...], held: Held) -> bool:
        """Hold a timeline (unless a newer one is held); whether it fits the budget."""
        with self.lock:
            current = self.held.get(key)
            if current is not None and current.version >= held.version:
                return True
            if held.size > self.max_bytes // 2:
                self.held.pop(key, None)
                self.too_large.add(key)  # its reads stream from the database, and are not gathered again
                return False
            self.held[key] = held
            self.held.move_to_end(key)
            while sum(entry.size for entry in self.held.values()) > self.max_bytes:
                self.held.popitem(last=False)
            return True



class Gatherer:
    """Gathers the rows of a whole read as they are streamed, up to ``limit`` bytes (then gives up:
    ``held`` becomes None)."""

    def __init__(self, held: Held, limit: int, nulls_first: bool, give_up: Callable[[], None]) -> None:
        self.held: Held | None = held
        self.limit = limit
        self.nulls_first = nulls_first
        self.give_up = give_up
        self.size = 0

    def event(self, row: Any, body: bytes) -> None:
        if self.held is not None:
            self.held.events[row.number] = (order_key(row, self.nulls_first), body)
            self._count(len(body))

    def document(self, row: Any) -> None:
        if self.held is not None:
            self.held.documents[row.position] = Entry(row.doc_id, row.published is None, row.note)
            self._count(len(row.note))

    def _count(self, size: int) -> None:
        self.size += size
        if self.size > self.limit and self.held is not None:
            self.held = None
            self.give_up()
