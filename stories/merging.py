"""A story's merged timeline, kept up to date in the database one mention at a time.

The rule is ``timeline.chronology``'s (``incremental_keys``, ``incremental_joins``,
``incremental_support``); this module keeps its state in the story's tables: the blocking
index (``postings``, the newest ``POSTING_LIMIT`` mentions per key word are looked at), the
word counts behind the IDF weights (``words``) and which event each mention belongs to.

- A new dated mention joins every event holding a candidate it merges with; when it bridges
  several events they become one (the lowest number stays, the others are removed).
- A new undated mention supports the best-matching event among those sharing its rare words;
  an undated entry that supports none becomes an undated event of its own, as in ``merge``.
  Either way, one that supports no dated event waits (``waiting``, by word): a dated mention
  placed later lets those that match its event support it, as ``merge`` would attach them.
  "Dated" is ``merge``'s: a mention with an interval that may found an event (``is_dated``).
- A planned happening told without a date ("are to celebrate a gala") is told by the one dated
  event of its kind (``planned_event``), found through the kind's index keys; one that finds
  none waits under those keys too, for a dated mention of its kind.
- Removing a document removes its mentions; the events that lose a dated mention are taken
  apart and their other mentions merged again, since the removed one may have been the bridge.

Differences from merging the whole story at once (``timeline build``): the IDF weights are
those of the story when a mention arrives, and a waiting undated sentence is found again only
through the newest waiting mentions of a later dated mention's rare words.
``timeline story rebuild`` merges every stored mention again in document order.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from itertools import groupby
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    BigInteger,
    Connection,
    CursorResult,
    Integer,
    Subquery,
    Table,
    Text,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from timeline.chronology import (
    BLOCKING_KEYS,
    CONFLICT,
    POSTING_LIMIT,
    SUPPORT_KEYS,
    BuildOptions,
    concept_keys,
    idf_table,
    incremental_joins,
    incremental_keys,
    incremental_postings,
    incremental_support,
    incremental_supporters,
    planned_event,
    planned_kind,
)
from timeline.events import EventMention

from . import tables as t
from .bodies import (
    MIX_FACTOR,
    MIX_HALF,
    MIX_PRIME,
    EventState,
    Member,
    MemberCheck,
    Part,
    citations,
    is_dated,
    mention_parts,
)
from .codec import decode, decode_mention, encode_mention

# The merge's most frequent queries, built once (SQLAlchemy then reuses their compiled form).
_MENTIONS = (select(t.mentions.c.id, t.mentions.c.event_id, t.mentions.c.data, t.documents.c.position)
             .join(t.documents, t.documents.c.id == t.mentions.c.document_id)
             .where(t.mentions.c.id.in_(bindparam("rows", expanding=True))))
_EVENTS = select(t.mentions.c.id, t.mentions.c.event_id).where(t.mentions.c.id.in_(bindparam("rows", expanding=True)))
# an event's members: their count and sums of their rows (stories.bodies.MemberCheck), those that
# joined after a row, and all of them in document order
_SCATTERED = cast(t.mentions.c.id, BigInteger) * MIX_FACTOR % MIX_PRIME
_CHECK = select(func.count().label("members"), func.coalesce(func.sum(t.mentions.c.id), 0).label("total"),
                func.coalesce(func.sum(_SCATTERED % MIX_HALF * (_SCATTERED // MIX_HALF)), 0).label("mixed")).where(
    t.mentions.c.event_id == bindparam("event")).subquery()
_PARTS = (select(t.mentions.c.id, t.mentions.c.head, t.mentions.c.fragment, t.mentions.c.words, t.documents.c.position)
          .join(t.documents, t.documents.c.id == t.mentions.c.document_id))
_NEWER = _PARTS.where(t.mentions.c.event_id == bindparam("event"), t.mentions.c.id > bindparam("after")).subquery()
# one row per member joined after a row (none: one row without a member), each with the check
_JOINED = select(_CHECK, _NEWER).select_from(_CHECK.outerjoin(_NEWER, true()))
_ALL_MEMBERS = (_PARTS.where(t.mentions.c.event_id == bindparam("event"))
                .order_by(t.documents.c.position, t.mentions.c.id).execution_options(yield_per=500))
_DATA = select(t.mentions.c.data).where(t.mentions.c.id == bindparam("row"))
_KEEP_PARTS = update(t.mentions).where(t.mentions.c.id == bindparam("row")).values(
    head=bindparam("new_head"), fragment=bindparam("new_fragment"))
_EVENT = select(t.events.c.number, t.events.c.conflicting, t.events.c.digest, t.events.c.state, t.events.c.words,
                t.events.c.documents).where(t.events.c.id == bindparam("row"))
_WRITTEN = ("digest", "sort_start", "sort_length", "sort_position", "sort_offset", "version", "words",
            "documents", "state", "dated_by", "entry_dated_by")
_WRITE = update(t.events).where(t.events.c.id == bindparam("row")).values(
    {name: bindparam(f"new_{name}") for name in _WRITTEN})
_WRITE_CHANGED = _WRITE.values(changed=bindparam("new_changed"))
# an event's text (tables.event_text): its header, entries added to its last piece, new pieces
_HEADER = update(t.event_text).where(t.event_text.c.event_id == bindparam("row"), t.event_text.c.piece == 0).values(
    text=bindparam("new_text"))
_HEADER_AND_LAST = update(t.event_text).where(t.event_text.c.event_id == bindparam("row"), t.event_text.c.piece.in_(
    [0, bindparam("last", type_=Integer)])).values(
    text=case((t.event_text.c.piece == 0, bindparam("new_text", type_=Text)),
              else_=t.event_text.c.text + bindparam("more", type_=Text)))
_NEW_PIECES = insert(t.event_text)
_PIECES_STORED_AT_ONCE = 32  # a megabyte of a large event's text, when it is written whole
_DROP_PIECES = delete(t.event_text).where(t.event_text.c.event_id == bindparam("row"))
_COUNTS = select(t.words.c.word, t.words.c.count).where(t.words.c.story_id == bindparam("story"),
                                                        t.words.c.word.in_(bindparam("words", expanding=True)))
# Placing a mention runs these several times, so they are built once too: a statement built at
# each call is keyed and its values coerced again, which cost more than running it.
_NEW_MENTION = insert(t.mentions)
_NEW_EVENT = insert(t.events)
_POSTINGS = insert(t.postings)
_WAITING = insert(t.waiting)
_REMOVED = insert(t.removed_events)
_SET_EVENT = update(t.mentions).where(t.mentions.c.id == bindparam("row")).values(event_id=bindparam("event"))
_UNWAIT = delete(t.waiting).where(t.waiting.c.mention_id == bindparam("row"))
_CONFLICTING = update(t.events).where(t.events.c.id == bindparam("event")).values(conflicting=True)
_NUMBERS = select(t.events.c.id, t.events.c.number).where(t.events.c.id.in_(bindparam("events", expanding=True)))
_SUMMARIES = (select(t.events.c.id, t.events.c.words, t.events.c.documents)
              .where(t.events.c.id.in_(bindparam("events", expanding=True))))
_ANY_CONFLICTING = (select(func.max(t.events.c.conflicting.cast(Integer)))
                    .where(t.events.c.id.in_(bindparam("events", expanding=True))))
_MOVE_MEMBERS = (update(t.mentions).where(t.mentions.c.event_id.in_(bindparam("events", expanding=True)))
                 .values(event_id=bindparam("event")))
_RELEASE_MEMBERS = (update(t.mentions).where(t.mentions.c.event_id.in_(bindparam("events", expanding=True)))
                    .values(event_id=None))
_EVENT_NUMBERS = select(t.events.c.number).where(t.events.c.id.in_(bindparam("events", expanding=True)))
_DELETE_EVENTS = delete(t.events).where(t.events.c.id.in_(bindparam("events", expanding=True)))


@lru_cache(maxsize=None)
def _set_counts(dialect: str) -> Any:
    """The upsert of a story's word counts (parameters story_id, word, count, version)."""
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(t.words)
    return statement.on_conflict_do_update(index_elements=["story_id", "word"],
                                           set_={"count": statement.excluded["count"],
                                                 "version": statement.excluded["version"]})

