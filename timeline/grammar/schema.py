"""The rule contract: which keys a ``[[rule]]`` may have, per ``kind``, of what type and with which values.

A grammar file is data written by hand; without a contract a misspelt key (``priorty``) is
quietly a field nobody reads, and a native word the engine does not know ("letzten" as a
``relation``) quietly means the default.  This module declares, once, what each rule kind's
resolver reads: :data:`COMMON_KEYS` (every rule), :data:`COMMON_FIELDS` (read whatever the
kind) and :data:`KINDS`.  ``compile_grammar`` checks every rule and extension against it
(:mod:`timeline.grammar.checks`), and docs/grammar.md's schema section is generated from it
(:func:`schema_markdown`).

Values are the engine's canonical codes, the same in every language: a grammar maps its
words onto them with a word table named after the field (``[lexicon.relation]``).
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

# The TIMEX3 types a rule may produce, and the granularities a period may have (timexes.py).
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
GRANULARITY_NAMES = ("minute", "hour", "part_of_day", "day", "week", "month", "quarter", "season",
                     "half", "year", "decade", "century")
# Unit codes of offsets and durations (resolvers.context.UNIT_STEPS): second, minute, hour, day, week,
# fortnight, month, quarter, year, decade, century.
UNITS = ("S", "TM", "H", "D", "W", "2W", "M", "Q", "Y", "DE", "CE")
MODS = ("START", "MID", "END", "APPROX", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS",
        "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER")
APPROX_MODS = ("APPROX", "MORE_THAN", "LESS_THAN", "EQUAL_OR_MORE", "EQUAL_OR_LESS")
PARTS_OF_DAY = ("MO", "AF", "EV", "NI", "DT")
SEASONS = ("SP", "SU", "FA", "WI")
VAGUE_VALUES = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
# Holidays computed by name (calendar_arithmetic.holiday_date, calendars.MOVABLE_FEASTS).
NAMED_HOLIDAYS = ("easter", "orthodox_easter", "ramadan", "eid_al_fitr", "eid_al_adha", "rosh_hashanah",
                  "yom_kippur", "passover", "hanukkah", "diwali", "chinese_new_year")

# How a named group's text becomes a value (matching.normalize_group), by the group's name; a
# group named after a word table is read through it, any other gives its words, lower-cased.
NUMBER = "a number in digits or words"  # "24", "twenty-four", "a few" -> "X" (lexicon.number_word)
DIGITS = "the digits"  # "16th" -> 16
SPOKEN_YEAR = "a year in words"  # "nineteen ninety-seven" (lexicon.number_word)
ORDINAL = "digits or an ordinal word"  # "3rd", "third" -> 3 (lexicon.ordinal)
GROUP_READERS = {
    "num": NUMBER, "hour": NUMBER,
    "day": DIGITS, "dd": DIGITS, "mm": DIGITS, "minute": DIGITS, "year": DIGITS, "decade_full": DIGITS,
    "decade_short": DIGITS,
    "year_words": SPOKEN_YEAR,
    "ordinal": ORDINAL, "plus_num": NUMBER,
}
# Groups read through the word table of another field: the second unit of "two years and three
# months" is a word of [lexicon.unit].
GROUP_TABLES = {"plus_unit": "unit"}


@dataclass(frozen=True)
class FieldSpec:
    """One field a resolver reads: the types a constant may have, its canonical values, its meaning."""

    types: tuple[type, ...]
    doc: str
    values: Collection[Any] | None = None  # None: any value of the types
    form: str | None = None  # a pattern a str value must match in full ("HH:MM")
    # The word table the field's words are read through, which the grammar must then have
    # ("number_word" for "num": "twenty-four"; "shift" for a shift word of anaphoric_period).
    table: str | None = None

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` has one of the declared types (True is no int) and, if listed, is canonical."""
        if isinstance(value, bool) and bool not in self.types:
            return False
        if isinstance(value, list):
            if list not in self.types or not all(isinstance(item, str) for item in value):
                return False
        elif not isinstance(value, self.types):
            return False
        if self.form is not None and isinstance(value, str) and not re.fullmatch(self.form, value):
            return False
        return self.values is None or value in self.values

    def describe(self) -> str:
        """The type and values as one line of documentation."""
        names = {bool: "bool", int: "int", float: "float", str: "str", list: "list of str"}
        kinds = " or ".join(names[t] for t in self.types)
        if isinstance(self.values, range):
            return f"{kinds}: {self.values.start} to {self.values.stop - 1}"
        if self.values is not None:
            return f"{kinds}: {', '.join(repr(v) if isinstance(v, str) else str(v) for v in self.values)}"
        if self.form is not None:
            return f"{kinds} matching `{self.form}`"
        return kinds


