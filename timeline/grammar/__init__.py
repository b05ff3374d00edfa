"""Load a language's temporal grammar (``<language>.toml``) and compile it for the engine.

The TOML file holds everything language-specific: word tables, cue words, patterns.
This module only turns it into compiled regular expressions and lookup tables; it
knows nothing of English.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .checks import extension_problems, rule_problems
from .regex_source import closing_parenthesis
from .schema import COMMON_KEYS, SECTIONS
from .triggers import DIGIT_SHAPES, Triggers, rule_reach, rule_triggers
from .triggers import digit_shape as digit_shape  # read by the matcher with the index

GRAMMAR_DIR = Path(__file__).parent
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_CONTEXT_KEYS = ("context_before", "context_after", "reject_before")


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
    reject_before: re.Pattern[str] | None = None


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

    future: frozenset[str] = frozenset()
    future_phrases: tuple[str, ...] = ()
    # Verbs of a schedule in the present simple ("takes effect", "opens", "kicks off"): with a
    # date they point ahead ("The law takes effect July 1"), so they are read as future cues.
    scheduled: tuple[str, ...] = ()
    past: frozenset[str] = frozenset()
    past_suffix: str = ""
    # A reporting verb with one of these endings is past ("said", "added", "saying").
    reporting_past_endings: tuple[str, ...] = ()
    # Verb endings of a language's inflected tenses, as patterns a whole lower-case word must match
    # ("anunció", "annoncera", "angekündigt"): read like the past suffix, not on capitalized words.
    past_forms: re.Pattern[str] | None = None
    future_forms: re.Pattern[str] | None = None
    # Compound past tenses as patterns over the lower-cased clause, read as one cue: the French
    # passé composé with "être" ("est arrivé", "se sont réunis"), whose auxiliary alone is present.
    past_phrase_forms: re.Pattern[str] | None = None
    not_past: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()
    not_past_after: frozenset[str] = frozenset()
    # A word (a pattern the whole lower-case word matches) before a future cue that makes it none:
    # the German participle before "werden" ("evakuiert werden") makes a passive infinitive, whose
    # tense is its modal's ("konnten ... evakuiert werden").
    not_future_after: re.Pattern[str] | None = None
    deadline_markers: frozenset[str] = frozenset()
    # A deadline marker shortly after one of these closes a range, not a deadline ("bought
    # from Sept. 14 to Thursday"): the clause's tense applies as usual.
    range_openers: frozenset[str] = frozenset()
    # Words and punctuation (; : dashes) that bound the clause around the expression.
    clause_breaks: frozenset[str] = frozenset()
    # A word right after the expression that opens a reported clause ("on Tuesday that ...").
    complement_openers: frozenset[str] = frozenset()
    # A word right after a comma that opens a relative clause set off by commas ("The strike,
    # which began on Monday, has shut plants"): inside it, the clause runs comma to comma.
    relative_openers: frozenset[str] = frozenset()
    # Matched right after the expression: a noun that makes it a deadline ("the Nov. 1 deadline").
    deadline_after: re.Pattern[str] | None = None
    # Matched right after the expression: words that place it in the past whatever the clause
    # says ("above Thursday's closing price": a closing price is known only once set).
    past_after: re.Pattern[str] | None = None
    past_after_modal: frozenset[str] = frozenset()
    # Modals that speak of the past when a negator follows ("could not be reached Tuesday").
    past_when_negated: frozenset[str] = frozenset()
    negators: frozenset[str] = frozenset()
    # The future seen from a past moment ("said the father would travel Thursday"): it hides
    # the reporting verb's past without saying on which side of the publication date it lies.
    prospective: frozenset[str] = frozenset()
    # An auxiliary in front of a future phrase belongs to it: "are expected to" is one cue.
    auxiliaries: tuple[str, ...] = ()
    # A future phrase led by one of these is prospective too ("was about to", "were to").
    past_auxiliaries: frozenset[str] = frozenset()
    # A future phrase led by one of these after a past form is a plan of the past, usually
    # overtaken since ("had been due to expire Friday").
    perfect_auxiliaries: frozenset[str] = frozenset()
    # The auxiliary of the past perfect ("had invaded Burma in late 1943"): a date it governs is
    # a look back from the story, which stays where it was.
    anterior: frozenset[str] = frozenset()
    # Words right after that auxiliary that make it no past perfect ("had to").
    not_anterior_before: frozenset[str] = frozenset()
    # Words that close a stretch at a date ("lasted until the fall of the city in February 1945"):
    # the date is where the stretch ends, a look ahead from the story, which stays where it was.
    span_ends: frozenset[str] = frozenset()

    @cached_property
    def future_regex(self) -> re.Pattern[str]:
        """One pattern for all future phrases ("is expected to" ...) and scheduling verbs, each
        with an optional auxiliary in front; built on first use, once per grammar."""
        phrases = self.future_phrases + self.scheduled
        body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) or "(?!)"
        leading = "|".join(re.escape(a) for a in self.auxiliaries) or "(?!)"
        return re.compile(rf"\b(?:(?:{leading})\s+)?(?:{body})\b")


@dataclass(frozen=True)
class NumberWords:
    """How number words compose beyond ``lexicon.number_word`` (see ``timeline.matching``)."""

    # Words joining the parts of a number read out ("two thousand and one").
    joiners: frozenset[str] = frozenset()
    # A zero spoken between a year's century and its units ("nineteen o five").
    year_zero: frozenset[str] = frozenset()
    # How many times a word says ("twice" -> 2): a set's freq ("twice a year" is 2X).
    times: dict[str, int] = field(default_factory=dict)
    # How digits are written: "2.5" and "1,200" in English, "2,5" and "1.200" in Spanish.
    decimal_separator: str = "."
    group_separator: str = ","


@dataclass(frozen=True)
class TriggerWords:
    """Which words may wake a rule (see ``_triggers``)."""

    # Words too common to announce a temporal expression by themselves ("the", "of").
    stop_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DateLabels:
    """How a resolved date is written for people, at its own granularity (``timexes.date_label``).

    Templates take named fields: ``{day}``, ``{month}`` (a name of ``months``), ``{year}``,
    ``{date}`` (a day already written), ``{time}``, ``{part}``, ``{week}``, ``{quarter}``,
    ``{half}``, ``{season}``, ``{decade}``, ``{ordinal}`` or ``{roman}`` (a century: "20th", "XX")
    and, for ranges, ``{first}``.  A grammar that gives ``[labels]`` gives every key (``labels_section``).
    """

    months: tuple[str, ...] = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
    day: str = "{year}-{month}-{day:02d}"
    day_time: str = "{date}, {time}"
    day_part: str = "{date}, {part}"
    days_in_month: str = "{first}-{date}"  # "16–17 May 2024": {first} is the first day's number
    days: str = "{first} - {date}"  # across months: both days written out
    week: str = "{year}-W{week:02d}"
    weekend: str = "{year}-W{week:02d}-WE"
    month: str = "{year}-{month}"
    quarter: str = "{year}-Q{quarter}"
    half: str = "{year}-H{half}"
    season: str = "{season} {year}"
    year: str = "{year}"
    decade: str = "{decade}s"
    century: str = "{ordinal}"
    bc_year: str = "BC {year}"
    bc_century: str = "BC {ordinal}"
    # Ordinal numbers: the number and the suffix of its longest ending listed, else ``ordinal_suffix``.
    ordinal_suffixes: dict[str, str] = field(default_factory=dict)
    ordinal_suffix: str = ""
    seasons: dict[str, str] = field(default_factory=dict)  # by season code (SP, SU, FA, WI)
    parts_of_day: dict[str, str] = field(default_factory=dict)  # by part-of-day code (MO, AF ...)
    part_of_day: str = "?"  # a part of day without a name of its own
    vague: dict[str, str] = field(default_factory=dict)  # by value (PAST_REF ...)
    mods: dict[str, str] = field(default_factory=dict)  # by mod (START ...), a template of {date}
    undated: str = "-"  # an event without a date
    ongoing: str = "{date} -"  # a situation open at its end, from that date on
    # Days of the month written otherwise than as their number, by number (French "1" = "1er").
    day_numbers: dict[str, str] = field(default_factory=dict)

    def ordinal(self, number: int) -> str:
        """``number`` as an ordinal ("21st", "13th")."""
        text = str(number)
        endings = [ending for ending in self.ordinal_suffixes if text.endswith(ending)]
        return text + (self.ordinal_suffixes[max(endings, key=len)] if endings else self.ordinal_suffix)

    def day_number(self, day: int) -> int | str:
        """A day of the month as ``day`` templates write it: its number, or its own form ("1er")."""
        return self.day_numbers.get(str(day), day)

    def problems(self) -> list[str]:
        """What is wrong with these labels: a month missing, a code without a name, a template
        naming a field it is not given (``{dia}``), so a language's table fails when compiled,
        not on the first date it writes."""
        found = [] if len(self.months) == 12 else [f"months: {len(self.months)} names, not 12"]
        for name, codes in LABEL_CODES.items():
            missing = sorted(set(codes) - set(getattr(self, name)))
            if missing:
                found.append(f"{name}: no name for {', '.join(missing)}")
        templates = [(name, getattr(self, name), fields) for name, fields in LABEL_TEMPLATES.items()]
        templates += [(f"mods.{mod}", template, _MOD_FIELDS) for mod, template in self.mods.items()]
        for name, template, fields in templates:
            try:
                template.format(**fields)
            except (AttributeError, KeyError, IndexError, ValueError) as error:
                found.append(f"{name}: {template!r} is not a template of {', '.join(map('{{{}}}'.format, fields))}"
                             f" ({type(error).__name__}: {error})")
        return found


# The codes a language's ``[labels]`` names (TIMEX3 values, granularity codes and mods of dates).
LABEL_CODES: dict[str, tuple[str, ...]] = {
    "seasons": ("SP", "SU", "FA", "WI"),
    "parts_of_day": ("MO", "MI", "AF", "EV", "NI", "DT"),
    "vague": ("PAST_REF", "PRESENT_REF", "FUTURE_REF"),
    "mods": ("START", "MID", "END", "APPROX", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER"),
}
# The fields each template of ``DateLabels`` is given (``date_label``), with sample values to try it.
_DAY = {"day": 16, "month": "May", "year": 2024}
LABEL_TEMPLATES: dict[str, dict[str, Any]] = {
    "day": _DAY, "day_time": {"date": "16 May 2024", "time": "14:30"},
    "day_part": {"date": "16 May 2024", "part": "afternoon"},
    "days_in_month": {"first": 16, "date": "17 May 2024"}, "days": {"first": "31 May 2024", "date": "2 June 2024"},
    "week": {"week": 20, "year": 2024}, "weekend": {"week": 20, "year": 2024},
    "month": {"month": "May", "year": 2024}, "quarter": {"quarter": 3, "year": 2024},
    "half": {"half": 1, "year": 2024}, "season": {"season": "Summer", "year": 2024}, "year": {"year": 2024},
    "decade": {"decade": 1990}, "century": {"ordinal": "20th", "roman": "XX"},
    "bc_year": {"year": 480}, "bc_century": {"ordinal": "3rd", "roman": "III"},
    "undated": {}, "ongoing": {"date": "16 May 2024"},
}
_MOD_FIELDS = {"date": "May 2024"}  # a mod's template takes the date written


def _phrases(phrases: tuple[str, ...]) -> str:
    """An alternation of phrases in their order, any whitespace between their words."""
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases) or "(?!)"


@dataclass(frozen=True)
class EventWords:
    """The word lists that cut a dated clause down to a summary and spot page furniture."""

    boilerplate: frozenset[str] = frozenset()
    byline: re.Pattern[str] | None = None
    min_line_words: int = 4
    adverbial_openers: frozenset[str] = frozenset()
    subordinators: frozenset[str] = frozenset()
    leading_words: frozenset[str] = frozenset()
    place_prepositions: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()
    end_bounds: frozenset[str] = frozenset()
    # The parse-based event layer (timeline/predicates.py, timeline/summaries.py).
    eventive_nouns: frozenset[str] = frozenset()
    aspectual: frozenset[str] = frozenset()
    reporting_verbs: frozenset[str] = frozenset()
    saying_verbs: frozenset[str] = frozenset()  # reporting whatever the parse attaches to them
    intension_verbs: frozenset[str] = frozenset()
    state_verbs: frozenset[str] = frozenset()
    perception_verbs: frozenset[str] = frozenset()
    future_auxiliaries: frozenset[str] = frozenset()
    possible_auxiliaries: frozenset[str] = frozenset()
    negation_words: frozenset[str] = frozenset()
    open_start_prepositions: frozenset[str] = frozenset()
    frame_prepositions: frozenset[str] = frozenset()
    before_event: tuple[str, ...] = ()  # "ahead of the visit": told before that happening
    plural_pronouns: frozenset[str] = frozenset()
    singular_pronouns: frozenset[str] = frozenset()
    relative_pronouns: frozenset[str] = frozenset()
    possessive_relatives: frozenset[str] = frozenset()
    possessive_ending: str = ""
    possessive_ending_plural: str = ""
    past_passive_singular: str = ""
    past_passive_plural: str = ""
    irregular_past: dict[str, str] = field(default_factory=dict)
    # The simple past from a lemma ("commence" → "commenced", "meet" → "met"): irregular verbs, the
    # regular rule by ending, where the spelling does not decide it, and the participle's spelling.
    simple_past: tuple[str, ...] = ()  # "lemma past" of the irregular verbs
    # An eventive noun its possessor does, as a clause: "noun past lemma [preposition]" ("their meeting" → "met").
    nominal_verbs: tuple[str, ...] = ()
    possessive_markers: frozenset[str] = frozenset()  # "Blinken's visit"
    future_auxiliary: str = ""  # "will meet"
    regular_past: dict[str, str] = field(default_factory=dict)
    uncertain_past: re.Pattern[str] | None = None
    gerund_suffix: str = ""
    silent_e: str = ""
    # "be" before a present participle, by tense and number: "the falling exports" → "exports were
    # falling" (keys past, past_plural, present, present_plural, future, future_plural).
    progressive_be: dict[str, str] = field(default_factory=dict)
    synonyms: tuple[str, ...] = ()
    # Verbs of change: a noun one describes as a present participle is changing ("the falling
    # exports" -> "exports were falling"); other participles classify ("the opening ceremony").
    change_verbs: frozenset[str] = frozenset()
    # Words that open a reported clause ("said that inflation would fall"), never its subject's determiner.
    complementizers: frozenset[str] = frozenset()
    # Verbs whose happening is the eventive noun they take ("attend a gala", "held talks").
    support_verbs: frozenset[str] = frozenset()
    # Morphology and function words the summaries read (timeline/events.py, predicates.py, summaries.py).
    participle_endings: tuple[str, ...] = ()  # a participle left off a summary's front ("noting their ...")
    gerund_endings: tuple[str, ...] = ()  # a lower-case word opening a participle chunk ("citing inflation,")
    past_participle_suffix: str = ""  # a regular past participle, the same as the past ("proclaimed")
    nationality_endings: tuple[str, ...] = ()  # a lone adjective of nationality names no one ("Chinese")
    name_particles: tuple[str, ...] = ()  # lower-case words inside a name ("Bank of England", "al-Assad")
    date_prepositions: tuple[str, ...] = ()  # the word that introduces a date, dropped from a summary
    date_qualifiers: tuple[str, ...] = ()  # between that word and the date ("as early as")
    bound_qualifiers: tuple[str, ...] = ()  # between an end bound and its date ("until at least 2030")
    own_date_openers: frozenset[str] = frozenset()  # a fronted adverbial they open dates itself ("Since ...,")
    complement_words: frozenset[str] = frozenset()  # a fronted date followed by these keeps its complement
    conjunctions: frozenset[str] = frozenset()  # a chunk they open is not the main clause
    infinitive_markers: frozenset[str] = frozenset()  # "to" of an infinitive ("decision to raise rates")
    copula_lemmas: frozenset[str] = frozenset()  # "are to celebrate": a plan
    perfect_lemmas: frozenset[str] = frozenset()  # the perfect's auxiliary ("has intensified")
    future_forms: frozenset[str] = frozenset()  # auxiliaries, as written, of the future tense
    agent_prepositions: frozenset[str] = frozenset()  # the agent of a passive ("proclaimed by Mao")
    # Content words are compared without a possessive ending and in the singular ("Beijing's", "talks").
    possessive_suffix: str = ""
    plural_suffix: str = ""
    not_plural_suffix: str = ""  # "ss" of "press": no plural

    @cached_property
    def name_pattern(self) -> re.Pattern[str]:
        """Capitalized words run together, perhaps joined by a name particle ("Bank of England")."""
        particles = "|".join(r"\s+".join(map(re.escape, p.split())) + ("" if p.endswith("-") else r"\s+")
                             for p in self.name_particles)
        return re.compile(rf"[A-Z][\w'\u2019-]*(?:\s+(?:{particles or '(?!)'})?[A-Z][\w'\u2019-]*)*")

    @cached_property
    def nationality_pattern(self) -> re.Pattern[str]:
        endings = "|".join(map(re.escape, self.nationality_endings)) or "(?!)"
        return re.compile(rf"^[A-Z][a-z]+(?:{endings})$")

    @cached_property
    def date_introduction(self) -> re.Pattern[str]:
        """The words before a date that introduce it, at the end of a text ("on", "as early as")."""
        return re.compile(rf"\b(?:{_phrases(self.date_prepositions)})?\s*(?:{_phrases(self.date_qualifiers)})?\s*$",
                          re.IGNORECASE)

    @cached_property
    def bound_qualifier_words(self) -> frozenset[str]:
        return frozenset(word for phrase in self.bound_qualifiers for word in phrase.split())

    @cached_property
    def bound_qualification(self) -> re.Pattern[str]:
        return re.compile(rf"\b(?:{_phrases(self.bound_qualifiers)})\s*$", re.IGNORECASE)


    @cached_property
    def irregular_simple_past(self) -> dict[str, str]:
        """The irregular verbs' simple past by lemma ("meet" → "met")."""
        return dict(pair.split() for pair in self.simple_past if len(pair.split()) == 2)

    @cached_property
    def verb_of_noun(self) -> dict[str, tuple[str, str, str]]:
        """An eventive noun's verb: (past, lemma, the preposition its complement opens or "")."""
        found = {}
        for entry in self.nominal_verbs:
            parts = entry.split()
            if len(parts) in (3, 4):
                found[parts[0]] = (parts[1], parts[2], parts[3] if len(parts) == 4 else "")
        return found

    @cached_property
    def kinds(self) -> frozenset[str]:
        """The names of the synonym groups: the kinds of happening the grammar knows."""
        return frozenset(self.concept_of.values())

    @cached_property
    def concept_of(self) -> dict[str, str]:
        """Each synonym's group, named by the group's first word ("invaded" → "invasion")."""
        return {word: group.split()[0] for group in self.synonyms for word in group.split()}


