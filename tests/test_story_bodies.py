"""An event's stored state (stories.bodies.EventState) and its entries' citations."""
from __future__ import annotations

import json

import pytest

from stories.bodies import PIECE_CHARS, EventState, MemberCheck, Part, citations, spliced


def part(row: int, document: int, offset: int, dated: bool, entry: bool = True, basis: int = 1,
         attributes: tuple[str, ...] = (), nominal: bool = False, interval: float = 1.0) -> Part:
    head = {"document": f"d{document}", "offset": offset, "entry": entry, "dated": dated and entry,
            "interval": [interval, interval + 1.0] if dated else None, "basis": basis, "granularity": 2,
            "main": True, "trigger": True, "nominal": nominal, "summary": f"summary {row}",
            "participants": [f"p{row % 3}"], "places": [],
            "timex": [f"2024-05-{row:02d}", f"{row} May"] if dated else None,
            "attributes": [{"text": name, "type": "MONEY", "value": name} for name in attributes]}
    return Part(row, document, head, json.dumps({"text": f"mention {row}"}))


MEMBERS = [part(1, 0, 5, True, attributes=("a",)), part(2, 0, 90, False, attributes=("b", "a")),
           part(3, 1, 0, False, entry=False), part(4, 2, 7, True, basis=0, nominal=True, attributes=("b",)),
           part(5, 3, 1, False), part(6, 3, 40, True, interval=9.0), part(7, 4, 3, False, entry=False)]


def state_of(parts: list[Part]) -> EventState:
    state = EventState()
    for member in parts:
        state.add(member)
    return state


@pytest.mark.parametrize("split", range(len(MEMBERS) + 1))
def test_a_stored_state_extended_by_later_members_is_the_one_made_from_all_of_them(split: int) -> None:
    kept = EventState.from_json(state_of(MEMBERS[:split]).to_json())  # as a later write reads it
    assert kept is not None
    later = [(member, "") for member in MEMBERS[split:]]
    assert kept.follows(later)
    for member, _ in later:
        kept.add(member)
    whole = state_of(MEMBERS)
    assert kept.to_json() == whole.to_json()
    assert whole.members == MemberCheck.of(range(1, 8)) and whole.last_row == 7 and whole.marked
    assert whole.primary.row == 4  # the surest basis, though later in the story
    assert whole.sources == ["d0", "d1", "d2", "d3", "d4"] and whole.participants == ["p1", "p0"]
    assert [a["text"] for a in whole.dated_attributes + whole.undated_attributes] == ["a", "b", "b", "a"]
    assert list(whole.dates) == ["2024-05-01", "2024-05-04", "2024-05-06"]
    assert {interval: best[2] for interval, best in whole.clauses.items()} == {
        (1.0, 2.0): "summary 1", (9.0, 10.0): "summary 6"}  # the nominal one is no clause


def test_a_state_stored_in_another_format_is_not_read() -> None:
    """Its event is then written from all its members (stories.merging), and its state made again."""
    stored = json.loads(state_of(MEMBERS).to_json())
    assert EventState.from_json(json.dumps({**stored, "format": stored["format"] + 1})) is None
    assert EventState.from_json(json.dumps({key: value for key, value in stored.items() if key != "format"})) is None


def test_a_member_placed_before_the_last_one_held_does_not_follow() -> None:
    kept = state_of(MEMBERS[2:])
    assert not kept.follows([(MEMBERS[0], "")]) and not kept.follows([(MEMBERS[3], ""), (MEMBERS[1], "")])


def test_an_event_without_a_dated_member_takes_its_first_entry_as_primary() -> None:
    undated = state_of([MEMBERS[2], MEMBERS[1], MEMBERS[4]])
    assert undated.primary.row == 2 and undated.best_dated is None and undated.first_dated is None
    assert state_of([MEMBERS[2]]).primary.row == 3  # no entry at all: the first (such an event is removed)


def test_member_checks_tell_other_rows_apart() -> None:
    assert MemberCheck.of([1, 2, 3]) + MemberCheck.of([4]) == MemberCheck.of([1, 2, 3, 4])
    assert MemberCheck.of([1, 4]) != MemberCheck.of([2, 3])  # same count and sum
    assert MemberCheck.of([1, 5, 6]) != MemberCheck.of([2, 3, 7])  # and the same sum of squares


def mentions(parts: list[Part], documents: set[str]) -> list[dict[str, object]]:
    return json.loads(spliced("[" + ",".join(member.entry for member in parts) + "]", citations(documents)))


def test_entries_cite_the_dating_documents_where_the_read_puts_them() -> None:
    dated = {"d0", "d2", "d3"}
    assert mentions(MEMBERS[:3], dated) == [{"text": "mention 1"},  # a dated entry cites no one
                                            {"text": "mention 2", "dated_by": ["d0", "d2", "d3"]},
                                            {"text": "mention 3", "dated_by": ["d0", "d2", "d3"]}]
    # an event without dated members: an undated entry cites nothing, a supporting sentence no one
    assert mentions(MEMBERS[1:3], set()) == [{"text": "mention 2"}, {"text": "mention 3", "dated_by": []}]
    assert "\x01" in MEMBERS[2].entry and "\x02" in MEMBERS[1].entry and MEMBERS[0].entry == MEMBERS[0].fragment


def test_a_sentence_of_an_event_dated_by_many_documents_names_the_first_twenty_and_counts_them() -> None:
    """dated_by is carried by every mention that does not date its event: a list of every dating
    document made an event told by thousands of articles grow with the square of its size."""
    documents = {f"d{row}" for row in range(25)}
    [cited] = mentions([MEMBERS[2]], documents)
    assert cited["dated_by"] == sorted(documents)[:20] and cited["dated_by_total"] == 25
    assert "dated_by_total" not in mentions([MEMBERS[2]], set(sorted(documents)[:20]))[0]


@pytest.mark.parametrize("sizes", [(1,), (3, 1, 4), (1, 1, 1, 1, 1, 1, 1, 1), (8,)])
def test_entries_laid_write_by_write_make_the_pieces_laid_at_once(sizes: tuple[int, ...]) -> None:
    """An event's text is stored in pieces (stories.bodies.laid): a write adds to the last piece
    until it reaches PIECE_CHARS, and its entries, joined, are the event's mentions."""
    entries = [f'{{"text":"{str(row) * (PIECE_CHARS // 3)}"}}' for row in range(sum(sizes))]
    at_once = EventState()
    whole = at_once.lay(entries)
    state, stored, start = EventState(), [], 0
    for size in sizes:
        added, *pieces = state.lay(entries[start:start + size])
        if stored:
            stored[-1] += added
        else:
            pieces = [added, *pieces]
        stored += pieces
        start += size
    assert stored == whole and (state.pieces, state.tail_chars) == (at_once.pieces, len(whole[-1]))
    assert "".join(whole) == ",".join(entries) and len(whole) == (len(entries) + 2) // 3
    assert all(len(piece) >= PIECE_CHARS for piece in whole[:-1])
