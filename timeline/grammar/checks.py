"""Check a grammar's rules and extensions against the declared schema (:mod:`timeline.grammar.schema`).

Each function returns the problems it finds as sentences; ``compile_grammar`` prefixes them
with the file, line and rule and raises them all at once, so an author sees every mistake of
a file in one run.
"""
from __future__ import annotations

import difflib
import re
import re._parser as sre  # type: ignore[import-not-found]  # the stdlib's own regex parser
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from .regex_source import closing_parenthesis
from .schema import (
    COMMON_KEYS,
    EXTENSION_KEYS,
    EXTENSION_REQUIRED,
    GRANULARITY_NAMES,
    GROUP_READERS,
    GROUP_TABLES,
    KINDS,
    REQUIRED_KEYS,
    TIMEX_TYPES,
    FieldSpec,
    fields_of,
)

_SUFFIX = re.compile(r"_[0-9]+$")  # "year_2" sets the field "year" (Python forbids repeated group names)
_LIMIT = 5000  # a group that can match more strings than this is not enumerated


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _value_problem(name: str, value: Any, spec: FieldSpec) -> str | None:
    if spec.accepts(value):
        return None
    return f"{name} = {value!r} is off the schema: expected {spec.describe()}"


def group_fields(regex: re.Pattern[str]) -> dict[str, list[str]]:
    """The fields a compiled pattern's named groups set, each with its groups' names."""
    fields: dict[str, list[str]] = {}
    for group in regex.groupindex:
        fields.setdefault(_SUFFIX.sub("", group), []).append(group)
    return fields


def rule_problems(spec: dict[str, Any], regex: re.Pattern[str] | None, lexicons: dict[str, dict[str, Any]],
                  expand: Callable[[str], str]) -> list[str]:
    """What is wrong with one ``[[rule]]`` table, given its compiled pattern (None if it did not compile)."""
    problems = [f"missing {key!r}" for key in REQUIRED_KEYS if key not in spec]
    kind = spec.get("kind")
    if kind is not None and (not isinstance(kind, str) or kind not in KINDS):
        problems.append(f"unknown kind {kind!r}{_suggest(str(kind), KINDS)}; known: {', '.join(KINDS)}")
        return problems
    allowed = fields_of(kind) if kind is not None else {}
    for key, value in spec.items():
        key_spec = COMMON_KEYS.get(key) or allowed.get(key)
        if key_spec is None:
            problems.append(f"unknown key {key!r}{_suggest(key, [*COMMON_KEYS, *allowed])}"
                            + (f": kind {kind!r} reads no such field" if kind else ""))
            continue
        problem = _value_problem(key, value, key_spec)
        if problem:
            problems.append(problem)
    if kind is not None and spec.get("type") in TIMEX_TYPES and spec["type"] not in KINDS[kind].types:
        problems.append(f"type {spec['type']!r} is not one kind {kind!r} gives: {', '.join(KINDS[kind].types)}")
    for table in {s.table for s in allowed.values() if s.table} - set(lexicons):
        users = [name for name, s in allowed.items() if s.table == table
                 and (name in spec or (regex is not None and name in group_fields(regex)))]
        if users:
            problems.append(f"field {users[0]!r} is read through [lexicon.{table}], which this grammar lacks")
    if regex is None or kind is None:
        return problems
    groups = group_fields(regex)
    words = _GroupWords(spec["pattern"], regex, expand)
    for name in groups:
        if name not in allowed:
            problems.append(f"group {name!r} sets no field kind {kind!r} reads{_suggest(name, allowed)}")
        else:
            problems.extend(_group_problems(name, groups[name], allowed[name], words, lexicons))
    for one_of in KINDS[kind].required:
        if not any(name in spec or name in groups for name in one_of):
            problems.append(f"kind {kind!r} needs {' or '.join(map(repr, one_of))}, "
                            "as a constant or a named group of the pattern")
    examples = spec.get("example", [])
    for example in [examples] if isinstance(examples, str) else _strings(examples):
        match = regex.match(example)
        if not match or match.end() != len(example):
            problems.append(f"the pattern does not match its example {example!r} in full")
    return problems


