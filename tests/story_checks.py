"""Invariants of a stored story, checked straight on its tables (used by the store tests)."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import create_engine, select

from stories import tables as t
from stories.bodies import PIECE_CHARS, EventState, Part, spliced
from stories.codec import decode_mention
from timeline.chronology import concept_keys, incremental_postings, planned_kind
from timeline.events import EventMention


def check_consistent(url: str, name: str) -> dict[str, int]:
    """Assert that the story's merge state agrees with its documents; its row counts."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            story = connection.execute(select(t.stories).where(t.stories.c.name == name)).one()
            documents = connection.execute(select(t.documents).where(t.documents.c.story_id == story.id)).all()
            mentions = connection.execute(select(t.mentions).where(t.mentions.c.story_id == story.id)).all()
            events = connection.execute(select(t.events).where(t.events.c.story_id == story.id)).all()
            texts: dict[int, list[str]] = {}
            for piece in connection.execute(select(t.event_text).join(t.events).where(t.events.c.story_id == story.id)
                                            .order_by(t.event_text.c.event_id, t.event_text.c.piece)):
                texts.setdefault(piece.event_id, []).append(piece.text)
            postings = set(connection.execute(select(t.postings.c.word, t.postings.c.mention_id)
                                              .where(t.postings.c.story_id == story.id)).all())
            words = dict(connection.execute(select(t.words.c.word, t.words.c.count)
                                            .where(t.words.c.story_id == story.id)).all())
            waiting = set(connection.execute(select(t.waiting.c.word, t.waiting.c.mention_id)
                                             .where(t.waiting.c.story_id == story.id)).all())
    finally:
        engine.dispose()
    document_rows = {row.id for row in documents}
    positions = {row.id: row.position for row in documents}
    assert len({row.doc_id for row in documents}) == len(documents)
    assert len({row.position for row in documents}) == len(documents), "two documents share a place"
    assert all(row.document_id in document_rows for row in mentions)
    decoded = {row.id: json.loads(row.data) for row in mentions}
    counts = Counter(word for data in decoded.values() for word in data["words"])
    assert {w: c for w, c in words.items() if c} == dict(counts), "word counts differ from the stored mentions"
    assert story.mentions == len(mentions)
    assert postings == {(word, row.id) for row in mentions if row.dated
                        for word in incremental_postings(decode_mention(row.data, 0))}
    event_rows = {row.id: row for row in events}
    assert all(row.event_id in event_rows for row in mentions if row.dated), "a dated mention belongs to no event"
    members = Counter(row.event_id for row in mentions if row.event_id is not None)
    dated_members = Counter(row.event_id for row in mentions if row.dated)
    for row in events:
        if not dated_members[row.id]:  # an undated event: one undated entry that supports no dated event
            [entry] = [decoded[m.id] for m in mentions if m.event_id == row.id]
            assert entry["entry"], f"event e{row.number} has no dated mention and no entry"
        text = "".join(texts[row.id]) + "]}"
        body = json.loads(text if row.dated_by is None else spliced(text, (row.dated_by, row.entry_dated_by)))
        if row.state is not None:
            _check_state(row, texts[row.id], [m for m in mentions if m.event_id == row.id], positions)
        assert body["id"] == f"e{row.number}"
        assert len(body["mentions"]) == members[row.id], f"e{row.number}'s body is out of date"
        dated = [decoded[m.id] for m in mentions if m.event_id == row.id and m.dated]
        assert set(row.words.split()) == {word for data in dated for word in data["words"]}
        assert set(filter(None, row.documents.split("\n"))) == {data["document"] for data in dated}
    assert waiting == {(word, row.id) for row in mentions if not row.dated and not dated_members[row.event_id]
                       for word in row.words.split() + _planned_keys(decode_mention(row.data, 0))}, \
        "the waiting undated mentions are not those outside dated events"
    return {"documents": len(documents), "mentions": len(mentions), "events": len(events)}


def _check_state(event: Any, pieces: list[str], members: list[Any], positions: dict[int, int]) -> None:
    """An event's stored state, extended write by write, is the one made from all its members at
    once, and its entries are theirs, in pieces closed at PIECE_CHARS."""
    parts = sorted((Part(m.id, positions[m.document_id], json.loads(m.head), m.fragment) for m in members),
                   key=lambda part: part.position)
    whole = EventState()
    for part in parts:
        whole.add(part)
    stored = EventState.from_json(event.state)
    assert stored is not None and stored.own is not None
    assert stored.own[0] == stored.primary.row, f"e{event.number}'s primary is not its own"
    whole.own, whole.pieces, whole.tail_chars = stored.own, stored.pieces, stored.tail_chars
    assert stored.to_json() == whole.to_json(), f"e{event.number}'s state is not that of its members"
    header, *entries = pieces
    assert header.endswith('"mentions":[') and "".join(entries) == ",".join(part.entry for part in parts)
    assert len(entries) == stored.pieces and len(entries[-1]) == stored.tail_chars
    assert all(len(piece) >= PIECE_CHARS for piece in entries[:-1]), f"e{event.number} has a piece left short"


def _planned_keys(mention: EventMention) -> list[str]:
    """A planned happening told without a date waits under its kinds' keys too (stories.merging)."""
    return concept_keys(mention) if planned_kind(mention) else []
