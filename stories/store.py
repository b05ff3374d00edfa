"""Stored stories: documents added over days, analysed once, merged into one timeline as they come.

:class:`Store` is the one entry point for the API, the command line and the tests.  Writes
analyse new or changed documents first (outside any transaction: that is the slow part),
then, in one short transaction holding the story, store them and merge their mentions into
the story's events (:mod:`stories.merging`).  Reads assemble the timeline from the events'
stored bodies.  The ETag of a story digests its version, a counter of the writes that changed
it: stored, it is the same after a restart and on every worker.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from timeline.chronology import BuildOptions, Event, Timeline, undated_warnings
from timeline.documents import Document, DocumentError, parse_published, validate_record
from timeline.entities import takes_part
from timeline.events import EventMention
from timeline.grammar import load_grammar
from timeline.languages import DEFAULT_LANGUAGE, is_supported
from timeline.pipeline import Extractor

from . import tables as t
from .analysis import Analysis, analyse, content_hash, fingerprint
from .bodies import is_dated
from .codec import decode_mention
from .database import Database, connect, run_transaction, upgrade
from .merging import (
    EventSummaries,
    MentionCache,
    StoryMerge,
    WordCounts,
    inserted,
    member_order,
    mention_row,
)
from .snapshots import NO_WARNINGS, ORDER_COLUMNS, Gatherer, Snapshots, event_pieces, event_texts

#: Story names: what fits a URL path segment and a file name.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
_NAME = re.compile(NAME_PATTERN)
_EVENT_ORDER = ORDER_COLUMNS


class StoryNotFound(LookupError):
    """No story of that name."""


class DocumentNotFound(LookupError):
    """The story has no document of that id."""


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"invalid story name {name!r}: 1 to 200 letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit")
    return name


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def as_utc(moment: datetime) -> datetime:
    """A naive UTC datetime (naive input is taken as UTC), as times are stored."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def iso(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Submission:
    """A document to add to a story; ``html``, when given, is what the text was read from."""

    document: Document
    html: str | None = None

    @classmethod
    def of(cls, record: dict[str, Any]) -> Submission:
        """From a JSON record {"id", "text" or "html", "published"?, "title"?, "url"?, "language"?}, read as
        ``POST /timeline`` and ``timeline build`` read it (an html page by timeline.webpages)."""
        document = validate_record(record)
        if isinstance(document, DocumentError):
            raise ValueError(f"document {document.id or ''}: {document.reason}")
        return cls(document, record.get("html"))

    @property
    def hash(self) -> str:
        return content_hash(self.document, self.html)


@dataclass(frozen=True)
class StoryInfo:
    name: str
    title: str | None
    description: str | None
    documents: int
    events: int
    updated: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "description": self.description,
                "documents": self.documents, "events": self.events, "updated": iso(self.updated)}


@dataclass
class Changes:
    """What a POST of documents did, by document id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}


class _Sent:
    """Pieces of an answer read from the database as they are sent.  The connection (and its
    read transaction) is closed when the last piece is taken or when the server closes the
    answer, sent or not (a HEAD request, a client gone); a complete answer of at most
    ``limit`` bytes is handed to ``keep``, in its pieces."""

    def __init__(self, connection: Connection, chunks: Generator[bytes, None, None],
                 keep: Callable[[list[bytes]], None], limit: int) -> None:
        self.connection: Connection | None = connection
        self.chunks = chunks
        self.keep = keep
        self.limit = limit
        self.whole: list[bytes] | None = []
        self.size = 0

    def __iter__(self) -> _Sent:
        return self

    def __next__(self) -> bytes:
        if self.connection is None:
            raise StopIteration
        try:
            chunk = next(self.chunks)
        except StopIteration:
            whole = self.whole
            self.close()
            if whole is not None:
                self.keep(whole)
            raise
        except BaseException:
            self.close()
            raise
        if self.whole is not None:
            self.size += len(chunk)
            if self.size <= self.limit:
                self.whole.append(chunk)
            else:
                self.whole = None  # too large to keep: sent, and read again next time
        return chunk

    def close(self) -> None:
        if self.connection is not None:
            self.chunks.close()  # if it stopped part-way, its cursors are closed first
            self.connection.close()  # the read transaction ends with it
            self.connection = None
        self.whole = None


@dataclass(frozen=True)
class TimelineStream:
    """A story's timeline as JSON, in pieces read from the database as they are sent, with its
    ETag.  ``chunks`` holds a database connection until it is exhausted or closed."""

    etag: str
    chunks: Iterator[bytes]
    size: int | None = None  # the answer's length, when it is known before it is sent


@dataclass(frozen=True)
class TimelineBody:
    """A story's timeline as JSON bytes, with its ETag (a quoted strong validator)."""

    etag: str
    data: bytes


