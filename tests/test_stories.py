"""Stored stories (stories/): each test runs on SQLite and on PostgreSQL (see conftest.py)."""
from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")

from sqlalchemy import create_engine, func, select, text, update  # noqa: E402
from story_checks import check_consistent  # noqa: E402  (tests/story_checks.py)

import stories.snapshots  # noqa: E402
import stories.store  # noqa: E402
from stories import DocumentNotFound, Store, StoryNotFound, Submission  # noqa: E402
from stories import tables as t  # noqa: E402
from stories.codec import decode_mention  # noqa: E402
from stories.database import current_revision, head_revision  # noqa: E402
from timeline import build  # noqa: E402
from timeline.documents import Document, html_document, load_documents  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
TARIFFS = Document("a1", "On Tuesday the Biden administration announced tariffs on Chinese electric cars.",
                   datetime(2024, 5, 16))
TARIFFS_AGAIN = Document("a2", "The tariffs on Chinese electric cars were announced on Tuesday by the Biden "
                               "administration.", datetime(2024, 5, 17))
VISIT = Document("a3", "On Thursday Putin landed in Beijing for a two-day state visit.", datetime(2024, 5, 17))


def seeds() -> list[Document]:
    return [d for d in load_documents(SEEDS) if isinstance(d, Document)]


def without_ids(timeline: dict) -> list[dict]:
    return [{key: value for key, value in event.items() if key != "id"} for event in timeline["events"]]


@pytest.fixture
def store(story_database: str) -> Store:
    opened = Store(story_database)
    opened.upgrade()
    yield opened
    opened.close()


def timeline_of(store: Store, name: str, since: datetime | None = None) -> dict:
    return json.loads(store.timeline_json(name, since).data)


def test_migrations_reach_the_head_and_match_the_tables(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert current_revision(store.database) == head_revision() is not None
    store.upgrade()  # a second time: nothing to do
    with store.database.reads.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), t.metadata) == []


