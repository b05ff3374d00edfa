"""Find temporal expressions in a text with a compiled grammar.

Matching is purely textual: which spans are timexes and what their words mean
(fields such as ``month=5``, ``shift=-1``).  What the fields denote in time is the
resolver's job (:mod:`timeline.resolution`).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import not_
from typing import Any

from .grammar import Extension, Grammar, Rule, digit_shape
from .grammar.schema import GROUP_TABLES

_WORD = re.compile(r"(\w+)")
_QUOTE_BEFORE_WORD = re.compile("['\u2018\u2019](?=\\w)")
_SUFFIX = re.compile(r"_[0-9]+$")
_INT_GROUPS = frozenset({"day", "dd", "mm", "minute", "year", "decade_full", "decade_short"})
_NUMBER_GROUPS = frozenset({"num", "hour", "plus_num"})
# A digit run right after these continues an amount ("$1.5", "1,200") and starts nothing.
_AMOUNT_CHARS = frozenset("$\u00a3\u20ac.,")


@dataclass
class Mention:
    """A matched span with the normalized meaning of its words."""

    start: int
    end: int
    rule: Rule
    type: str
    fields: dict[str, Any]
    extensions: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.rule.kind


def parse_number(text: str, grammar: Grammar) -> float | int | str | None:
    """A number written in digits or words ("24", "twenty-four", "a few" → "X"), digits with the
    language's separators ("1,200" and "2.5" in English, "1.200" and "2,5" in Spanish)."""
    numbers = grammar.numbers
    text = text.strip().lower()
    if text[:1].isdigit():
        text = text.replace(numbers.group_separator, "").replace(numbers.decimal_separator, ".")
    if text.replace(".", "", 1).isdigit():
        return float(text) if "." in text else int(text)
    known = grammar.lookup("number_word", text)
    if known is not None:
        return known
    total = 0
    for part in re.split(r"[-\s]+", text):
        value = grammar.lookup("number_word", part)
        if not isinstance(value, int):
            return None
        total += value
    return total


def parse_spoken_year(text: str, grammar: Grammar) -> int | None:
    """A year read out in words: "nineteen ninety-seven" → 1997, "two thousand and one" → 2001.

    Either a number of thousands and the rest ("two thousand and one", joined by
    ``numbers.joiners``), or a century and two digits ("nineteen ninety-seven", "nineteen
    hundred", "nineteen o five" with a ``numbers.year_zero``).
    """
    words = text.lower().replace("-", " ").split()
    thousands = grammar.lookup("number_word", " ".join(words[:2])) if len(words) >= 2 else None
    if isinstance(thousands, int) and thousands >= 1000 and thousands % 1000 == 0:
        rest = [w for w in words[2:] if w not in grammar.numbers.joiners]
        tail = parse_number(" ".join(rest), grammar) if rest else 0
        return thousands + tail if isinstance(tail, int) else None
    century = grammar.lookup("number_word", words[0])
    if not isinstance(century, int):
        return None
    rest = words[1:]
    if len(rest) == 1 and grammar.lookup("number_word", rest[0]) == 100:
        return century * 100
    if rest and rest[0] in grammar.numbers.year_zero:
        rest = rest[1:]
    tail = parse_number(" ".join(rest), grammar)
    return century * 100 + tail if isinstance(tail, int) and tail < 100 else None


def normalize_group(name: str, text: str, grammar: Grammar) -> Any:
    """The value of a named group: numbers parsed, lexicon words looked up, else the words."""
    base = _SUFFIX.sub("", name)
    if base in _NUMBER_GROUPS:
        return parse_number(text, grammar)
    if base in _INT_GROUPS:
        digits = re.sub(r"[^0-9]", "", text)
        return int(digits) if digits else None
    if base == "year_words":
        return parse_spoken_year(text, grammar)
    if base == "ordinal":
        digits = re.sub(r"[^0-9]", "", text)
        return int(digits) if digits else grammar.lookup("ordinal", text)
    table = GROUP_TABLES.get(base, base)
    if table in grammar.lexicons:
        return grammar.lookup(table, text)
    return " ".join(text.lower().split())


def granularity_hint(kind: str, fields: dict[str, Any]) -> str | None:
    """The granularity a match will resolve to, as far as its words tell (for extensions)."""
    if kind == "clock_on_day":
        return "minute"
    if kind == "holiday":
        return "day"
    if kind in ("weekday", "deictic_day"):
        return "part_of_day" if fields.get("part_of_day") else "day"
    if kind == "calendar":
        if fields.get("day") or fields.get("dd"):
            return "day"
        if fields.get("month") or fields.get("mm"):
            return "month"
        return "year"
    if kind == "anaphoric_period":
        return fields.get("period")
    return None


def _fields(rule: Rule, match: re.Match[str], grammar: Grammar) -> dict[str, Any]:
    fields = dict(rule.fields)
    for name, text in match.groupdict().items():
        if text is not None:
            value = normalize_group(name, text, grammar)
            if value is not None:
                fields[_SUFFIX.sub("", name)] = value
    return fields


def _accepts(rule: Rule, text: str, start: int, end: int) -> bool:
    if end <= start:
        return False
    # Never end in the middle of a word ("Mar" in "Market").
    if end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        return False
    if rule.context_before is not None and not rule.context_before.search(text[max(0, start - 40):start]):
        return False
    if rule.context_after is not None and not rule.context_after.match(text[end:end + 60]):
        return False
    if rule.reject_before is not None and rule.reject_before.search(text[max(0, start - 40):start]):
        return False
    return True


def _words(text: str) -> tuple[list[str], list[int]]:
    """The ``\\w+`` runs of ``text`` and where each starts, without a Match object per word."""
    pieces = _WORD.split(text)  # separator, word, separator, ..., separator
    ends = list(accumulate(map(len, pieces)))
    return pieces[1::2], ends[0:-1:2]


