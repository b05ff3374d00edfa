"""Load a language's temporal grammar (``<language>.toml``) and compile it for the engine.

The TOML file holds everything language-specific: word tables, cue words, patterns.
This module only turns it into compiled regular expressions and lookup tables; it
knows nothing of English.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

GRAMMAR_DIR = Path(__file__).parent
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_RULE_KEYS = {"name", "type", "kind", "pattern", "priority", "context_before", "context_after"}


class GrammarError(ValueError):
    """A grammar file is malformed; the message names the rule."""


@dataclass(frozen=True)
class Rule:
    """One pattern and what its match means (``kind`` plus constant ``fields``)."""

    index: int
    name: str
    type: str
    kind: str
    regex: re.Pattern[str]
    fields: dict[str, Any]
    priority: int = 0
    context_before: re.Pattern[str] | None = None
    context_after: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Extension:
    """A prefix or suffix that may wrap a match of the given kinds ("early" + a period)."""

    name: str
    side: str  # "before" or "after"
    kinds: frozenset[str]
    regex: re.Pattern[str]
    granularity: frozenset[str] | None = None
    type: str | None = None
    require_missing: tuple[str, ...] = ()
    include: bool = True  # False: the words only set fields ("about [two weeks]")


@dataclass(frozen=True)
class TenseCues:
    """Words that tell whether a clause speaks of the past or the future."""

    future: frozenset[str]
    future_phrases: tuple[str, ...]
    past: frozenset[str]
    past_suffix: str
    not_past: frozenset[str]
    present: frozenset[str]
    reporting: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Grammar:
    language: str
    lexicons: dict[str, dict[str, Any]]
    rules: tuple[Rule, ...]
    extensions: tuple[Extension, ...]
    tense: TenseCues
    # Which rules a word can start the search for (see _trigger_index): the engine tries a
    # rule only near a word that must occur in its matches, which keeps tagging fast.
    word_rules: dict[str, tuple[int, ...]] = field(repr=False)
    digit_rules: tuple[int, ...] = field(repr=False)

    def lookup(self, lexicon: str, text: str) -> Any:
        """The normalized value of ``text`` in a word table (case and spacing folded)."""
        key = " ".join(text.lower().replace("-", " ").split())
        table = self.lexicons[lexicon]
        if key in table:
            return table[key]
        compact = " ".join(text.lower().split())
        if compact in table:
            return table[compact]
        return table.get(key.rstrip("."), table.get(key + "."))


def _alternation(words: list[str], capitalized: bool) -> str:
    forms = []
    for word in sorted(words, key=len, reverse=True):
        if capitalized:
            word = word[:1].upper() + word[1:]
        forms.append(r"\s+".join(re.escape(part) for part in word.split(" ")))
    body = "|".join(forms)
    return f"(?-i:{body})" if capitalized else f"(?:{body})"


def _expander(lexicons: dict[str, dict[str, Any]], macros: dict[str, str]):
    def expand(pattern: str, depth: int = 0) -> str:
        if depth > 10:
            raise GrammarError(f"macro recursion too deep in {pattern!r}")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in macros:
                return f"(?:{expand(macros[name], depth + 1)})"
            if name in lexicons:
                return _alternation(list(lexicons[name]), capitalized=False)
            lowered = name[:1].lower() + name[1:]
            if name[:1].isupper() and lowered in lexicons:
                return _alternation(list(lexicons[lowered]), capitalized=True)
            return match.group(0)  # a regex quantifier such as {2}

        return _PLACEHOLDER.sub(replace, pattern)

    return expand


# Words too common to announce a temporal expression by themselves.
_STOP_WORDS = frozenset(
    "a an the of in on at to for and or this that these those some over under about more less "
    "than up no as by with from so it its per each every s".split()
)
_ESCAPES = re.compile(r"\\[A-Za-z]|\(\?P<[^>]*>|\(\?[-imsx]*:|\(\?<?[!=]|\[\^?[^\]]*\]")


def _triggers(pattern: str, lexicons: dict[str, dict[str, Any]], macros: dict[str, str]) -> tuple[set[str], bool]:
    """Words one of which any match of ``pattern`` contains, and whether digits may do instead.

    A superset is safe (the rule is merely tried more often); a missing word would hide
    matches, so every lexicon the pattern mentions contributes all its words.
    """
    words: set[str] = set()
    digits = False
    pending = [pattern]
    seen: set[str] = set()
    while pending:
        text = pending.pop()
        for name in _PLACEHOLDER.findall(text):
            lowered = name[:1].lower() + name[1:]
            if name in macros and name not in seen:
                seen.add(name)
                pending.append(macros[name])
            for lexicon in (name, lowered):
                if lexicon in lexicons:
                    for key in lexicons[lexicon]:
                        words.update(re.findall(r"[a-z]+", key))
                        digits |= any(ch.isdigit() for ch in key)
        bare = _PLACEHOLDER.sub(" ", text)
        digits |= "0-9" in bare or "\\d" in bare
        words.update(re.findall(r"[a-z]+", _ESCAPES.sub(" ", bare).lower()))
    return {w for w in words if w not in _STOP_WORDS}, digits


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise GrammarError(f"{where}: bad pattern: {error}") from error


def compile_grammar(data: dict[str, Any]) -> Grammar:
    """Compile the parsed TOML of a grammar file."""
    lexicons = {name: {str(k).lower(): v for k, v in table.items()}
                for name, table in data.get("lexicon", {}).items()}
    expand = _expander(lexicons, data.get("macros", {}))
    macros = data.get("macros", {})
    rules = []
    word_rules: dict[str, list[int]] = {}
    digit_rules: list[int] = []
    for index, spec in enumerate(data.get("rule", [])):
        where = f"rule {spec.get('name', index)!r}"
        for key in ("name", "type", "kind", "pattern"):
            if key not in spec:
                raise GrammarError(f"{where}: missing {key!r}")
        # Every rule starts at a word boundary: no timex begins mid-word.
        body = expand(spec["pattern"])
        regex = _compile(rf"(?<!\w)(?:{body})", where)
        words, digits = _triggers(spec["pattern"], lexicons, macros)
        for word in words:
            word_rules.setdefault(word, []).append(index)
        if digits:
            digit_rules.append(index)
        rules.append(Rule(
            index=index, name=spec["name"], type=spec["type"], kind=spec["kind"], regex=regex,
            fields={k: v for k, v in spec.items() if k not in _RULE_KEYS},
            priority=int(spec.get("priority", 0)),
            context_before=_compile(expand(spec["context_before"]), where) if "context_before" in spec else None,
            context_after=_compile(expand(spec["context_after"]), where) if "context_after" in spec else None,
        ))
    extensions = []
    for spec in data.get("extension", []):
        where = f"extension {spec.get('name')!r}"
        body = expand(spec["pattern"])
        regex = _compile(rf"(?<!\w)(?:{body})$" if spec["side"] == "before" else rf"(?:{body})", where)
        extensions.append(Extension(
            name=spec["name"], side=spec["side"], kinds=frozenset(spec["kinds"]), regex=regex,
            granularity=frozenset(spec["granularity"]) if "granularity" in spec else None,
            type=spec.get("type"), require_missing=tuple(spec.get("require_missing", ())),
            include=bool(spec.get("include", True)),
        ))
    cues = data.get("tense", {})
    tense = TenseCues(
        future=frozenset(cues.get("future", ())), future_phrases=tuple(cues.get("future_phrases", ())),
        past=frozenset(cues.get("past", ())), past_suffix=cues.get("past_suffix", ""),
        not_past=frozenset(cues.get("not_past", ())), present=frozenset(cues.get("present", ())),
        reporting=frozenset(cues.get("reporting", ())),
    )
    return Grammar(
        data.get("language", "?"), lexicons, tuple(rules), tuple(extensions), tense,
        word_rules={w: tuple(r) for w, r in word_rules.items()}, digit_rules=tuple(digit_rules),
    )


@lru_cache(maxsize=None)
def load_grammar(language: str = "en") -> Grammar:
    """The compiled grammar for ``language`` (``timeline/grammar/<language>.toml``)."""
    path = GRAMMAR_DIR / f"{language}.toml"
    if not path.is_file():
        available = sorted(p.stem for p in GRAMMAR_DIR.glob("*.toml"))
        raise GrammarError(f"no grammar for language {language!r}; available: {', '.join(available)}")
    with path.open("rb") as handle:
        return compile_grammar(tomllib.load(handle))