def test_events_stored_before_their_states_were_kept_are_read_as_they_are_and_written_whole(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Revisions 0004 and 0005 keep each event's state, cite through marks and store bodies in
    pieces: going back to 0001 puts the bodies back whole with their citations and loses no
    row (on SQLite, columns are dropped in place: a table made again would first be dropped,
    taking or freeing the rows that refer to it), and an event without a state is made from
    all its members when next written."""
    from alembic import command

    from stories.database import _alembic_config
    from stories.merging import StoryMerge

    monkeypatch.setenv("TIMELINE_PARSER", "shipped")  # the parsed event layer finds undated sentences
    documents = seeds()
    retold = [replace(d, id=f"again-{d.id}", published=d.published + timedelta(days=3)) for d in documents[:2]]
    store.put_story("s")
    store.add_documents("s", [Submission(document) for document in documents])
    before = timeline_of(store, "s")
    assert any("dated_by" in m for e in before["events"] for m in e["mentions"])
    with store.database.reads.connect() as connection:
        members = connection.execute(text("SELECT count(*), count(event_id) FROM mentions")).one()
    with store.database.writes.begin() as connection:
        command.downgrade(_alembic_config(connection), "0001")
    reopened = Store(store.database.url)  # held timelines and counts of the old schema are not used
    with store.database.reads.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM events")).scalars().all()
        assert bodies and not any("\x01" in body or "\x02" in body for body in bodies)
        assert connection.execute(text("SELECT count(*), count(event_id) FROM mentions")).one() == members
    reopened.upgrade()
    assert timeline_of(reopened, "s") == before
    whole = []
    original = StoryMerge._write_whole_event
    monkeypatch.setattr(StoryMerge, "_write_whole_event", lambda self, *args: whole.append(1) or original(self, *args))
    reopened.add_documents("s", [Submission(document) for document in retold])
    stored = timeline_of(reopened, "s")["events"]
    assert whole and stored == [event.to_dict() for event in reopened.timeline("s").events]
    check_consistent(store.database.url, "s")
    reopened.close()


def test_stories_are_created_listed_and_deleted(store: Store) -> None:
    info, created = store.put_story("beijing", "Putin in Beijing")
    assert created and (info.documents, info.events, info.title) == (0, 0, "Putin in Beijing")
    info, created = store.put_story("beijing", "Putin's state visit", "May 2024")
    assert not created and (info.title, info.description) == ("Putin's state visit", "May 2024")
    store.put_story("another")
    assert [s.name for s in store.list_stories()] == ["another", "beijing"]
    store.add_documents("beijing", [Submission(TARIFFS)])
    store.delete_story("beijing")
    assert [s.name for s in store.list_stories()] == ["another"]
    with pytest.raises(StoryNotFound):
        store.story("beijing")
    with pytest.raises(ValueError, match="invalid story name"):
        store.put_story("no spaces")


def test_merged_when_stored_whole_the_story_is_the_stateless_timeline(store: Store) -> None:
    documents = seeds()
    store.put_story("seeds")
    changes = store.add_documents("seeds", [Submission(d) for d in documents])
    assert changes.added == [d.id for d in documents]
    store.rebuild("seeds")  # every stored mention merged again, in document order, with the story's weights
    stored = timeline_of(store, "seeds")
    stateless = build(documents).to_dict()
    assert without_ids(stored) == without_ids(stateless)
    assert stored["documents"] == stateless["documents"] and stored["warnings"] == stateless["warnings"]
    check_consistent(store.database.url, "seeds")


def test_about_keeps_the_events_of_an_entity_as_post_timeline_does(store: Store) -> None:
    documents = seeds()
    store.put_story("seeds")
    store.add_documents("seeds", [Submission(d) for d in documents])
    store.rebuild("seeds")
    whole = timeline_of(store, "seeds")
    body = store.timeline_json("seeds", about=("Xi Jinping",))
    xi = json.loads(body.data)
    stateless = build(documents, about="Xi Jinping").to_dict()
    assert 0 < len(xi["events"]) < len(whole["events"])
    assert without_ids(xi) == without_ids(stateless) and xi["documents"] == stateless["documents"]
    ids = {event["id"]: event for event in whole["events"]}
    assert all(ids[event["id"]] == event for event in xi["events"])  # the story's ids, not renumbered
    assert body.etag not in (store.etag("seeds"), store.timeline_json("seeds", about=("Putin",)).etag)
    assert [e.id for e in store.timeline("seeds", ("Xi Jinping",)).events] == [e["id"] for e in xi["events"]]


def test_each_stored_event_body_is_what_the_event_itself_writes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bodies are written from per-mention parts (stories.bodies), not from decoded events: they
    must equal Event.to_dict of the stored mentions, conflicting events and undated ones included."""
    monkeypatch.setenv("TIMELINE_PARSER", "shipped")  # the parsed event layer finds undated entries
    documents = seeds()
    retold = [replace(d, id=f"again-{d.id}", published=d.published + timedelta(days=3)) for d in documents[:3]]
    retold.append(Document("undated", "Putin met Xi in Beijing. The ministry announced new tariffs on Chinese "
                                      "electric cars.", None))
    store.put_story("s")
    for document in documents + retold:
        store.add_documents("s", [Submission(document)])
    stored = timeline_of(store, "s")["events"]
    decoded = [event.to_dict() for event in store.timeline("s").events]
    assert any(e["conflicting"] for e in stored) and any(e["date"]["value"] is None for e in stored)
    assert any("dated_by" in m for e in stored for m in e["mentions"])
    assert stored == decoded


def test_mentions_stored_before_their_parts_were_kept_get_them_when_their_event_is_written(
        store: Store, story_database: str) -> None:
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    engine = create_engine(story_database)
    with engine.begin() as connection:  # as rows stored under revision 0001 are
        connection.execute(update(t.mentions).values(head=None, fragment=None))
    store.add_documents("s", [Submission(TARIFFS_AGAIN)])
    with engine.connect() as connection:
        kept = connection.execute(select(t.mentions.c.head).where(t.mentions.c.event_id.is_not(None))).scalars().all()
    engine.dispose()
    tariffs = [e for e in timeline_of(store, "s")["events"] if e["sources"] == ["a1", "a2"]]
    assert len(tariffs) == 1 and None in kept and any(kept)  # the written event's parts only
    assert timeline_of(store, "s")["events"] == [event.to_dict() for event in store.timeline("s").events]


def test_an_undated_entry_supports_the_event_a_later_article_dates(store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_PARSER", "shipped")  # the parsed event layer finds undated entries
    undated = Document("u1", "Putin met Xi Jinping in Beijing for talks on trade and energy.", None)
    dated = Document("d1", "On Thursday Putin met Xi Jinping in Beijing for talks on trade and energy.",
                     datetime(2024, 5, 17))
    store.put_story("s")
    store.add_documents("s", [Submission(undated)])
    [alone] = timeline_of(store, "s")["events"]
    assert alone["date"]["value"] is None
    moment = datetime.now(timezone.utc)
    store.add_documents("s", [Submission(dated)])  # without a rebuild
    timeline = timeline_of(store, "s")
    assert without_ids(timeline) == without_ids(build([undated, dated]).to_dict())
    [event] = timeline["events"]
    assert event["sources"] == ["d1", "u1"] and event["date"]["value"] == "2024-05-16"
    assert timeline_of(store, "s", moment)["removed"] == [alone["id"]]
    check_consistent(store.database.url, "s")
    store.delete_document("s", "d1")  # the entry waits again, an undated event of its own
    assert [e["sources"] for e in timeline_of(store, "s")["events"]] == [["u1"]]
    check_consistent(store.database.url, "s")


def test_a_plan_told_without_a_date_waits_for_the_event_of_its_kind(store: Store,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_PARSER", "shipped")
    plan = Document("p1", "Apart from their talks, the two presidents are to attend a gala in Vienna.",
                    datetime(2024, 5, 16))
    concert = Document("c1", "On Friday the two presidents sat down for a concert at the opera house.",
                       datetime(2024, 5, 17))
    store.put_story("s")
    store.add_documents("s", [Submission(plan)])
    store.add_documents("s", [Submission(concert)])  # without a rebuild: the plan waited by its kind
    timeline = timeline_of(store, "s")
    assert without_ids(timeline) == without_ids(build([plan, concert]).to_dict())
    assert [e["sources"] for e in timeline["events"]] == [["c1", "p1"]]
    check_consistent(store.database.url, "s")


def test_a_timeline_is_streamed_in_pieces_read_as_they_are_sent(store: Store,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stories.store, "_CHUNK_BYTES", 200)
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    pool = store.database.reads.pool
    store.timeline_stream("s").chunks.close()  # never sent (a HEAD request): the connection is given back
    stream = store.timeline_stream("s")
    first = next(stream.chunks)
    stream.chunks.close()  # a client gone mid-answer: the read ends, nothing is kept
    assert not store.bodies.entries and pool.checkedout() == 0
    store.add_documents("s", [Submission(TARIFFS_AGAIN)])  # no read transaction left open
    stream = store.timeline_stream("s")
    pieces = list(stream.chunks)
    assert len(pieces) > 2 and first.startswith(b'{"events":[{')
    whole = json.loads(b"".join(pieces))
    assert stream.etag == store.etag("s") and len(whole["events"]) == 2 and len(whole["documents"]) == 3
    held = store.timeline_stream("s")  # held: its pieces are in memory, its length known
    assert held.size == len(b"".join(pieces)) and b"".join(held.chunks) == b"".join(pieces)


def test_articles_added_one_by_one_are_merged_into_the_existing_events(store: Store) -> None:
    store.put_story("tariffs")
    store.add_documents("tariffs", [Submission(TARIFFS)])
    store.add_documents("tariffs", [Submission(VISIT)])
    first = timeline_of(store, "tariffs")
    store.add_documents("tariffs", [Submission(TARIFFS_AGAIN)])
    timeline = timeline_of(store, "tariffs")
    tariffs = [e for e in timeline["events"] if "tariffs" in e["summary"].lower()]
    assert len(tariffs) == 1 and tariffs[0]["sources"] == ["a1", "a2"]
    assert tariffs[0]["id"] == next(e["id"] for e in first["events"] if e["sources"] == ["a1"])
    assert [e["date"]["value"] for e in timeline["events"]] == ["2024-05-14", "2024-05-16"]
    assert without_ids(timeline) == without_ids(build([TARIFFS, VISIT, TARIFFS_AGAIN]).to_dict())
    check_consistent(store.database.url, "tariffs")


def test_only_new_or_changed_articles_are_analysed(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    analysed: list[str] = []
    real = stories.store.analyse
    monkeypatch.setattr(stories.store, "analyse", lambda document, extractor: analysed.append(document.id)
                        or real(document, extractor))
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    etag = store.etag("s")
    changes = store.add_documents("s", [Submission(TARIFFS), Submission(TARIFFS_AGAIN)])
    assert (changes.added, changes.updated, changes.unchanged) == (["a2"], [], ["a1"])
    assert analysed == ["a1", "a3", "a2"]
    assert store.etag("s") != etag
    etag = store.etag("s")
    assert store.add_documents("s", [Submission(VISIT)]).unchanged == ["a3"] and store.etag("s") == etag


def test_new_content_under_an_id_replaces_the_old_version(store: Store) -> None:
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    changed = Document("a3", "On Friday Putin and Xi visited Harbin.", datetime(2024, 5, 17))
    changes = store.add_documents("s", [Submission(changed)])
    assert changes.updated == ["a3"]
    summaries = [e["summary"] for e in timeline_of(store, "s")["events"]]
    assert not any("Beijing" in s for s in summaries) and any("Harbin" in s for s in summaries)
    engine = create_engine(store.database.url)
    with engine.connect() as connection:
        assert connection.execute(t.documents.select().where(t.documents.c.doc_id == "a3")).one().version == 2
    engine.dispose()
    assert store.story("s").documents == 2
    check_consistent(store.database.url, "s")


def test_removing_an_article_takes_its_mentions_out_of_the_events(store: Store) -> None:
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS)])
    alone = timeline_of(store, "s")
    etag = store.etag("s")
    store.add_documents("s", [Submission(TARIFFS_AGAIN), Submission(VISIT)])
    store.delete_document("s", "a2")
    store.delete_document("s", "a3")
    assert without_ids(timeline_of(store, "s")) == without_ids(alone)
    assert store.etag("s") != etag  # the event's id changed: it was taken apart and merged again
    with pytest.raises(DocumentNotFound):
        store.delete_document("s", "a2")
    check_consistent(store.database.url, "s")


def test_since_gives_the_changed_events_and_the_removed_ones(store: Store) -> None:
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    before = datetime.now(timezone.utc)
    visit = next(e["id"] for e in timeline_of(store, "s")["events"] if "Beijing" in e["summary"])
    store.add_documents("s", [Submission(TARIFFS_AGAIN)])
    changed = timeline_of(store, "s", since=before)
    assert [e["sources"] for e in changed["events"]] == [["a1", "a2"]] and changed["removed"] == []
    assert len(changed["documents"]) == 3
    middle = datetime.now(timezone.utc)
    store.delete_document("s", "a3")
    later = timeline_of(store, "s", since=middle)
    assert later["events"] == [] and later["removed"] == [visit]
    assert timeline_of(store, "s", since=datetime.now(timezone.utc) + timedelta(seconds=1))["events"] == []


def test_the_same_content_gives_the_same_etag_and_bytes_after_a_restart(store: Store, story_database: str) -> None:
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    body = store.timeline_json("s")
    store.close()
    reopened = Store(story_database)
    again = reopened.timeline_json("s")
    assert (again.etag, again.data) == (body.etag, body.data)
    reopened.close()


@pytest.mark.parametrize("piece_bytes", [None, 500])
def test_a_held_timeline_brought_up_to_date_gives_the_bytes_of_a_whole_read(
        store: Store, story_database: str, monkeypatch: pytest.MonkeyPatch, piece_bytes: int | None) -> None:
    """A process holds a story's timeline and reads only the rows written since (stories.snapshots);
    its answer is the one a process that reads everything streams, after every kind of write (with
    pieces of 500 bytes, each write rejoins some of the answer's pieces and leaves others)."""
    if piece_bytes is not None:
        monkeypatch.setattr(stories.snapshots, "PIECE_BYTES", piece_bytes)
    writer = Store(story_database)  # another worker
    pieces: list[int] = []  # how many pieces of events each held answer has
    store.put_story("s")
    writer.add_documents("s", [Submission(TARIFFS)])

    def same_as_a_whole_read() -> None:
        held = store.timeline_json("s")
        fresh = Store(story_database)
        whole = fresh.timeline_json("s")
        fresh.close()
        assert (held.etag, held.data) == (whole.etag, whole.data)
        assert held.etag == store.etag("s")
        with writer.database.reads.connect() as connection:  # held, as of the story's version
            version = connection.execute(select(t.stories.c.version).where(t.stories.c.name == "s")).scalar()
        assert [entry.version for entry in store.snapshots.held.values()] == [version]
        pieces.append(len(next(iter(store.snapshots.held.values())).pieces))

    same_as_a_whole_read()
    undated = Document("u1", "The ministry announced new tariffs on steel.", None)
    for documents in ([*seeds()[:3], VISIT], [undated], [replace(VISIT, text=VISIT.text + " He met Xi.")],
                      seeds()[3:]):
        writer.add_documents("s", [Submission(document) for document in documents])  # added, then updated
        same_as_a_whole_read()
    writer.delete_document("s", TARIFFS.id)
    same_as_a_whole_read()
    writer.rebuild("s", everything=True)
    same_as_a_whole_read()
    writer.delete_story("s")  # made again under the same name: nothing of the old one is used
    writer.put_story("s")
    writer.add_documents("s", [Submission(VISIT)])
    assert [event["sources"] for event in timeline_of(store, "s")["events"]] == [["a3"]]
    writer.close()
    assert max(pieces) == 1 if piece_bytes is None else max(pieces) > 3


def test_requests_reading_a_held_timeline_at_once_each_get_the_whole_answer(store: Store, story_database: str,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads of one process bring the same held timeline up to date at once (they take turns):
    each answer is that of a fresh whole read, and a patch after it is given does not change it."""
    monkeypatch.setattr(stories.snapshots, "PIECE_BYTES", 500)
    writer = Store(story_database)
    store.put_story("s")
    writer.add_documents("s", [Submission(TARIFFS)])
    store.timeline_json("s")  # held from here on
    for document in [VISIT, *seeds()[:4]]:
        writer.add_documents("s", [Submission(document)])
        start = threading.Barrier(4)
        streams: list[stories.store.TimelineStream] = []

        def read(start: threading.Barrier, streams: list[stories.store.TimelineStream]) -> None:
            start.wait()
            streams.append(store.timeline_stream("s"))
        threads = [threading.Thread(target=read, args=(start, streams)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        fresh = Store(story_database)
        whole = fresh.timeline_json("s").data
        fresh.close()
        writer.add_documents("s", [Submission(TARIFFS_AGAIN)])
        assert store.timeline_json("s").data != whole  # patched again before the answers are sent
        assert len(streams) == 4 and all(b"".join(stream.chunks) == whole for stream in streams)
        writer.delete_document("s", TARIFFS_AGAIN.id)
    writer.close()


def test_a_timeline_too_large_to_hold_is_streamed_each_time(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from stories.snapshots import Snapshots

    monkeypatch.setattr(stories.store, "_CHUNK_BYTES", 200)
    store.snapshots = Snapshots(max_bytes=4 * 1000)  # timelines above 1,000 bytes are not held
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    first = list(store.timeline_stream("s").chunks)
    store.add_documents("s", [Submission(TARIFFS_AGAIN)])
    again = store.timeline_stream("s")
    assert len(b"".join(first)) > 1000 and again.size is None and len(list(again.chunks)) > 2
    assert not store.snapshots.held and len(store.snapshots.too_large) == 1


def check_kept_summaries(store: Store) -> int:
    """The event summaries a store keeps for a story at its present version are those of all its
    event rows; how many were checked."""
    with store.database.reads.connect() as connection:
        stored: dict[int, dict[int, tuple[set[str], set[str]]]] = {}
        for row in connection.execute(select(t.events.c.story_id, t.events.c.id, t.events.c.words,
                                             t.events.c.documents)):
            stored.setdefault(row.story_id, {})[row.id] = (set((row.words or "").split()),
                                                           set(filter(None, (row.documents or "").split("\n"))))
        versions = dict(connection.execute(select(t.stories.c.id, t.stories.c.version)).all())
    checked = 0
    for key, (version, summaries) in store.summaries.entries.items():
        if versions.get(key[1]) == version:  # (an older version is brought up to date by the next write)
            events = stored.get(key[1], {})
            assert {event: summaries.get(event) for event in events} == events
            checked += len(events)
    return checked


def check_kept_mentions(store: Store) -> int:
    """The decoded mentions a store keeps under a story's present creation and reset_version are
    its stored rows, decoded at their documents' places; how many were checked."""
    with store.database.reads.connect() as connection:
        stories_now = {(row.id, row.created, row.reset_version) for row in connection.execute(
            select(t.stories.c.id, t.stories.c.created, t.stories.c.reset_version))}
        stored = {row.id: decode_mention(row.data, row.position) for row in connection.execute(
            select(t.mentions.c.id, t.mentions.c.data, t.documents.c.position)
            .join(t.documents, t.documents.c.id == t.mentions.c.document_id))}
    checked = 0
    for (_, story, created, reset_version, row), mention in store.mentions.entries.items():
        if (story, created, reset_version) in stories_now:
            assert stored[row] == mention
            checked += 1
    return checked


def test_placing_keeps_the_mentions_of_committed_rows_only(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Placing keeps the stored mentions it decodes (stories.merging.MentionCache), but not the
    rows its own transaction inserted: that one may be rolled back, and SQLite then gives their
    ids to the next write's rows."""
    from stories.merging import StoryMerge

    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS)])
    with store.database.reads.connect() as connection:
        committed = connection.execute(select(func.max(t.mentions.c.id))).scalar()
    looked_up: list[int] = []
    decoded = StoryMerge._decoded

    def spied(self: StoryMerge, placed: list[tuple[int, int | None]]) -> list:
        found = decoded(self, placed)
        looked_up.extend(row for row, _, _ in found)
        return found

    def fails(self: StoryMerge) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(StoryMerge, "_decoded", spied)
    monkeypatch.setattr(StoryMerge, "finish", fails)
    again = Document("a4", "The tariffs on Chinese electric cars were announced on Tuesday. The tariffs on Chinese "
                           "electric cars take effect on Friday, the Biden administration said.", datetime(2024, 5, 16))
    with pytest.raises(RuntimeError):
        store.add_documents("s", [Submission(again)])
    assert any(row > committed for row in looked_up)  # the failed write placed against its own rows
    assert store.mentions.entries and all(key[-1] <= committed for key in store.mentions.entries)
    monkeypatch.undo()
    store.add_documents("s", [Submission(VISIT), Submission(TARIFFS_AGAIN)])
    store.add_documents("s", [Submission(again)])
    assert check_kept_mentions(store) > 0
    fresh = Store(store.database.url)
    fresh.put_story("t")
    for documents in ([TARIFFS], [VISIT, TARIFFS_AGAIN], [again]):
        fresh.add_documents("t", [Submission(document) for document in documents])
    assert without_ids(timeline_of(store, "s")) == without_ids(timeline_of(fresh, "t"))
    fresh.close()


