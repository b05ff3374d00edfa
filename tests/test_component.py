"""The spaCy component contract: ``nlp.add_pipe("timex")`` in any pipeline, ``doc._.timexes``
and ``doc.spans["timex"]``, the publication date from ``component_cfg`` or ``doc._.published``,
and agreement with :func:`timeline.extract` and :class:`timeline.Extractor`.
"""
from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import spacy

import timeline  # registers the "timex" factory

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "2024-05-16"  # a Thursday
TEXT = ("Putin arrived in Beijing on Thursday. He was sworn in for a fifth term on May 7, 2024. "
        "Trade rose 26 percent last year, and talks will resume next week.")
EXPECTED = [("Thursday", "DATE", "2024-05-16"), ("May 7, 2024", "DATE", "2024-05-07"),
            ("last year", "DATE", "2023"), ("next week", "DATE", "2024-W21")]


def blank(*pipes: str) -> spacy.Language:
    nlp = spacy.blank("en")
    for pipe in pipes:
        nlp.add_pipe(pipe)
    return nlp


def summary(timexes):
    return [(t.text, t.type, t.value) for t in timexes]


def check_spans(doc) -> None:
    """doc.spans["timex"] mirrors doc._.timexes: same offsets, label = type."""
    timexes = doc._.timexes
    spans = list(doc.spans["timex"])
    assert [(s.start_char, s.end_char, s.label_, s.text) for s in spans] == [
        (t.start, t.end, t.type, t.text) for t in timexes]
    for timex in timexes:
        assert doc.text[timex.start:timex.end] == timex.text


@pytest.fixture(scope="module")
def nlp():
    return blank("sentencizer", "timex")


def test_factory_is_registered_and_added_to_a_fresh_blank_pipeline():
    nlp = spacy.blank("en")
    assert nlp.pipe_names == []
    nlp.add_pipe("sentencizer")
    component = nlp.add_pipe("timex")
    assert nlp.pipe_names == ["sentencizer", "timex"]
    assert callable(component)
    assert spacy.Language.has_factory("timex")


def test_published_from_component_cfg(nlp):
    doc = nlp(TEXT, component_cfg={"timex": {"published": PUBLISHED}})
    assert summary(doc._.timexes) == EXPECTED
    check_spans(doc)
    assert doc._.published == datetime(2024, 5, 16)
    assert [t.resolution.anchor for t in doc._.timexes] == ["publication", "none", "publication", "publication"]


@pytest.mark.parametrize("published", [PUBLISHED, date(2024, 5, 16), datetime(2024, 5, 16, 8, 0)])
def test_published_set_on_the_doc_before_the_pipeline(nlp, published):
    doc = nlp.make_doc(TEXT)
    doc._.published = published
    result = nlp(doc)
    assert result is doc
    assert summary(doc._.timexes) == EXPECTED
    check_spans(doc)
    assert doc._.published.date() == date(2024, 5, 16)


def test_component_cfg_takes_precedence_over_doc_published(nlp):
    doc = nlp.make_doc("They met on Thursday.")
    doc._.published = "2020-01-01"
    nlp(doc, component_cfg={"timex": {"published": PUBLISHED}})
    assert [t.value for t in doc._.timexes] == ["2024-05-16"]
    assert doc._.published == datetime(2024, 5, 16)


def test_invalid_published_raises_value_error_from_the_component(nlp):
    with pytest.raises(ValueError, match="'2024-13-45'"):
        nlp("They met on Thursday.", component_cfg={"timex": {"published": "2024-13-45"}})
    doc = nlp.make_doc("They met on Thursday.")
    doc._.published = "yesterday"
    with pytest.raises(ValueError, match="'yesterday'"):
        nlp(doc)


def test_component_without_sentencizer():
    nlp = blank("timex")
    assert nlp.pipe_names == ["timex"]
    doc = nlp(TEXT, component_cfg={"timex": {"published": PUBLISHED}})
    assert summary(doc._.timexes) == EXPECTED
    check_spans(doc)
    # Tense still works: the whole text is one clause context.
    past = nlp("The ministers met on Friday.", component_cfg={"timex": {"published": PUBLISHED}})
    future = nlp("The ministers will meet on Friday.", component_cfg={"timex": {"published": PUBLISHED}})
    assert [t.value for t in past._.timexes] == ["2024-05-10"]
    assert [t.value for t in future._.timexes] == ["2024-05-17"]


def test_component_on_empty_and_expressionless_docs(nlp):
    for text in ("", "   ", "No dates here at all."):
        doc = nlp(text, component_cfg={"timex": {"published": PUBLISHED}})
        assert doc._.timexes == []
        assert list(doc.spans["timex"]) == []


