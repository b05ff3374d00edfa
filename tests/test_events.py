"""Unit tests of timeline.events: the news-line filter, clause summaries, content words, names."""
from __future__ import annotations

import pytest

from timeline.events import clause_summary, content_words, is_news_line, names
from timeline.grammar import load_grammar

WORDS = load_grammar("en").events
TITLE = "Dam Bursts as Storm Hits the Valley"


def _summary(sentence: str, timex: str) -> str:
    start = sentence.index(timex)
    return clause_summary(sentence, start, start + len(timex), WORDS)


# --- is_news_line ------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "By Lucy Adautin",
    "by Tom Reyes and Ana Ruiz",
    "Reporting by Ana Ruiz",
    "Written by Marta Kovac",
    "Leave a Reply",
    "LEAVE A REPLY",
    "Share this article",
    "Advertisement",
    "Read more:",
    "\u0645\u0634\u0627\u0631\u0643\u0629 :",   # an Arabic share label
    "\u5206\u4eab",                              # a Chinese one
    "Putin in Beijing",                          # a short heading without a sentence end
    "",
    "   ",
    TITLE,
    "dam bursts as storm hits the valley",      # the title again, other case
    "Dam bursts as storm hits the valley!",     # the title again, punctuation ignored
])
def test_page_furniture_is_no_news_line(line: str) -> None:
    assert is_news_line(line, WORDS, title=TITLE) is False


@pytest.mark.parametrize("line", [
    "The Kerrow dam collapsed on Tuesday after days of heavy rain.",
    "Prices rose.",                                   # short, but a sentence
    "\u201cWe will rebuild.\u201d",                   # a short quotation
    "By the end of the week, the talks had collapsed.",
    "Rescue teams searched the valley for three days",  # long enough without a full stop
    "Dam bursts as storm hits the valley, officials say.",  # more than the title
    "  The governor visited the flooded villages on Wednesday.  ",
])
def test_reporting_lines_are_kept(line: str) -> None:
    assert is_news_line(line, WORDS, title=TITLE) is True


def test_a_line_equal_to_the_title_counts_without_a_title() -> None:
    assert is_news_line(TITLE, WORDS) is True
    assert is_news_line(TITLE, WORDS, title=TITLE) is False


@pytest.mark.parametrize("line", ["By Thursday the ceasefire was over.", "By Friday, prices had doubled."])
def test_short_sentence_opening_with_by_a_date_is_kept(line: str) -> None:
    assert is_news_line(line, WORDS) is True


# --- clause_summary ----------------------------------------------------------------------

def test_fronted_date_dates_the_main_clause() -> None:
    assert _summary("On Tuesday, the trade ministry announced new tariffs on steel.", "Tuesday") \
        == "trade ministry announced new tariffs on steel"


def test_fronted_adverbial_with_a_complement_dates_the_main_clause() -> None:
    assert _summary("After the concert on Thursday, the two leaders walked in the park.", "Thursday") \
        == "two leaders walked in the park"
    assert _summary("Last year, bilateral trade hit a record, officials said.", "Last year") \
        == "bilateral trade hit a record"


def test_fronted_date_skips_a_participle_chunk() -> None:
    assert _summary("On Monday, citing inflation, the central bank raised rates.", "Monday") \
        == "central bank raised rates"


def test_fronted_date_keeps_a_capitalized_ing_name_as_subject() -> None:
    # "Boeing" ends in -ing but is a name, not a participle opening a chunk to skip.
    assert _summary("On Tuesday, Boeing delivered ten jets.", "Tuesday") == "Boeing delivered ten jets"
    assert _summary("On Tuesday, citing demand, Boeing delivered ten jets.", "Tuesday") == "Boeing delivered ten jets"


def test_date_in_a_subordinate_since_clause_dates_that_clause() -> None:
    sentence = ("Their meeting marks the fourth since Russia initiated its invasion of Ukraine in February 2022, "
                "amid rising concern.")
    assert _summary(sentence, "February 2022") == "Russia initiated its invasion of Ukraine"
    assert _summary("The local economy has struggled since the mine closed in February 2022.", "February 2022") \
        == "mine closed"


