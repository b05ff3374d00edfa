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
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, CursorResult, Integer, bindparam, delete, func, insert, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from timeline.chronology import (
    BLOCKING_KEYS,
    CONFLICT,
    POSTING_LIMIT,
    SUPPORT_KEYS,
    BuildOptions,
    concept_keys,
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
from .bodies import Assembly, Member, Part, event_body, is_dated, mention_parts
from .codec import decode_mention, encode_mention

# The merge's most frequent queries, built once (SQLAlchemy then reuses their compiled form).
_MENTIONS = (select(t.mentions.c.id, t.mentions.c.event_id, t.mentions.c.data, t.documents.c.position)
             .join(t.documents, t.documents.c.id == t.mentions.c.document_id)
             .where(t.mentions.c.id.in_(bindparam("rows", expanding=True))))
_MEMBERS = select(t.mentions.c.id).where(t.mentions.c.event_id == bindparam("event"))
_PARTS = (select(t.mentions.c.id, t.mentions.c.head, t.mentions.c.fragment, t.mentions.c.words, t.documents.c.position)
          .join(t.documents, t.documents.c.id == t.mentions.c.document_id)
          .where(t.mentions.c.id.in_(bindparam("rows", expanding=True))))
_DATA = select(t.mentions.c.data).where(t.mentions.c.id == bindparam("row"))
_EVENT = select(t.events.c.number, t.events.c.conflicting, t.events.c.digest).where(t.events.c.id == bindparam("row"))
_WRITTEN = ("body", "digest", "sort_start", "sort_length", "sort_position", "sort_offset", "version", "words",
            "documents")
_WRITE = update(t.events).where(t.events.c.id == bindparam("row")).values(
    {name: bindparam(f"new_{name}") for name in _WRITTEN})
_WRITE_CHANGED = _WRITE.values(changed=bindparam("new_changed"))
_COUNTS = select(t.words.c.word, t.words.c.count).where(t.words.c.story_id == bindparam("story"),
                                                        t.words.c.word.in_(bindparam("words", expanding=True)))

# For each key word, its newest POSTING_LIMIT postings, in one round trip (one statement per
# number of keys).

@lru_cache(maxsize=None)
def _newest_postings(keys: int) -> Any:
    """The newest mentions (rows) holding each of ``keys`` words (parameters story, word0...)."""
    parts = [select(t.postings.c.mention_id)
             .where(t.postings.c.story_id == bindparam("story"), t.postings.c.word == bindparam(f"word{i}"))
             .order_by(t.postings.c.mention_id.desc()).limit(POSTING_LIMIT).subquery() for i in range(keys)]
    return union_all(*(select(part.c.mention_id) for part in parts))


@lru_cache(maxsize=None)
def _newest_events(keys: int) -> Any:
    """The events of the newest dated mentions holding each of ``keys`` words."""
    parts = [select(t.mentions.c.event_id).join(t.postings, t.postings.c.mention_id == t.mentions.c.id)
             .where(t.postings.c.story_id == bindparam("story"), t.postings.c.word == bindparam(f"word{i}"),
                    t.mentions.c.event_id.is_not(None))
             .order_by(t.postings.c.mention_id.desc()).limit(POSTING_LIMIT).subquery() for i in range(keys)]
    return union_all(*(select(part.c.event_id) for part in parts))


@lru_cache(maxsize=None)
def _newest_waiting(keys: int) -> Any:
    """The newest waiting undated mentions (rows) holding each of ``keys`` words."""
    parts = [select(t.waiting.c.mention_id)
             .where(t.waiting.c.story_id == bindparam("story"), t.waiting.c.word == bindparam(f"word{i}"))
             .order_by(t.waiting.c.mention_id.desc()).limit(POSTING_LIMIT).subquery() for i in range(keys)]
    return union_all(*(select(part.c.mention_id) for part in parts))


def inserted(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class PartCache:
    """Stored mentions' parts and words, kept per process: a large event is written again each
    time a mention joins it, and reading all its members' parts (a megabyte and more) was most of
    the cost.  A write then reads only its members' ids, and the parts of those it lacks.

    A mention row never changes (a new analysis is new rows), but SQLite may give a deleted row's
    id to a new one.  So entries are keyed by the story, its creation and its ``reset_version``,
    which every write that deletes mentions moves on; such a write neither reads nor fills the
    cache, nor does any write with the rows it inserted itself (its transaction may be rolled back)."""

    def __init__(self, size: int = 1 << 13) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], Member] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, keys: Iterable[tuple[Any, ...]]) -> dict[tuple[Any, ...], Member]:
        found = {}
        with self.lock:
            for key in keys:
                member = self.entries.get(key)
                if member is not None:
                    self.entries.move_to_end(key)
                    found[key] = member
        return found

    def put(self, members: dict[tuple[Any, ...], Member]) -> None:
        with self.lock:
            self.entries.update(members)
            for key in members:
                self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