def _triggers(tokens: list[str], grammar: Grammar) -> list[int]:
    """Indexes of the words that may trigger a rule: a trigger word, or digits at an edge."""
    by_word = compress(range(len(tokens)), map(grammar.word_rules.get, map(str.lower, tokens)))
    # Letters only (most words) hold no digit: only the other words are looked at.
    others = compress(range(len(tokens)), map(not_, map(str.isalpha, tokens)))
    return sorted({*by_word, *(i for i in others if tokens[i][0].isdigit() or tokens[i][-1].isdigit())})


def _candidates(text: str, grammar: Grammar) -> list[tuple[int, int, Rule, re.Match[str]]]:
    tokens, word_starts = _words(text)
    starts = list(word_starts)
    # Expressions may open with a quote ("'90s"): let such positions start a match too. The word
    # after it may start one as well, after an elision ("d'hiver", "l'automne").
    elided: dict[int, int] = {}
    for quote in _QUOTE_BEFORE_WORD.finditer(text):
        place = bisect_left(word_starts, quote.end())
        elided[quote.start()] = word_starts[place]
        starts[place] = quote.start()
    rules_list = grammar.rules
    # Per rule, the last start position tried: windows of nearby triggers overlap.
    last_tried = [-1] * len(rules_list)
    found = []
    for index in _triggers(tokens, grammar):
        token = tokens[index]
        if token[0].isdigit() or token[-1].isdigit():
            word_start = word_starts[index]
            if word_start and text[word_start - 1] in _AMOUNT_CHARS:
                continue
            shape = digit_shape(token)
            rules, reaches = grammar.digit_rules[shape], grammar.digit_reach[shape]
        else:
            key = token.lower()
            rules, reaches = grammar.word_rules[key], grammar.word_reach[key]
        # Each rule is tried at the word starts before the trigger that a match of it can reach
        # back to ("more than four decades ago": three tokens before "decades"; Grammar.word_reach).
        by_reach: dict[int, list[int]] = {}
        for rule_index, reach in zip(rules, reaches, strict=True):
            positions = by_reach.get(reach)
            if positions is None:
                positions = by_reach[reach] = starts[max(0, index - reach):index + 1]
                if elided:
                    positions[:] = [p for position in positions
                                    for p in ((position, elided[position]) if position in elided else (position,))]
            rule = rules_list[rule_index]
            match_at = rule.regex.match
            floor = last_tried[rule_index]
            for position in positions[bisect_right(positions, floor):] if positions[0] <= floor else positions:
                match = match_at(text, position)
                if match and _accepts(rule, text, position, match.end()):
                    found.append((position, match.end(), rule, match))
            last_tried[rule_index] = positions[-1]
    return found


def _select(found: list[tuple[int, int, Rule, re.Match[str]]]) -> list[tuple[int, int, Rule, re.Match[str]]]:
    """Longest matches first; among equals the higher priority, then the earlier rule."""
    found.sort(key=lambda c: (-(c[1] - c[0]), -c[2].priority, c[2].index, c[0]))
    chosen: list[tuple[int, int, Rule, re.Match[str]]] = []  # kept in text order
    starts: list[int] = []
    for candidate in found:
        # Only the neighbours in text order can overlap: no quadratic scan on long texts.
        place = bisect_left(starts, candidate[0])
        if place and chosen[place - 1][1] > candidate[0]:
            continue
        if place < len(chosen) and chosen[place][0] < candidate[1]:
            continue
        starts.insert(place, candidate[0])
        chosen.insert(place, candidate)
    return chosen


def _extend(mention: Mention, extension: Extension, text: str, low: int, high: int, grammar: Grammar) -> bool:
    """Grow ``mention`` by ``extension`` if it fits between ``low`` and ``high``; True if it did."""
    if mention.kind not in extension.kinds:
        return False
    if any(mention.fields.get(name) is not None for name in extension.require_missing):
        return False
    granularity = extension.granularity
    if granularity is not None and granularity_hint(mention.kind, mention.fields) not in granularity:
        return False
    if extension.side == "before":
        window_start = max(low, mention.start - 40)
        match = extension.regex.search(text, window_start, mention.start)
        if not match or match.start() == match.end():
            return False
        new_start, new_end = match.start(), mention.end
    else:
        match = extension.regex.match(text, mention.end, min(len(text), mention.end + 40))
        if not match or match.end() > high or match.start() == match.end():
            return False
        new_end = match.end()
        if new_end < len(text) and text[new_end - 1].isalnum() and text[new_end].isalnum():
            return False
        new_start = mention.start
    for name, value in match.groupdict().items():
        if value is not None:
            normalized = normalize_group(name, value, grammar)
            if normalized is not None:
                mention.fields[_SUFFIX.sub("", name)] = normalized
    if extension.include:
        mention.start, mention.end = new_start, new_end
    if extension.type:
        mention.type = extension.type
    mention.extensions.append(extension.name)
    return True


def find_mentions(text: str, grammar: Grammar) -> list[Mention]:
    """All non-overlapping temporal expressions in ``text``, in text order."""
    chosen = _select(_candidates(text, grammar))
    mentions = [Mention(s, e, rule, rule.type, _fields(rule, m, grammar)) for s, e, rule, m in chosen]
    for position, mention in enumerate(mentions):
        low = mentions[position - 1].end if position else 0
        high = mentions[position + 1].start if position + 1 < len(mentions) else len(text)
        grown = True
        while grown:
            grown = any(
                extension.name not in mention.extensions and _extend(mention, extension, text, low, high, grammar)
                for extension in grammar.extensions
            )
    return mentions