@dataclass(frozen=True)
class EntityWords:
    """The words that tell the forms of an entity's name (see ``timeline.entities``)."""

    # Words after a company's name that do not change whom it names ("Boeing Co.", "Airbus Group").
    company_suffixes: frozenset[str] = frozenset()
    # Last words that make a name an organization or a place, never a person with a surname
    # ("European Union", "Apple Corps"): such a name has no one-word short form.
    organization_words: frozenset[str] = frozenset()
    # Lower-case words that may stand inside a name without an initial ("Bank of England": BoE).
    name_connectors: frozenset[str] = frozenset()
    # Possessive endings folded before comparing ("Airbus's", "Jobs'").
    possessive_endings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RangeWords:
    """The words that join two expressions into one range ("from 9:30 to 11:00", "May 3-5",
    "between June 2 and June 6"); see ``timeline.ranges``."""

    # Words alone between two expressions that make them the ends of one stretch ("to", "-").
    connectors: frozenset[str] = frozenset()
    # Words before the first end that open a range ("from", "between").
    openers: frozenset[str] = frozenset()
    # Connectors that join the ends only after one of the openers ("between June 2 and June 6",
    # not "on Monday and Tuesday"), with the opener each needs.
    paired: dict[str, str] = field(default_factory=dict)
    # Words before the opener that make the two expressions the old and the new date of a
    # change, not one stretch ("postponed from Tuesday to Thursday").
    changes: frozenset[str] = frozenset()