class _Bodies:
    """The last assembled timelines, by story, ETag and ``since``, the most recently used within a
    byte budget; one over half of it is not kept."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self.held = 0  # the bytes kept
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> bytes | None:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
            return value

    def put(self, key: tuple[Any, ...], value: bytes) -> None:
        if len(value) > self.max_bytes // 2:
            return
        with self.lock:
            dropped = self.entries.pop(key, None)
            self.held += len(value) - (0 if dropped is None else len(dropped))
            self.entries[key] = value
            while self.held > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.held -= len(dropped)


def _default_extractor(language: str) -> Extractor:
    from timeline.registry import get_extractor

    return get_extractor(language)


class Store:
    """Stories in the database at ``url`` (see :func:`stories.database.database_url`)."""

    def __init__(self, url: str | None = None, extractor: Callable[[str], Extractor] = _default_extractor,
                 options: BuildOptions | None = None, database: Database | None = None) -> None:
        self.database = database or connect(url)
        self.extractor = extractor
        self.options = options or BuildOptions()
        self.bodies = _Bodies()
        self.snapshots = Snapshots()
        self.words = WordCounts()
        self.summaries = EventSummaries()
        self.mentions = MentionCache()

    def upgrade(self) -> None:
        upgrade(self.database)

    def close(self) -> None:
        self.database.dispose()

    def _write(self, work: Callable[[Connection], Any], attempts: list[StoryMerge] | None = None) -> Any:
        """``work`` in a write transaction (tried again on a conflict); the merge of its last
        attempt, the one committed, is told so."""
        done = run_transaction(self.database.writes, work)
        self.database.written()
        if attempts:
            attempts[-1].committed()
        return done

    def _merge(self, connection: Connection, story_id: int, now: datetime, attempts: list[StoryMerge]) -> StoryMerge:
        merge = StoryMerge(connection, story_id, self.options, now, self.words, self.summaries, self.mentions)
        attempts.append(merge)
        return merge

    def _read(self, work: Callable[[Connection], Any]) -> Any:
        with self.database.reads.begin() as connection:
            return work(connection)

    # -- stories -------------------------------------------------------------------------------

    @staticmethod
    def _story_id(connection: Connection, name: str, lock: bool = False) -> int:
        query = select(t.stories.c.id).where(t.stories.c.name == name)
        found = connection.execute(query.with_for_update() if lock else query).scalar()
        if found is None:
            raise StoryNotFound(f"no story {name!r}")
        return found

    def put_story(self, name: str, title: str | None = None, description: str | None = None) -> tuple[StoryInfo, bool]:
        """Create the story, or set its title and description; (its info, whether it was created)."""
        check_name(name)

        def work(connection: Connection) -> bool:
            now = utc_now()
            found = connection.execute(select(t.stories.c.id).where(t.stories.c.name == name)
                                       .with_for_update()).scalar()
            if found is None:
                connection.execute(insert(t.stories).values(
                    name=name, title=title, description=description, created=now, updated=now,
                    etag=_etag(name, now, 0), version=0, next_position=0, next_event=1, mentions=0))
                return True
            connection.execute(update(t.stories).where(t.stories.c.id == found).values(
                title=title, description=description, updated=now))
            return False
        created = self._write(work)
        return self.story(name), created

    def _info(self, connection: Connection, row: Any) -> StoryInfo:
        documents = connection.execute(select(func.count()).select_from(t.documents)
                                       .where(t.documents.c.story_id == row.id)).scalar()
        events = connection.execute(select(func.count()).select_from(t.events)
                                    .where(t.events.c.story_id == row.id)).scalar()
        return StoryInfo(row.name, row.title, row.description, documents or 0, events or 0, row.updated)

    def story(self, name: str) -> StoryInfo:
        def work(connection: Connection) -> StoryInfo:
            row = connection.execute(select(t.stories).where(t.stories.c.name == name)).one_or_none()
            if row is None:
                raise StoryNotFound(f"no story {name!r}")
            return self._info(connection, row)
        return self._read(work)

    def list_stories(self) -> list[StoryInfo]:
        return self._read(lambda connection: [
            self._info(connection, row)
            for row in connection.execute(select(t.stories).order_by(t.stories.c.name)).all()])

    def delete_story(self, name: str) -> None:
        def work(connection: Connection) -> None:
            story_id = self._story_id(connection, name, lock=True)
            # children first: SQLite cascades only with foreign keys on, and this needs no such trust
            for table in (t.postings, t.waiting, t.words, t.mentions, t.events, t.removed_events, t.documents):
                connection.execute(delete(table).where(table.c.story_id == story_id))
            connection.execute(delete(t.stories).where(t.stories.c.id == story_id))
        self._write(work)

    # -- documents -----------------------------------------------------------------------------

    def add_documents(self, name: str, submissions: Iterable[Submission]) -> Changes:
        """Add or replace documents by id; the same content again changes nothing."""
        submissions = list(submissions)
        ids = [s.document.id for s in submissions]

        def known(connection: Connection) -> dict[str, tuple[str, str]]:
            story_id = self._story_id(connection, name)
            rows = connection.execute(select(t.documents.c.doc_id, t.documents.c.content_hash,
                                             t.documents.c.fingerprint)
                                      .where(t.documents.c.story_id == story_id, t.documents.c.doc_id.in_(ids)))
            return {row.doc_id: (row.content_hash, row.fingerprint) for row in rows}
        stored = self._read(known)
        analyses: dict[int, Analysis] = {}
        for index, submission in enumerate(submissions):
            extractor = self.extractor(submission.document.language)
            if stored.get(submission.document.id) != (submission.hash, fingerprint(extractor)):
                analyses[index] = analyse(submission.document, extractor)

        attempts: list[StoryMerge] = []
        def work(connection: Connection) -> Changes:
            changes = Changes()
            now = utc_now()
            story_id = self._story_id(connection, name, lock=True)
            merge = self._merge(connection, story_id, now, attempts)
            for index, submission in enumerate(submissions):
                document = submission.document
                extractor = self.extractor(document.language)
                current = fingerprint(extractor)
                row = connection.execute(select(t.documents.c.id, t.documents.c.content_hash, t.documents.c.fingerprint,
                                                t.documents.c.position, t.documents.c.version)
                                         .where(t.documents.c.story_id == story_id,
                                                t.documents.c.doc_id == document.id)).one_or_none()
                if row is not None and (row.content_hash, row.fingerprint) == (submission.hash, current):
                    changes.unchanged.append(document.id)
                    continue
                analysis = analyses.get(index) or analyse(document, extractor)
                values = {"text": document.text, "html": submission.html, "title": document.title,
                          "url": document.url, "language": document.language,
                          "published": document.published.isoformat() if document.published else None,
                          "content_hash": submission.hash, "fingerprint": analysis.fingerprint,
                          "note": json.dumps(analysis.note, ensure_ascii=False), "updated": now,
                          "story_version": merge.version}
                if row is None:
                    position = connection.execute(select(t.stories.c.next_position)
                                                  .where(t.stories.c.id == story_id)).scalar_one()
                    connection.execute(update(t.stories).where(t.stories.c.id == story_id)
                                       .values(next_position=position + 1))
                    document_row = inserted(connection.execute(insert(t.documents).values(
                        story_id=story_id, doc_id=document.id, version=1, position=position, added=now,
                        **values)))
                    changes.added.append(document.id)
                else:
                    merge.remove_document(row.id)
                    position, document_row = row.position, row.id
                    connection.execute(update(t.documents).where(t.documents.c.id == row.id)
                                       .values(version=row.version + 1, **values))
                    changes.updated.append(document.id)
                _place(merge, analysis, position, document_row)
            if changes.added or changes.updated:
                self._finish(connection, merge, story_id, now, reset=merge.removed)
            return changes
        return self._write(work, attempts)

    def delete_document(self, name: str, doc_id: str) -> None:
        attempts: list[StoryMerge] = []
        def work(connection: Connection) -> None:
            now = utc_now()
            story_id = self._story_id(connection, name, lock=True)
            row = connection.execute(select(t.documents.c.id).where(
                t.documents.c.story_id == story_id, t.documents.c.doc_id == doc_id)).scalar()
            if row is None:
                raise DocumentNotFound(f"story {name!r} has no document {doc_id!r}")
            merge = self._merge(connection, story_id, now, attempts)
            merge.remove_document(row)
            connection.execute(delete(t.documents).where(t.documents.c.id == row))
            self._finish(connection, merge, story_id, now, reset=True)
        self._write(work, attempts)

    def _finish(self, connection: Connection, merge: StoryMerge, story_id: int, now: datetime,
                reset: bool = False) -> None:
        """Write the changed events, then give the story its next version and ETag; ``reset``: the
        write removed documents or merged the story again (a held timeline is read whole again)."""
        merge.finish()
        story = connection.execute(select(t.stories.c.name, t.stories.c.created)
                                   .where(t.stories.c.id == story_id)).one()
        values: dict[str, Any] = {"reset_version": merge.version} if reset else {}
        connection.execute(update(t.stories).where(t.stories.c.id == story_id).values(
            version=merge.version, etag=_etag(story.name, story.created, merge.version), updated=now, **values))

    # -- re-analysis -----------------------------------------------------------------------------

    def stale(self, name: str) -> int:
        """How many of the story's documents were analysed by another grammar or model."""
        def work(connection: Connection) -> int:
            story_id = self._story_id(connection, name)
            rows = connection.execute(select(t.documents.c.language, t.documents.c.fingerprint)
                                      .where(t.documents.c.story_id == story_id)).all()
            return sum(fp != fingerprint(self.extractor(language)) for language, fp in rows)
        return self._read(work)

    def rebuild(self, name: str, everything: bool = False) -> int:
        """Analyse again the documents analysed by another grammar or model (all with ``everything``)
        and merge the whole story again, in document order; how many documents were analysed."""
        def outdated(connection: Connection) -> list[Any]:
            story_id = self._story_id(connection, name)
            return list(connection.execute(select(t.documents).where(t.documents.c.story_id == story_id)).all())
        analyses: dict[int, tuple[str, Analysis]] = {}
        for row in self._read(outdated):
            extractor = self.extractor(row.language)
            if everything or row.fingerprint != fingerprint(extractor):
                document = Document(row.doc_id, row.text, parse_published(row.published), row.title, row.url,
                                    row.language)
                analyses[row.id] = (row.content_hash, analyse(document, extractor))

        attempts: list[StoryMerge] = []
        def work(connection: Connection) -> int:
            now = utc_now()
            story_id = self._story_id(connection, name, lock=True)
            merge = self._merge(connection, story_id, now, attempts)
            merge.reset()
            done = 0
            for document_row, (digest, analysis) in analyses.items():
                changed = connection.execute(update(t.documents).where(
                    t.documents.c.id == document_row, t.documents.c.content_hash == digest).values(
                    fingerprint=analysis.fingerprint, note=json.dumps(analysis.note, ensure_ascii=False)))
                if changed.rowcount:
                    connection.execute(delete(t.mentions).where(t.mentions.c.document_id == document_row))
                    connection.execute(insert(t.mentions), [
                        {"story_id": story_id, "document_id": document_row, "event_id": None, **mention_row(mention)}
                        for mention in analysis.dated + analysis.undated] or [])
                    done += 1
            stored: list[tuple[int, int | None, EventMention]] = [
                (row.id, None, decode_mention(row.data, row.position)) for row in connection.execute(
                select(t.mentions.c.id, t.mentions.c.data, t.documents.c.position)
                .join(t.documents, t.documents.c.id == t.mentions.c.document_id)
                .where(t.mentions.c.story_id == story_id))]
            merge.count([mention for _, _, mention in stored], 1)
            merge.replace(stored)
            self._finish(connection, merge, story_id, now, reset=True)
            return done
        return self._write(work, attempts)

    def refresh_stale(self) -> dict[str, int]:
        """Rebuild every story holding documents analysed by another grammar or model."""
        done = {}
        for info in self.list_stories():
            if self.stale(info.name):
                done[info.name] = self.rebuild(info.name)
        return done

    # -- reading -------------------------------------------------------------------------------

    def etag(self, name: str) -> str:
        found = self._read(lambda connection: connection.execute(
            select(t.stories.c.etag).where(t.stories.c.name == name)).scalar())
        if found is None:
            raise StoryNotFound(f"no story {name!r}")
        return found

    def timeline_json(self, name: str, since: datetime | None = None, about: Sequence[str] = ()) -> TimelineBody:
        """The story's timeline as POST /timeline answers it, whole (see :meth:`timeline_stream`)."""
        stream = self.timeline_stream(name, since, about)
        return TimelineBody(stream.etag, b"".join(stream.chunks))

    def timeline_stream(self, name: str, since: datetime | None = None, about: Sequence[str] = ()) -> TimelineStream:
        """The story's timeline as POST /timeline answers it, read from the database as it is
        sent: memory holds a batch of events, not the whole answer.  With ``since``, only the
        events changed after it, and under ``removed`` the ids of events gone since; with
        ``about``, only the events one of those entities takes part in (``timeline.entities``, as
        for POST /timeline, but the ids stay the story's).  A complete answer within the cache's
        budget is kept, by ETag, for the next read."""
        about = tuple(about)
        connection = self.database.reads.connect()
        transaction = connection.begin()  # one snapshot: the events sent are those of the ETag
        try:
            found = connection.execute(_STORY_READ, {"name": name}).one_or_none()
            if found is None:
                raise StoryNotFound(f"no story {name!r}")
            story_id = found.id
            etag = about_etag(found.etag, about)
            key = (self.database.url, name, etag, since)
            whole = since is None and not about
            held = (self.database.url, story_id, found.created)  # the held timeline's key
            if whole:
                cached = self.snapshots.answer(connection, held, found)
            else:
                kept_body = self.bodies.get(key)
                cached = None if kept_body is None else [kept_body]
            kept = None if cached is not None or not about else self._involving(connection, story_id, about)
        except BaseException:
            transaction.rollback()
            connection.close()
            raise
        if cached is not None:
            transaction.rollback()
            connection.close()
            return TimelineStream(etag, iter(cached), sum(len(piece) for piece in cached))
        gatherer = self.snapshots.gatherer(held, found.version, connection.dialect.name == "sqlite") if whole else None

        def keep(chunks: list[bytes]) -> None:
            gathered = None if gatherer is None else gatherer.held()
            if gathered is None or not self.snapshots.put(held, gathered):
                self.bodies.put(key, b"".join(chunks))
        return TimelineStream(etag, _Sent(connection, _timeline_chunks(connection, story_id, since, kept, gatherer),
                                          keep, self.bodies.max_bytes // 2))

    def _involving(self, connection: Connection, story_id: int, about: Sequence[str]) -> set[int]:
        """The numbers of the events one of the entities ``about`` takes part in."""
        rows = connection.execute(select(t.documents.c.text, t.documents.c.language).where(
            t.documents.c.story_id == story_id).order_by(t.documents.c.position)).all()
        language = next((row.language for row in rows if is_supported(row.language)), DEFAULT_LANGUAGE)
        chosen = takes_part(about, load_grammar(language).entities, [row.text for row in rows])
        return {int(event.id[1:]) for event in _events(connection, story_id) if chosen(event)}

    def timeline(self, name: str, about: Sequence[str] = ()) -> Timeline:
        """The story's timeline as the core's object (for the export formats and the terminal);
        with ``about``, only the events one of those entities takes part in."""
        def work(connection: Connection) -> Timeline:
            story_id = self._story_id(connection, name)
            kept = self._involving(connection, story_id, about) if about else None
            events = [event for event in _events(connection, story_id) if kept is None or int(event.id[1:]) in kept]
            notes, warnings = _notes(connection, story_id)
            return Timeline(events, [json.loads(note) for note in notes], warnings)
        return self._read(work)


#: The story row a read starts from (built once: building a statement costs more than running it).
_STORY_READ = select(t.stories.c.id, t.stories.c.etag, t.stories.c.created, t.stories.c.version,
                     t.stories.c.reset_version).where(t.stories.c.name == bindparam("name"))


def about_etag(etag: str, about: Sequence[str]) -> str:
    """The ETag of the timeline cut down to the events of the entities ``about`` (strong, distinct
    for each set of names)."""
    if not about:
        return etag
    digest = hashlib.blake2b("\0".join(about).encode(), digest_size=8).hexdigest()
    return f'{etag[:-1]}-about-{digest}"'


#: Rows fetched at a time when a read streams a story's events (the whole answer is never held at once).
_STREAM_ROWS = 100


def _stream(connection: Connection, query: Any) -> Iterator[Any]:
    """The rows of ``query``, fetched a batch at a time (a server-side cursor on PostgreSQL).  The
    cursor is closed when the rows are, even part-way: an open SQLite statement would keep its
    read transaction, and the connection its old snapshot, after the connection is given back."""
    result = connection.execution_options(yield_per=_STREAM_ROWS).execute(query)
    try:
        yield from result
    finally:
        result.close()


def _events(connection: Connection, story_id: int) -> Iterator[Event]:
    """The story's events in timeline order, built one at a time from their stored mentions."""
    query = (select(t.events.c.id, t.events.c.number, t.events.c.conflicting, t.mentions.c.data,
                    t.documents.c.position)
             .join(t.mentions, t.mentions.c.event_id == t.events.c.id)
             .join(t.documents, t.documents.c.id == t.mentions.c.document_id)
             .where(t.events.c.story_id == story_id).order_by(*_EVENT_ORDER, t.events.c.id))
    for _, rows in groupby(_stream(connection, query), key=lambda row: row.id):
        members = list(rows)
        yield Event(f"e{members[0].number}", member_order([decode_mention(row.data, row.position) for row in members]),
                    members[0].conflicting)


#: Bytes of events gathered into one piece of a streamed answer.
_CHUNK_BYTES = 1 << 16


def _timeline_chunks(connection: Connection, story_id: int, since: datetime | None, kept: set[int] | None,
                     gatherer: Gatherer | None = None) -> Generator[bytes, None, None]:
    """The timeline's JSON, a piece at a time: its events (those changed after ``since``, those
    numbered in ``kept``), its documents' entries and its warnings, and with ``since`` the ids
    removed since then.  A ``gatherer`` keeps the rows of a whole read, to hold the timeline."""
    query = event_texts(connection.dialect.name).where(t.events.c.story_id == story_id)
    if since is not None:
        query = query.where(t.events.c.changed > as_utc(since))
    pending: list[bytes] = [b'{"events":[']
    size = 0
    separator = b""
    for first, texts in event_pieces(_stream(connection, query.order_by(*_EVENT_ORDER, t.event_text.c.piece))):
        if kept is not None and first.number not in kept:
            continue
        if gatherer is not None and gatherer.gathering:  # a timeline small enough to hold: its bodies whole
            body = b"".join(texts)
            gatherer.event(first, body)
            texts = iter([body])
        pending.append(separator)
        separator = b","
        for text in texts:  # a large event's pieces are sent as they come, never joined
            pending.append(text)
            size += len(text)
            if size >= _CHUNK_BYTES:
                yield b"".join(pending)
                pending, size = [], 0
    pending.append(b'],"documents":[')
    undated: list[str] = []
    warnings: list[str] = []
    separator = b""
    for row in _stream(connection, select(t.documents.c.note, t.documents.c.doc_id, t.documents.c.published,
                                          t.documents.c.position)
                       .where(t.documents.c.story_id == story_id).order_by(t.documents.c.position)):
        if gatherer is not None:
            gatherer.document(row)
        if row.published is None:
            undated.append(row.doc_id)
        if not row.note.endswith(NO_WARNINGS):
            warnings += [f"{row.doc_id}: {warning}" for warning in json.loads(row.note).get("warnings", [])]
        piece = separator + row.note.encode()
        separator = b","
        pending.append(piece)
        size += len(piece)
        if size >= _CHUNK_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
    warnings = undated_warnings(Document(doc_id, "") for doc_id in undated) + warnings
    pending.append(b'],"warnings":' + json.dumps(warnings, ensure_ascii=False).encode())
    if since is not None:
        removed = connection.execute(select(t.removed_events.c.number).where(
            t.removed_events.c.story_id == story_id, t.removed_events.c.removed > as_utc(since))
            .order_by(t.removed_events.c.number)).scalars()
        pending.append(b',"removed":' + json.dumps([f"e{number}" for number in removed]).encode())
    pending.append(b"}")
    yield b"".join(pending)


def _notes(connection: Connection, story_id: int) -> tuple[list[str], list[str]]:
    """The documents' entries in the timeline, and its warnings."""
    rows = connection.execute(select(t.documents.c.note, t.documents.c.doc_id, t.documents.c.published)
                              .where(t.documents.c.story_id == story_id).order_by(t.documents.c.position)).all()
    warnings = undated_warnings(Document(row.doc_id, "") for row in rows if row.published is None)
    warnings += [f"{row.doc_id}: {warning}" for row in rows if not row.note.endswith(NO_WARNINGS)
                 for warning in json.loads(row.note).get("warnings", [])]
    return [row.note for row in rows], warnings


def _place(merge: StoryMerge, analysis: Analysis, position: int, document_row: int) -> None:
    dated = [replace(mention, document_index=position) for mention in analysis.dated]
    undated = [replace(mention, document_index=position) for mention in analysis.undated]
    merge.count(dated + undated, 1)
    for mention in dated:
        if is_dated(mention):
            merge.add_dated(mention, document_row)
    for mention in [m for m in dated if not is_dated(m)] + undated:
        merge.add_undated(mention, document_row)


def _etag(name: str, created: datetime, version: int) -> str:
    """A story's ETag: its name, when it was created (a story made again under the same name starts
    afresh) and how many writes have changed it.  Stored, so every worker and machine gives it, and
    a poll costs one row read."""
    digest = hashlib.blake2b(f"{name}\0{created.isoformat()}\0{version}".encode(), digest_size=16)
    return f'"{digest.hexdigest()}"'