class Assemblies:
    """Events' assemblies (:class:`stories.bodies.Assembly`), kept per process under the key of
    :class:`PartCache` and the event's row, within ``size`` members in all: a write that only adds
    a new article's mentions to a large event extends its assembly instead of visiting every
    member again.  An assembly is used only when its members are all still the event's (the
    event's member rows are read at each write); only what a committed write assembled is kept."""

    def __init__(self, size: int = 1 << 14) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[Any, ...], Assembly] = OrderedDict()
        self.held = 0  # members of the assemblies kept
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Assembly | None:
        with self.lock:
            assembly = self.entries.get(key)
            if assembly is not None:
                self.entries.move_to_end(key)
            return assembly

    def put(self, assemblies: dict[tuple[Any, ...], Assembly]) -> None:
        with self.lock:
            for key, assembly in assemblies.items():
                if len(assembly.parts) > self.size // 4:
                    continue
                dropped = self.entries.pop(key, None)
                self.held += len(assembly.parts) - (0 if dropped is None else len(dropped.parts))
                self.entries[key] = assembly
            while self.held > self.size:
                _, dropped = self.entries.popitem(last=False)
                self.held -= len(dropped.parts)


V = TypeVar("V")


class KeptPerStory(Generic[V]):
    """A value kept per process for each of the ``stories`` most recently used stories, as of a
    story version, under the key of :class:`PartCache`; a value whose :meth:`size` is over
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

    def put(self, key: tuple[Any, ...], version: int, value: V) -> None:
        with self.lock:
            if self.size(value) > self.max_words:
                self.entries.pop(key, None)
                self.too_large.add(key)
                return
            self.entries[key] = (version, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.stories:
                self.entries.popitem(last=False)


class WordCounts(KeptPerStory[dict[str, int]]):
    """Stories' word counts as of a version, kept per process: a write looks up the counts of
    thousands of words (its mentions' and their candidates'), which were hundreds of thousands
    of bound parameters an article.  A write starts from the counts kept for the story, brought
    up to its version with the rows written since (``words.version``), under the same key as
    :class:`PartCache` (counts deleted go with a new ``reset_version``).  Only what a committed
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
    :class:`PartCache`.  Only what a committed write ended with is kept.  A story whose summaries
    hold more than ``max_words`` words and documents is not kept (about 200 bytes each): its
    writes ask for the events they compare, as before."""

    def __init__(self, stories: int = 8, max_words: int = 1 << 17) -> None:
        super().__init__(stories, max_words)

    def size(self, value: dict[int, Summary]) -> int:
        return sum(len(words) + len(documents) for words, documents in value.values())


class StoryMerge:
    """The merge state of one story inside one write transaction (the story row is locked)."""

    def __init__(self, connection: Connection, story_id: int, options: BuildOptions, now: datetime,
                 cache: PartCache | None = None, words: WordCounts | None = None,
                 summaries: EventSummaries | None = None, assemblies: Assemblies | None = None) -> None:
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
        self.cache = cache
        self.cache_key = (connection.engine.url.render_as_string(), story_id, story.created, story.reset_version)
        # rows up to this id were committed before this transaction: only theirs are cached
        self.committed_rows = connection.execute(select(func.max(t.mentions.c.id))).scalar() or 0
        self.removed = False  # this transaction deleted mentions (it must move the story's reset_version)
        self.dirty: set[int] = set()
        self.counts: dict[str, int] = {}  # word counts read or written in this transaction
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
        self.assemblies = assemblies
        self.assembled: dict[int, Assembly] = {}  # the events written by this transaction, as assembled

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

    def count(self, mentions: list[EventMention], sign: int) -> None:
        """Add (sign 1) or take away (-1) the mentions' words from the story's counts."""
        changes: dict[str, int] = {}
        for mention in mentions:
            for word in mention.words:
                changes[word] = changes.get(word, 0) + sign
        self._frequency(changes)
        rows = []
        for word, change in changes.items():
            self.counts[word] += change
            rows.append({"story_id": self.story_id, "word": word, "count": self.counts[word], "version": self.version})
        if rows:
            dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(t.words)
            self.connection.execute(statement.on_conflict_do_update(
                index_elements=["story_id", "word"],
                set_={"count": statement.excluded["count"], "version": statement.excluded["version"]}), rows)
            if sign < 0:
                self.connection.execute(delete(t.words).where(t.words.c.story_id == self.story_id,
                                                              t.words.c.count <= 0))
        self.total += sign * len(mentions)

    # -- placing mentions ----------------------------------------------------------------------

    def _mentions(self, rows: Iterable[int]) -> list[tuple[int, int | None, EventMention]]:
        """(row, event, mention) of mention rows, with their documents' places."""
        rows = list(rows)
        if not rows:
            return []
        found = self.connection.execute(_MENTIONS, {"rows": rows}).all()
        return [(row.id, row.event_id, decode_mention(row.data, row.position)) for row in found]

    def _postings(self, keys: list[str]) -> list[int]:
        """The newest mentions (rows) holding each key word."""
        return list(dict.fromkeys(self._newest(_newest_postings(len(keys)), keys)))

    def _newest(self, statement: Any, keys: list[str]) -> list[int]:
        if not keys:
            return []
        return list(self.connection.execute(statement, {"story": self.story_id,
                                                        **{f"word{i}": key for i, key in enumerate(keys)}}).scalars())

    def _summaries(self, events: Iterable[int]) -> dict[int, tuple[set[str], set[str]]]:
        """The dated words and documents of ``events``, as they stand in this transaction."""
        missing = [event for event in events if event not in self.summaries]
        if not missing:
            return self.summaries
        if (self.kept_summaries is None or self.removed or self.cache_key in self.kept_summaries.too_large
                or self.kept_summaries.stories == 0):
            for row in self.connection.execute(select(t.events.c.id, t.events.c.words, t.events.c.documents)
                                               .where(t.events.c.id.in_(missing))):
                words, documents = _summary(row.words, row.documents)
                self.summaries[row.id] = (set(words), set(documents))
        else:
            known = self._story_summaries()
            for event in missing:
                words, documents = known[event]
                self.summaries[event] = (set(words), set(documents))
        return self.summaries

    def _story_summaries(self) -> dict[int, Summary]:
        """Every event's summary as stored: the process's, brought up to date (the events this write
        made are in ``summaries`` already, and what it writes is kept apart)."""
        if self.story_summaries is None:
            kept = None if self.kept_summaries is None else self.kept_summaries.get(self.cache_key)
            since = -1 if kept is None or kept[0] >= self.version else kept[0]
            known = {} if since < 0 or kept is None else dict(kept[1])
            for row in self.connection.execute(select(t.events.c.id, t.events.c.words, t.events.c.documents)
                                               .where(t.events.c.story_id == self.story_id,
                                                      t.events.c.version > since)):
                known[row.id] = _summary(row.words, row.documents)
            self.story_summaries = known
        return self.story_summaries

    def _new_event(self) -> int:
        number = self.next_event
        self.next_event += 1
        return inserted(self.connection.execute(insert(t.events).values(
            story_id=self.story_id, number=number, conflicting=False, changed=self.now, version=self.version)))

    def _absorb(self, target: int, others: set[int]) -> None:
        """Events ``others`` become part of ``target``."""
        if not others:
            return
        conflicting = self.connection.execute(select(func.max(t.events.c.conflicting.cast(Integer)))
                                              .where(t.events.c.id.in_(others))).scalar()
        self.connection.execute(update(t.mentions).where(t.mentions.c.event_id.in_(others)).values(event_id=target))
        if conflicting:
            self.connection.execute(update(t.events).where(t.events.c.id == target).values(conflicting=True))
        self.remove_events(others)

    def reset(self) -> None:
        """Forget the story's merge (events, index, counts), keeping its documents and analyses."""
        self.remove_events(set(self.connection.execute(
            select(t.events.c.id).where(t.events.c.story_id == self.story_id)).scalars()))
        for table in (t.postings, t.waiting, t.words):
            self.connection.execute(delete(table).where(table.c.story_id == self.story_id))
        self.counts.clear()
        self.total = 0
        self.removed = True

    def remove_events(self, rows: set[int]) -> None:
        if not rows:
            return
        numbers = self.connection.execute(select(t.events.c.number).where(t.events.c.id.in_(rows))).scalars().all()
        for row in rows:
            self.summaries.pop(row, None)
        self.connection.execute(update(t.mentions).where(t.mentions.c.event_id.in_(rows)).values(event_id=None))
        self.connection.execute(delete(t.events).where(t.events.c.id.in_(rows)))
        if numbers:
            self.connection.execute(insert(t.removed_events), [
                {"story_id": self.story_id, "number": number, "removed": self.now, "version": self.version}
                for number in numbers])
        self.dirty -= rows

    def add_dated(self, mention: EventMention, document_row: int, row: int | None = None) -> int:
        """Place a dated mention (a new one, or ``row`` merged again); its row."""
        keys = incremental_keys(mention, self._frequency(mention.words), self.total, BLOCKING_KEYS)
        candidates = self._mentions(self._postings(keys + concept_keys(mention)))
        frequency = self._frequency(mention.words.union(*(other.words for _, _, other in candidates)))
        joins = incremental_joins(mention, [other for _, _, other in candidates], frequency, self.total,
                                  self.options)
        events = {event for event in (candidates[index][1] for index, _ in joins) if event is not None}
        conflict = any(verdict == CONFLICT for _, verdict in joins)
        if events:
            numbers = dict(self.connection.execute(select(t.events.c.id, t.events.c.number)
                                                   .where(t.events.c.id.in_(events))).all())
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
            self.connection.execute(update(t.events).where(t.events.c.id == target).values(conflicting=True))
        if row is None:
            row = inserted(self.connection.execute(insert(t.mentions).values(
                story_id=self.story_id, document_id=document_row, event_id=target, **mention_row(mention))))
        else:
            self.connection.execute(update(t.mentions).where(t.mentions.c.id == row).values(event_id=target))
        if mention.words or mention.concepts:
            self.connection.execute(insert(t.postings), [{"story_id": self.story_id, "word": word, "mention_id": row}
                                                         for word in incremental_postings(mention)])
        self.dirty.add(target)
        self._reattach(mention, target)
        return row

    def _reattach(self, mention: EventMention, target: int) -> None:
        """Let the undated mentions waiting for a dated event support ``target``, which the dated
        ``mention`` has just joined or founded, when they match it: ``merge`` attaches undated
        mentions to the events of the whole story, later articles' included.  An undated entry
        that does leaves its own undated event."""
        keys = incremental_keys(mention, self._frequency(mention.words), self.total, BLOCKING_KEYS)
        keys += concept_keys(mention)  # a plan of this kind of happening, told without a date
        waiting = self._mentions(dict.fromkeys(self._newest(_newest_waiting(len(keys)), keys)))
        if not waiting:
            return
        words, documents = self._summaries([target])[target]
        frequency = self._frequency(words.union(*(other.words for _, _, other in waiting)))
        supporters = incremental_supporters([other for _, _, other in waiting], frozenset(words), documents,
                                            frequency, self.total, self.options)
        supporters += [index for index, (_, _, other) in enumerate(waiting) if index not in supporters
                       and planned_event(other, [(target, mention)]) is not None]
        for row, event, _ in (waiting[index] for index in supporters):
            self.connection.execute(update(t.mentions).where(t.mentions.c.id == row).values(event_id=target))
            self.connection.execute(delete(t.waiting).where(t.waiting.c.mention_id == row))
            if event is not None:
                self.dirty.add(event)  # the entry's own event, now empty: removed when written

    def _planned_target(self, mention: EventMention) -> int | None:
        """The event a planned happening told without a date is told again by (``merge``'s
        ``planned_event``), among the events of the newest dated mentions of its kinds."""
        if not planned_kind(mention):
            return None
        told = self._mentions(self._postings(concept_keys(mention)))
        return planned_event(mention, [(event, other) for _, event, other in told
                                       if event is not None and is_dated(other)])

    def add_undated(self, mention: EventMention, document_row: int, row: int | None = None) -> int:
        """Place an undated mention: it supports the best-matching event; else an entry founds an
        undated event, and a sentence that only supports waits unattached."""
        keys = incremental_keys(mention, self._frequency(mention.words), self.total, SUPPORT_KEYS)
        target: int | None = self._planned_target(mention)
        events = sorted(set(self._newest(_newest_events(len(keys)), keys))) if target is None else []
        if events:
            summaries = self._summaries(events)
            frequency = self._frequency(mention.words.union(*(summaries[e][0] for e in events)))
            chosen = incremental_support(mention, [frozenset(summaries[e][0]) for e in events],
                                         [summaries[e][1] for e in events], frequency, self.total, self.options)
            target = events[chosen] if chosen is not None else None
        waits = target is None  # for a dated event that a later mention brings
        if target is None and mention.entry:  # an undated entry that supports nothing is an event of its own
            target = self._new_event()
            self.summaries[target] = (set(), set())
        if row is None:
            row = inserted(self.connection.execute(insert(t.mentions).values(
                story_id=self.story_id, document_id=document_row, event_id=target, **mention_row(mention))))
        else:
            self.connection.execute(update(t.mentions).where(t.mentions.c.id == row).values(event_id=target))
            self.connection.execute(delete(t.waiting).where(t.waiting.c.mention_id == row))
        waiting_keys = sorted(mention.words) + (concept_keys(mention) if planned_kind(mention) else [])
        if waits and waiting_keys:
            self.connection.execute(insert(t.waiting), [{"story_id": self.story_id, "word": word, "mention_id": row}
                                                        for word in waiting_keys])
        if target is not None:
            self.dirty.add(target)
        return row

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
        if self.assemblies is not None and not self.removed and self.finished:
            self.assemblies.put({(*self.cache_key, event): assembly for event, assembly in self.assembled.items()})

    def finish(self) -> None:
        """Write the bodies and order of the events changed in this transaction, and the counters."""
        self.finished = True
        for event in sorted(self.dirty):
            self._write_event(event)
        self.connection.execute(update(t.stories).where(t.stories.c.id == self.story_id).values(
            mentions=self.total, next_event=self.next_event))

    def _write_event(self, row: int) -> None:
        found = self.connection.execute(_EVENT, {"row": row}).one_or_none()
        if found is None:
            return
        assembly = self._assembly(row)
        if not any(part.head["entry"] for part in assembly.parts):
            self.remove_events({row})
            return
        event = event_body(found.number, found.conflicting, assembly,
                           lambda part: self._stored(part.row, part.document_index))
        self.assembled[row] = assembly
        words = " ".join(sorted(assembly.dated_words))
        documents = "\n".join(sorted(assembly.dated_documents))
        self.written_summaries[row] = _summary(words, documents)  # as a later write reads it back
        values = {"row": row, "new_body": event.body, "new_digest": event.digest, "new_sort_start": event.sort_start,
                  "new_sort_length": event.sort_length, "new_sort_position": event.sort_position,
                  "new_sort_offset": event.sort_offset, "new_version": self.version, "new_words": words,
                  "new_documents": documents}
        if event.digest == found.digest:
            self.connection.execute(_WRITE, values)
        else:
            self.connection.execute(_WRITE_CHANGED, {**values, "new_changed": self.now})

    def _assembly(self, event: int) -> Assembly:
        """The event's members, assembled: the process's assembly extended by the members added
        since, when it holds only current members that all precede them; else from every member."""
        rows = list(self.connection.execute(_MEMBERS, {"event": event}).scalars())
        usable = self.assemblies is not None and not self.removed
        kept = self.assemblies.get((*self.cache_key, event)) if self.assemblies is not None and usable else None
        if kept is not None and kept.rows.issubset(rows):
            added = self._members([row for row in rows if row not in kept.rows])
            if kept.follows(added):
                return kept.extended(added) if added else kept
        return Assembly.of(self._members(rows))

    def _members(self, rows: list[int]) -> list[Member]:
        """The parts and words of mention rows, from the process's cache where it may be used."""
        usable = self.cache is not None and not self.removed
        found = self.cache.get((*self.cache_key, row) for row in rows) if self.cache is not None and usable else {}
        missing = [row for row in rows if (*self.cache_key, row) not in found]
        fresh: dict[tuple[Any, ...], Member] = {}
        for start in range(0, len(missing), 500):
            for stored in self.connection.execute(_PARTS, {"rows": missing[start:start + 500]}):
                fresh[(*self.cache_key, stored.id)] = (self._part(stored), stored.words)
        if self.cache is not None and usable:
            self.cache.put({key: member for key, member in fresh.items() if key[-1] <= self.committed_rows})
        return [found.get((*self.cache_key, row)) or fresh[(*self.cache_key, row)] for row in rows]

    def _stored(self, row: int, document_index: int) -> EventMention:
        """A stored mention, decoded (one read)."""
        return decode_mention(self.connection.execute(_DATA, {"row": row}).scalar_one(), document_index)

    def _part(self, row: Any) -> Part:
        """A member's parts; a row stored before they were kept gets them now."""
        if row.head is None or row.fragment is None:
            head, fragment = mention_parts(self._stored(row.id, row.position))
            self.connection.execute(update(t.mentions).where(t.mentions.c.id == row.id)
                                    .values(head=head, fragment=fragment))
            return Part(row.id, row.position, json.loads(head), fragment)
        return Part(row.id, row.position, _head(row.head), row.fragment)