@dataclass(frozen=True)
class KindSpec:
    """A rule kind: the fields its resolver reads and the ones it cannot do without."""

    doc: str
    fields: dict[str, FieldSpec]
    # Each tuple: at least one of these fields must be set, by a constant or a group of the pattern.
    required: tuple[tuple[str, ...], ...] = ()
    types: tuple[str, ...] = ("DATE", "TIME")


def _int(doc: str, values: Collection[int] | None = None) -> FieldSpec:
    return FieldSpec((int,), doc, values)


def _word(doc: str, values: tuple[str, ...] | None = None) -> FieldSpec:
    return FieldSpec((str,), doc, values)


def _flag(doc: str) -> FieldSpec:
    return FieldSpec((bool,), doc)


# Keys every rule has or may have; they are not fields.
COMMON_KEYS: dict[str, FieldSpec] = {
    "name": _word("reported as resolution.rule; by convention family.what (required)"),
    "type": _word("the default TIMEX type (required; allowed per kind below)", TIMEX_TYPES),
    "kind": _word("which resolver interprets the fields (required; the kinds below)"),
    "pattern": _word("the regular expression (required)"),
    "priority": _int("settles ties between equally long matches (default 0)"),
    "context_before": _word("a pattern searched in the 40 characters before the match, which must be found"),
    "context_after": _word("a pattern matched at the start of the 60 characters after the match"),
    "reject_before": _word("a pattern searched before the match, which must not be found"),
    "example": FieldSpec((str, list), "a phrase (or list) the pattern must match in full; checked when compiled"),
}
REQUIRED_KEYS = ("name", "type", "kind", "pattern")

_RELATION_DOC = "which occurrence: last/past/this past before publication, next/coming/this coming after"
_MONTH = _int("month number", range(1, 13))
_DAY = _int("day of the month", range(1, 32))
_WEEKDAY = _int("ISO weekday, 1 = Monday", range(1, 8))
_YEAR = _int("a year; two digits mean 19xx from 50, else 20xx")
_YEAR_WORDS = FieldSpec((int,), "a year read out in words", table="number_word")
_YEAR_SHIFT = _int("years from the publication year")
_SHIFT = _int("periods from the one of the anchor")
_NUM = FieldSpec((int, float, str), "how many units; 'X' when vague ('a few')", table="number_word")
_APPROX = _word("the mod an approximator gives", APPROX_MODS)
_TEXT_FLAG = FieldSpec((str, bool), "set when the words are there")