def test_nlp_pipe_over_several_texts(nlp):
    texts = ["They met on Thursday.", "", "Prices fell last week.", "No dates here.",
             "The treaty was signed on May 16, 2024.", "He will fly to Harbin on Friday."]
    docs = list(nlp.pipe(texts, component_cfg={"timex": {"published": PUBLISHED}}))
    assert [doc.text for doc in docs] == texts
    assert [[t.value for t in doc._.timexes] for doc in docs] == [
        ["2024-05-16"], [], ["2024-W19"], [], ["2024-05-16"], ["2024-05-17"]]
    for doc in docs:
        check_spans(doc)
        assert doc._.published == datetime(2024, 5, 16)
    singly = [nlp(text, component_cfg={"timex": {"published": PUBLISHED}}) for text in texts]
    assert [[t.to_dict() for t in doc._.timexes] for doc in docs] == [
        [t.to_dict() for t in doc._.timexes] for doc in singly]


def test_nlp_pipe_with_a_publication_date_per_doc(nlp):
    docs = []
    for text, published in [("They met on Thursday.", "2024-05-16"), ("They met on Thursday.", "2023-01-02"),
                            ("They met on Thursday.", None)]:
        doc = nlp.make_doc(text)
        doc._.published = published
        docs.append(doc)
    values = [[t.value for t in doc._.timexes] for doc in nlp.pipe(docs)]
    assert values == [["2024-05-16"], ["2022-12-29"], ["XXXX-WXX-4"]]


def test_docs_do_not_share_state(nlp):
    first = nlp("They met on Thursday.", component_cfg={"timex": {"published": PUBLISHED}})
    second = nlp("They met on Thursday.")
    assert [t.value for t in first._.timexes] == ["2024-05-16"]
    assert [t.value for t in second._.timexes] == ["XXXX-WXX-4"]
    assert second._.published is None


@pytest.mark.parametrize("text, value, kind", [
    ("They met on Thursday.", "XXXX-WXX-4", "DATE"),
    ("Prices fell last week.", "XXXX-WXX", "DATE"),
    ("The summit ended yesterday.", "XXXX-XX-XX", "DATE"),
    ("Trade rose last year.", "XXXX", "DATE"),
    ("The vote is set for March 3.", "XXXX-03-03", "DATE"),
    ("The plane landed at 10:45 GMT.", "XXXX-XX-XXT10:45Z", "TIME"),
    ("Fireworks are planned for tonight.", "XXXX-XX-XXTNI", "TIME"),
    ("Xi hosted a dinner on Thursday evening.", "XXXX-WXX-4TEV", "TIME"),
    ("They meet on Monday at 3 p.m.", "XXXX-WXX-1T15:00", "TIME"),
    ("The vote is on May 16 at noon.", "XXXX-05-16T12:00", "TIME"),
])
def test_without_published_relative_values_stay_underspecified(nlp, text, value, kind):
    doc = nlp(text)
    assert doc._.published is None
    timexes = doc._.timexes
    assert [(t.value, t.type) for t in timexes] == [(value, kind)]
    assert timexes[0].resolution.underspecified is True
    assert timexes[0].resolution.anchor == "missing"
    assert timexes[0].interval is None
    check_spans(doc)


def test_without_published_absolute_values_are_resolved(nlp):
    doc = nlp("The treaty was signed on May 16, 2024, in the 1990s style.")
    assert [(t.value, t.resolution.anchor, t.resolution.underspecified) for t in doc._.timexes] == [
        ("2024-05-16", "none", False), ("199", "none", False)]


def test_recurring_weekday_with_clock_time_is_a_set(nlp):
    doc = nlp("The committee meets every Monday at 3 p.m.", component_cfg={"timex": {"published": PUBLISHED}})
    assert [(t.type, t.value) for t in doc._.timexes] == [("SET", "XXXX-WXX-1T15:00")]


@pytest.mark.parametrize("published", [None, PUBLISHED, date(1998, 2, 27)])
def test_extractor_and_extract_agree(published):
    texts = [TEXT, "", "The next day, delegates walked out, and two days later they returned.",
             "Officials brief reporters daily and every Monday; the tracker updates hourly.",
             "The rouble is now trading at 91 to the dollar, down from 60 a year ago."]
    extractor = timeline.Extractor()
    for text in texts:
        ours = [t.to_dict() for t in extractor.extract(text, published)]
        assert ours == [t.to_dict() for t in timeline.extract(text, published=published)]
        doc = blank("sentencizer", "timex")(text, component_cfg={"timex": {"published": published}})
        assert ours == [t.to_dict() for t in doc._.timexes]
    assert extractor.describe() == {"language": "en", "pipeline": ["sentencizer", "timex"]}


def test_extract_matches_the_module_docstring():
    assert [(t.text, t.value) for t in timeline.extract("On Friday they will head to Harbin.", published=PUBLISHED)] \
        == [("Friday", "2024-05-17")]


@pytest.mark.skipif(not any(e.name == "timex" for e in importlib.metadata.entry_points(group="spacy_factories")),
                    reason="timeline is not installed, so its spacy_factories entry point is not registered")
def test_factory_entry_point_works_without_importing_timeline():
    code = ("import sys, spacy\n"
            "nlp = spacy.blank('en'); nlp.add_pipe('sentencizer'); nlp.add_pipe('timex')\n"
            "doc = nlp('On Friday they will head to Harbin.', component_cfg={'timex': {'published': '2024-05-16'}})\n"
            "print([t.value for t in doc._.timexes])\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['2024-05-17']"