def _summary(words: str | None, documents: str | None) -> Summary:
    """An event's stored dated words and documents, as sets."""
    return frozenset((words or "").split()), frozenset(filter(None, (documents or "").split("\n")))


@lru_cache(maxsize=1 << 13)
def _head(text: str) -> dict[str, Any]:
    """A stored head, decoded (read-only): a large event's heads are read at each of its writes.
    Its lists become tuples, which the garbage collector stops tracking: thousands of cached heads
    would otherwise make each full collection a pause of tens of milliseconds."""
    return json.loads(text, object_hook=_frozen_lists)


def _frozen_lists(data: dict[str, Any]) -> dict[str, Any]:
    return {key: _tuples(value) for key, value in data.items()}


def _tuples(value: Any) -> Any:
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def mention_row(mention: EventMention) -> dict[str, Any]:
    """The columns of a new mention row (its story, document and event aside)."""
    head, fragment = mention_parts(mention)
    return {"dated": is_dated(mention), "words": " ".join(sorted(mention.words)), "data": encode_mention(mention),
            "head": head, "fragment": fragment}


def member_order(mentions: list[EventMention]) -> list[EventMention]:
    """An event's mentions as ``merge`` lists them: dated ones in document order, then undated ones."""
    return sorted(mentions, key=lambda mention: (not is_dated(mention), mention.position))
