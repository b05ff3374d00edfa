"""Tests for the TimeML reader and the TempEval-3 Task A scorer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from timeline.evaluation import (
    GoldTimex,
    Scores,
    TimeMLDocument,
    evaluate_paths,
    find_timeml_files,
    format_report,
    read_timeml,
    refines,
    score,
)
from timeline.timexes import Resolution, Timex

TBAQ = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tbaq"


def write_tml(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text(f'<?xml version="1.0" ?>\n<TimeML>\n{body}\n</TimeML>\n', encoding="utf-8")
    return path


DCT = ('<DCT><TIMEX3 tid="t0" type="DATE" value="2024-03-15" temporalFunction="false" '
       'functionInDocument="CREATION_TIME">March 15, 2024</TIMEX3></DCT>')


def gold(text: str, phrase: str, type_: str, value: str, tid: str = "t1") -> GoldTimex:
    start = text.index(phrase)
    return GoldTimex(start, start + len(phrase), phrase, type_, value, None, tid)


def pred(text: str, phrase: str, type_: str, value: str) -> dict[str, object]:
    start = text.index(phrase)
    return {"start": start, "end": start + len(phrase), "text": phrase, "type": type_, "value": value}


# --- reader -----------------------------------------------------------------------------


def test_reader_offsets_entities_and_attribute_forms(tmp_path: Path) -> None:
    body = DCT + """
<TITLE>Ignored <TIMEX3 tid="t9" type="DATE" value="2024">title</TIMEX3></TITLE>
<TEXT>
Smith &amp; Sons <EVENT eid="e1" class="OCCURRENCE">closed</EVENT> the café <TIMEX3 tid="t1" type="DATE" value="2024-03-14" functionInDocument="NONE">yesterday</TIMEX3> &lt;early&gt;.
Sales fell <TIMEX3 value='P2Y' functionInDocument='NONE' type='DURATION' tid='t2' mod='MORE_THAN'>more than two years</TIMEX3> ago.
</TEXT>"""
    doc = read_timeml(write_tml(tmp_path, "story.tml", body))

    assert doc.name == "story"
    assert doc.dct == "2024-03-15"
    assert doc.text == ("\nSmith & Sons closed the café yesterday <early>.\n"
                        "Sales fell more than two years ago.\n")
    assert doc.timexes == [
        GoldTimex(30, 39, "yesterday", "DATE", "2024-03-14", None, "t1"),
        GoldTimex(60, 79, "more than two years", "DURATION", "P2Y", "MORE_THAN", "t2"),
    ]
    assert all(doc.text[t.start:t.end] == t.text for t in doc.timexes)


def test_reader_dct_inside_text_is_excluded_but_kept_as_dct(tmp_path: Path) -> None:
    body = """<TEXT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" functionInDocument="CREATION_TIME">August 7</TIMEX3> -- Talks resumed <TIMEX3 tid="t1" type="DATE" value="1998-08-06">Thursday</TIMEX3>.</TEXT>"""
    doc = read_timeml(write_tml(tmp_path, "dct_in_text.tml", body))

    assert doc.dct == "1998-08-07"
    assert doc.text == "August 7 -- Talks resumed Thursday."
    assert [(t.tid, t.text, t.start, t.end) for t in doc.timexes] == [("t1", "Thursday", 26, 34)]


def test_reader_nested_tags_and_missing_dct(tmp_path: Path) -> None:
    body = """<TEXT>It lasted <TIMEX3 tid="t1" type="DURATION" value="P3D">three <SIGNAL sid="s1">long</SIGNAL> days</TIMEX3>, <TIMEX3 tid="t2" type="DATE" value="2001"><TIMEX3 tid="t3" type="DATE" value="2001-05">May</TIMEX3> 2001</TIMEX3>.</TEXT>"""
    doc = read_timeml(write_tml(tmp_path, "nested.tml", body))

    assert doc.dct is None
    assert doc.text == "It lasted three long days, May 2001."
    assert [(t.tid, t.text, t.start, t.end) for t in doc.timexes] == [
        ("t1", "three long days", 10, 25),
        ("t3", "May", 27, 30),
        ("t2", "May 2001", 27, 35),
    ]