_Lists = TypeVar("_Lists", TenseCues, EventWords, EntityWords, NumberWords, TriggerWords, DateLabels, RangeWords)


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
    digit_rules: dict[str, tuple[int, ...]] = field(repr=False)  # by digit_shape()
    # For each rule of word_rules[w] (and digit_rules[shape]), in the same order, the most tokens a
    # match can hold before that trigger's token: how many word starts back the rule is tried.
    word_reach: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    digit_reach: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    events: EventWords = field(default_factory=EventWords, repr=False)
    entities: EntityWords = field(default_factory=EntityWords, repr=False)
    numbers: NumberWords = field(default_factory=NumberWords, repr=False)
    labels: DateLabels = field(default_factory=DateLabels, repr=False)
    ranges: RangeWords = field(default_factory=RangeWords, repr=False)

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
            # A quantifier such as {2} is no name: an unknown name is a typo that would match itself.
            known = [*macros, *lexicons, *(n[:1].upper() + n[1:] for n in lexicons)]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            raise GrammarError(f"unknown placeholder {{{name}}}{hint}")

        return _PLACEHOLDER.sub(replace, pattern)

    return expand


_LETTERS = re.compile(r"[^\W\d_]+")  # words in any script ("März", "mars")
_ESCAPES = re.compile(r"\\[A-Za-z]|\(\?P<[^>]*>|\(\?[-imsx]*:|\(\?<?[!=]|\[\^?[^\]]*\]")


