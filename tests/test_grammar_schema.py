"""The rule schema: every shipped grammar keeps it, and each class of mistake is refused by name.

Most broken grammars here are en.toml with one edit, compiled under the name "en.toml", so the
error must name the file, the line of the rule's ``[[rule]]`` and the rule.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from timeline import matching, resolvers, timexes
from timeline.grammar import GRAMMAR_DIR, GrammarError, compile_source, load_grammar, schema
from timeline.pipeline import tag_text
from timeline.resolvers.context import UNIT_STEPS

EN_TEXT = (GRAMMAR_DIR / "en.toml").read_text(encoding="utf-8")
DOCS = Path(__file__).parent.parent / "docs" / "grammar.md"


def _rule_at(name: str) -> tuple[int, int]:
    """The index and the line of en.toml's rule called ``name``."""
    headers = [m.start() for m in re.finditer(r"^\[\[rule\]\]", EN_TEXT, re.MULTILINE)]
    at = EN_TEXT.index(f'\nname = "{name}"\n')
    index = sum(1 for h in headers if h < at) - 1
    return index, EN_TEXT.count("\n", 0, headers[index]) + 1


def _edited(name: str, old: str, new: str) -> str:
    """en.toml with ``old`` replaced by ``new`` inside the rule called ``name``."""
    start = EN_TEXT.index(f'\nname = "{name}"\n')
    end = EN_TEXT.find("\n[[", start)
    body = EN_TEXT[start:end]
    assert body.count(old) == 1, f"{old!r} not once in rule {name}"
    return EN_TEXT[:start] + body.replace(old, new) + EN_TEXT[end:]


def _refused(text: str, source: str = "en.toml") -> str:
    with pytest.raises(GrammarError) as caught:
        compile_source(text, source)
    return str(caught.value)


# --- what ships keeps the contract -------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(GRAMMAR_DIR.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_grammar_compiles(path: Path) -> None:
    load_grammar.cache_clear()
    grammar = load_grammar(path.stem)
    assert grammar.rules and all(rule.kind in schema.KINDS for rule in grammar.rules)


def test_the_schema_declares_exactly_the_kinds_the_engine_resolves() -> None:
    assert set(schema.KINDS) == set(resolvers.RESOLVERS)
    assert set(schema.UNITS) == set(UNIT_STEPS)
    assert schema.GRANULARITY_NAMES == tuple(g for g in timexes.GRANULARITIES if g != "vague")


def test_the_schema_knows_how_matching_reads_each_group() -> None:
    readers = schema.GROUP_READERS
    assert {n for n, how in readers.items() if how == schema.NUMBER} == matching._NUMBER_GROUPS
    assert {n for n, how in readers.items() if how == schema.DIGITS} == matching._INT_GROUPS


# --- each class of mistake, refused with the file, line and rule --------------------------------
@pytest.mark.parametrize(("rule", "old", "new", "problem"), [
    ("date.month_day_year", 'kind = "calendar"\n', 'kind = "calendar"\npriorty = 1\n',
     "unknown key 'priorty' (did you mean 'priority'?)"),
    ("date.month_day_year", 'kind = "calendar"\n', 'kind = "calendar"\ncontex_before = \'on\\s+$\'\n',
     "unknown key 'contex_before' (did you mean 'context_before'?)"),
    ("date.month_day_year", 'kind = "calendar"\n', 'kind = "calender"\n',
     "unknown kind 'calender' (did you mean 'calendar'?)"),
    ("date.month_day_year", 'kind = "calendar"\n', 'kind = "calendar"\npriority = "high"\n',
     "priority = 'high' is off the schema: expected int"),
    ("date.month_day_year", 'kind = "calendar"\n', 'kind = "calendar"\nreporting = "yes"\n',
     "reporting = 'yes' is off the schema: expected bool"),
    ("offset.ago", "direction = -1", "direction = true", "direction = True is off the schema: expected int: -1, 1"),
    ("offset.ago", "direction = -1", "direction = -2", "direction = -2 is off the schema: expected int: -1, 1"),
    ("offset.ago", 'anchor = "publication"', 'anchor = "mentioned"',
     "anchor = 'mentioned' is off the schema: expected str: 'mention', 'publication'"),
    ("date.month_day_year", 'type = "DATE"\n', 'type = "SET"\n', "type 'SET' is not one kind 'calendar' gives"),
    ("date.month_day_year", 'type = "DATE"\n', "", "missing 'type'"),
    ("date.weekend", "(?P<relation>this)", "(?P<relaton>this)", "group 'relaton' sets no field kind 'weekend' reads"),
    ("date.weekend", "(?P<relation>this)|the|that", "(?P<relation>this|that)|the",
     "group 'relation' can match 'that', not a value of field 'relation'"),
    ("date.month_day_year", "(?P<month>{month})", "(?P<month>{mnth})",
     "unknown placeholder {mnth} (did you mean {month}?)"),
    ("date.month_day_year", "pattern = '", "example = \"next Friday\"\npattern = '",
     "the pattern does not match its example 'next Friday' in full"),
])
def test_a_mistake_in_a_rule_is_refused_naming_file_and_rule(rule: str, old: str, new: str, problem: str) -> None:
    index, line = _rule_at(rule)
    message = _refused(_edited(rule, old, new))
    assert f"en.toml:{line}: rule {index} '{rule}': {problem}" in message