# Fields read whatever the kind: applied to the resolved date or noted for the discourse.
COMMON_FIELDS: dict[str, FieldSpec] = {
    "mod": _word("the timex's mod", MODS),
    "within": _word("widens a finer result to the period of that size around it ('the week of')",
                    GRANULARITY_NAMES),
    "day_offset": _int("moves a day result by that many days ('the day before last Tuesday')"),
    "reporting": _flag("the match names a reporting period ('fiscal 1989')"),
    "part_of_day": _word("narrows a day result to a part of the day", PARTS_OF_DAY),
    "hour": FieldSpec((int,), "narrows a day result to a clock time", table="number_word"),
    "minute": _int("minutes of the clock time", range(60)),
    "ampm": _word("AM or PM", ("AM", "PM")),
    "clock_word": FieldSpec((str,), "a clock time ('noon' -> '12:00')", form=r"[0-9]{2}:[0-9]{2}"),
    "second": FieldSpec((str,), "seconds of a clock time, kept in its value", form=r"[0-9]{1,2}"),
    "time_zone": _word("the time zone of a clock time, as ISO 8601 writes it ('Z', '-05', '+0530', '')"),
    "clock_direction": _int("minutes counted past (1) or to (-1) the hour named ('half past three')", (-1, 1)),
    "clock_fraction": _int("the minutes counted from the hour ('quarter' -> 15)"),
    "range_to": FieldSpec((str,), "the hour that ends a clock range ('11-1pm' crosses noon)", form=r"[0-9]{1,2}"),
}

_ENDING = _word("set by the extension period.ended ('the quarter ended Sept. 30'): the period closing on that date")
_CALENDAR_RELATIONS = ("last", "past", "this past", "next", "coming", "this coming", "this")

# Quarters and halves read the same fields.
_PERIOD_OF_YEAR = {
    "ordinal": FieldSpec((int,), "which one; -1 = the last", table="ordinal"),
    "month": _int("without an ordinal, the period holding this month ('the June quarter')", range(1, 13)),
    "year": _YEAR, "year_shift": _YEAR_SHIFT,
    "year_offset": _int("years from the reporting period ('the year-ago third quarter')"),
    "fiscal": _TEXT_FLAG,
    "ending": _ENDING,
    "aside": _word("set by the extension period.aside: background or outlook, no reporting period"),
}

