"""An event's assembly (stories.bodies.Assembly) extended by later members equals one made from all."""
from __future__ import annotations

import json

import pytest

from stories.bodies import Assembly, Part


def part(row: int, document: int, offset: int, dated: bool, entry: bool = True, words: str = "") -> tuple[Part, str]:
    head = {"document": f"d{document}", "offset": offset, "entry": entry, "dated": dated,
            "interval": [1.0, 2.0] if dated else None}
    return Part(row, document, head, json.dumps({"text": f"mention {row}"})), words


MEMBERS = [part(1, 0, 5, True, words="summit beijing"), part(2, 0, 90, False, words="talks"),
           part(3, 1, 0, False, entry=False, words="trade"), part(4, 2, 7, True, words="summit"),
           part(5, 3, 1, False, words="gala"), part(6, 3, 40, True, words="gala concert"),
           part(7, 4, 3, False, entry=False)]


@pytest.mark.parametrize("split", range(len(MEMBERS) + 1))
def test_an_assembly_extended_by_later_members_is_the_one_made_from_all_of_them(split: int) -> None:
    whole = Assembly.of(MEMBERS)
    kept = Assembly.of(MEMBERS[:split])
    later = list(reversed(MEMBERS[split:]))  # in any order
    assert kept.follows(later)
    assert kept.extended(later) == whole
    assert json.loads(f"[{whole.mentions}]")[1] == {"text": "mention 2", "dated_by": ["d0", "d2", "d3"]}
    assert json.loads(f"[{whole.mentions}]")[0] == {"text": "mention 1"}  # a dated entry cites no one
    assert whole.dated_words == {"summit", "beijing", "gala", "concert"} and whole.rows == set(range(1, 8))


def test_a_member_placed_before_the_kept_ones_does_not_follow_them() -> None:
    kept = Assembly.of(MEMBERS[2:])
    assert not kept.follows(MEMBERS[:1]) and not kept.follows([MEMBERS[3], MEMBERS[1]])


def test_an_event_without_dated_members_cites_no_documents_in_its_sentences() -> None:
    assembly = Assembly.of([MEMBERS[1], MEMBERS[2]])
    assert json.loads(f"[{assembly.mentions}]") == [{"text": "mention 2"},
                                                    {"text": "mention 3", "dated_by": []}]


def test_a_sentence_of_an_event_dated_by_many_documents_names_the_first_twenty_and_counts_them() -> None:
    """dated_by is carried by every mention that does not date its event: a list of every dating
    document made an event told by thousands of articles grow with the square of its size."""
    dated = [part(row, row, 0, True) for row in range(25)]
    sentence = part(99, 30, 0, False, entry=False)
    extended = Assembly.of(dated[:5] + [sentence]).extended([])
    whole = Assembly.of(dated + [sentence])
    cited = json.loads(f"[{whole.mentions}]")[-1]
    assert cited["dated_by"] == sorted(f"d{row}" for row in range(25))[:20] and cited["dated_by_total"] == 25
    assert "dated_by_total" not in json.loads(f"[{extended.mentions}]")[-1]
    later = [part(100 + row, 40 + row, 0, True) for row in range(3)]
    assert Assembly.of(dated + [sentence]).extended(later) == Assembly.of(dated + [sentence] + later)