def test_an_example_the_pattern_matches_is_accepted() -> None:
    text = _edited("date.month_day_year", "pattern = '", "example = [\"May 16, 2024\", \"Jan. 3, 1999\"]\npattern = '")
    assert compile_source(text, "en.toml").rules


def test_a_rule_without_the_field_its_kind_needs_is_refused() -> None:
    text = EN_TEXT + '\n[[rule]]\nname = "duration.no_unit"\ntype = "DURATION"\nkind = "duration"\n' \
                     "pattern = 'a\\s+long\\s+stretch\\b'\n"
    index = len(load_grammar("en").rules)
    message = _refused(text)
    assert re.search(rf"en\.toml:\d+: rule {index} 'duration\.no_unit': kind 'duration' needs 'unit'", message)


def test_a_rule_no_word_can_trigger_is_refused() -> None:
    # Capitals only: no literal word, no word table, no digit, so the trigger index never tries it.
    text = EN_TEXT + '\n[[rule]]\nname = "vague.acronym"\ntype = "DATE"\nkind = "vague"\nvalue = "PRESENT_REF"\n' \
                     "pattern = '(?-i:[A-Z]{3})\\b'\n"
    index = len(load_grammar("en").rules)
    assert f"rule {index} 'vague.acronym': no word or digit can trigger it, so it is never tried" in _refused(text)


def test_an_off_schema_value_in_a_word_table_is_refused() -> None:
    text = EN_TEXT.replace('fortnight = "2W"\n', 'fortnight = "FN"\n', 1)
    index, line = _rule_at("offset.ago")
    assert f"en.toml:{line}: rule {index} 'offset.ago': [lexicon.unit] gives 'FN', off the schema" in _refused(text)


def test_a_group_word_missing_from_its_table_is_refused() -> None:
    # "weeks" matched by the group but absent from lexicon.unit would set no unit at all.
    text = EN_TEXT.replace('weeks = "W"\n', "", 1)
    assert re.search(r"rule \d+ 'set\.every_unit': group 'unit' can match 'weeks', which \[lexicon\.unit\] lacks",
                     _refused(text))


def test_two_rules_of_one_name_are_refused() -> None:
    first, _ = _rule_at("date.weekend")
    text = EN_TEXT.replace('name = "date.year_end"\n', 'name = "date.weekend"\n', 1)
    assert re.search(rf"rule \d+ 'date\.weekend': the name is rule {first}'s too", _refused(text))


def test_every_problem_of_a_file_is_told_at_once() -> None:
    text = _edited("date.weekend", "(?P<relation>this)", "(?P<relaton>this)")
    text = text.replace('name = "date.month_day_year"\ntype = "DATE"\n', 'name = "date.month_day_year"\ntype = "SET"\n')
    message = _refused(text)
    assert "'date.weekend': group 'relaton'" in message and "'date.month_day_year': type 'SET'" in message


def test_a_mistake_in_an_extension_is_refused() -> None:
    text = EN_TEXT.replace('kinds = ["holiday"]\n', 'kinds = ["holliday"]\nincluded = false\n', 1)
    message = _refused(text)
    assert re.search(r"en\.toml:\d+: extension \d+ 'holiday\.week': unknown key 'included' "
                     r"\(did you mean 'include'\?\)", message)
    assert "'holiday.week': unknown kind 'holliday' (did you mean 'holiday'?)" in message


def test_a_file_that_is_no_toml_is_refused_by_name() -> None:
    assert _refused(EN_TEXT + "\n[[rule]\n").startswith("en.toml: not valid TOML")


# --- a grammar without the table a kind relies on ----------------------------------------------
GERMAN = r"""
language = "de"
[lexicon.weekday]
montag = 1
freitag = 5
[lexicon.number_word]
eins = 1

[[rule]]
name = "weekday.relative"
type = "DATE"
kind = "weekday"
pattern = '(?P<relation>letzten|nächsten)\s+(?P<weekday>{Weekday})\b'
example = "letzten Freitag"
"""
RELATION_TABLE = '[lexicon.relation]\nletzten = "last"\n"nächsten" = "next"\n'