def test_a_write_that_removes_mentions_does_not_place_against_the_kept_ones(store: Store,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Replacing the newest article deletes its mentions, and SQLite gives their ids to the new
    version's: that write neither uses nor fills the kept mentions (stories.merging.MentionCache)."""
    from stories.merging import MentionCache, StoryMerge

    decoded = StoryMerge._decoded
    compared = []

    def checked(self: StoryMerge, placed: list[tuple[int, int | None]]) -> list:
        found = decoded(self, placed)
        for row, event, mention in found:  # each is the row as this transaction sees it
            stored = self.connection.execute(
                select(t.mentions.c.data, t.mentions.c.event_id, t.documents.c.position)
                .join(t.documents, t.documents.c.id == t.mentions.c.document_id).where(t.mentions.c.id == row)).one()
            assert (event, mention) == (stored.event_id, decode_mention(stored.data, stored.position))
            compared.append(row)
        return found

    monkeypatch.setattr(StoryMerge, "_decoded", checked)

    first = Document("y1", "The tariffs on Chinese electric cars were announced on Tuesday. The tariffs on Chinese "
                           "electric cars were doubled on Friday.", datetime(2024, 5, 16))
    second = replace(first, text="The tariffs on Chinese electric cars were announced in March. The tariffs on "
                                 "Chinese electric cars were announced on 14 March, officials said.")
    plain = Store(store.database.url)
    plain.mentions = MentionCache(size=0)
    for by, name in ((store, "cached"), (plain, "plain")):
        by.put_story(name)
        for documents in ([TARIFFS_AGAIN], [first], [second], [TARIFFS]):
            by.add_documents(name, [Submission(document) for document in documents])
    assert timeline_of(store, "cached")["events"] == timeline_of(plain, "plain")["events"]
    assert check_kept_mentions(store) > 0 and compared  # the last write kept the second version's rows
    plain.close()


def test_two_writers_with_their_own_caches_write_what_one_without_a_cache_writes(
        store: Store, story_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each process keeps the story's word counts, its events' summaries and decoded mentions
    (stories.merging.WordCounts, EventSummaries, MentionCache): the other writer's writes must be
    seen, and deleting documents lets SQLite give their rows' ids to new mentions and events, so
    neither writer may then use what it kept.  Events are extended from their stored state by
    either writer (check_consistent compares each state with the one made from all members)."""
    from stories.merging import EventSummaries, MentionCache, StoryMerge, WordCounts

    other = Store(story_database)
    plain = Store(story_database)
    plain.words, plain.summaries = WordCounts(stories=0), EventSummaries(stories=0)
    plain.mentions = MentionCache(size=0)
    extended = []
    original = StoryMerge._extend_event
    monkeypatch.setattr(StoryMerge, "_extend_event",
                        lambda self, *args: extended.append(1) or original(self, *args))
    articles = seeds()
    steps: list[tuple[Store, str, list[Document]]] = [
        (store, "add", [TARIFFS]), (store, "add", [TARIFFS_AGAIN]), (store, "delete", [TARIFFS_AGAIN]),
        (store, "delete", [TARIFFS]), (store, "add", [VISIT]),  # on SQLite, the new rows take the ids of a1's
        (store, "add", articles[:2]), (other, "add", articles[2:3]), (store, "add", [TARIFFS, VISIT]),
        (store, "delete", articles[2:3]), (other, "add", articles[3:4]), (store, "add", articles[2:3]),
        (other, "add", [replace(TARIFFS, text=TARIFFS.text + " Beijing protested.")]), (store, "delete", [VISIT]),
        (other, "add", [TARIFFS_AGAIN, *articles[4:]])]
    for name in ("cached", "plain"):
        plain.put_story(name)
    checked = 0
    for writer, action, documents in steps:
        for name, by in (("cached", writer), ("plain", plain)):
            if action == "add":
                by.add_documents(name, [Submission(document) for document in documents])
            else:
                by.delete_document(name, documents[0].id)
        assert timeline_of(plain, "cached") == timeline_of(plain, "plain")
        check_consistent(store.database.url, "plain")
        check_consistent(store.database.url, "cached")  # the word counts among others
        checked += check_kept_summaries(store) + check_kept_summaries(other)
        checked += check_kept_mentions(store) + check_kept_mentions(other)
    assert store.mentions.entries and other.mentions.entries and not plain.mentions.entries
    assert store.words.entries and other.words.entries and not plain.words.entries
    assert store.summaries.entries and other.summaries.entries and not plain.summaries.entries
    assert checked > 0 and extended  # some events were written by extending their stored state
    check_consistent(store.database.url, "cached")
    other.close()
    plain.close()


def test_writers_taking_turns_keep_every_events_summary_as_stored(store: Store, story_database: str) -> None:
    """A writer's kept event summaries (stories.merging.EventSummaries) are brought up to date with
    the events another process wrote since; a story too large to keep is not kept."""
    from stories.merging import EventSummaries

    other = Store(story_database)
    other.summaries = EventSummaries(max_words=40)  # the story is soon too large for it
    store.put_story("s")
    checked = 0
    for index, article in enumerate(seeds()):
        (store if index % 2 == 0 else other).add_documents("s", [Submission(article)])
        checked += check_kept_summaries(store) + check_kept_summaries(other)
    assert checked > 0 and store.summaries.entries and not store.summaries.too_large
    assert other.summaries.too_large and not other.summaries.entries
    late = Store(story_database)  # a process that first meets the story when it is too large
    late.summaries = EventSummaries(max_words=40)
    late.add_documents("s", [Submission(replace(seeds()[0], id="late"))])
    assert late.summaries.too_large and not late.summaries.entries
    check_consistent(store.database.url, "s")
    late.close()
    other.close()


def test_sqlite_writes_are_copied_into_the_database_file_in_the_background(store: Store) -> None:
    if store.database.dialect != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    path = Path(store.database.writes.url.database)
    store.put_story("s")
    store.database.checkpoints.wait()
    before = path.stat().st_size
    store.add_documents("s", [Submission(document) for document in seeds()])
    store.database.checkpoints.wait()  # not the writer, which SQLite would make do it past 16,000 pages
    assert path.stat().st_size > before + 100_000


def test_documents_analysed_by_another_grammar_are_analysed_again_on_rebuild(store: Store) -> None:
    store.put_story("s")
    store.add_documents("s", [Submission(TARIFFS), Submission(VISIT)])
    before = timeline_of(store, "s")
    engine = create_engine(store.database.url)
    with engine.begin() as connection:
        connection.execute(update(t.documents).where(t.documents.c.doc_id == "a1").values(fingerprint="older"))
    engine.dispose()
    assert store.stale("s") == 1
    assert store.refresh_stale() == {"s": 1}
    assert store.stale("s") == 0 and without_ids(timeline_of(store, "s")) == without_ids(before)
    assert store.rebuild("s", everything=True) == 2
    check_consistent(store.database.url, "s")


def test_html_articles_are_read_as_their_text(store: Store) -> None:
    store.put_story("s")
    html = ("<html><head><title>x</title><script>var on = 'Tuesday';</script></head><body><nav>Home</nav>"
            "<p>On Tuesday the Biden administration announced tariffs on Chinese electric cars.</p></body></html>")
    submission = Submission.of({"id": "h1", "html": html, "published": "2024-05-16"})
    # the reader of POST /timeline and timeline build, not one of the store's own
    assert submission.document == html_document("h1", html, {"published": datetime(2024, 5, 16)}, None)
    assert submission.document.from_html and "Home" not in submission.document.text
    store.add_documents("s", [submission])
    events = timeline_of(store, "s")["events"]
    assert [e["date"]["value"] for e in events] == ["2024-05-14"]
    assert events[0]["mentions"][0]["sentence"].startswith("On Tuesday the Biden")
    assert store.add_documents("s", [submission]).unchanged == ["h1"]


def test_eight_writers_adding_to_one_story_at_once_lose_nothing(store: Store, story_database: str) -> None:
    store.put_story("busy")
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(number: int) -> None:
        own = Store(database=store.database)  # one engine (pool) for all, as the threads of one server
        try:
            start.wait()
            for index in range(3):
                document = Document(f"w{number}-{index}", f"On {weekdays[(number + index) % 7]} the ministry "
                                    f"announced a plan for district {number * 3 + index}.", datetime(2024, 5, 16))
                own.add_documents("busy", [Submission(document)])
            own.add_documents("busy", [Submission(TARIFFS)])  # the same document from every writer
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    counts = check_consistent(story_database, "busy")
    assert counts["documents"] == 8 * 3 + 1 == store.story("busy").documents
    sources = {s for e in timeline_of(store, "busy")["events"] for s in e["sources"]}
    assert sources == {f"w{n}-{i}" for n in range(8) for i in range(3)} | {"a1"}