# For each key word, its newest POSTING_LIMIT postings, in one round trip (one statement per
# number of keys).

def _newest_rows(table: Table, keys: int) -> list[Subquery]:
    """For each of ``keys`` words, the newest mentions (rows, and their events) that ``table``
    (postings or waiting) holds under it (parameters story, word0...)."""
    return [select(table.c.mention_id, t.mentions.c.event_id)
            .join(t.mentions, t.mentions.c.id == table.c.mention_id)
            .where(table.c.story_id == bindparam("story"), table.c.word == bindparam(f"word{i}"))
            .order_by(table.c.mention_id.desc()).limit(POSTING_LIMIT).subquery() for i in range(keys)]


@lru_cache(maxsize=None)
def _newest_postings(keys: int) -> Any:
    """The newest mentions (rows, and their events) holding each of ``keys`` words."""
    return union_all(*(select(part.c.mention_id, part.c.event_id) for part in _newest_rows(t.postings, keys)))


@lru_cache(maxsize=None)
def _newest_candidates(keys: int) -> Any:
    """What a dated mention looks up by its ``keys`` words, in one statement: the newest postings
    (``waits`` 0: the mentions it may join) and the newest waiting mentions (``waits`` 1: those
    that may then support its event)."""
    return union_all(*(select(literal(waits).label("waits"), part.c.mention_id, part.c.event_id)
                       for waits, table in ((0, t.postings), (1, t.waiting)) for part in _newest_rows(table, keys)))


