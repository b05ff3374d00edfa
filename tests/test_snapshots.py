"""A held timeline patched in place (stories.snapshots.Held) gives the answer joined afresh from
its events and documents, whatever the writes: events added, rewritten, moved in the order or
removed, documents added or replaced; its pieces neither grow without bound nor crumble."""
from __future__ import annotations

import json
import random
from types import SimpleNamespace

import pytest

pytest.importorskip("sqlalchemy")

import stories.snapshots as snapshots  # noqa: E402
from stories.snapshots import HEAD, DocumentsPart, Entry, Held, Key  # noqa: E402
from timeline.chronology import undated_warnings  # noqa: E402
from timeline.documents import Document  # noqa: E402


def key(start: float | None, number: int) -> Key:
    return snapshots.order_key(SimpleNamespace(sort_start=start, sort_length=1.0, sort_position=0, sort_offset=0,
                                               number=number), nulls_first=True)


def body(number: int, size: int) -> bytes:
    return json.dumps({"id": f"e{number}", "text": "é" * (size // 2)}, ensure_ascii=False).encode()


def joined_afresh(events: dict[int, tuple[Key, bytes]], documents: DocumentsPart) -> bytes:
    return HEAD + b",".join(piece for _, piece in sorted(events.values())) + documents.data


def check_pieces(held: Held, largest: int) -> None:
    """Each piece but the last holds at least a quarter of PIECE_BYTES, none more than about twice it."""
    assert all(len(piece) >= snapshots.PIECE_BYTES // 4 for piece in held.pieces[:-1])
    assert all(len(piece) <= 2 * (snapshots.PIECE_BYTES + largest) for piece in held.pieces)
    assert len(held.pieces) == len(held.starts) and held.starts[0] == snapshots.FIRST


@pytest.mark.parametrize("piece_bytes", [300, 2_000, 1 << 18])
def test_a_held_timeline_patched_write_after_write_gives_the_answer_joined_afresh(
        monkeypatch: pytest.MonkeyPatch, piece_bytes: int) -> None:
    monkeypatch.setattr(snapshots, "PIECE_BYTES", piece_bytes)
    rng = random.Random(piece_bytes)
    largest = 3_000

    def some_body(number: int) -> bytes:
        return body(number, largest if rng.random() < 0.1 else rng.randint(20, 400))

    def some_start() -> float | None:
        return None if rng.random() < 0.05 else float(rng.randint(0, 50))  # ties, undated events first

    events = {number: (key(some_start(), number), some_body(number)) for number in range(1, 40)}
    entry = Entry(b'{"id": "a0"}', (), ())
    held = Held(1, events.values(), {0: entry})
    assert b"".join(held.answer()) == joined_afresh(events, held.documents)
    check_pieces(held, largest)
    next_number = 40
    for version in range(2, 120):
        removed = rng.sample(sorted(events), k=min(len(events), rng.choice([0, 0, 1, 3])))
        if version % 40 == 0:
            removed = sorted(events)  # every event gone
        for number in removed:
            del events[number]
        written = []
        for number in rng.sample(sorted(events), k=min(len(events), rng.randint(0, 6))):
            old_key, _ = events[number]
            moved = key(some_start(), number) if rng.random() < 0.3 else old_key  # moves in the order
            written.append((moved, some_body(number)))
        for number in range(next_number, next_number + rng.choice([0, 1, 2, 8])):  # new events
            written.append((key(some_start(), number), some_body(number)))
        next_number += 10
        for written_key, written_body in written:
            events[written_key[-1][1]] = (written_key, written_body)
        held.patch(version, removed, written, {version: entry})
        assert held.version == version
        assert b"".join(held.answer()) == joined_afresh(events, held.documents)
        check_pieces(held, largest)
    assert b"".join(held.answer()) == b"".join(Held(119, events.values(), held.documents.entries).answer())


def test_an_event_moved_to_the_front_and_the_last_piece_emptied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshots, "PIECE_BYTES", 100)
    events = {number: (key(float(number), number), body(number, 120)) for number in range(1, 6)}
    held = Held(1, events.values(), {})
    assert len(held.pieces) == 5 and all(piece.endswith(b",") for piece in held.pieces[:-1])
    events[5] = (key(0.0, 5), body(5, 10))  # the last event moves first, and is small
    held.patch(2, [], [events[5]], {})
    assert b"".join(held.answer()) == joined_afresh(events, held.documents)
    assert [event["id"] for event in json.loads(b"".join(held.answer()))["events"]] == ["e5", "e1", "e2", "e3", "e4"]
    del events[4]
    held.patch(3, [4], [], {})
    assert b"".join(held.answer()) == joined_afresh(events, held.documents)
    held.patch(4, [1, 2, 3, 5], [], {})
    assert held.answer() == [HEAD, DocumentsPart({}).data]
    assert json.loads(b"".join(held.answer())) == {"events": [], "documents": [], "warnings": []}


def document_row(doc_id: str, published: str | None, warnings: list[str]) -> SimpleNamespace:
    note = json.dumps({"id": doc_id, "published": published, "warnings": warnings}, ensure_ascii=False)
    return SimpleNamespace(doc_id=doc_id, published=published, note=note)


def test_the_documents_part_keeps_entries_and_warnings_in_document_order() -> None:
    """Documents appended, then one replaced: the entries and warnings are those gathered afresh
    (first that the undated documents have no date, then each document's own warnings)."""
    rows = {0: document_row("a", "2024-05-01", []), 1: document_row("b", None, ["«x» is not a date"])}
    part = DocumentsPart({position: Entry.of(row) for position, row in rows.items()})
    for changes in ({2: document_row("c", None, [])}, {3: document_row("d", "2024-05-02", ["w1", "w2"]),
                                                       4: document_row("e", None, [])},
                    {1: document_row("b", "2024-05-03", [])}, {5: document_row("f", None, ["w3"])}):
        rows.update(changes)
        part.update({position: Entry.of(row) for position, row in changes.items()})
        ordered = [rows[position] for position in sorted(rows)]
        warnings = undated_warnings(Document(row.doc_id, "") for row in ordered if row.published is None)
        warnings += [f"{row.doc_id}: {warning}" for row in ordered for warning in json.loads(row.note)["warnings"]]
        assert json.loads(b'{"events":[' + part.data) == {
            "events": [], "documents": [json.loads(row.note) for row in ordered], "warnings": warnings}
        assert part.data == (b'],"documents":[' + b",".join(row.note.encode() for row in ordered)
                             + b'],"warnings":' + json.dumps(warnings, ensure_ascii=False).encode() + b"}")
