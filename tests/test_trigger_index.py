"""The trigger index never hides a match: brute force over the corpus sentences.

The matcher tries a rule only near a word or digit that announces it (``Grammar.word_rules``,
``Grammar.digit_rules``).  Here every rule is tried at every position a match can start at
(every position not right after a word character: each compiled rule opens with ``(?<!\\w)``),
over every distinct sentence of ``tests/corpus/*.tsv``, and each match the brute force finds
must be among the indexed matcher's candidates.  Nothing is sampled; the distinct sentences
are few enough (about 1,500, some 80,000 characters) for a few seconds.
"""
from __future__ import annotations

import random
import re
import re._parser as sre  # type: ignore[import-not-found]  # the stdlib's own regex parser
from pathlib import Path
from typing import Any

import pytest

from timeline.grammar import Grammar, GrammarError, compile_source, digit_shape, load_grammar
from timeline.matching import _accepts, _candidates, _triggers, _words, find_mentions

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


# --- every text a pattern can spell is found -----------------------------------------------------
# The corpus holds the forms its authors thought of; a word written with an optional ending
# ("Vorjahr(?:es|s)?") can spell forms no sentence holds yet ("des Vorjahres"), and a long match
# can hold its trigger far from its start ("no less than forty and a half min"). So, per rule,
# texts are generated from the pattern itself (a seeded walk of its parse tree: each optional
# part present or not, each alternative, each character of a class; and, for a third of them,
# the alternative of most words and the most repeats, so that the trigger sits as far from the
# start as the pattern allows). Each text the rule matches in full must hold a token that wakes
# the rule, and be found by the matcher, which tries a rule only so many word starts back.
def _spell(items: Any, chance: random.Random, groups: dict[int, str], longest: bool = False) -> str:
    return "".join(_spell_node(op, av, chance, groups, longest) for op, av in items)


def _spell_node(op: Any, av: Any, chance: random.Random, groups: dict[int, str], longest: bool) -> str:
    if op is sre.LITERAL:
        return chr(av)
    if op is sre.IN:
        if any(o is sre.NEGATE for o, _ in av):
            return "q"
        chars: list[str] = []
        for o, a in av:
            if o is sre.LITERAL:
                chars.append(chr(a))
            elif o is sre.RANGE:
                chars.extend(chr(code) for code in range(a[0], min(a[1], a[0] + 60) + 1))
            elif o is sre.CATEGORY:
                chars.extend(_CATEGORY_SAMPLES.get(a, "a"))
        return chance.choice(chars)
    if op is sre.BRANCH:
        if longest:
            return max((_spell(branch, chance, dict(groups), longest) for branch in av[1]),
                       key=lambda text: len(text.split()))
        return _spell(chance.choice(av[1]), chance, groups)
    if op is sre.SUBPATTERN:
        text = _spell(av[3], chance, groups, longest)
        if av[0]:
            groups[av[0]] = text
        return text
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, item = av
        count = min(high, low + 2) if longest else chance.randint(low, min(high, low + 2))
        return "".join(_spell(item, chance, groups, longest) for _ in range(count))
    if op is sre.GROUPREF:
        return groups.get(av, "")
    if op is sre.ATOMIC_GROUP:
        return _spell(av, chance, groups, longest)
    return "" if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT) else "x"  # any character, a negated literal


_CATEGORY_SAMPLES = {sre.CATEGORY_SPACE: " ", sre.CATEGORY_DIGIT: "0123456789", sre.CATEGORY_WORD: "az09",
                     sre.CATEGORY_NOT_WORD: " ,.-", sre.CATEGORY_NOT_SPACE: "a.9", sre.CATEGORY_NOT_DIGIT: "a "}


def _woken(text: str, grammar: Grammar) -> set[int]:
    """The rules a token of ``text`` wakes, as the matcher reads tokens (``matching._candidates``)."""
    tokens, starts = _words(text)
    rules: set[int] = set()
    for index in _triggers(tokens, grammar):
        token = tokens[index]
        if token[0].isdigit() or token[-1].isdigit():
            if not (starts[index] and text[starts[index] - 1] in "$\u00a3\u20ac.,"):
                rules.update(grammar.digit_rules[digit_shape(token)])
        else:
            rules.update(grammar.word_rules[token.lower()])
    return rules


def _unfound(grammar: Grammar, samples: int = 120) -> list[str]:
    """Texts a rule matches in full that no token of theirs wakes it for, or that the matcher
    does not find (woken, but the trigger too far from the match's start)."""
    missed = []
    for rule in grammar.rules:
        chance = random.Random(rule.name)
        tree = sre.parse(rule.regex.pattern, rule.regex.flags)
        for sample in range(samples):
            text = " ".join(_spell(tree, chance, {}, longest=sample % 3 == 2).split())
            match = rule.regex.match(text)
            if not (text and match and match.end() == len(text)):
                continue
            if rule.index not in _woken(text, grammar):
                missed.append(f"{rule.name}: {text!r} (no token wakes it)")
                break
            found = {(start, end, rule.index) for start, end, rule, _ in _candidates(text, grammar)}
            if _accepts(rule, text, 0, len(text)) and (0, len(text), rule.index) not in found:
                missed.append(f"{rule.name}: {text!r} (woken, but not tried so far before its trigger)")
                break
    return missed


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_every_text_a_pattern_can_spell_is_found(language: str) -> None:
    missed = _unfound(load_grammar(language))
    assert not missed, f"{len(missed)} rule(s) with a text the matcher misses:\n" + "\n".join(missed)


_OPTIONAL_ENDINGS = """
language = "de"
[triggers]
stop_words = ["des"]
[[rule]]
name = "vague.the_year_before"
type = "DATE"
kind = "vague"
value = "PAST_REF"
pattern = '(?:im|des)\\s+(?:Vor|Nach)jahr(?:es|s)?\\b'
[[rule]]
name = "vague.half"
type = "DATE"
kind = "vague"
value = "PAST_REF"
pattern = 'halbe[nsr]?\\s+Stunde\\b'
"""


def test_a_word_with_an_optional_ending_wakes_its_rule_in_every_form() -> None:
    grammar = compile_source(_OPTIONAL_ENDINGS, "test.toml")
    year, half = (rule.index for rule in grammar.rules)
    for word in ("vorjahr", "vorjahres", "vorjahrs", "nachjahr", "nachjahres", "nachjahrs"):
        assert year in grammar.word_rules[word], word
    assert "jahr" not in grammar.word_rules and "des" not in grammar.word_rules  # no stem, no stop word
    assert half in grammar.word_rules["stunde"]  # the one word every match holds whole
    for text in ("Umsatz des Vorjahres", "wie im Vorjahr", "Gewinn des Nachjahrs", "nach einer halben Stunde"):
        assert [text[m.start:m.end] for m in find_mentions(text, grammar)], text


def test_a_rule_whose_words_the_index_cannot_list_is_refused() -> None:
    # "\w+" glued to a word: "Vorjahres", "Folgejahres" ... no list of tokens can stand for them.
    bad = _OPTIONAL_ENDINGS.replace("(?:im|des)\\s+(?:Vor|Nach)jahr(?:es|s)?", "\\w+jahr(?:es|s)?")
    assert bad != _OPTIONAL_ENDINGS
    with pytest.raises(GrammarError) as caught:
        compile_source(bad, "test.toml")
    assert "test.toml:5: rule 0 'vague.the_year_before': the trigger index cannot stand for the words it can " \
           "match (*jahr, *jahres, *jahrs" in str(caught.value)