KINDS: dict[str, KindSpec] = {
    "calendar": KindSpec(
        "a date of the calendar, whole or without its year ('May 16, 2024', 'March', 'last June')",
        {
            "year": _YEAR, "year_words": _YEAR_WORDS, "month": _MONTH, "mm": _MONTH, "day": _DAY, "dd": _DAY,
            "year_shift": _YEAR_SHIFT,
            "relation": _word(_RELATION_DOC + "; else in the publication year", _CALENDAR_RELATIONS),
            "weekday": _WEEKDAY, "weekday_abbr": _WEEKDAY,
            "period_noun": _word("'the 1988 period': the reporting period in that year"),
            "anchor": _word("a bare day of the latest date (mention), of the next one (following), or of "
                            "the month of the latest date or the publication (month: 'el día 13')",
                            ("mention", "following", "month")),
            "until": FieldSpec((list,), "the words between a day and the date it starts a range to ('-', 'to')"),
            "year_short": FieldSpec((str,), "a year in two digits ('since '91', the end of '1962-63')",
                                    form=r"[0-9]{2}"),
            "range_from": FieldSpec((str,), "the first year of a range whose end is year_short ('1962-63')",
                                    form=r"[0-9]{4}"),
            "year_of": FieldSpec((str,), "the year of the latest date mentioned, moved by its last word "
                                 "('of the following year')", table="shift"),
        },
        required=(("year", "year_words", "year_short", "month", "mm", "day", "dd"),),
    ),
    "weekday": KindSpec(
        "a day of the week ('Friday', 'last Tuesday', 'the following Monday')",
        {
            "weekday": _WEEKDAY, "weekday_abbr": _WEEKDAY,
            "relation": _word(_RELATION_DOC + "; this = of the publication week; with anchor: "
                              "previous/preceding before the latest date, following/next after",
                              ("last", "past", "previous", "preceding", "this past", "next", "coming",
                               "following", "this coming", "this", "after next")),
            "anchor": _word("counted from the latest date mentioned", ("mention",)),
            "of_week": _flag("that day of the week shift weeks from the publication week ('Wednesday of next week')"),
            "shift": _int("weeks from the publication week, with of_week"),
        },
        required=(("weekday", "weekday_abbr"),),
    ),
    "deictic_day": KindSpec(
        "a day named from the publication day ('today', 'yesterday', 'tonight')",
        {"shift": _int("days from the publication day (default 0)"),
         "anchor": _word("the day last mentioned instead", ("mention",))},
    ),
    "relative_period": KindSpec(
        "a period of the publication date, shifted ('this month', 'last year')",
        {
            "period": _word("the period's size", (*GRANULARITY_NAMES, "weekend")),
            "shift": _SHIFT,
            "ending": _ENDING,
            "reported": _flag("the reporting period of that size, if one is in discourse ('the latest quarter')"),
            "closes": _flag("the period's close, a point ('year-end'): past beside a past cue"),
        },
        required=(("period",),),
    ),
    "offset": KindSpec(
        "a number of units from the publication date or an earlier date ('two weeks ago', 'a year later')",
        {
            "num": _NUM,
            "unit": _word("the unit counted", UNITS),
            "direction": _int("back (-1) or forward (1)", (-1, 1)),
            "direction_word": FieldSpec((int,), "back (-1) or forward (1), a word of lexicon.direction_word "
                                        "('earlier', 'later')", (-1, 1), table="direction_word"),
            "anchor": _word("counted from the latest date mentioned, or from publication (in a story told of "
                            "long ago, from the story time), or from now: the publication, never the story time "
                            "(Spanish 'hace', whose past counterpart is 'hacía')",
                            ("mention", "publication", "now")),
            "approx": _APPROX, "approx_outside": _APPROX,
            "lands_on_day": _flag("counted from the publication day, the result is a day ('a week from today')"),
            "back": _TEXT_FLAG,
            "past_is_length": _flag("in a past clause a length, a DURATION ('sold out in 20 minutes')"),
            "apposition": _word("set by the extension period.apposition: the next expression names the period"),
            "business_days": _flag("counted in working days, Monday to Friday ('two weekdays ago')"),
        },
        required=(("unit",),),
    ),
    "anaphoric_period": KindSpec(
        "a period named from an earlier date ('that day', 'the next day', 'the same week')",
        {
            "period": _word("the period's size; time = day, period = quarter",
                            (*GRANULARITY_NAMES, "weekend", "time", "period")),
            "shift": FieldSpec((int, str), "periods from the anchor's, or a word of lexicon.shift", table="shift"),
            "direction": _word("the period before or after the anchor's", ("before", "after")),
            "ending": _ENDING,
            "reported": _flag("with shift 0 and no such period named since, the reporting period"),
        },
        required=(("period", "part_of_day"),),
    ),
    "decade": KindSpec(
        "a decade ('the 1990s', 'the '80s', 'the nineties')",
        {
            "decade_full": _int("the decade's first year (1990)"),
            "decade_short": _int("two digits (90)"),
            "decade_word": _int("the decade's digit from a word (9 for 'nineties')", range(10)),
            "century_word": FieldSpec((int,), "the first year of the century of a decade word ('nineteen' -> 1900)",
                                      table="century_word"),
        },
        required=(("decade_full", "decade_short", "decade_word"),),
    ),
    "century": KindSpec(
        "a century ('the 19th century')",
        {"ordinal": FieldSpec((int,), "the century's number (1-30)", table="ordinal")},
        required=(("ordinal",),),
    ),
    "season": KindSpec(
        "a season ('last summer', 'spring 2024')",
        {
            "season": _word("the season's code", SEASONS),
            "year": _YEAR, "year_words": _YEAR_WORDS,
            "shift": _int("-1 the last one, 1 the next one, 0 this one", (-1, 0, 1)),
            "anchor": _word("the one before or after the latest date mentioned", ("mention",)),
            "relation": _word("with anchor: previous/preceding before, else after",
                              ("previous", "preceding", "following", "next")),
            "until": FieldSpec((list,), "the words joining the season to a later date whose year it takes "
                               "('December to March 1943')"),
        },
        required=(("season",),),
    ),
    "holiday": KindSpec(
        "a holiday by its rule ('Christmas', 'Thanksgiving 2023')",
        {
            "holiday": FieldSpec((str,), "'MM-DD', 'month:weekday:n' (n = -1: the last), 'MM-DD:weekday:-n' "
                                 "(the n-th such weekday before that day: '12-25:7:-4' is the first Sunday "
                                 "of Advent), or 'easter', optionally followed by a signed day count ('easter -2')",
                                 form=(rf"(?:[0-9]{{2}}-[0-9]{{2}}(?::[1-7]:-[1-9])?|[0-9]{{1,2}}:[1-7]:-?[1-5]|"
                                       rf"{'|'.join(NAMED_HOLIDAYS)})(?: [+-][0-9]+)?")),
            "year": _YEAR,
            "relation": _word(_RELATION_DOC + "; else in the publication year", _CALENDAR_RELATIONS),
            "in_years": _TEXT_FLAG,
            "num": FieldSpec((int, float, str), "with in_years: the holiday that many years after the publication "
                             "year ('Easter in two years')", table="number_word"),
        },
        required=(("holiday",),),
    ),
    "weekend": KindSpec(
        "the weekend ('this weekend', 'the weekend')",
        {"relation": _word("this = the publication week's weekend; else by the clause's tense", ("this",))},
    ),
    "clock": KindSpec(
        "a clock time on the day last mentioned ('3 p.m.', 'noon')",
        {
            "approx_outside": _APPROX,
            "num": FieldSpec((int, float, str), "minutes counted from the hour ('20 past 6')", table="number_word"),
            "until": FieldSpec((list,), "the words between the first end of a clock range and the second, whose "
                               "day it takes ('from 9:30 to 11:00 on Friday')"),
        },
        required=(("hour", "clock_word"),),
    ),
    "clock_on_day": KindSpec(
        "a clock time with its day ('10 p.m. Wednesday', 'Thursday at noon')",
        {
            "weekday": _WEEKDAY, "month": _MONTH, "day": _DAY, "year": _YEAR,
            "day_shift": _int("days from publication ('tomorrow')"),
        },
        required=(("hour", "clock_word"),),
    ),
    "quarter": KindSpec(
        "a quarter of a year ('the third quarter', 'Q3 2024')",
        dict(_PERIOD_OF_YEAR),
        required=(("ordinal", "month"),),
    ),
    "half": KindSpec(
        "a half of a year ('the first half')",
        dict(_PERIOD_OF_YEAR),
        required=(("ordinal", "month"),),
    ),
    "duration": KindSpec(
        "a length of time ('three years', 'a while')",
        {
            "num": _NUM,
            "unit": _word("the unit counted; X with num X: a length open in both ('a while')", (*UNITS, "X")),
            "plus_half": _TEXT_FLAG,
            "plus_num": FieldSpec((int, float, str), "a second count, added ('two years and [three] months')",
                                  table="number_word"),
            "plus_unit": _word("the unit of that second count ('two years and three [months]')", UNITS),
            "approx": _APPROX, "approx_outside": _APPROX,
            "span_word": _word("'the past', 'the first': kept so that approx.outside stays off"),
            "ending": _ENDING,
            "of_following": _word("set by the extension period.of_following ('the first nine months of 1997')"),
        },
        required=(("unit",),),
        types=("DURATION",),
    ),
    "set": KindSpec(
        "a recurring time ('every Monday', 'weekly', 'twice a year')",
        {
            "frequency": FieldSpec((str,), "a duration value ('P1W')", form=r"PT?[0-9]+[YMWDHS]"),
            "weekday": _WEEKDAY, "weekdays": _WEEKDAY,
            "season": _word("the season's code", SEASONS),
            "weekend": _TEXT_FLAG,
            "month": _MONTH, "day": _DAY,
            "unit": FieldSpec((str,), "the unit's code, or a word of lexicon.unit", table="unit"),
            "num": _NUM,
            "quant": _word("the timex's quant, upper-cased ('' for none)", ("", "every", "each")),
            "times": FieldSpec((str,), "once, twice, thrice, or 'N times': the timex's freq",
                               table="number_word"),
        },
        required=(("frequency", "weekday", "weekdays", "season", "weekend", "month", "part_of_day", "unit"),),
        types=("SET",),
    ),
    "era": KindSpec(
        "a time of an era ('480 BC', 'AD 800', 'the 3rd century BCE', 'the 470s BC')",
        {
            "era": _word("the era", ("AD", "BC")),
            "era_year": FieldSpec((str,), "the year in that era", form=r"[0-9]{1,4}"),
            "ordinal": FieldSpec((int,), "a century's number", table="ordinal"),
            "decade_full": _int("a decade's first year"),
            "month": _MONTH, "day": _DAY,
            "season": _word("the season's code", SEASONS),
        },
        required=(("era",), ("era_year", "ordinal", "decade_full")),
    ),
    "historic_day": KindSpec(
        "a day of history known by its name ('D-Day', '9/11')",
        {"historic_day": FieldSpec((str,), "its date", form=r"[0-9]{4}-[0-9]{2}-[0-9]{2}")},
        required=(("historic_day",),),
    ),
    "weekday_day": KindSpec(
        "a weekday with a day of the month ('Tuesday the 19th')",
        {"weekday": _WEEKDAY, "day": _DAY},
        required=(("weekday",), ("day",)),
    ),
    "nth_in": KindSpec(
        "a day, week or weekend counted within a month or year ('the third Tuesday of September')",
        {
            "nth": _int("which one; negative from the end", (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)),
            "weekday": _WEEKDAY,
            "nth_unit": _word("what is counted, without a weekday", ("day", "week", "weekend")),
            "month": _MONTH, "year": _YEAR,
            "period": _word("the period counted in, without a month or year", ("month", "year")),
            "shift": _int("that period from the publication's"),
        },
        required=(("nth",), ("weekday", "nth_unit")),
    ),
    "event_anchored": KindSpec(
        "a time counted from an event: its date is the story time or the latest date mentioned "
        "('the day after the vote', 'three hours before the launch', 'days later', 'at the time')",
        {
            "num": _NUM,
            "unit": _word("the unit counted", UNITS),
            "direction": _int("back (-1) or forward (1)", (-1, 1)),
            "direction_word": FieldSpec((int,), "back (-1) or forward (1), a word of lexicon.direction_word "
                                        "('before', 'after')", (-1, 1), table="direction_word"),
            "same": _flag("the anchor's own period ('at the time')"),
            "event": _flag("the words after it name the event counted from ('the day after the vote')"),
            "anchor": _word("story: only the story time of a narrative; mention: else the latest date mentioned; "
                            "sentence: else the latest date mentioned before it in its sentence",
                            ("story", "mention", "sentence")),
            "fallback": _word("without an anchor: a DURATION, PAST_REF/FUTURE_REF, X's, or no timex",
                              ("length", "vague", "unknown", "none")),
        },
        required=(("unit", "same"),),
    ),
    "vague": KindSpec(
        "a vague reference ('now', 'recently', 'in the future')",
        {"value": _word("the value", VAGUE_VALUES), "vague": _word("the value (from lexicon.vague)", VAGUE_VALUES),
         "future_only": FieldSpec((bool,), "not a timex in a past clause ('soon' told of the past)")},
        required=(("value", "vague"),),
    ),
}