def test_native_words_without_their_table_are_refused_not_read_as_the_default() -> None:
    # Without [lexicon.relation], "letzten" would be no relation the resolver knows, and
    # "letzten Freitag" would silently become the nearest Friday by tense.
    message = _refused(GERMAN, "de.toml")
    assert "de.toml:9: rule 0 'weekday.relative': group 'relation' can match 'letzten', 'nächsten'" in message
    assert "map the words with a [lexicon.relation]" in message
    grammar = compile_source(GERMAN.replace("[lexicon.weekday]", RELATION_TABLE + "[lexicon.weekday]"), "de.toml")
    found = tag_text("Der Minister trat letzten Freitag zurück.", datetime(2024, 5, 16), grammar)
    assert [(t.text, t.value) for t in found] == [("letzten Freitag", "2024-05-10")]


def test_a_field_read_through_a_missing_table_is_refused() -> None:
    text = GERMAN.replace("[lexicon.number_word]\neins = 1\n", "") + r"""
[[rule]]
name = "offset.ago"
type = "DATE"
kind = "offset"
pattern = 'vor\s+(?P<num>\w+)\s+Tagen\b'
unit = "D"
direction = -1
"""
    message = _refused(text.replace("[lexicon.weekday]", RELATION_TABLE + "[lexicon.weekday]"), "de.toml")
    assert "rule 1 'offset.ago': field 'num' is read through [lexicon.number_word], which this grammar lacks" \
        in message


# --- docs/grammar.md shows the schema as declared ----------------------------------------------
def test_the_documented_schema_is_the_declared_one() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    begin, end = schema.DOCS_BEGIN, schema.DOCS_END
    assert docs[docs.index(begin) + len(begin):docs.index(end)].strip() == schema.schema_markdown().strip(), \
        "regenerate the schema section: python -m timeline.grammar docs/grammar.md"


def test_the_kinds_table_of_the_docs_lists_every_kind() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    table = docs[docs.index("### Kinds and the fields they read"):]
    listed = set(re.findall(r"^\| `(\w+)`(?:, `(\w+)`)?", table, re.MULTILINE))
    assert set(schema.KINDS) <= {kind for pair in listed for kind in pair if kind}


# --- the word-list tables (issue 16 item 2) ------------------------------------------------------
def test_a_misspelt_table_is_refused_by_name() -> None:
    message = _refused(EN_TEXT.replace("\n[labels]\n", "\n[lables]\n", 1))
    assert "en.toml: unknown table [lables] (did you mean [labels]?)" in message


@pytest.mark.parametrize("table, line", [
    ("labels", 'mont = "{month} {year}"'),
    ("numbers", 'joiner = ["and"]'),
    ("triggers", 'stopwords = ["the"]'),
])
def test_a_misspelt_key_of_a_word_table_is_refused(table: str, line: str) -> None:
    message = _refused(EN_TEXT.replace(f"\n[{table}]\n", f"\n[{table}]\n{line}\n", 1))
    assert f"[{table}]: unknown key(s) {line.split()[0]}" in message


def test_how_numbers_compose_is_read_from_the_grammar() -> None:
    grammar = load_grammar("en")
    assert matching.parse_spoken_year("two thousand and one", grammar) == 2001
    assert matching.parse_spoken_year("nineteen o five", grammar) == 1905
    assert matching.parse_spoken_year("nineteen hundred", grammar) == 1900
    # Without the words of [numbers], the joiner and the spoken zero are no longer understood.
    bare = compile_source(EN_TEXT.replace('joiners = ["and"]', "joiners = []")
                          .replace('year_zero = ["o"]', "year_zero = []"), "en.toml")
    assert matching.parse_spoken_year("two thousand and one", bare) is None
    assert matching.parse_spoken_year("nineteen o five", bare) is None


def test_date_labels_are_written_in_the_words_of_the_grammar() -> None:
    from timeline.timexes import Interval, date_label

    german = compile_source(EN_TEXT.replace('day = "{day} {month} {year}"', 'day = "{day}. {month} {year}"')
                            .replace('"May", "June"', '"Mai", "Juni"')
                            .replace('AF = "afternoon"', 'AF = "nachmittags"'), "de-labels.toml").labels
    interval = Interval(datetime(2024, 5, 16, 12), datetime(2024, 5, 16, 18), "part_of_day")
    assert date_label("2024-05-16TAF", interval) == "16 May 2024, afternoon"
    assert date_label("2024-05-16TAF", interval, labels=german) == "16. Mai 2024, nachmittags"
