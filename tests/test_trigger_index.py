"""The trigger index never hides a match: brute force over the corpus sentences.

The matcher tries a rule only near a word or digit that announces it (``Grammar.word_rules``,
``Grammar.digit_rules``).  Here every rule is tried at every position a match can start at
(every position not right after a word character: each compiled rule opens with ``(?<!\\w)``),
over every distinct sentence of ``tests/corpus/*.tsv``, and each match the brute force finds
must be among the indexed matcher's candidates.  Nothing is sampled; the distinct sentences
are few enough (about 1,500, some 80,000 characters) for a few seconds.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from timeline.grammar import Grammar, load_grammar
from timeline.matching import _accepts, _candidates

CORPUS_DIR = Path(__file__).parent / "corpus"
_NOT_WORD = re.compile(r"\W")


def _sentences(language: str = "en") -> list[str]:
    """The distinct sentences of a language's corpus files (column 2, after each file's header
    line): English at the top of tests/corpus, other languages in a folder of their name."""
    found: set[str] = set()
    for path in sorted((CORPUS_DIR if language == "en" else CORPUS_DIR / language).glob("*.tsv")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        found.update(line.split("\t")[1] for line in lines[1:] if line.count("\t") >= 1)
    return sorted(found)


def _every_match(text: str, grammar: Grammar) -> set[tuple[int, int, int]]:
    """(start, end, rule index) of every accepted match of every rule at every possible start."""
    starts = [0, *(m.end() for m in _NOT_WORD.finditer(text) if m.end() < len(text))]
    found = set()
    for rule in grammar.rules:
        match_at = rule.regex.match
        for start in starts:
            match = match_at(text, start)
            if match and _accepts(rule, text, start, match.end()):
                found.add((start, match.end(), rule.index))
    return found


def test_the_trigger_index_hides_no_match_on_the_corpus() -> None:
    grammar = load_grammar("en")
    sentences = _sentences()
    assert len(sentences) > 1000  # the corpus is there: a test over nothing would prove nothing
    hidden = []
    for text in sentences:
        indexed = {(start, end, rule.index) for start, end, rule, _ in _candidates(text, grammar)}
        for start, end, index in sorted(_every_match(text, grammar) - indexed):
            hidden.append(f"{grammar.rules[index].name}: {text[start:end]!r} in {text!r}")
    assert not hidden, f"{len(hidden)} match(es) the trigger index never tries:\n" + "\n".join(hidden[:20])


@pytest.mark.parametrize("language", ["es", "fr", "de"])
def test_the_trigger_index_hides_no_match_in_other_languages(language: str) -> None:
    grammar = load_grammar(language)
    sentences = _sentences(language)
    assert len(sentences) > 30
    hidden = []
    for text in sentences:
        indexed = {(start, end, rule.index) for start, end, rule, _ in _candidates(text, grammar)}
        for start, end, index in sorted(_every_match(text, grammar) - indexed):
            hidden.append(f"{grammar.rules[index].name}: {text[start:end]!r} in {text!r}")
    assert not hidden, f"{len(hidden)} match(es) the trigger index never tries:\n" + "\n".join(hidden[:20])