# The top-level keys and tables of a grammar file. Any other is a mistake (a misspelt table would
# otherwise leave its words unread); the keys of each word-list table are checked against its
# dataclass in timeline/grammar/__init__.py.
SECTIONS: dict[str, str] = {
    "language": "the language's code, as spacy.blank knows it",
    "lexicon": "word tables: each native word -> the engine's canonical value",
    "macros": "reusable regular expressions",
    "triggers": "which words may wake a rule: stop_words, too common to do so alone",
    "numbers": "how number words compose: joiners, year_zero, times",
    "tense": "cue words and verb morphology for the tense of a clause",
    "labels": "how a resolved date is written for people: month names and templates",
    "events": "the words that cut a dated clause into an event summary",
    "entities": "the words that tell the forms of an entity's name",
    "identification": "the language's function words, to identify it without a model",
    "ranges": "the words that join two expressions into one range: connectors, openers, paired, changes",
    "rule": "the patterns, one [[rule]] each",
    "extension": "prefixes and suffixes around matches, one [[extension]] each",
}

# Keys of an [[extension]]; its groups must be fields of every kind it lists.
EXTENSION_KEYS: dict[str, FieldSpec] = {
    "name": _word("reported in the mention's extensions (required)"),
    "side": _word("before or after the match (required)", ("before", "after")),
    "kinds": FieldSpec((list,), "the rule kinds it applies to (required)"),
    "pattern": _word("the regular expression (required)"),
    "granularity": FieldSpec((list,), "only for matches resolving to one of these granularities"),
    "require_missing": FieldSpec((list,), "fields that must not be set yet"),
    "type": _word("the timex type after extending", TIMEX_TYPES),
    "include": FieldSpec((bool,), "false: the words set fields but stay outside the span"),
}
EXTENSION_REQUIRED = ("name", "side", "kinds", "pattern")