def _group_problems(field: str, names: list[str], spec: FieldSpec, words: _GroupWords,
                    lexicons: dict[str, dict[str, Any]]) -> list[str]:
    """A group must give a value of the field's type, canonical if the field lists its values:
    through the word table of its name, or as its own words when there is none."""
    reader = GROUP_READERS.get(field)
    if reader is not None:
        return [] if int in spec.types else [f"group {field!r} reads {reader}, but the field is {spec.describe()}"]
    table_name = GROUP_TABLES.get(field, field)
    table = lexicons.get(table_name)
    problems = []
    for name in names:
        listed = words.of(name, own_table=table_name if table is not None else None)
        if table is not None and listed is None:
            # The table's own words (or words that cannot be listed): all its values must fit.
            wrong = sorted({repr(v) for v in table.values() if not spec.accepts(v)})
            if wrong:
                problems.append(f"[lexicon.{table_name}] gives {', '.join(wrong[:5])}, off the schema of field "
                                f"{field!r}: expected {spec.describe()}")
        elif table is not None and listed is not None:
            missing = sorted(word for word in listed if _lookup(table, word) is None)
            if missing:
                problems.append(f"group {name!r} can match {', '.join(map(repr, missing[:5]))}, which "
                                f"[lexicon.{table_name}] lacks: such a match sets no field")
            wrong = sorted({repr(_lookup(table, word)) for word in listed if word not in missing
                            and not spec.accepts(_lookup(table, word))})
            if wrong:
                problems.append(f"group {name!r} can match words [lexicon.{table_name}] maps to "
                                f"{', '.join(wrong[:5])}, off the schema of field {field!r}: "
                                f"expected {spec.describe()}")
        elif str not in spec.types:
            problems.append(f"group {name!r} gives its words, but field {field!r} is {spec.describe()}; "
                            f"map them with a [lexicon.{field}]")
        elif listed is None and spec.values is not None:
            problems.append(f"group {name!r} can match words that cannot be listed, and field {field!r} "
                            f"takes only {spec.describe()}: map them with a [lexicon.{field}]")
        elif listed is not None and (wrong := sorted(word for word in listed if not spec.accepts(word))):
            problems.append(f"group {name!r} can match {', '.join(map(repr, wrong[:5]))}, not a value of field "
                            f"{field!r} ({spec.describe()}): map the words with a [lexicon.{field}]")
    return problems


def _lookup(table: dict[str, Any], text: str) -> Any:
    """``Grammar.lookup`` on a table of lower-cased keys (case, spacing and hyphens folded)."""
    key = " ".join(text.lower().replace("-", " ").split())
    compact = " ".join(text.lower().split())
    for candidate in (key, compact, key.rstrip("."), key + "."):
        if candidate in table:
            return table[candidate]
    return None


def extension_problems(spec: dict[str, Any], regex: re.Pattern[str] | None) -> list[str]:
    """What is wrong with one ``[[extension]]`` table."""
    problems = [f"missing {key!r}" for key in EXTENSION_REQUIRED if key not in spec]
    for key, value in spec.items():
        key_spec = EXTENSION_KEYS.get(key)
        if key_spec is None:
            problems.append(f"unknown key {key!r}{_suggest(key, EXTENSION_KEYS)}")
        elif (problem := _value_problem(key, value, key_spec)) is not None:
            problems.append(problem)
    listed = spec.get("kinds")
    kinds = [kind for kind in listed if isinstance(kind, str)] if isinstance(listed, list) else []
    problems.extend(f"unknown kind {kind!r}{_suggest(kind, KINDS)}" for kind in kinds if kind not in KINDS)
    kinds = [kind for kind in kinds if kind in KINDS]
    for granularity in _strings(spec.get("granularity")):
        if granularity not in GRANULARITY_NAMES:
            problems.append(f"unknown granularity {granularity!r}; known: {', '.join(GRANULARITY_NAMES)}")
    for name in _strings(spec.get("require_missing")):
        if not any(name in fields_of(kind) for kind in kinds):
            problems.append(f"require_missing names {name!r}, no field of the kinds it extends")
    for name in group_fields(regex) if regex is not None else {}:
        lacking = [kind for kind in kinds if name not in fields_of(kind)]
        if lacking:
            problems.append(f"group {name!r} sets no field kind {lacking[0]!r} reads")
    return problems