def test_reader_errors_name_the_file(tmp_path: Path) -> None:
    no_text = write_tml(tmp_path, "no_text.tml", DCT)
    with pytest.raises(ValueError, match="no_text.tml.*no <TEXT>"):
        read_timeml(no_text)
    two_texts = write_tml(tmp_path, "two_texts.tml", "<TEXT>a</TEXT><TEXT>b</TEXT>")
    with pytest.raises(ValueError, match="two_texts.tml"):
        read_timeml(two_texts)
    broken = tmp_path / "broken.tml"
    broken.write_text("<TimeML><TEXT>Monday</TimeML>", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.tml.*not well-formed"):
        read_timeml(broken)


def test_find_timeml_files(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    for name in ("b.tml", "a.tml", "sub/c.tml", "notes.txt"):
        (corpus / name).write_text("<TimeML/>", encoding="utf-8")
    extra = tmp_path / "extra.xml"
    extra.write_text("<TimeML/>", encoding="utf-8")

    assert find_timeml_files([corpus, str(extra)]) == [
        corpus / "a.tml", corpus / "b.tml", corpus / "sub" / "c.tml", extra,
    ]
    assert find_timeml_files(str(corpus / "b.tml")) == [corpus / "b.tml"]
    with pytest.raises(ValueError, match="missing"):
        find_timeml_files([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="empty.*no .tml"):
        find_timeml_files([tmp_path / "empty"])


# --- scorer -----------------------------------------------------------------------------


def figures(scores: Scores) -> tuple[float, ...]:
    return tuple(round(x, 4) for x in (
        scores.strict_precision, scores.strict_recall, scores.strict_f1,
        scores.relaxed_precision, scores.relaxed_recall, scores.relaxed_f1,
        scores.type_accuracy, scores.value_accuracy, scores.type_f1, scores.value_f1,
    ))


def kinds(scores: Scores) -> list[tuple[str, str]]:
    return [(error.doc, error.kind) for error in scores.errors]


def test_exact_match_scores_one_with_timex_objects() -> None:
    text = "Prices rose on Monday."
    doc = TimeMLDocument("d", text, "2024-03-15", [gold(text, "Monday", "DATE", "2024-03-11")])
    predicted = Timex(id="t1", start=15, end=21, text="Monday", type="DATE", value="2024-03-11",
                      resolution=Resolution(rule="weekday", anchor="publication"))

    scores = score([(doc, [predicted])])

    assert figures(scores) == (1.0,) * 10
    assert (scores.documents, scores.gold, scores.predicted) == (1, 1, 1)
    assert scores.errors == ()


def test_partial_overlap_is_relaxed_not_strict() -> None:
    text = "They left last Friday."
    doc = TimeMLDocument("d", text, None, [gold(text, "last Friday", "DATE", "2024-03-08")])

    scores = score([(doc, [pred(text, "Friday", "DATE", "2024-03-08")])])

    assert (scores.strict_matches, scores.relaxed_matches) == (0, 1)
    assert figures(scores) == (0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    [error] = scores.errors
    assert (error.kind, error.gold_text, error.pred_text) == ("span", "last Friday", "Friday")


def test_adjacent_spans_do_not_match() -> None:
    text = "Monday morning"
    doc = TimeMLDocument("d", text, None, [gold(text, "Monday", "DATE", "2024-03-11")])

    scores = score([(doc, [pred(text, " morning", "TIME", "TMO")])])

    assert scores.relaxed_matches == 0
    assert kinds(scores) == [("d", "missed"), ("d", "spurious")]


def test_matching_is_one_to_one_and_greedy_by_overlap() -> None:
    text = "See you next Monday morning, in 1990 or 1991."
    doc = TimeMLDocument("d", text, None, [
        gold(text, "next Monday morning", "TIME", "2024-03-18TMO", "t1"),
        gold(text, "1990", "DATE", "1990", "t2"),
        gold(text, "1991", "DATE", "1991", "t3"),
    ])
    predictions = [
        pred(text, "next Monday", "DATE", "2024-03-18"),
        pred(text, "Monday morning", "TIME", "2024-03-18TMO"),
        pred(text, "1990 or 1991", "DATE", "1990"),
    ]

    scores = score([(doc, predictions)])

    # "Monday morning" overlaps the gold more (14 > 11) and wins it; the wide prediction
    # overlaps both years by 4 and goes to the first in document order.
    assert (scores.gold, scores.predicted, scores.strict_matches, scores.relaxed_matches) == (3, 3, 0, 2)
    described = [(e.kind, e.gold_text, e.pred_text) for e in scores.errors]
    assert described == [
        ("span", "next Monday morning", "Monday morning"),
        ("spurious", None, "next Monday"),
        ("span", "1990", "1990 or 1991"),
        ("missed", "1991", None),
    ]


def test_identical_span_wins_a_tie_with_a_wider_prediction() -> None:
    text = "Since 2019 March 3 it rained."
    doc = TimeMLDocument("d", text, None, [gold(text, "March 3", "DATE", "2019-03-03")])
    predictions = [pred(text, "2019 March 3", "DATE", "2019-03-03"), pred(text, "March 3", "DATE", "2019-03-03")]

    scores = score([(doc, predictions)])

    assert (scores.strict_matches, scores.relaxed_matches) == (1, 1)
    assert figures(scores)[:3] == (0.5, 1.0, 0.6667)
    assert kinds(scores) == [("d", "spurious")]
    assert scores.errors[0].pred_text == "2019 March 3"


def test_pooled_counts_with_spurious_missed_type_and_value_errors() -> None:
    text1 = "Sales rose on Monday and fell last week."
    doc1 = TimeMLDocument("d1", text1, "2024-01-10", [
        gold(text1, "Monday", "DATE", "2024-01-08", "t1"),
        gold(text1, "last week", "DATE", "2024-W01", "t2"),
    ])
    text2 = "Every day for two years."
    doc2 = TimeMLDocument("d2", text2, "2024-01-10", [
        gold(text2, "Every day", "SET", "P1D", "t1"),
        gold(text2, "two years", "DURATION", "P2Y", "t2"),
    ])
    pairs = [
        (doc1, [pred(text1, "Sales", "DURATION", "PXY"),
                pred(text1, "week", "DATE", "2024-W02"),
                pred(text1, "Monday", "DATE", "2024-01-08")]),
        (doc2, [pred(text2, "Every day", "DURATION", "P1D")]),
    ]

    scores = score(pairs)

    # gold 4, predicted 4; strict 2 (Monday, Every day); relaxed 3; type ok 2/3; value ok 2/3.
    assert (scores.documents, scores.gold, scores.predicted) == (2, 4, 4)
    assert (scores.strict_matches, scores.relaxed_matches, scores.type_matches, scores.value_matches) == (2, 3, 2, 2)
    assert figures(scores) == (0.5, 0.5, 0.5, 0.75, 0.75, 0.75, 0.6667, 0.6667, 0.5, 0.5)
    assert kinds(scores) == [("d1", "spurious"), ("d1", "span"), ("d1", "value"), ("d2", "type"), ("d2", "missed")]
    value_error = scores.errors[2]
    assert (value_error.gold_value, value_error.pred_value) == ("2024-W01", "2024-W02")
    assert value_error.context == "Sales rose on Monday and fell [last week]."


@pytest.mark.parametrize("gold_value, value, expected", [
    ("1989-WXX", "1989-W43", True),
    ("XXXX-XX-XX", "2024-05-16", True),
    ("199X", "1994", True),
    ("1989-WXX", "1990-W43", False),   # contradicts the year
    ("1989-XX", "1989", False),         # coarser, not a filling-in
    ("1989-W43", "1989-W44", False),    # nothing unspecified in the gold
    ("XXXX", "PAST", False),
    ("PXY", "P2Y", True),
])
def test_refines(gold_value: str, value: str, expected: bool) -> None:
    assert refines(gold_value, value) is expected


def test_refinements_are_counted_apart_from_matches() -> None:
    text = "Prices rose last week and in 1994, and on Monday."
    doc = TimeMLDocument("d", text, "1989-10-27", [
        gold(text, "last week", "DATE", "1989-WXX", "t1"), gold(text, "1994", "DATE", "199X", "t2"),
        gold(text, "Monday", "DATE", "1989-10-23", "t3")])
    scores = score([(doc, [pred(text, "last week", "DATE", "1989-W42"), pred(text, "1994", "DATE", "1994"),
                           pred(text, "Monday", "DATE", "1989-10-16")])])
    assert (scores.value_matches, scores.value_refinements) == (0, 2)
    assert scores.value_accuracy == 0.0 and scores.compatible_value_accuracy == pytest.approx(2 / 3)
    assert [e.kind for e in scores.errors] == ["value", "value", "value"]
    report = format_report(scores)
    assert "2 value errors fill in an underspecified gold value" in report
    assert scores.to_dict()["value"]["refinements"] == 2


def test_empty_inputs_give_zero_without_errors() -> None:
    assert figures(score([])) == (0.0,) * 10
    text = "Nothing temporal here."
    only_gold = score([(TimeMLDocument("d", text, None, [gold(text, "here", "DATE", "X")]), [])])
    assert (only_gold.gold, only_gold.predicted, only_gold.relaxed_recall) == (1, 0, 0.0)
    assert kinds(only_gold) == [("d", "missed")]
    nothing = score([(TimeMLDocument("d", text, None, []), [])])
    assert (nothing.documents, nothing.gold, nothing.predicted, nothing.relaxed_f1) == (1, 0, 0, 0.0)


def test_prediction_without_required_fields_is_rejected() -> None:
    doc = TimeMLDocument("d", "Monday", None, [])
    with pytest.raises(TypeError, match="start, end, text, type and value"):
        score([(doc, [{"start": 0, "end": 6, "text": "Monday"}])])


# --- report and end to end --------------------------------------------------------------


def test_format_report_and_to_dict() -> None:
    text = "They left last Friday, not Monday."
    doc = TimeMLDocument("story", text, None, [
        gold(text, "last Friday", "DATE", "2024-03-08", "t1"),
        gold(text, "Monday", "DATE", "2024-03-11", "t2"),
    ])
    scores = score([(doc, [pred(text, "Friday", "DATE", "2024-03-01")])])

    table = format_report(scores)
    assert table.splitlines()[1:] == [
        "strict   P 0.000  R 0.000  F1 0.000",
        "relaxed  P 1.000  R 0.500  F1 0.667",
        "type     accuracy 1.000    F1 0.667",
        "value    accuracy 0.000    F1 0.000",
    ]
    assert "gold 2  predicted 1" in table
    assert "story" not in table

    verbose = format_report(scores, verbose=True)
    lines = verbose.splitlines()
    assert lines[0] == "story:"
    assert [line.split()[0] for line in lines[1:4]] == ["span", "value", "missed"]
    assert "'last Friday' DATE 2024-03-08" in lines[2] and "'Friday' DATE 2024-03-01" in lines[2]
    assert lines[3].endswith("| They left last Friday, not [Monday].")
    assert verbose.endswith(table)

    data = json.loads(json.dumps(scores.to_dict()))
    assert data["relaxed"] == {"matches": 1, "precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert data["value"]["accuracy"] == 0.0
    assert [error["kind"] for error in data["errors"]] == ["span", "value", "missed"]


def test_evaluate_paths_tags_text_with_dct(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tml(tmp_path, "one.tml", DCT + '<TEXT>Rain <TIMEX3 tid="t1" type="DATE" value="2024-03-14">yesterday</TIMEX3>.</TEXT>')
    write_tml(tmp_path, "two.tml", '<TEXT>No dates.</TEXT>')
    calls = []

    def tagger(text: str, dct: str | None) -> list[dict[str, object]]:
        calls.append((text, dct))
        return [{"start": 5, "end": 14, "text": "yesterday", "type": "DATE", "value": "2024-03-14"}] if dct else []

    scores = evaluate_paths([tmp_path], tagger)
    assert calls == [("Rain yesterday.", "2024-03-15"), ("No dates.", None)]
    assert figures(scores) == (1.0,) * 10
    assert capsys.readouterr().err == ""

    evaluate_paths([tmp_path], tagger, progress=True)
    assert "evaluating" in capsys.readouterr().err


def test_tbaq_corpus_reads_cleanly_and_scores_perfectly_against_itself() -> None:
    if not TBAQ.is_dir():
        pytest.skip(f"TBAQ data not found at {TBAQ}")
    files = find_timeml_files([TBAQ])
    docs = [read_timeml(path) for path in files]

    assert len(docs) == 256
    assert all(doc.dct for doc in docs)
    # The corpus has 2,078 TIMEX3 in all: 256 DCTs plus 1,822 in TEXT (1,243 TimeBank, 579 AQUAINT).
    assert sum(len(doc.timexes) for doc in docs) == 1822
    by_folder = {folder: sum(len(doc.timexes) for path, doc in zip(files, docs) if path.parent.name == folder)
                 for folder in ("timebank", "aquaint")}
    assert by_folder == {"timebank": 1243, "aquaint": 579}
    assert all(doc.text[t.start:t.end] == t.text for doc in docs for t in doc.timexes)

    scores = score((doc, doc.timexes) for doc in docs)
    assert (scores.gold, scores.predicted, scores.relaxed_matches) == (1822, 1822, 1822)
    assert figures(scores) == (1.0,) * 10
    assert scores.errors == ()