# Macros whose digits only fit tokens of one shape: a year rule need not wake on "1,200".
_DIGIT_MACROS = {"year": "year", "day": "small", "two_digits": "small"}


def _without_lookarounds(pattern: str) -> str:
    """The pattern with (?=…) (?!…) (?<=…) (?<!…) removed: what they test is never part of a match."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), index):
            closing = closing_parenthesis(pattern, index)
            index = len(pattern) if closing is None else closing + 1
            continue
        if pattern[index] == "\\":
            out.append(pattern[index:index + 2])
            index += 2
            continue
        out.append(pattern[index])
        index += 1
    return "".join(out)


def mandatory_placeholders(pattern: str) -> list[str]:
    """Placeholders every match of ``pattern`` must contain: not in an optional group,
    not in one branch of an alternation, not in a lookaround."""
    return [item for item in _mandatory(pattern) if not item.startswith("=")]


def mandatory_words(pattern: str) -> list[str]:
    """Literal words (three letters or more) every match of ``pattern`` must contain."""
    return [item[1:] for item in _mandatory(pattern) if item.startswith("=")]


def _mandatory(pattern: str) -> list[str]:
    """Mandatory placeholders, and literal words prefixed with "=".

    In an alternation, an item is mandatory when every branch holds it ("an? {unit} or two |
    {number} or {number} {unit}" needs a {unit} either way).
    """
    pattern = _without_lookarounds(pattern)
    stack: list[dict[str, Any]] = [{"names": [], "branches": []}]
    index = 0
    in_class = False
    word = ""
    while index < len(pattern):
        char = pattern[index]
        if char.isalpha() and not in_class and (index == 0 or pattern[index - 1] != "\\"):
            word += char
            index += 1
            continue
        if word:
            # A quantifier after a word makes its last letter optional: "afterwards?".
            if len(word) >= 3 and char not in "?*{+":
                stack[-1]["names"].append("=" + word.lower())
            word = ""
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "{":
            match = _PLACEHOLDER.match(pattern, index)
            if match:
                stack[-1]["names"].append(match.group(1))
                index = match.end()
                continue
        elif char == "(":
            stack.append({"names": [], "branches": []})
            if pattern.startswith("(?P<", index):  # a group's name is no word of the text
                index = pattern.index(">", index) + 1
                continue
        elif char == "|":
            stack[-1]["branches"].append(stack[-1]["names"])
            stack[-1]["names"] = []
        elif char == ")" and len(stack) > 1:
            group = stack.pop()
            follower = pattern[index + 1:index + 3]
            optional = follower[:1] in ("?", "*") or follower.startswith("{0")
            if not optional:
                stack[-1]["names"].extend(_in_every_branch(group))
        index += 1
    if word and len(word) >= 3:
        stack[-1]["names"].append("=" + word.lower())
    return _in_every_branch(stack[0])


def _in_every_branch(group: dict[str, Any]) -> list[str]:
    """The items of a group every branch of its alternation holds (all of them if none)."""
    branches = [*group["branches"], group["names"]]
    return [item for item in dict.fromkeys(branches[0]) if all(item in branch for branch in branches[1:])]


def _key_trigger(key: str, stop_words: frozenset[str]) -> str:
    """One word that every occurrence of a table entry contains: its longest word that is no
    stop word ("moscow" for "moscow time", "election" for "election day"), so common words such
    as "time" and "day" do not wake the rule on their own."""
    words = _LETTERS.findall(key.lower())
    return max((w for w in words if w not in stop_words), key=len, default=max(words, key=len, default=key))


def _triggers(pattern: str, lexicons: dict[str, dict[str, Any]], macros: dict[str, str],
              stop_words: frozenset[str]) -> tuple[set[str], set[str]]:
    """The first reading of a rule's triggers, from its source: words one of which a match of
    ``pattern`` is meant to contain, and the digit shapes that may do instead.

    The source does not show every token a match can hold (a word with an optional ending,
    alternatives glued to a word), so this choice is only preferred: ``rule_triggers`` reads
    the compiled pattern and keeps it where it is sound, completing it where it is not.
    When a word table is mandatory in the pattern ("{unit}" in "N units ago"), its words
    alone announce the rule; otherwise every table and literal word mentioned contributes,
    and digits of the shapes the pattern can hold.
    """
    required = [name for name in mandatory_placeholders(pattern) if name in lexicons
                or name[:1].lower() + name[1:] in lexicons]
    if required:
        smallest = min(required, key=lambda n: len(lexicons.get(n) or lexicons[n[:1].lower() + n[1:]]))
        table = lexicons.get(smallest) or lexicons[smallest[:1].lower() + smallest[1:]]
        if not any(ch.isdigit() for key in table for ch in key):
            return {_key_trigger(key, stop_words) for key in table}, set()
    literal = [w for w in mandatory_words(pattern) if w not in stop_words]
    if literal:
        return {max(literal, key=len)}, set()
    words: set[str] = set()
    digits: set[str] = set()
    pending = [pattern]
    seen: set[str] = set()
    while pending:
        text = _without_lookarounds(pending.pop())
        for name in _PLACEHOLDER.findall(text):
            lowered = name[:1].lower() + name[1:]
            if name in _DIGIT_MACROS:
                digits.add(_DIGIT_MACROS[name])
            elif name in macros and name not in seen:
                seen.add(name)
                pending.append(macros[name])
            for lexicon in (name, lowered):
                if lexicon in lexicons:
                    for key in lexicons[lexicon]:
                        words.update(_LETTERS.findall(key))
                        if any(ch.isdigit() for ch in key):
                            digits.update(DIGIT_SHAPES)
        bare = _PLACEHOLDER.sub(" ", text)
        if re.search(r"\[[^\]]*[0-9]", bare) or "\\d" in bare:
            digits.update(DIGIT_SHAPES)
        words.update(_LETTERS.findall(_ESCAPES.sub(" ", bare).lower()))
    return {w for w in words if w not in stop_words}, digits


def _word_lists(cls: type[_Lists], table: dict[str, Any], section: str) -> _Lists:
    """A section of word lists ([tense], [events], [entities]) as its dataclass: lists become frozensets or
    tuples and patterns are compiled, as each field's type says.  A key the dataclass does not
    know is an error, so a misspelt key cannot be silently ignored."""
    fields = {item.name: str(item.type) for item in dataclasses.fields(cls)}
    unknown = sorted(set(table) - set(fields))
    if unknown:
        raise GrammarError(f"[{section}]: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(fields))}")
    values: dict[str, Any] = {}
    for name, value in table.items():
        kind = fields[name]
        if kind.startswith("frozenset"):
            values[name] = frozenset(value)
        elif kind.startswith("tuple"):
            values[name] = tuple(value)
        elif kind.startswith("re.Pattern"):
            values[name] = _compile(value, f"{section}.{name}")
        elif kind == "int":
            values[name] = int(value)
        else:
            values[name] = value
    return cls(**values)


def _section(cls: type[_Lists], table: dict[str, Any], section: str, source: str, problems: list[str]) -> _Lists:
    """A word-list section, or its defaults with the problem noted (so that all problems are told at once)."""
    try:
        return _word_lists(cls, table, section)
    except GrammarError as error:
        problems.append(f"{source}: {error}")
        return cls()


def _hint(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean [{close[0]}]?)" if close else ""


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise GrammarError(f"{where}: bad pattern: {error}") from error


def _header_lines(text: str, header: str) -> list[int]:
    """The line numbers of the ``[[header]]`` tables of a TOML text, in order."""
    pattern = re.compile(rf"^[ \t]*\[\[[ \t]*{header}[ \t]*\]\]", re.MULTILINE)
    return [text.count("\n", 0, match.start()) + 1 for match in pattern.finditer(text)]


def compile_source(text: str, source: str = "<grammar>") -> Grammar:
    """Parse and compile the text of a grammar file; errors name ``source`` and the line of each rule."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise GrammarError(f"{source}: not valid TOML: {error}") from error
    return compile_grammar(data, source, {"rule": _header_lines(text, "rule"),
                                          "extension": _header_lines(text, "extension")})


def _where(source: str, section: str, index: int, spec: Any, lines: list[int]) -> str:
    """How an error names a rule: "en.toml:712: rule 41 'date.month_day'" (rules count from 0)."""
    line = f":{lines[index]}" if index < len(lines) else ""
    name = spec.get("name") if isinstance(spec, dict) else None
    return f"{source}{line}: {section} {index}" + (f" {name!r}" if name is not None else "")


def compile_grammar(data: dict[str, Any], source: str = "<grammar>",
                    lines: dict[str, list[int]] | None = None) -> Grammar:
    """Compile the parsed TOML of a grammar file, checking every rule against the schema.

    ``source`` names the file in errors and ``lines`` gives the line of each ``[[rule]]`` and
    ``[[extension]]`` (see :func:`compile_source`).  All the problems found are raised together
    in one :class:`GrammarError`, a line each.
    """
    lines = lines or {}
    # Line numbers only when they can be matched one to one with the tables parsed.
    rule_lines, extension_lines = (lines.get(section, []) if len(lines.get(section, [])) == len(data.get(section, []))
                                   else [] for section in ("rule", "extension"))
    lexicons = {name: {str(k).lower(): v for k, v in table.items()}
                for name, table in data.get("lexicon", {}).items()}
    macros = data.get("macros", {})
    expand = _expander(lexicons, macros)
    problems: list[str] = [f"{source}: unknown table [{name}]{_hint(name, SECTIONS)}; known: {', '.join(SECTIONS)}"
                           for name in data if name not in SECTIONS]
    stop_words = _section(TriggerWords, data.get("triggers", {}), "triggers", source, problems).stop_words
    named: dict[str, int] = {}  # rule name -> index of the first rule of that name
    rules = []
    word_rules: dict[str, list[int]] = {}
    digit_rules: dict[str, list[int]] = {shape: [] for shape in DIGIT_SHAPES}
    word_reach: dict[str, list[int]] = {}
    digit_reach: dict[str, list[int]] = {shape: [] for shape in DIGIT_SHAPES}
    for index, spec in enumerate(data.get("rule", [])):
        where = _where(source, "rule", index, spec, rule_lines)
        try:
            # Every rule starts at a word boundary: no timex begins mid-word.
            regex = _compile(rf"(?<!\w)(?:{expand(spec['pattern'])})", "pattern") \
                if isinstance(spec.get("pattern"), str) else None
            contexts = {key: _compile(expand(spec[key]), key) for key in _CONTEXT_KEYS
                        if isinstance(spec.get(key), str)}
        except GrammarError as error:
            problems.append(f"{where}: {error}")
            continue
        found = rule_problems(spec, regex, lexicons, expand)
        if spec.get("name") in named:
            found.append(f"the name is rule {named[spec['name']]}'s too: resolution.rule would not tell them apart")
        elif isinstance(spec.get("name"), str):
            named[spec["name"]] = index
        if regex is not None:
            words, digits = _triggers(spec["pattern"], lexicons, macros, stop_words)
            exact = rule_triggers(regex, stop_words, Triggers(frozenset(words), frozenset(digits)))
            if exact.unlisted:
                found.append("the trigger index cannot stand for the words it can match "
                             f"({', '.join(exact.unlisted[:5])}; '#' is a digit, '*' unknown letters): write whole "
                             "words, an ending as an alternation of whole words (see 'Trigger words' in "
                             "docs/grammar.md)")
            words, digits = set(exact.words), set(exact.digits)
            if not words and not digits:
                found.append("no word or digit can trigger it, so it is never tried: the pattern needs a "
                             "literal word, a word table or digits (see 'Trigger words' in docs/grammar.md)")
        if found:
            problems.extend(f"{where}: {problem}" for problem in found)
            continue
        assert regex is not None  # a rule without a pattern has a problem
        reach, digit_tokens = rule_reach(regex, exact)
        for word in words:
            word_rules.setdefault(word, []).append(index)
            word_reach.setdefault(word, []).append(reach[word])
        for shape in digits:
            digit_rules[shape].append(index)
            digit_reach[shape].append(digit_tokens)
        rules.append(Rule(
            index=index, name=spec["name"], type=spec["type"], kind=spec["kind"], regex=regex,
            fields={k: v for k, v in spec.items() if k not in COMMON_KEYS},
            priority=int(spec.get("priority", 0)),
            context_before=contexts.get("context_before"),
            context_after=contexts.get("context_after"),
            reject_before=contexts.get("reject_before"),
        ))
    extensions = []
    for index, spec in enumerate(data.get("extension", [])):
        where = _where(source, "extension", index, spec, extension_lines)
        try:
            side = spec.get("side")
            body = expand(spec["pattern"]) if isinstance(spec.get("pattern"), str) else None
            regex = None if body is None else _compile(rf"(?<!\w)(?:{body})$" if side == "before" else rf"(?:{body})",
                                                       "pattern")
        except GrammarError as error:
            problems.append(f"{where}: {error}")
            continue
        found = extension_problems(spec, regex)
        if found:
            problems.extend(f"{where}: {problem}" for problem in found)
            continue
        assert regex is not None
        extensions.append(Extension(
            name=spec["name"], side=side, kinds=frozenset(spec["kinds"]), regex=regex,
            granularity=frozenset(spec["granularity"]) if "granularity" in spec else None,
            type=spec.get("type"), require_missing=tuple(spec.get("require_missing", ())),
            include=bool(spec.get("include", True)),
        ))
    tense = _section(TenseCues, data.get("tense", {}), "tense", source, problems)
    events = _section(EventWords, data.get("events", {}), "events", source, problems)
    entities = _section(EntityWords, data.get("entities", {}), "entities", source, problems)
    numbers = _section(NumberWords, data.get("numbers", {}), "numbers", source, problems)
    labels = labels_section(data.get("labels", {}), source, problems)
    ranges = _section(RangeWords, data.get("ranges", {}), "ranges", source, problems)
    if problems:
        raise GrammarError("\n".join(problems))
    return Grammar(
        data.get("language", "?"), lexicons, tuple(rules), tuple(extensions), tense,
        events=events, entities=entities, numbers=numbers, labels=labels, ranges=ranges,
        word_rules={w: tuple(r) for w, r in word_rules.items()},
        digit_rules={shape: tuple(r) for shape, r in digit_rules.items()},
        word_reach={w: tuple(r) for w, r in word_reach.items()},
        digit_reach={shape: tuple(r) for shape, r in digit_reach.items()},
    )


def grammar_file(language: str) -> Path:
    """The grammar file of ``language``; GrammarError naming the languages there are when it has none."""
    path = GRAMMAR_DIR / f"{language}.toml"
    if not path.is_file():
        available = sorted(p.stem for p in GRAMMAR_DIR.glob("*.toml"))
        raise GrammarError(f"no grammar for language {language!r}; available: {', '.join(available)}")
    return path


@lru_cache(maxsize=None)
def load_grammar(language: str = "en") -> Grammar:
    """The compiled grammar for ``language`` (``timeline/grammar/<language>.toml``)."""
    path = grammar_file(language)
    return compile_source(path.read_text(encoding="utf-8"), path.name)


@lru_cache(maxsize=None)
def load_labels(language: str = "en") -> DateLabels:
    """How ``language`` writes dates for people (its grammar's ``[labels]``), without compiling its rules."""
    path = grammar_file(language)
    with path.open("rb") as handle:
        table = tomllib.load(handle).get("labels", {})
    problems: list[str] = []
    labels = labels_section(table, path.name, problems)
    if problems:
        raise GrammarError("\n".join(problems))
    return labels


def labels_section(table: dict[str, Any], source: str, problems: list[str]) -> DateLabels:
    """A grammar's ``[labels]``: none at all (ISO-like defaults), or every key, each sound: a partial
    table would write a date half in the language and half in the defaults."""
    labels = _section(DateLabels, table, "labels", source, problems)
    if not table:
        return labels
    missing = sorted({item.name for item in dataclasses.fields(DateLabels)} - set(table))
    if missing:
        problems.append(f"{source}: [labels]: missing key(s) {', '.join(missing)}: a language's labels give every one")
    problems.extend(f"{source}: [labels]: {problem}" for problem in labels.problems())
    return labels