def _strings(value: Any) -> list[str]:
    """The strings of a list value (a value of another type is reported by its key's check)."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# --- the strings a group can match --------------------------------------------------------------
class _Unlisted(Exception):
    """The group can match too many strings, or strings of any letters."""


class _GroupWords:
    """The texts each named group of a rule can match, lower-cased and single-spaced (None when
    they cannot be listed: a free run of letters, or more than a few thousand strings).

    Lookarounds match nothing; a repeated space or hyphen counts once, as matching folds
    spacing anyway.  A group written in the rule's own pattern is parsed alone, the others
    (from a macro) within the whole expanded pattern.
    """

    def __init__(self, pattern: str, regex: re.Pattern[str], expand: Callable[[str], str]) -> None:
        self.pattern, self.regex, self.expand = pattern, regex, expand

    def of(self, group: str, own_table: str | None = None) -> set[str] | None:
        body = _group_source(self.pattern, group)
        if body is not None and own_table is not None and body.strip("{}").lower() == own_table:
            return None  # "(?P<month>{Month})": the table's own words, nothing to check
        try:
            if body is not None:
                return _normalized(_sequence(_parse(self.expand(body), self.regex.flags)))
            node = next(_find_group(_parse(self.regex.pattern, self.regex.flags), self.regex.groupindex[group]), None)
            return None if node is None else _normalized(_sequence(node))
        except _Unlisted:
            return None


@lru_cache(maxsize=2048)
def _parse(pattern: str, flags: int) -> Any:
    """The parse tree of a pattern (the same rules are compiled again and again in tests)."""
    return sre.parse(pattern, flags)


def _normalized(texts: set[str]) -> set[str]:
    return {" ".join(text.lower().split()) for text in texts}


def _group_source(pattern: str, group: str) -> str | None:
    """The body of ``(?P<group>...)`` as written in ``pattern``, or None if it is not there."""
    opening = f"(?P<{group}>"
    start = pattern.find(opening)
    if start < 0:
        return None
    closing = closing_parenthesis(pattern, start)
    return None if closing is None else pattern[start + len(opening):closing]


def _find_group(items: Any, number: int) -> Iterator[Any]:
    for op, av in items:
        if op is sre.SUBPATTERN:
            if av[0] == number:
                yield av[3]
                return
            yield from _find_group(av[3], number)
        elif op is sre.BRANCH:
            for branch in av[1]:
                yield from _find_group(branch, number)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            yield from _find_group(av[2], number)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _find_group(av[1], number)
        elif op is sre.ATOMIC_GROUP:
            yield from _find_group(av, number)


def _sequence(items: Any) -> set[str]:
    results = {""}
    for op, av in items:
        options = _node(op, av)
        results = {head + tail for head in results for tail in options}
        if len(results) > _LIMIT:
            raise _Unlisted
    return results


def _node(op: Any, av: Any) -> set[str]:
    if op is sre.LITERAL:
        return {chr(av)}
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {""}
    if op is sre.IN:
        return _char_class(av)
    if op is sre.BRANCH:
        return set().union(*(_sequence(branch) for branch in av[1]))
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, item = av
        inner = _sequence(item)
        if high == sre.MAXREPEAT:
            if not all(len(text) <= 1 and not text.isalnum() for text in inner):
                raise _Unlisted
            high = max(low, 1)  # " " or "-" repeated: once stands for all
        if high > 4:
            raise _Unlisted
        out: set[str] = set()
        for count in range(low, high + 1):
            out |= _sequence([(sre.SUBPATTERN, (None, 0, 0, item))] * count) if count else {""}
        return out
    raise _Unlisted  # any character, a negated literal, a back reference


def _char_class(items: Any) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < 12:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            chars.add(" ")
        else:
            raise _Unlisted
    return chars
