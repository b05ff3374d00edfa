"""The fast paths give what the straightforward code gives: the matcher's word scan
(``_words``, ``_triggers``) finds what a ``\\w+`` scan finds, and ``content_words`` and
``names``, which cache per chunk and per name, agree with a token-by-token reading."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.events import _TOKEN, content_words, names
from timeline.grammar import load_grammar
from timeline.matching import _triggers, _words

GRAMMAR = load_grammar("en")
WORDS = sorted(GRAMMAR.word_rules)[:40] + ["May", "TUESDAY", "2024", "1990s", "'90s", "x2", "5th", "\u00b2", "\u0663",
                                         "\u2460", "_", "a_b", "\u212aelvin", "\u0130", "\u017f"]
PROSE = ["Putin", "Xi", "Li", "U.S.", "Beijing's", "talks", "the", "of the", "in", "to", "Chinese", "Russian",
         "Vladimir Putin", "President Xi Jinping", "don\u2019t", "3.5", "1,200", "e-mail", "co-operation", "Mr."]
SEPARATORS = [" ", "  ", "-", "'", "\u2019", ", ", ". ", "$", "\n", "\t", "\u00a0", "(", ")", "\u201c", "\u201d"]
texts = st.lists(st.one_of(st.sampled_from(WORDS + PROSE), st.sampled_from(SEPARATORS), st.text(max_size=5)),
                 max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(texts, st.text()))
def test_the_word_scan_finds_every_word_and_trigger(text):
    words = list(re.finditer(r"\w+", text))
    tokens, starts = _words(text)
    assert tokens == [w.group() for w in words]
    assert starts == [w.start() for w in words]
    assert _triggers(tokens, GRAMMAR) == [
        i for i, token in enumerate(tokens)
        if token[0].isdigit() or token[-1].isdigit() or GRAMMAR.word_rules.get(token.lower())]


def test_the_words_of_an_empty_or_wordless_text():
    assert _words("") == ([], [])
    assert _words(" .,;\n") == ([], [])
    assert _words("a") == (["a"], [0])


def reference_content_words(text: str) -> frozenset[str]:
    found = set()
    for token in _TOKEN.findall(text):
        word = token.lower().replace("\u2019", "'")
        if word.endswith("'s"):
            word = word[:-2]
        short = len(word) < 3 and not token[:1].isupper()
        if word in GRAMMAR.events.stop_words or short or len(word) < 2 or word.replace(".", "").isdigit():
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def reference_names(text: str) -> tuple[list[str], list[str]]:
    participants: list[str] = []
    places: list[str] = []
    for match in GRAMMAR.events.name_pattern.finditer(text):
        parts = match.group().split()
        while parts and parts[0] in GRAMMAR.events.not_names:
            parts.pop(0)
        if not parts:
            continue
        name = " ".join(parts).rstrip(".'\u2019")
        if name.endswith(("'s", "\u2019s")):
            name = name[:-2]
        before = text[:match.start()].split()
        target = places if before and before[-1].lower() in GRAMMAR.events.place_prepositions else participants
        if GRAMMAR.events.nationality_pattern.match(name):
            continue
        if name and name not in target and len(name) > 1:
            target.append(name)
    return participants, places


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(texts, st.text()))
def test_content_words_and_names_agree_with_a_token_by_token_reading(text):
    assert content_words(text, GRAMMAR.events) == reference_content_words(text)
    assert content_words(text, GRAMMAR.events) == reference_content_words(text)  # cached
    assert names(text, GRAMMAR.events) == reference_names(text)
