"""Which tokens wake a rule: the trigger words and digit shapes read off its compiled pattern.

The engine splits a text into ``\\w+`` tokens and tries a rule only near a token that announces
it (``Grammar.word_rules``, ``Grammar.digit_rules``).  A rule's triggers must therefore be whole
tokens, one of which every match contains.  A word written with an optional ending
(``Vorjahr(?:es|s)?``, ``halbe[nsr]?``) or with alternatives glued to it (``(?:Vor|Nach)jahr``)
spells several tokens, and each of them must wake the rule: the stem alone would miss "des
Vorjahres".  So the triggers are computed on the parse tree of the expanded pattern, the way a
code search index reads trigrams off a regular expression (Russ Cox, "Regular Expression
Matching with a Trigram Index"): for each part of the pattern, the whole words it can spell,
and for the texts that hold a separator, the word fragments at their edges and the tokens one of
which lies between.  Where the words cannot be listed (``\\w+``, ``[a-z]+`` glued to a word, or
more than a few thousand spellings), no trigger is claimed: :func:`rule_triggers` reports the
rule as one the index cannot represent, and compiling refuses it.
"""
from __future__ import annotations

import re
import re._parser as sre  # type: ignore[import-not-found]  # the stdlib's own regex parser
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any

DIGIT_SHAPES = ("year", "small", "other")
_EDGE_DIGITS = re.compile(r"^[0-9]+|[0-9]+$")
_LIMIT = 5000  # more spellings than this are not listed
_ALTERNATIVES = 100  # texts with separators followed apart (one per table entry, say) before they are pooled

# In the spellings, private-use characters stand for one digit, a run of digits, and a run of
# unknown word characters (written "#", "§" and "*" in the docstrings).
_DIGIT, _DIGITS, _UNKNOWN = "\ue000", "\ue001", "\ue002"
_NUMERIC = frozenset((_DIGIT, _DIGITS))


def _numeric(ch: str) -> bool:
    return ch in _NUMERIC or "0" <= ch <= "9"
_WILD = frozenset((_DIGIT, _DIGITS, _UNKNOWN))
_SAMPLE_DIGITS = "0129"  # digits enough to tell every shape of digit_shape apart ("1x", "20", "21", "0x", "9x")


def digit_shape(token: str) -> str:
    """Class of a token holding digits: a plausible year, a small number (day, hour), or other.

    A token gluing letters to digits is classed by the digits at its edge, so that a rule for
    a year is tried on "FY2026" and one for an hour on "3pm".
    """
    if token.isdigit():
        if len(token) == 4 and token[:2] in ("10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"):
            return "year"
        if len(token) <= 2:
            return "small"
    elif len(token) <= 4 and token[:2].rstrip("stndrh").isdigit():
        return "small"  # "16th", "3rd", "90s"
    elif (edge := _EDGE_DIGITS.search(token)) is not None:
        return digit_shape(edge.group())
    return "other"


@dataclass(frozen=True)
class Triggers:
    """The tokens that wake a rule, or the spellings that made it impossible to say."""

    words: frozenset[str]
    digits: frozenset[str]  # digit shapes (DIGIT_SHAPES)
    unlisted: tuple[str, ...] = ()  # spellings no index entry can stand for ("*jahr", "*")


@dataclass(frozen=True)
class _Split:
    """Texts holding at least one separator: the fragment before the first, the fragment after
    the last, and clauses (sets of tokens) each of which has a token between them."""

    heads: frozenset[str]
    needs: tuple[frozenset[str], ...]
    tails: frozenset[str]


@dataclass(frozen=True)
class _Info:
    """What a part of a pattern can match: whole words (texts with no separator, "" included
    when it may match nothing) and the texts that hold a separator."""

    whole: frozenset[str]
    splits: tuple[_Split, ...]


_EMPTY = _Info(frozenset({""}), ())
_SEPARATOR = _Split(frozenset({""}), (), frozenset({""}))
_ANYTHING = _Info(frozenset({_UNKNOWN, ""}), (_Split(frozenset({_UNKNOWN, ""}), (), frozenset({_UNKNOWN, ""})),))