@lru_cache(maxsize=None)
def _newest_events(keys: int) -> Any:
    """The events of the newest dated mentions holding each of ``keys`` words."""
    parts = [select(t.mentions.c.event_id).join(t.postings, t.postings.c.mention_id == t.mentions.c.id)
             .where(t.postings.c.story_id == bindparam("story"), t.postings.c.word == bindparam(f"word{i}"),
                    t.mentions.c.event_id.is_not(None))
             .order_by(t.postings.c.mention_id.desc()).limit(POSTING_LIMIT).subquery() for i in range(keys)]
    return union_all(*(select(part.c.event_id) for part in parts))


def inserted(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


V = TypeVar("V")


class KeptRows(Generic[V]):
    """What was read of stored mention rows, kept per process for the ``size`` most recently used.

    A mention row never changes (a new analysis is new rows), but SQLite may give a deleted row's
    id to a new one.  So entries are keyed by the story, its creation and its ``reset_version``,
    which every write that deletes mentions moves on; such a write neither reads nor fills the
    cache, nor does any write with the rows it inserted itself (its transaction may be rolled back)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, keys: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], V]:
        found = {}
        with self.lock:
            for key in keys:
                value = self.entries.get(key)
                if value is not None:
                    self.entries.move_to_end(key)
                    found[key] = value
        return found

    def put(self, values: dict[tuple[Any, ...], V]) -> None:
        with self.lock:
            self.entries.update(values)
            for key in values:
                self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


class MentionCache(KeptRows[EventMention]):
    """Stored mentions, decoded: each mention placed is compared with the newest mentions sharing
    its rare words, hundreds of rows an article and mostly the same ones from one article to the
    next.  Placing then reads the JSON of those it lacks only (the blocking lookups give the rows
    and their events).  About 5 KB a mention: at most about 21 MB at the default size."""

    def __init__(self, size: int = 1 << 12) -> None:
        super().__init__(size)


class KeptPerStory(Generic[V]):
    """A value kept per process for each of the ``stories`` most recently used stories, as of a
    story version, under the key of :class:`KeptRows`; a value whose :meth:`size` is over
    ``max_words`` is not kept, and its key is remembered in ``too_large``."""

    def __init__(self, stories: int = 8, max_words: int = 1 << 18) -> None:
        self.stories = stories
        self.max_words = max_words
        self.entries: OrderedDict[tuple[Any, ...], tuple[int, V]] = OrderedDict()
        self.too_large: set[tuple[Any, ...]] = set()
        self.lock = threading.Lock()

    def size(self, value: V) -> int:
        raise NotImplementedError

    def get(self, key: tuple[Any, ...]) -> tuple[int, V] | None:
        with self.lock:
            return self.entries.get(key)

    def give_up(self, key: tuple[Any, ...]) -> None:
        """Keep nothing for ``key``, now or later: its value is too large."""
        with self.lock:
            self.entries.pop(key, None)
            self.too_large.add(key)

    def put(self, key: tuple[Any, ...], version: int, value: V) -> None:
        if self.size(value) > self.max_words:
            self.give_up(key)
            return
        with self.lock:
            self.entries[key] = (version, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.stories:
                self.entries.popitem(last=False)


class WordCounts(KeptPerStory[dict[str, int]]):
    """Stories' word counts as of a version, kept per process: a write looks up the counts of
    thousands of words (its mentions' and their candidates'), which were hundreds of thousands
    of bound parameters an article.  A write starts from the counts kept for the story, brought
    up to its version with the rows written since (``words.version``), under the same key as
    :class:`KeptRows` (counts deleted go with a new ``reset_version``).  Only what a committed
    write ended with is kept (:meth:`StoryMerge.committed`); a story's counts above
    ``max_words`` words are not kept."""

    def size(self, value: dict[str, int]) -> int:
        return len(value)


Summary = tuple[frozenset[str], frozenset[str]]  # an event's dated words and documents


class EventSummaries(KeptPerStory[dict[int, Summary]]):
    """Stories' events' dated words and documents (what an undated sentence is compared with) as
    of a version, kept per process: a write asks for the summaries of events a few at a time, tens
    of statements an add.  A write starts from those kept for the story, brought up to its version
    with the event rows written since (``events.version``; a removed event's row is never asked
    for again, and a new row on its id has a newer version), under the same key as
    :class:`KeptRows`.  Only what a committed write ended with is kept.  A story whose summaries
    hold more than ``max_words`` words and documents is not kept (about 200 bytes each): its
    writes ask for the events they compare, as before."""

    def __init__(self, stories: int = 8, max_words: int = 1 << 17) -> None:
        super().__init__(stories, max_words)

    def size(self, value: dict[int, Summary]) -> int:
        return sum(len(words) + len(documents) for words, documents in value.values())


class StoryMerge:
    """The merge state of one story inside one write transaction (the story row is locked)."""

    def __init__(self, connection: Connection, story_id: int, options: BuildOptions, now: datetime,
                 words: WordCounts | None = None, summaries: EventSummaries | None = None,
                 mentions: MentionCache | None = None) -> None:
        self.connection = connection
        self.story_id = story_id
        self.options = options
        self.now = now
        story = connection.execute(select(t.stories.c.mentions, t.stories.c.next_event, t.stories.c.version,
                                          t.stories.c.created, t.stories.c.reset_version)
                                   .where(t.stories.c.id == story_id)).one()
        self.total = story.mentions
        self.next_event = story.next_event
        self.version = story.version + 1  # the story's version once this transaction is done (see Store._finish)
        self.mention_cache = mentions
        self.cache_key = (connection.engine.url.render_as_string(), story_id, story.created, story.reset_version)
        # rows up to this id were committed before this transaction: only theirs are cached
        self.committed_rows = connection.execute(select(func.max(t.mentions.c.id))).scalar() or 0
        self.removed = False  # this transaction deleted mentions (it must move the story's reset_version)
        self.dirty: set[int] = set()
        self.counts: dict[str, int] = {}  # word counts read or written in this transaction
        self.idf: dict[str, float] = {}  # the IDF of words the story has, as of these counts (see _idf)
        self.words = words
        self.finished = False
        if words is not None:
            kept = words.get(self.cache_key)
            if kept is not None and kept[0] <= story.version:
                self.counts = dict(kept[1])  # as of its version, then the rows written since
                self.counts.update({word: count for word, count in connection.execute(
                    select(t.words.c.word, t.words.c.count).where(t.words.c.story_id == story_id,
                                                                  t.words.c.version > kept[0]))})
        # events' dated words and documents, read or changed in this transaction
        self.summaries: dict[int, tuple[set[str], set[str]]] = {}
        self.kept_summaries = summaries
        # every event's summary as of the story's version (None until first asked for); then this write's
        self.story_summaries: dict[int, Summary] | None = None
        self.written_summaries: dict[int, Summary] = {}

    # -- word counts ---------------------------------------------------------------------------

    def _frequency(self, words: Iterable[str]) -> dict[str, int]:
        """The story's counts of ``words`` (those it has)."""
        words = set(words)
        missing = [word for word in words if word not in self.counts]
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            found = dict(self.connection.execute(_COUNTS, {"story": self.story_id, "words": chunk}).all())
            for word in chunk:
                self.counts[word] = found.get(word, 0)
        return {word: self.counts[word] for word in words if self.counts[word] > 0}

    def _idf(self, words: Iterable[str]) -> dict[str, float]:
        """The IDF of the story's words, those of ``words`` it has among them: one table, kept
        while the counts stay as they are (as they do while an article's mentions are placed)."""
        missing = [word for word in words if word not in self.idf]
        if missing:
            self.idf.update(idf_table(self._frequency(missing), self.total))
        return self.idf

    def count(self, mentions: list[EventMention], sign: int) -> None:
        """Add (sign 1) or take away (-1) the mentions' words from the story's counts."""
        changes: dict[str, int] = {}
        self.idf.clear()
        for mention in mentions:
            for word in mention.words:
                changes[word] = changes.get(word, 0) + sign
        self._frequency(changes)
        rows = []
        for word, change in changes.items():
            self.counts[word] += change
            rows.append({"story_id": self.story_id, "word": word, "count": self.counts[word], "version": self.version})
        if rows:
            self.connection.execute(_set_counts(self.connection.dialect.name), rows)
            if sign < 0:
                self.connection.execute(delete(t.words).where(t.words.c.story_id == self.story_id,
                                                              t.words.c.count <= 0))
        self.total += sign * len(mentions)

    # -- placing mentions ----------------------------------------------------------------------

    def _mentions(self, rows: Iterable[int]) -> list[tuple[int, int | None, EventMention]]:
        """(row, event, mention) of mention rows."""
        rows = list(rows)
        return self._decoded(self.connection.execute(_EVENTS, {"rows": rows}).all()) if rows else []

    def _decoded(self, placed: Sequence[tuple[int, int | None]]) -> list[tuple[int, int | None, EventMention]]:
        """(row, event, mention) of mention rows found with their events: the mentions as kept, or
        read and decoded (at their documents' places)."""
        usable = self.mention_cache is not None and not self.removed
        keys = [(*self.cache_key, row) for row, _ in placed]
        kept = self.mention_cache.get(keys) if self.mention_cache is not None and usable else {}
        missing = [key[-1] for key in keys if key not in kept]
        if missing:
            fresh = {(*self.cache_key, row.id): decode(row.data, row.position) if usable
                     else decode_mention(row.data, row.position)
                     for row in self.connection.execute(_MENTIONS, {"rows": missing})}
            if self.mention_cache is not None and usable:
                self.mention_cache.put({key: mention for key, mention in fresh.items()
                                        if key[-1] <= self.committed_rows})
            kept.update(fresh)
        return [(row, event, kept[key]) for (row, event), key in zip(placed, keys, strict=True)]

    def _postings(self, keys: list[str]) -> list[tuple[int, int | None, EventMention]]:
        """The newest mentions holding each key word: (row, event, mention)."""
        return self._decoded(list(dict.fromkeys(self._newest(_newest_postings(len(keys)), keys))))

    def _newest(self, statement: Any, keys: list[str]) -> Sequence[Any]:
        if not keys:
            return []
        return self.connection.execute(statement, {"story": self.story_id,
                                                   **{f"word{i}": key for i, key in enumerate(keys)}}).all()

    def _summaries(self, events: Iterable[int]) -> dict[int, tuple[set[str], set[str]]]:
        """The dated words and documents of ``events``, as they stand in this transaction."""
        missing = [event for event in events if event not in self.summaries]
        if not missing:
            return self.summaries
        if (self.kept_summaries is None or self.removed or self.cache_key in self.kept_summaries.too_large
                or self.kept_summaries.stories == 0):
            for row in self.connection.execute(_SUMMARIES, {"events": missing}):
                words, documents = _summary(row.words, row.documents)
                self.summaries[row.id] = (set(words), set(documents))
            return self.summaries
        known = self._story_summaries()
        if known is None:  # too large to keep: asked for as above from now on
            return self._summaries(missing)
        for event in missing:
            words, documents = known[event]
            self.summaries[event] = (set(words), set(documents))
        return self.summaries

    def _story_summaries(self) -> dict[int, Summary] | None:
        """Every event's summary as stored: the process's, brought up to date (the events this write
        made are in ``summaries`` already, and what it writes is kept apart).  None when the story's
        are too many to keep: a read of all of them gives up as soon as they are, so that the first
        write of a process to a large story does not hold them all."""
        assert self.kept_summaries is not None
        if self.story_summaries is None:
            kept = self.kept_summaries.get(self.cache_key)
            since = -1 if kept is None or kept[0] >= self.version else kept[0]
            known = {} if since < 0 or kept is None else dict(kept[1])
            size = 0
            for row in self.connection.execute(select(t.events.c.id, t.events.c.words, t.events.c.documents)
                                               .where(t.events.c.story_id == self.story_id,
                                                      t.events.c.version > since)):
                known[row.id] = summary = _summary(row.words, row.documents)
                size += len(summary[0]) + len(summary[1])
                if since < 0 and size > self.kept_summaries.max_words:
                    self.kept_summaries.give_up(self.cache_key)
                    return None
            self.story_summaries = known
        return self.story_summaries

    def _new_event(self) -> int:
        number = self.next_event
        self.next_event += 1
        return inserted(self.connection.execute(_NEW_EVENT, {
            "story_id": self.story_id, "number": number, "conflicting": False, "changed": self.now,
            "version": self.version}))

    def _absorb(self, target: int, others: set[int]) -> None:
        """Events ``others`` become part of ``target``."""
        if not others:
            return
        conflicting = self.connection.execute(_ANY_CONFLICTING, {"events": list(others)}).scalar()
        self.connection.execute(_MOVE_MEMBERS, {"events": list(others), "event": target})
        if conflicting:
            self.connection.execute(_CONFLICTING, {"event": target})
        self.remove_events(others)

    def reset(self) -> None:
        """Forget the story's merge (events, index, counts), keeping its documents and analyses."""
        self.remove_events(set(self.connection.execute(
            select(t.events.c.id).where(t.events.c.story_id == self.story_id)).scalars()))
        for table in (t.postings, t.waiting, t.words):
            self.connection.execute(delete(table).where(table.c.story_id == self.story_id))
        self.counts.clear()
        self.idf.clear()
        self.total = 0
        self.removed = True

    def remove_events(self, rows: set[int]) -> None:
        if not rows:
            return
        events = list(rows)
        numbers = self.connection.execute(_EVENT_NUMBERS, {"events": events}).scalars().all()
        for row in rows:
            self.summaries.pop(row, None)
        self.connection.execute(_RELEASE_MEMBERS, {"events": events})
        self.connection.execute(_DELETE_EVENTS, {"events": events})
        if numbers:
            self.connection.execute(_REMOVED, [
                {"story_id": self.story_id, "number": number, "removed": self.now, "version": self.version}
                for number in numbers])
        self.dirty -= rows

    def add_dated(self, mention: EventMention, document_row: int, row: int | None = None) -> int:
        """Place a dated mention (a new one, or ``row`` merged again); its row."""
        keys = incremental_keys(mention, self._frequency(mention.words), self.total, BLOCKING_KEYS)
        keys += concept_keys(mention)
        found = self._newest(_newest_candidates(len(keys)), keys)
        candidates = self._decoded(list(dict.fromkeys((row, event) for waits, row, event in found if not waits)))
        idf = self._idf(mention.words.union(*(other.words for _, _, other in candidates)))
        joins = incremental_joins(mention, [other for _, _, other in candidates], idf, self.options)
        events = {event for event in (candidates[index][1] for index, _ in joins) if event is not None}
        conflict = any(verdict == CONFLICT for _, verdict in joins)
        if events:
            numbers = dict(self.connection.execute(_NUMBERS, {"events": list(events)}).all())
            target = min(events, key=numbers.__getitem__)
            summaries = self._summaries(events)
            for other in events - {target}:
                summaries[target][0].update(summaries[other][0])
                summaries[target][1].update(summaries[other][1])
            self._absorb(target, events - {target})
        else:
            target = self._new_event()
            self.summaries[target] = (set(), set())
        self.summaries[target][0].update(mention.words)
        self.summaries[target][1].add(mention.document)
        if conflict:
            self.connection.execute(_CONFLICTING, {"event": target})
        if row is None:
            row = self._insert(mention, document_row, target)
        else:
            self.connection.execute(_SET_EVENT, {"row": row, "event": target})
        if mention.words or mention.concepts:
            self.connection.execute(_POSTINGS, [{"story_id": self.story_id, "word": word, "mention_id": row}
                                                for word in incremental_postings(mention)])
        self.dirty.add(target)
        # the waiting mentions under its keys (plans of this kind of happening told without a date among them),
        # found with its candidates: placing it changed neither them nor their events
        self._reattach(mention, target, list(dict.fromkeys((row, event) for waits, row, event in found if waits)))
        return row

    def _reattach(self, mention: EventMention, target: int, waiting_rows: list[tuple[int, int | None]]) -> None:
        """Let the undated mentions waiting for a dated event (``waiting_rows``: those under the
        dated ``mention``'s keys, with their events) support ``target``, which ``mention`` has
        just joined or founded, when they match it: ``merge`` attaches undated mentions to the
        events of the whole story, later articles' included.  An undated entry that does leaves
        its own undated event."""
        waiting = self._decoded(waiting_rows)
        if not waiting:
            return
        words, documents = self._summaries([target])[target]
        idf = self._idf(words.union(*(other.words for _, _, other in waiting)))
        supporters = incremental_supporters([other for _, _, other in waiting], frozenset(words), documents, idf,
                                            self.options)
        supporters += [index for index, (_, _, other) in enumerate(waiting) if index not in supporters
                       and planned_event(other, [(target, mention)]) is not None]
        for row, event, _ in (waiting[index] for index in supporters):
            self.connection.execute(_SET_EVENT, {"row": row, "event": target})
            self.connection.execute(_UNWAIT, {"row": row})
            if event is not None:
                self.dirty.add(event)  # the entry's own event, now empty: removed when written

    def _planned_target(self, mention: EventMention) -> int | None:
        """The event a planned happening told without a date is told again by (``merge``'s
        ``planned_event``), among the events of the newest dated mentions of its kinds."""
        if not planned_kind(mention):
            return None
        told = self._postings(concept_keys(mention))
        return planned_event(mention, [(event, other) for _, event, other in told
                                       if event is not None and is_dated(other)])

    def add_undated(self, mention: EventMention, document_row: int, row: int | None = None) -> int:
        """Place an undated mention: it supports the best-matching event; else an entry founds an
        undated event, and a sentence that only supports waits unattached."""
        keys = incremental_keys(mention, self._frequency(mention.words), self.total, SUPPORT_KEYS)
        target: int | None = self._planned_target(mention)
        events = sorted({row[0] for row in self._newest(_newest_events(len(keys)), keys)}) if target is None else []
        if events:
            summaries = self._summaries(events)
            idf = self._idf(mention.words.union(*(summaries[e][0] for e in events)))
            chosen = incremental_support(mention, [frozenset(summaries[e][0]) for e in events],
                                         [summaries[e][1] for e in events], idf, self.options)
            target = events[chosen] if chosen is not None else None
        waits = target is None  # for a dated event that a later mention brings
        if target is None and mention.entry:  # an undated entry that supports nothing is an event of its own
            target = self._new_event()
            self.summaries[target] = (set(), set())
        if row is None:
            row = self._insert(mention, document_row, target)
        else:
            self.connection.execute(_SET_EVENT, {"row": row, "event": target})
            self.connection.execute(_UNWAIT, {"row": row})
        waiting_keys = sorted(mention.words) + (concept_keys(mention) if planned_kind(mention) else [])
        if waits and waiting_keys:
            self.connection.execute(_WAITING, [{"story_id": self.story_id, "word": word, "mention_id": row}
                                               for word in waiting_keys])
        if target is not None:
            self.dirty.add(target)
        return row

    def _insert(self, mention: EventMention, document_row: int, event: int | None) -> int:
        """Store a new mention of document row ``document_row`` in ``event``; its row."""
        return inserted(self.connection.execute(_NEW_MENTION, {
            "story_id": self.story_id, "document_id": document_row, "event_id": event, **mention_row(mention)}))

    # -- removing a document -------------------------------------------------------------------

    def remove_document(self, document_row: int) -> None:
        """Take a document's mentions out of the story; the events they held are merged again."""
        self.removed = True
        own = self._mentions(self.connection.execute(
            select(t.mentions.c.id).where(t.mentions.c.document_id == document_row)).scalars())
        self.count([mention for _, _, mention in own], -1)
        broken = {event for _, event, mention in own if event is not None and is_dated(mention)}
        self.dirty |= {event for _, event, mention in own if event is not None and not is_dated(mention)}
        rest = self.connection.execute(
            select(t.mentions.c.id).where(t.mentions.c.event_id.in_(broken),
                                          t.mentions.c.document_id != document_row)).scalars().all()
        for table in (t.postings, t.waiting):
            self.connection.execute(delete(table).where(table.c.mention_id.in_(
                select(t.mentions.c.id).where(t.mentions.c.document_id == document_row))))
        if rest:
            self.connection.execute(delete(t.postings).where(t.postings.c.mention_id.in_(rest)))
        self.remove_events(broken)
        self.connection.execute(delete(t.mentions).where(t.mentions.c.document_id == document_row))
        self.replace(self._mentions(rest))

    def replace(self, placed: Sequence[tuple[int, int | None, EventMention]]) -> None:
        """Merge stored mentions (rows without events or postings) again, in document order."""
        placed = sorted(placed, key=lambda item: (item[2].position, item[0]))
        for row, _, mention in placed:
            if is_dated(mention):
                self.add_dated(mention, 0, row)
        # as merge attaches them: undated entries first, then the sentences that only support
        for row, _, mention in sorted(placed, key=lambda item: not item[2].entry):
            if not is_dated(mention):
                self.add_undated(mention, 0, row)

    # -- the events' stored bodies -------------------------------------------------------------

    def committed(self) -> None:
        """This transaction was committed: keep the word counts it ended with, for the next write
        (not after one that deleted counts: the story's reset_version moved, and so does the key)."""
        if self.words is not None and not self.removed:
            self.words.put(self.cache_key, self.version if self.finished else self.version - 1, self.counts)
        if (self.kept_summaries is not None and not self.removed and self.finished
                and self.story_summaries is not None):
            self.kept_summaries.put(self.cache_key, self.version, {**self.story_summaries, **self.written_summaries})

    def finish(self) -> None:
        """Write the bodies and order of the events changed in this transaction, and the counters."""
        self.finished = True
        for event in sorted(self.dirty):
            self._write_event(event)
        self.connection.execute(update(t.stories).where(t.stories.c.id == self.story_id).values(
            mentions=self.total, next_event=self.next_event))

    def _write_event(self, row: int) -> None:
        """Write an event's body and row: from its stored state and the members that joined it
        since, when those come after the others in document order (a new article's); else from
        every member (a merge, a removal, an earlier article's sentence joining, an older row)."""
        found = self.connection.execute(_EVENT, {"row": row}).one_or_none()
        if found is None:
            return
        # a removal may give a deleted row's id to a new one
        state = None if found.state is None or self.removed else EventState.from_json(found.state)
        if state is not None:
            check, joined = self._joined(row, state.last_row)
            if check == state.members + MemberCheck.of(part.row for part, _ in joined) and state.follows(joined):
                self._extend_event(row, found, state, joined)
                return
        self._write_whole_event(row, found)

    def _extend_event(self, row: int, found: Any, state: EventState, joined: list[Member]) -> None:
        """Write an event whose members are its state's and ``joined`` (in document order, after them)."""
        words, documents = (set(values) for values in _summary(found.words, found.documents))
        for member in joined:
            _add_member(member, state, words, documents)
        last = state.pieces
        added, *pieces = state.lay([part.entry for part, _ in joined])
        header = self._store_row(row, found, state, words, documents)
        if added:
            self.connection.execute(_HEADER_AND_LAST, {"row": row, "new_text": header, "last": last, "more": added})
        else:
            self.connection.execute(_HEADER, {"row": row, "new_text": header})
        if pieces:
            self.connection.execute(_NEW_PIECES, [{"event_id": row, "piece": last + number, "text": text}
                                                  for number, text in enumerate(pieces, 1)])

    def _write_whole_event(self, row: int, found: Any) -> None:
        """Write an event from all its members, read a batch at a time, its pieces stored as they
        close (a large event's text is megabytes); one without an entry is removed."""
        self.connection.execute(_DROP_PIECES, {"row": row})
        state = EventState()
        words: set[str] = set()
        documents: set[str] = set()
        piece: list[str] = []  # the open piece's entries
        closed: list[dict[str, Any]] = []  # the pieces closed and not stored yet
        for member in self._all_members(row):
            _add_member(member, state, words, documents)
            added, *opened = state.lay([member[0].entry])
            if opened:
                closed.append({"event_id": row, "piece": state.pieces - 1, "text": "".join(piece)})
                piece = opened
                if len(closed) == _PIECES_STORED_AT_ONCE:
                    self.connection.execute(_NEW_PIECES, closed)
                    closed = []
            else:
                piece.append(added)
        if state.first_entry is None:
            self.remove_events({row})
            return
        header = self._store_row(row, found, state, words, documents)
        self.connection.execute(_NEW_PIECES, [*closed, {"event_id": row, "piece": state.pieces, "text": "".join(piece)},
                                              {"event_id": row, "piece": 0, "text": header}])

    def _store_row(self, row: int, found: Any, state: EventState, words: set[str], documents: set[str]) -> str:
        """Write an event's row (its ``changed`` time moves when its digest did); its header."""
        header = state.header(found.number, found.conflicting, lambda part: self._stored(part.row, part.document_index))
        words_text = " ".join(sorted(words))
        documents_text = "\n".join(sorted(documents))
        self.written_summaries[row] = _summary(words_text, documents_text)  # as a later write reads it back
        cited = citations(documents) if state.marked else (None, None)
        values = {
            "row": row, "new_digest": state.digest(found.conflicting), "new_sort_start": header.sort_start,
            "new_sort_length": header.sort_length, "new_sort_position": header.sort_position,
            "new_sort_offset": header.sort_offset, "new_version": self.version, "new_words": words_text,
            "new_documents": documents_text, "new_state": state.to_json(), "new_dated_by": cited[0],
            "new_entry_dated_by": cited[1]}
        if values["new_digest"] == found.digest:
            self.connection.execute(_WRITE, values)
        else:
            self.connection.execute(_WRITE_CHANGED, {**values, "new_changed": self.now})
        return header.text

    def _joined(self, event: int, after: int) -> tuple[MemberCheck, list[Member]]:
        """The check of the event's members, and its members stored after row ``after`` in document order."""
        legacy: list[dict[str, Any]] = []
        rows = self.connection.execute(_JOINED, {"event": event, "after": after}).all()
        members = [self._member(stored, legacy) for stored in rows if stored.id is not None]
        self._keep_parts(legacy)
        check = MemberCheck(int(rows[0].members), int(rows[0].total), int(rows[0].mixed))
        return check, sorted(members, key=lambda member: member[0].position)

    def _all_members(self, event: int) -> Iterator[Member]:
        """The event's members in document order, read a batch at a time (a large event's are many
        megabytes)."""
        legacy: list[dict[str, Any]] = []
        result = self.connection.execute(_ALL_MEMBERS, {"event": event})
        try:
            for _, stored in groupby(result, key=lambda row: row.position):
                yield from sorted((self._member(row, legacy) for row in stored), key=lambda member: member[0].position)
        finally:
            result.close()
        self._keep_parts(legacy)

    def _stored(self, row: int, document_index: int) -> EventMention:
        """A stored mention, decoded (one read)."""
        return decode_mention(self.connection.execute(_DATA, {"row": row}).scalar_one(), document_index)

    def _member(self, row: Any, legacy: list[dict[str, Any]]) -> Member:
        """A member's parts and words; those of a row stored before parts were kept are computed,
        and added to ``legacy`` to be stored (:meth:`_keep_parts`)."""
        if row.head is None or row.fragment is None:
            head, fragment = mention_parts(self._stored(row.id, row.position))
            legacy.append({"row": row.id, "new_head": head, "new_fragment": fragment})
            return Part(row.id, row.position, json.loads(head), fragment), row.words
        return Part(row.id, row.position, json.loads(row.head), row.fragment), row.words

    def _keep_parts(self, legacy: list[dict[str, Any]]) -> None:
        if legacy:
            self.connection.execute(_KEEP_PARTS, legacy)


def _add_member(member: Member, state: EventState, words: set[str], documents: set[str]) -> None:
    """Add a member to the state of the event being written, and a dated one's content words and
    document to what an undated sentence is compared with."""
    part, text = member
    state.add(part)
    if part.head["dated"]:
        words.update(text.split())
        documents.add(part.head["document"])


def _summary(words: str | None, documents: str | None) -> Summary:
    """An event's stored dated words and documents, as sets."""
    return frozenset((words or "").split()), frozenset(filter(None, (documents or "").split("\n")))


def mention_row(mention: EventMention) -> dict[str, Any]:
    """The columns of a new mention row (its story, document and event aside)."""
    head, fragment = mention_parts(mention)
    return {"dated": is_dated(mention), "words": " ".join(sorted(mention.words)), "data": encode_mention(mention),
            "head": head, "fragment": fragment}


def member_order(mentions: list[EventMention]) -> list[EventMention]:
    """An event's mentions as ``merge`` lists them: dated ones in document order, then undated ones."""
    return sorted(mentions, key=lambda mention: (not is_dated(mention), mention.position))