def test_fronted_since_dates_what_follows_since_not_the_main_clause() -> None:
    sentence = "Since the initiation of hostilities in Ukraine in 2022, Russia has leaned on China."
    assert _summary(sentence, "2022") == "initiation of hostilities in Ukraine"


def test_date_at_the_end_of_a_clause() -> None:
    assert _summary("The Kerrow dam collapsed on Tuesday.", "Tuesday") == "Kerrow dam collapsed"
    assert _summary("The harbour authority opened a new ferry terminal on June 1, 2023, officials said.",
                    "June 1, 2023") == "harbour authority opened a new ferry terminal"
    assert _summary("Rescue teams arrived, and the Kerrow dam collapsed on Tuesday, officials said.", "Tuesday") \
        == "Kerrow dam collapsed"


def test_date_in_the_middle_of_a_clause_keeps_both_sides() -> None:
    assert _summary("The council on Friday approved a tourism tax.", "Friday") == "council approved a tourism tax"


def test_summary_drops_quotes_and_parentheses() -> None:
    assert _summary("On Tuesday, the ministry announced tariffs on $18bn (\u00a314bn) of \u201cunfair\u201d goods.",
                    "Tuesday") == "ministry announced tariffs on $18bn of unfair goods"


def test_summary_is_capped() -> None:
    sentence = "On Tuesday, " + " ".join(f"word{n}" for n in range(40)) + "."
    assert len(_summary(sentence, "Tuesday").split()) == 24


@pytest.mark.parametrize(("sentence", "timex"), [
    ("On June 1, 2023, the harbour authority opened a new ferry terminal.", "June 1, 2023"),
    ("On Monday, June 5, the harbour authority opened a new ferry terminal.", "Monday, June 5"),
])
def test_fronted_date_with_an_inner_comma(sentence: str, timex: str) -> None:
    assert _summary(sentence, timex) == "harbour authority opened a new ferry terminal"


# --- content_words -----------------------------------------------------------------------

def test_content_words_drop_stop_words_numbers_and_short_lowercase_words() -> None:
    words = content_words("The bank said it would act on 12 June 2024, as it had in 2023, ok?", WORDS)
    assert words == frozenset({"bank", "act", "june"})


def test_content_words_fold_plurals_and_possessives() -> None:
    assert content_words("The central bank's rates", WORDS) == content_words("central banks rate", WORDS) \
        == frozenset({"central", "bank", "rate"})
    assert content_words("Putin\u2019s visit", WORDS) == frozenset({"putin", "visit"})
    assert content_words("glass address news", WORDS) == frozenset({"glass", "address", "news"})  # not plurals


def test_content_words_keep_two_letter_names() -> None:
    assert content_words("Xi met Li in Beijing", WORDS) == frozenset({"xi", "met", "li", "beijing"})
    assert "xi" not in content_words("xi met li", WORDS)


def test_content_words_are_lower_case() -> None:
    assert content_words("KERROW Dam", WORDS) == frozenset({"kerrow", "dam"})


# --- names -------------------------------------------------------------------------------

def test_names_split_participants_and_places() -> None:
    assert names("Chinese President Xi Jinping welcomed Putin to Beijing", WORDS) == (
        ["Chinese President Xi Jinping", "Putin"], ["Beijing"])
    assert names("Putin flew from Moscow to Harbin with Sergei Shoigu", WORDS) == (
        ["Putin", "Sergei Shoigu"], ["Moscow", "Harbin"])


def test_names_drop_lone_nationality_adjectives() -> None:
    assert names("The Chinese delegation met Western diplomats and Russian officials in Harbin", WORDS) == (
        [], ["Harbin"])


def test_names_drop_leading_function_words_and_possessives() -> None:
    assert names("The Kremlin's envoy met the Bank of England", WORDS) == (["Kremlin", "Bank of England"], [])
    assert names("After talks, Xi\u2019s team left", WORDS) == (["Xi"], [])


def test_names_are_not_repeated() -> None:
    assert names("Putin met Xi, and Putin thanked Xi in Beijing and in Beijing", WORDS) == (
        ["Putin", "Xi"], ["Beijing"])