def _tidy(text: str) -> str:
    """Runs of wild characters folded ("**" -> "*", "#§" -> "§"), so spellings stay finite."""
    if _UNKNOWN not in text and _DIGITS not in text:
        return text
    previous = None
    while previous != text:
        previous = text
        text = text.replace(_UNKNOWN * 2, _UNKNOWN).replace(_DIGITS * 2, _DIGITS).replace(_DIGIT + _DIGITS, _DIGITS) \
            .replace(_DIGITS + _DIGIT, _DIGITS)
    return text


def _pooled(texts: set[str] | frozenset[str]) -> frozenset[str]:
    """The texts, or when there are too many, one wild spelling that stands for them all."""
    if len(texts) <= _LIMIT:
        return frozenset(texts)
    return _wild(texts, "" in texts)


def _wild(texts: Any, empty: bool) -> frozenset[str]:
    """One spelling for many: a run of digits if they are all digits, else of unknown characters."""
    wild = _DIGITS if all(_numeric(ch) for text in texts for ch in text) else _UNKNOWN
    return frozenset({wild, ""} if empty else {wild})


def _joined(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    """Each text of ``left`` followed by each of ``right``, glued into one word."""
    if len(right) == 1 and "" in right:
        return left
    if len(left) == 1 and "" in left:
        return right
    if len(left) * len(right) > 4 * _LIMIT:
        return _wild([*left, *right], "" in left and "" in right)
    return _pooled({_tidy(a + b) for a, b in product(left, right)})


@lru_cache(maxsize=65536)
def _clause(tokens: frozenset[str]) -> frozenset[str] | None:
    """The tokens as a clause, or None when one of them (or an empty one) cannot be looked up."""
    return None if any(not _indexable(token) for token in tokens) else tokens


@lru_cache(maxsize=65536)
def _indexable(token: str) -> bool:
    if not token:
        return False
    if _numeric(token[0]) or _numeric(token[-1]):
        return True  # looked up by the shape of its edge digits (an unknown middle is fine)
    return not any(ch in _WILD for ch in token)


@lru_cache(maxsize=65536)
def _cost(clause: frozenset[str], stop_words: frozenset[str]) -> int:
    """Fewer and rarer tokens first: a stop word or a small number wakes a rule very often."""
    return sum(10 if token in stop_words else 1 if token.isalpha() else 3 if _shapes(token) == {"year"} else 6
               for token in clause)


def _best(clauses: tuple[frozenset[str], ...], stop_words: frozenset[str]) -> frozenset[str] | None:
    usable = [clause for clause in clauses if _clause(clause) is not None]
    return min(usable, key=lambda clause: _cost(clause, stop_words), default=None)


def _choice(clauses: tuple[frozenset[str], ...], stop_words: frozenset[str],
            preferred: Triggers | None) -> frozenset[str] | None:
    """The clause ``preferred`` covers (the first one), else the best."""
    covered = next((c for c in clauses if preferred is not None and _covers(preferred, c)), None)
    return covered if covered is not None else _best(clauses, stop_words)


def _pool_splits(splits: list[_Split], stop_words: frozenset[str], most: int = _ALTERNATIVES,
                 preferred: Triggers | None = None) -> tuple[_Split, ...]:
    """At most ``most`` kinds of texts with separators: those with the same clauses between their
    edges (and whose edges ``preferred`` covers alike) pooled first, their edges put together;
    then all of them, keeping between the edges one token of the best clause of each (a clause
    must hold for each text)."""
    splits = list(dict.fromkeys(splits))
    if len(splits) <= most:
        return tuple(splits)
    by_needs: dict[tuple[Any, ...], list[_Split]] = {}
    for split in splits:
        covered = preferred is not None and (_covers(preferred, split.heads), _covers(preferred, split.tails),
                                             any(_covers(preferred, need) for need in split.needs))
        by_needs.setdefault((split.needs, covered), []).append(split)
    if len(by_needs) <= most:
        return tuple(_Split(_pooled({h for s in group for h in s.heads}), needs,
                            _pooled({t for s in group for t in s.tails})) for (needs, _), group in by_needs.items())
    by_cover: dict[Any, list[_Split]] = {}
    for (_, covered), group in by_needs.items():
        by_cover.setdefault(covered, []).extend(group)
    return tuple(_pool_all(group, stop_words, preferred) for group in by_cover.values())


def _pool_all(splits: list[_Split], stop_words: frozenset[str], preferred: Triggers | None) -> _Split:
    """Texts with separators as one: edges put together, and between them one token of the chosen
    clause of each (none if one of them has none)."""
    bests = [_choice(split.needs, stop_words, preferred) for split in splits]
    pooled: tuple[frozenset[str], ...] = () if any(best is None for best in bests) else \
        (frozenset().union(*(best for best in bests if best is not None)),)
    return _Split(_pooled({h for s in splits for h in s.heads}), pooled, _pooled({t for s in splits for t in s.tails}))


class _Reader:
    def __init__(self, stop_words: frozenset[str], preferred: Triggers | None) -> None:
        self.stop_words, self.preferred = stop_words, preferred

    def pool(self, splits: list[_Split], most: int = _ALTERNATIVES) -> tuple[_Split, ...]:
        return _pool_splits(splits, self.stop_words, most, self.preferred)

    def sequence(self, items: Any) -> _Info:
        info = _EMPTY
        letters = ""  # a run of literal word characters, read as one word piece
        for op, av in items:
            if op is sre.LITERAL and (chr(av).isalnum() or av == 95):
                letters += chr(av).lower()
                continue
            if letters:
                info, letters = self.then(info, _Info(frozenset({letters}), ())), ""
            info = self.then(info, self.node(op, av))
        return self.then(info, _Info(frozenset({letters}), ())) if letters else info

    def then(self, left: _Info, right: _Info) -> _Info:
        """The texts of ``left`` followed by those of ``right``."""
        if len(left.splits) * len(right.splits) > 10 * _ALTERNATIVES:  # pooled first, the larger side alone
            if len(left.splits) > len(right.splits):
                left = _Info(left.whole, self.pool([*left.splits], 10 * _ALTERNATIVES // max(1, len(right.splits))))
            if len(left.splits) * len(right.splits) > 10 * _ALTERNATIVES:
                right = _Info(right.whole, self.pool([*right.splits], 10 * _ALTERNATIVES // max(1, len(left.splits))))
        splits = [_Split(s.heads, s.needs, _joined(s.tails, right.whole)) for s in left.splits if right.whole]
        splits += [_Split(_joined(left.whole, s.heads), s.needs, s.tails) for s in right.splits if left.whole]
        for a in left.splits:
            for b in right.splits:
                middle = _clause(_joined(a.tails, b.heads))  # None if the separators meet: no token
                inner = (middle,) if middle is not None else ()
                splits.append(_Split(a.heads, tuple(dict.fromkeys((*a.needs, *inner, *b.needs))), b.tails))
        return _Info(_joined(left.whole, right.whole), self.pool(splits))

    def either(self, options: list[_Info]) -> _Info:
        return _Info(_pooled({w for o in options for w in o.whole}),
                     self.pool([s for o in options for s in o.splits]))

    def node(self, op: Any, av: Any) -> _Info:
        if op is sre.LITERAL:
            return _character(chr(av))
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return _EMPTY  # what a lookaround tests is no part of the match
        if op is sre.IN:
            return self.either([_character(ch) for ch in _class_characters(av)])
        if op is sre.BRANCH:
            return self.either([self.sequence(branch) for branch in av[1]])
        if op is sre.SUBPATTERN:
            return self.sequence(av[3])
        if op is sre.ATOMIC_GROUP:
            return self.sequence(av)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            return self.repeat(*av)
        return _ANYTHING  # any character, a negated literal, a back reference

    def repeat(self, low: int, high: int, item: Any) -> _Info:
        inner = self.sequence(item)
        if high == sre.MAXREPEAT or high > 4:
            return _unbounded(inner, low)
        options = []
        for count in range(low, high + 1):
            info = _EMPTY
            for _ in range(count):
                info = self.then(info, inner)
            options.append(info)
        return self.either(options)


def _unbounded(inner: _Info, low: int) -> _Info:
    """``x+``, ``x*``, ``x{2,}``: separators repeated are one separator, digits a run of digits,
    other word characters a run of unknown ones."""
    optional = frozenset({""}) if low == 0 or "" in inner.whole else frozenset()
    if inner.whole <= {""} and all(s.heads == {""} and s.tails == {""} and not s.needs for s in inner.splits):
        return _Info(optional if inner.splits else frozenset({""}), inner.splits[:1])  # "\s+"
    if not inner.splits:
        digits = all(_numeric(ch) for text in inner.whole for ch in text)
        return _Info(frozenset({_DIGITS if digits else _UNKNOWN}) | optional, ())
    return _ANYTHING


def _character(ch: str) -> _Info:
    """One character: a digit, a letter (lower-cased), a wild spelling, or a separator."""
    if ch in _WILD:
        return _Info(frozenset({ch}), ())
    if ch.isalnum() or ch == "_":
        return _Info(frozenset({ch.lower()}), ())
    return _Info(frozenset(), (_SEPARATOR,))


def _class_characters(items: Any) -> set[str]:
    """The characters of a class, any digit as "#", a separator as " ", unknown ones as "*"."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.NEGATE:
            return {_UNKNOWN, " "}
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE:
            if av[1] - av[0] > 64:
                chars.update({_UNKNOWN, " "})
            else:
                chars.update(chr(code) for code in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY:
            chars.update({sre.CATEGORY_DIGIT: {_DIGIT}, sre.CATEGORY_SPACE: {" "},
                          sre.CATEGORY_NOT_SPACE: {_UNKNOWN, "."}, sre.CATEGORY_WORD: {_UNKNOWN},
                          sre.CATEGORY_NOT_WORD: {" "}}.get(av, {_UNKNOWN, " "}))
        else:
            chars.update({_UNKNOWN, " "})
    if all(str(digit) in chars for digit in range(10)):  # [0-9]: any digit
        chars = {ch for ch in chars if not ("0" <= ch <= "9")} | {_DIGIT}
    return chars


@lru_cache(maxsize=4096)
def _shapes(token: str) -> frozenset[str]:
    """The digit shapes a spelled token holding digits can have."""
    if _UNKNOWN in token or _DIGITS in token or token.count(_DIGIT) > 4:
        return frozenset(DIGIT_SHAPES)
    spots = [i for i, ch in enumerate(token) if ch == _DIGIT]
    shapes = set()
    for digits in product(_SAMPLE_DIGITS, repeat=len(spots)):
        chars = list(token)
        for spot, digit in zip(spots, digits, strict=True):
            chars[spot] = digit
        shapes.add(digit_shape("".join(chars)))
    return frozenset(shapes)


@lru_cache(maxsize=4096)  # a grammar compiled again with one rule edited reads the others once
def rule_triggers(regex: re.Pattern[str], stop_words: frozenset[str] = frozenset(),
                  preferred: Triggers | None = None) -> Triggers:
    """The tokens one of which every match of a rule's compiled pattern holds.

    A match starts after a non-word character (the rule's ``(?<!\\w)``) and is accepted only if
    it ends at the end of a word, so its first and last fragments are whole tokens.  For each
    way of matching, the clause of fewest common tokens is kept; a stop word or digit is used
    only when nothing rarer is certain to occur.  A clause all of whose tokens ``preferred``
    already holds is taken first (triggers chosen by another reading, kept where they are sound).
    """
    info = _Reader(stop_words, preferred).sequence(_parse(regex.pattern, regex.flags))
    tokens: set[str] = set(info.whole)
    unlisted = {_readable(token) or "(an empty match)" for token in info.whole if not _indexable(token)}
    for split in info.splits:
        # The first fragment and the last are tokens unless empty (a match opening with a quote).
        best = _choice((split.heads, split.tails, *split.needs), stop_words, preferred)
        if best is None:
            odd = {_readable(t) for t in (*split.heads, *split.tails) if t and not _indexable(t)}
            unlisted |= odd or {"(a text of separators)"}
        else:
            tokens.update(best)
    words = frozenset(t for t in tokens if _indexable(t) and not any(ch.isdigit() or ch in _WILD for ch in t))
    digits = frozenset(shape for t in tokens if _indexable(t) and t not in words for shape in _shapes(t))
    return Triggers(words, digits, tuple(sorted(unlisted)))


def _covers(triggers: Triggers, clause: frozenset[str]) -> bool:
    """Whether each token of the clause wakes a rule with these triggers."""
    if _clause(clause) is None:
        return False
    return all(_shapes(token) <= triggers.digits if _numeric(token[0]) or _numeric(token[-1])
               else token in triggers.words for token in clause)


def _readable(token: str) -> str:
    """A spelling as the docs write it: "#" a digit, "§" digits, "*" unknown word characters."""
    return token.replace(_DIGIT, "#").replace(_DIGITS, "\u00a7").replace(_UNKNOWN, "*")


@lru_cache(maxsize=2048)
def _parse(pattern: str, flags: int) -> Any:
    return sre.parse(pattern, flags)


# --- how far before its trigger a match can start ------------------------------------------------
# The matcher finds a trigger token and tries the rule at the word starts before it.  How many
# word starts: the most tokens a match can hold before the trigger's, read off the parse tree.
# Counted in tokens, not characters, so that "\s+" between words costs nothing.
UNBOUNDED = 1 << 30  # no bound: the rule is tried from the start of the text
_REPEATS = 40  # rounds of a bounded repeat followed; more ("{0,100}" of words) count as UNBOUNDED
# Rounds of an unbounded repeat that adds tokens each round (in our grammars only digit groups:
# "1,200,000" is three tokens) followed: "1,000,000,000" (a billion, four groups) before a trigger
# is reached back in full; a match with a longer run before its trigger is not tried from its start.
_ROUNDS = 3


@dataclass(frozen=True)
class _Leaf:
    """One character of a pattern: which characters it accepts (a test), and whether a word
    character, a separator, can be among them."""

    test: Any  # str -> bool
    word: bool
    separator: bool


def _is_word(ch: str) -> bool:
    """What ``\\w`` matches (and the matcher's tokens are made of)."""
    return ch.isalnum() or ch == "_"


_CATEGORIES = {  # category: (test, holds word characters, holds separators)
    sre.CATEGORY_DIGIT: (str.isdecimal, True, False),
    sre.CATEGORY_NOT_DIGIT: (lambda ch: not ch.isdecimal(), True, True),
    sre.CATEGORY_SPACE: (str.isspace, False, True),
    sre.CATEGORY_NOT_SPACE: (lambda ch: not ch.isspace(), True, True),
    sre.CATEGORY_WORD: (_is_word, True, False),
    sre.CATEGORY_NOT_WORD: (lambda ch: not _is_word(ch), False, True),
}
_ANY = _Leaf(lambda ch: True, True, True)


def _folded(ch: str) -> set[str]:
    """A character and its other cases (patterns compile IGNORECASE)."""
    return {form for form in (ch, ch.lower(), ch.upper()) if len(form) == 1}


def _leaf(op: Any, av: Any) -> _Leaf:
    """The test and kinds of a one-character node."""
    if op is sre.LITERAL:
        forms = _folded(chr(av))
        return _Leaf(lambda ch: bool(_folded(ch) & forms), _is_word(chr(av)), not _is_word(chr(av)))
    if op is not sre.IN or any(o is sre.NEGATE for o, _ in av):
        return _ANY  # any character, a negated literal or class: of either kind
    tests, word, separator = [], False, False
    for o, a in av:
        if o is sre.LITERAL:
            part = _leaf(o, a)
            tests.append(part.test)
            word, separator = word or part.word, separator or part.separator
        elif o is sre.RANGE:
            low, high = a
            tests.append(lambda ch, low=low, high=high: any(low <= ord(c) <= high for c in _folded(ch)))
            kinds = {_is_word(chr(code)) for code in range(low, min(high, low + 5000) + 1)} | \
                ({True, False} if high > low + 5000 else set())
            word, separator = word or True in kinds, separator or False in kinds
        else:
            test, holds_word, holds_separator = _CATEGORIES.get(a, (_ANY.test, True, True))
            tests.append(test)
            word, separator = word or holds_word, separator or holds_separator
    return _Leaf(lambda ch: any(test(ch) for test in tests), word, separator)


# A state of the walk: for a match so far ending in a separator (or nothing) and for one ending
# in a word character, the most tokens it can have started (-1: it cannot end so).
_State = tuple[int, int]


def _merge(a: _State, b: _State) -> _State:
    return max(a[0], b[0]), max(a[1], b[1])


class _Reach:
    """Walks a pattern recording, for each character node, the most tokens started before it."""

    def __init__(self) -> None:
        self.before: dict[Any, tuple[_Leaf, _State]] = {}  # by node (a class) or character

    def sequence(self, items: Any, state: _State) -> _State:
        for op, av in items:
            state = self.node(op, av, state)
        return state

    def node(self, op: Any, av: Any, state: _State) -> _State:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return state
        if op is sre.BRANCH:
            result = (-1, -1)
            for branch in av[1]:
                result = _merge(result, self.sequence(branch, state))
            return result
        if op is sre.SUBPATTERN:
            return self.sequence(av[3], state)
        if op is sre.ATOMIC_GROUP:
            return self.sequence(av, state)
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, item = av
            return self.repeat(low, high, item, state)
        if op is sre.GROUPREF:
            return self.repeat(0, sre.MAXREPEAT, [(sre.ANY, None)], state)
        return self.character(op, av, state)

    def character(self, op: Any, av: Any, state: _State) -> _State:
        key = id(av) if op is sre.IN else (op, av)
        leaf, seen = self.before.get(key, (_leaf(op, av), (-1, -1)))
        self.before[key] = leaf, _merge(seen, state)
        separator, word = state
        best = max(separator, word)
        after_separator = best if leaf.separator and best >= 0 else -1
        after_word = max(separator + 1 if separator >= 0 else -1, word) if leaf.word else -1
        return _capped(after_separator), _capped(after_word)

    def repeat(self, low: int, high: int, item: Any, state: _State) -> _State:
        """Any count up to ``high`` (fewer than ``low`` too: a bound may only be loose), an
        unbounded repeat that adds tokens each round (digit groups, "1,000,000") ``_ROUNDS`` times."""
        current = state
        for _ in range(min(high, _ROUNDS if high == sre.MAXREPEAT else _REPEATS)):
            following = _merge(current, self.sequence(item, current))
            if following == current:
                return current  # another round adds no token: a fixed point
            current = following
        if high != sre.MAXREPEAT and high > _REPEATS:
            current = (_endless(current[0]), _endless(current[1]))
            current = _merge(current, self.sequence(item, current))
        return current


def _endless(count: int) -> int:
    return UNBOUNDED if count >= 0 else -1


def _capped(count: int) -> int:
    return min(count, UNBOUNDED)


def rule_reach(regex: re.Pattern[str], triggers: Triggers) -> tuple[dict[str, int], int]:
    """For each trigger word, and for a trigger holding digits, the most tokens a match can hold
    before the trigger's token: the word starts the matcher tries the rule at, before it.

    A trigger word is a whole token, so its first character follows a separator (or starts the
    match): the most tokens started before any character of the pattern that can be that first
    letter.  A token holding digits at an edge starts there, or ends there after letters ("Q3").
    """
    reach = _Reach()
    reach.sequence(_parse(regex.pattern, regex.flags), (0, -1))
    seen = list(reach.before.values())
    words = {}
    for word in triggers.words:
        forms = {word[0], word[0].upper(), word[0].title()}
        words[word] = max((state[0] for leaf, state in seen if any(map(leaf.test, forms))), default=UNBOUNDED)
    digits = max((max(state[0], state[1] - 1) for leaf, state in seen if any(map(leaf.test, "0123456789"))),
                 default=UNBOUNDED) if triggers.digits else 0
    return words, max(digits, 0)
