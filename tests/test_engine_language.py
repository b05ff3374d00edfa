"""The engine knows no language: no word of the English grammar's tables is read in its code.

Every string literal the engine *reads text with* is scanned: compared with (``==``, ``in``),
passed to a string method (``endswith``, ``split`` ...) or to ``re``, looked up in a literal
table, or kept in a module-level collection. Its words must not be words of en.toml's tables
(word tables and word lists), unless the whole literal is one of the engine's canonical codes
(a granularity, a field value the schema declares, a lexicon's value), which are the same in
every language. Text the engine *writes* (the English of ``resolution.reason``, messages) is
not reading and is not scanned. The few exceptions are listed with why.
"""
from __future__ import annotations

import ast
import dataclasses
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timeline import grammar as grammar_module
from timeline import predicates, summaries
from timeline.grammar import DIGIT_SHAPES, GRAMMAR_DIR, schema

ROOT = Path(grammar_module.__file__).resolve().parents[2]
_WORD = re.compile(r"[^\W\d_]+")
_ESCAPE = re.compile(r"\\[A-Za-z]")
_STRING_METHODS = frozenset({"startswith", "endswith", "split", "rsplit", "replace", "strip", "lstrip", "rstrip",
                             "removeprefix", "removesuffix", "find", "rfind", "index", "count", "partition",
                             "rpartition"})
_COLLECTIONS = frozenset({"frozenset", "set", "tuple"})
_RE_FUNCTIONS = frozenset({"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"})

# (module, word): why the word may stay. Keep this short: each entry is English the engine reads.
ALLOWED: dict[tuple[str, str], str] = {
    ("timeline/documents.py", "at"): "Python's json module writes its messages in English; the reader "
                                      "mends one of them, not the text",
    ("timeline/syntax.py", "the"): "the probe sentence of the shipped English parser, which the event layer "
                                   "loads only for English",
    ("timeline/syntax.py", "committee"): "the same probe sentence",
    ("timeline/syntax.py", "plan"): "the same probe sentence",
    ("timeline/syntax.py", "on"): "the same probe sentence",
    ("timeline/fetching.py", "news"): "the User-Agent header sent when fetching a page",
    ("timeline/fetching.py", "project"): "the same User-Agent header",
    ("timeline/webpages.py", "no"): "a message written, not text read",
    ("timeline/webpages.py", "was"): "a message written, not text read",
    ("timeline/webpages.py", "found"): "a message written, not text read",
    ("timeline/webpages.py", "the"): "a message written, not text read",
    ("timeline/webpages.py", "article"): "HTML element and class names (<article>, 'comment'): markup, the same "
                                         "in pages of every language",
    ("timeline/webpages.py", "page"): "a message written, not text read",
    ("timeline/webpages.py", "in"): "a message written, not text read",
    ("timeline/webpages.py", "or"): "the 'or' of an XPath expression: markup",
    ("timeline/webpages.py", "comment"): "HTML class names of comment sections: markup",
    ("timeline/webpages.py", "given"): "a code of published_source ('given', 'html-metadata')",
    ("timeline/webpages.py", "related"): "HTML class names of related-links boxes: markup",
    ("timeline/__init__.py", "build"): "the name of the library's function in __all__, not text read",
}
# Codes of the engine that happen to be English words, the same whatever the text's language.
ENGINE_CODES = frozenset({
    *predicates.CLAUSAL, *predicates.MAIN, *predicates.NOT_CLAUSAL, *predicates.SUBJECTS, *predicates.AUXILIARIES,
    *summaries.DROPPED, *summaries.NOMINAL,  # Universal Dependencies relations ("mark")
    *predicates.EVENT_CLASSES,  # TimeML event classes ("state")
    "happened", "planned", "possible", "negated",  # factualities
    "merged", "conflict",  # how mentions of one event agree
    *DIGIT_SHAPES,  # the shapes of digit tokens ("small", "other")
    "start", "end",  # the fields of an interval
    "cue",  # the group of a grammar pattern that names its cue
    "all",  # the name of an evaluation's only set
})


