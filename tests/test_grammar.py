"""Compiling a grammar file: word-list sections become typed data, and mistakes are named."""
from __future__ import annotations

import tomllib

import pytest

from timeline.grammar import GRAMMAR_DIR, GrammarError, compile_grammar, load_grammar


def _english() -> dict:
    return tomllib.loads((GRAMMAR_DIR / "en.toml").read_text(encoding="utf-8"))


def test_word_lists_take_the_types_their_fields_declare() -> None:
    tense = load_grammar("en").tense
    assert isinstance(tense.future, frozenset) and "will" in tense.future
    assert isinstance(tense.auxiliaries, tuple) and "are" in tense.auxiliaries
    assert tense.deadline_after is not None and tense.deadline_after.search(" as the deadline")
    assert tense.future_regex.search("they are expected to vote")


@pytest.mark.parametrize("section", ["tense", "events"])
def test_a_misspelt_key_is_an_error_not_ignored(section: str) -> None:
    data = _english()
    data[section]["futre"] = ["will"]
    with pytest.raises(GrammarError, match=rf"\[{section}\]: unknown key\(s\) futre"):
        compile_grammar(data)


def test_a_bad_pattern_names_where_it_is() -> None:
    data = _english()
    data["tense"]["past_after"] = "(unclosed"
    with pytest.raises(GrammarError, match="tense.past_after: bad pattern"):
        compile_grammar(data)


@pytest.mark.parametrize(("sentence", "phrase", "value"), [
    ("The shooting happened in the early hours of Tuesday.", "the early hours of Tuesday", "2024-11-05"),
    ("Revellers partied into the wee hours of Jan. 1.", "the wee hours of Jan. 1", "2024-01-01"),
])
def test_the_small_hours_of_a_day_are_its_start(sentence: str, phrase: str, value: str) -> None:
    # A day narrowed by START cannot be written as a corpus row (its interval is finer than
    # its value), so the extension mod.small_hours is checked here: as "early Tuesday".
    import timeline

    found = [t for t in timeline.extract(sentence, published="2024-11-06") if t.text == phrase]
    assert [(t.type, t.value, t.mod) for t in found] == [("DATE", value, "START")]