def fields_of(kind: str) -> dict[str, FieldSpec]:
    """All fields a rule of ``kind`` may set: the common ones, and the kind's own (which win)."""
    return {**COMMON_FIELDS, **KINDS[kind].fields}


def schema_markdown() -> str:
    """The schema as Markdown, for docs/grammar.md (between its schema markers)."""
    lines = ["Tables of a grammar file (any other is an error):", "", "| table | holds |", "|---|---|"]
    for name, doc in SECTIONS.items():
        lines.append(f"| `{name}` | {doc} |")
    lines += ["", "Keys of every rule:", "", "| key | type and values | meaning |", "|---|---|---|"]
    for name, spec in COMMON_KEYS.items():
        lines.append(f"| `{name}` | {spec.describe()} | {spec.doc} |")
    lines += ["", "Fields any kind may set (applied to the resolved date, or noted for the discourse):", "",
              "| field | type and values | meaning |", "|---|---|---|"]
    for name, spec in COMMON_FIELDS.items():
        lines.append(f"| `{name}` | {_describe_field(name, spec)} | {spec.doc} |")
    for kind, kind_spec in KINDS.items():
        required = "; ".join(" or ".join(f"`{f}`" for f in group) for group in kind_spec.required) or "none"
        lines += ["", f"**`{kind}`**: {kind_spec.doc}. Types: {', '.join(kind_spec.types)}. "
                      f"Required: {required}.", "",
                  "| field | type and values | meaning |", "|---|---|---|"]
        for name, spec in kind_spec.fields.items():
            lines.append(f"| `{name}` | {_describe_field(name, spec)} | {spec.doc} |")
    return "\n".join(lines) + "\n"


def _describe_field(name: str, spec: FieldSpec) -> str:
    how = f"; a group reads {GROUP_READERS[name]}" if name in GROUP_READERS else ""
    table = f"; needs `lexicon.{spec.table}`" if spec.table else ""
    return spec.describe().replace("|", "\\|") + how + table


DOCS_BEGIN = "<!-- schema: generated by timeline.grammar.schema.schema_markdown() -->"
DOCS_END = "<!-- schema end -->"


def update_docs(text: str) -> str:
    """``text`` (docs/grammar.md) with the section between the schema markers regenerated."""
    start, end = text.index(DOCS_BEGIN) + len(DOCS_BEGIN), text.index(DOCS_END)
    return f"{text[:start]}\n\n{schema_markdown()}\n{text[end:]}"