def _english_words() -> set[str]:
    """The words of en.toml's word tables and word lists (not its rule patterns)."""
    data = tomllib.loads((GRAMMAR_DIR / "en.toml").read_text(encoding="utf-8"))
    words: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str):
            words.update(word.lower() for word in _WORD.findall(_ESCAPE.sub(" ", value)))
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                add(key)
                add(item)

    for table in data["lexicon"].values():
        add(list(table))
    for section in ("triggers", "numbers", "tense", "labels", "events", "entities", "identification"):
        add(list(data.get(section, {}).values()))
    return words


def _canonical() -> set[str]:
    """The engine's own codes: the same in every language, so a literal that is one is no English."""
    data = tomllib.loads((GRAMMAR_DIR / "en.toml").read_text(encoding="utf-8"))
    codes: set[str] = set(schema.GRANULARITY_NAMES) | set(schema.NAMED_HOLIDAYS) | set(schema.SECTIONS) | ENGINE_CODES
    codes |= {"weekend", "time", "period"}  # the period names a rule may give beside the granularities
    for table in data["lexicon"].values():
        codes.update(value for value in table.values() if isinstance(value, str))
    for spec in (*schema.KINDS.values(),):
        for name, field_spec in spec.fields.items():
            codes.add(name)
            if field_spec.values is not None and not isinstance(field_spec.values, range):
                codes.update(value for value in field_spec.values if isinstance(value, str))
    for name, field_spec in schema.COMMON_FIELDS.items():
        codes.add(name)
        if field_spec.values is not None:
            codes.update(value for value in field_spec.values if isinstance(value, str))
    for cls in (grammar_module.TenseCues, grammar_module.EventWords, grammar_module.EntityWords,
                grammar_module.NumberWords, grammar_module.DateLabels, grammar_module.TriggerWords):
        codes.update(item.name for item in dataclasses.fields(cls))
    return codes


def _strings(node: ast.AST) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for item in node.elts:
            yield from _strings(item)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _COLLECTIONS:
        for argument in node.args:
            yield from _strings(argument)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
        yield from _strings(node.func.value)  # "a an the".split()


def _read_literals(tree: ast.Module) -> Iterator[ast.Constant]:
    """The string literals the code reads text with (see the module docstring)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                yield from _strings(side)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _STRING_METHODS:
                for argument in node.args:
                    yield from _strings(argument)
            if node.func.attr in _RE_FUNCTIONS and isinstance(node.func.value, ast.Name) and node.func.value.id == "re":
                yield from _strings(node.args[0]) if node.args else iter(())
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.value, ast.Dict):
            for key in node.value.keys:  # {"once": 1, ...}.get(word)
                if key is not None:
                    yield from _strings(key)
    for statement in tree.body:  # module-level collections of words (a bare string is a text, not a table)
        if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None \
                and not isinstance(statement.value, ast.Constant):
            yield from _strings(statement.value)


def engine_modules() -> list[Path]:
    """The engine's code: every module of the package but the shipped parser model's files."""
    return sorted(path for path in (ROOT / "timeline").rglob("*.py") if "models" not in path.parts)


def english_read_by_the_engine() -> list[str]:
    english, canonical = _english_words(), _canonical()
    found = []
    for path in engine_modules():
        module = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen: set[int] = set()
        for literal in _read_literals(tree):
            if id(literal) in seen:
                continue
            seen.add(id(literal))
            text = literal.value
            if text.strip() in canonical or text.isidentifier() and "_" in text:
                continue  # an engine code, or a key of the engine's own data ("dated_by")
            words = {word for word in _WORD.findall(_ESCAPE.sub(" ", text)) if word.islower() and len(word) > 1}
            for word in sorted(words & english):
                if (module, word) not in ALLOWED:
                    found.append(f"{module}:{literal.lineno}: {word!r} in {text[:60]!r}")
    return found


def test_the_engine_reads_no_word_of_the_english_tables() -> None:
    assert english_read_by_the_engine() == []


def test_the_scan_finds_english_where_there_is_some() -> None:
    """The scan itself works: the literals of a module that reads English are found."""
    tree = ast.parse('WORDS = frozenset("until till".split())\n'
                     'def f(word):\n    return word in ("ago", "later") or word.endswith("ing")\n')
    texts = sorted(literal.value for literal in _read_literals(tree))
    assert texts == ["ago", "ing", "later", "until till"]
    english = _english_words()
    assert {"ago", "later", "until", "yesterday", "january", "twice"} <= english
    assert "day" in _canonical() and "last" in _canonical()
