"""The merged timeline (timeline.chronology via timeline.build): merging, conflicts,
undated support, ordering, thresholds, undated documents, and the seed story.

The article texts here are invented for these tests; the seed story is the one in seeds/.
They pin the merging, ordering and support rules on the mentions of the clause heuristics
(``parser=None``: the layer a language without a parser gets), whose clauses are fixed;
tests/test_predicates.py pins the events read from a dependency parse.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline import BuildOptions

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

RATES_A = {
    "id": "rates-a", "published": "2024-03-20",
    "text": "On Monday, the central bank raised interest rates by half a point. "
            "Economists had expected a smaller move. Markets fell sharply after the announcement.",
}
RATES_B = {
    "id": "rates-b", "published": "2024-03-20",
    "text": "Borrowers are bracing for higher payments. The central bank's decision on Monday to raise "
            "interest rates by half a point surprised analysts. Mortgage lenders said they would pass the increase on.",
}


def _build(documents: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    return timeline.build(documents, parser=None, **options).to_dict()


def _check_mentions(event: dict[str, Any], texts: dict[str, str]) -> None:
    """Every mention points into its document: sentence and timex at their offsets."""
    for mention in event["mentions"]:
        text = texts[mention["document"]]
        assert text[mention["sentence_start"]:mention["sentence_end"]] == mention["sentence"]
        timex = mention["timex"]
        if timex is not None:
            assert text[timex["start"]:timex["end"]] == timex["text"]
            assert mention["sentence_start"] <= timex["start"] < timex["end"] <= mention["sentence_end"]


def _real(warnings: list[str]) -> list[str]:
    """The warnings about the input: without the note that no parser read it (until one ships)."""
    return [w for w in warnings if not w.startswith("no parser")]


def _texts(documents: list[dict[str, Any]]) -> dict[str, str]:
    return {d["id"]: d["text"] for d in documents}


# --- merging -----------------------------------------------------------------------------

def test_same_event_told_differently_is_one_event_with_both_sources() -> None:
    data = _build([RATES_A, RATES_B])
    assert len(data["events"]) == 1
    event = data["events"][0]
    assert event["id"] == "e1"
    assert event["sources"] == ["rates-a", "rates-b"]
    assert {k: event["date"][k] for k in ("value", "label", "start", "end", "granularity", "basis")} == {
        "value": "2024-03-18", "label": "18 March 2024", "start": "2024-03-18", "end": "2024-03-19",
        "granularity": "day", "basis": "explicit"}
    assert event["summary"] == "Central bank raised interest rates by half a point"
    assert event["conflicting"] is False and "dates" not in event
    assert [m["document"] for m in event["mentions"]] == ["rates-a", "rates-b"]
    first, second = event["mentions"]
    assert first["sentence"] == "On Monday, the central bank raised interest rates by half a point."
    assert second["sentence"].startswith("The central bank's decision on Monday to raise interest rates")
    assert second["sentence_start"] == len("Borrowers are bracing for higher payments. ")
    for mention in event["mentions"]:
        assert mention["timex"]["text"] == "Monday" and mention["timex"]["value"] == "2024-03-18"
        assert mention["resolution"]["anchor"] == "publication"
        assert mention["resolution"]["anchor_value"] == "2024-03-20"
        assert mention["resolution"]["rule"] == "weekday.bare"
    _check_mentions(event, _texts([RATES_A, RATES_B]))


def test_busy_day_keeps_distinct_events_apart() -> None:
    documents = [{
        "id": "lisbon", "published": "2024-06-15",
        "text": "The Norwegian prime minister arrived in Lisbon on Thursday. The two governments signed a fisheries "
                "treaty on Thursday. On Thursday, a string quartet gave a concert at the old opera house. "
                "The foreign minister held a press conference on Thursday.",
    }]
    events = _build(documents)["events"]
    assert [e["date"]["value"] for e in events] == ["2024-06-13"] * 4
    assert [e["summary"] for e in events] == [
        "Norwegian prime minister arrived in Lisbon",
        "Two governments signed a fisheries treaty",
        "String quartet gave a concert at the old opera house",
        "Foreign minister held a press conference",
    ]
    assert [e["id"] for e in events] == ["e1", "e2", "e3", "e4"]  # same day: document order
    for event in events:
        assert len(event["mentions"]) == 1
        _check_mentions(event, _texts(documents))


def test_shared_protagonist_alone_does_not_merge_a_busy_day() -> None:
    """Every clause names President Halvorsen: the name weighs little, the arrival alone merges."""
    documents = [
        {"id": "c", "published": "2024-06-15",
         "text": "President Halvorsen arrived in Lisbon on Thursday for a state visit. On Thursday, President "
                 "Halvorsen signed a fisheries treaty with Portugal. Thousands attended a concert for President "
                 "Halvorsen on Thursday evening."},
        {"id": "d", "published": "2024-06-15",
         "text": "President Halvorsen held a press conference on Thursday at the embassy. He told reporters the "
                 "fisheries treaty was fair. President Halvorsen landed in Lisbon on Thursday morning."},
    ]
    events = _build(documents)["events"]
    by_source = {tuple(e["sources"]): e for e in events}
    assert len(events) == 4
    arrival = by_source[("c", "d")]
    assert {m["summary"] for m in arrival["mentions"]} == {
        "President Halvorsen arrived in Lisbon for a state visit", "President Halvorsen landed in Lisbon"}
    # The finer date ("Thursday morning") dates the merged event.
    assert arrival["date"]["value"] == "2024-06-13TMO"
    assert sorted(e["summary"] for e in events if e["sources"] != ["c", "d"]) == [
        "President Halvorsen held a press conference at the embassy",
        "President Halvorsen signed a fisheries treaty with Portugal",
        "Thousands attended a concert for President Halvorsen",
    ]
    for event in events:
        _check_mentions(event, _texts(documents))


def test_coarse_and_fine_dates_of_one_happening_merge_under_the_finer_date() -> None:
    documents = [
        {"id": "m1", "published": "2023-07-01",
         "text": "In 2023, the island council approved a tourism tax on cruise passengers."},
        {"id": "m2", "published": "2023-07-01",
         "text": "On 12 May 2023, the island council approved a tourism tax on cruise passengers."},
    ]
    events = _build(documents)["events"]
    assert len(events) == 1
    assert events[0]["date"]["value"] == "2023-05-12"
    assert [m["timex"]["value"] for m in events[0]["mentions"]] == ["2023", "2023-05-12"]


# --- conflicts ---------------------------------------------------------------------------

DAM_TUESDAY = {"id": "north", "published": "2024-09-12",
               "text": "The Kerrow dam collapsed on Tuesday after days of heavy rain. Villagers downstream were "
                       "evacuated by boat."}
DAM_WEDNESDAY = {"id": "south", "published": "2024-09-12",
                 "text": "Rescue teams are still searching the valley. The Kerrow dam collapsed on Wednesday after "
                         "days of heavy rain, officials said."}


def test_same_happening_dated_differently_is_one_conflicting_event() -> None:
    data = _build([DAM_TUESDAY, DAM_WEDNESDAY])
    assert len(data["events"]) == 1
    event = data["events"][0]
    assert event["conflicting"] is True
    assert event["sources"] == ["north", "south"]
    assert event["dates"] == [{"value": "2024-09-10", "label": "10 September 2024", "documents": ["north"]},
                              {"value": "2024-09-11", "label": "11 September 2024", "documents": ["south"]}]
    assert event["date"]["value"] == "2024-09-10"  # the first document's date leads
    assert [m["timex"]["text"] for m in event["mentions"]] == ["Tuesday", "Wednesday"]
    _check_mentions(event, _texts([DAM_TUESDAY, DAM_WEDNESDAY]))


def test_conflict_lists_every_source_behind_each_date() -> None:
    confirm = {"id": "wire", "published": "2024-09-12",
               "text": "Officials confirmed that the Kerrow dam collapsed on Tuesday after days of heavy rain."}
    event = _build([DAM_TUESDAY, DAM_WEDNESDAY, confirm])["events"][0]
    assert event["conflicting"] is True
    assert event["dates"] == [{"value": "2024-09-10", "label": "10 September 2024", "documents": ["north", "wire"]},
                              {"value": "2024-09-11", "label": "11 September 2024", "documents": ["south"]}]


def test_different_happenings_on_different_days_do_not_conflict() -> None:
    governor = {"id": "south", "published": "2024-09-12",
                "text": "The regional governor visited the flooded villages on Wednesday. She promised money for "
                        "new housing."}
    events = _build([DAM_TUESDAY, governor])["events"]
    assert [(e["date"]["value"], e["sources"], e["conflicting"]) for e in events] == [
        ("2024-09-10", ["north"], False), ("2024-09-11", ["south"], False)]
    assert all("dates" not in e for e in events)


def test_one_document_giving_two_dates_is_not_a_conflict() -> None:
    """Conflicts are between sources; one article may tell a happening twice (documented rule)."""
    single = {"id": "s", "published": "2024-09-12",
              "text": "The Kerrow dam collapsed on Tuesday after heavy rain. Later reports said the Kerrow dam "
                      "collapsed on Wednesday after heavy rain."}
    events = _build([single])["events"]
    assert len(events) == 2
    assert not any(e["conflicting"] for e in events)


# --- undated support ---------------------------------------------------------------------

def test_undated_article_supports_the_event_it_describes() -> None:
    local = {"id": "local", "published": "2024-09-13",
             "text": "Farmers counted their losses. The collapse of the Kerrow dam flooded three villages after "
                     "days of heavy rain. Insurance claims are expected to be large."}
    data = _build([DAM_TUESDAY, local])
    assert len(data["events"]) == 1
    event = data["events"][0]
    assert event["sources"] == ["local", "north"]
    assert [m["document"] for m in event["mentions"]] == ["north", "local"]
    support = event["mentions"][1]
    assert support["timex"] is None
    assert "resolution" not in support
    assert support["dated_by"] == ["north"]
    assert support["sentence"] == "The collapse of the Kerrow dam flooded three villages after days of heavy rain."
    assert event["mentions"][0].get("dated_by") is None
    assert event["date"]["value"] == "2024-09-10"  # the undated mention does not change the date
    _check_mentions(event, _texts([DAM_TUESDAY, local]))


def test_undated_sentence_of_the_dating_article_itself_is_no_support() -> None:
    """Support comes from other sources: the dating article repeating itself adds nothing."""
    repeat = {"id": "north", "published": "2024-09-12",
              "text": DAM_TUESDAY["text"] + " The collapse of the Kerrow dam flooded three villages after days of "
                                            "heavy rain."}
    event = _build([repeat])["events"][0]
    assert [m["timex"] is not None for m in event["mentions"]] == [True]


def test_unrelated_undated_sentences_join_nothing() -> None:
    other = {"id": "other", "published": "2024-09-13",
             "text": "The city library extended its opening hours. Volunteers repainted the school gym."}
    event = _build([DAM_TUESDAY, other])["events"][0]
    assert event["sources"] == ["north"]
    assert len(event["mentions"]) == 1


# --- ordering ----------------------------------------------------------------------------

def test_mixed_granularity_follows_the_ordering_rule() -> None:
    """Interval start; on equal starts the longer interval first; then document order."""
    documents = [
        {"id": "g1", "published": "2023-06-14",
         "text": "The harbour authority opened a new ferry terminal on June 1, 2023. Hotel bookings doubled in "
                 "June 2023. Fishermen protested outside the council offices on 5 June 2023."},
        {"id": "g2", "published": "2023-06-14",
         "text": "In 2023, the island council approved a tourism tax. Last week, a storm closed the airport. "
                 "The sailing regatta was cancelled on 5 June 2023."},
    ]
    events = _build(documents)["events"]
    got = [(e["id"], e["date"]["value"], e["date"]["granularity"], e["summary"]) for e in events]
    assert got == [
        ("e1", "2023", "year", "Island council approved a tourism tax"),
        ("e2", "2023-06", "month", "Hotel bookings doubled"),                       # starts June 1, longer
        ("e3", "2023-06-01", "day", "Harbour authority opened a new ferry terminal"),
        ("e4", "2023-W23", "week", "Storm closed the airport"),                     # starts Monday June 5
        ("e5", "2023-06-05", "day", "Fishermen protested outside the council offices"),  # g1 before g2
        ("e6", "2023-06-05", "day", "Sailing regatta was cancelled"),
    ]
    assert events[3]["date"]["start"] == events[4]["date"]["start"] == "2023-06-05"
    for event in events:
        _check_mentions(event, _texts(documents))


# --- thresholds --------------------------------------------------------------------------

def test_merge_threshold_is_configurable() -> None:
    assert len(_build([RATES_A, RATES_B])["events"]) == 1
    strict = _build([RATES_A, RATES_B], merge_threshold=0.95)["events"]
    assert [e["sources"] for e in strict] == [["rates-a"], ["rates-b"]]
    assert len(_build([RATES_A, RATES_B], merge_threshold=0.05)["events"]) == 1


@pytest.mark.parametrize("value", [0, 0.0, -0.1, 1.0001, 2, math.nan])
@pytest.mark.parametrize("name", ["merge_threshold", "conflict_threshold", "support_threshold"])
def test_build_options_reject_thresholds_outside_0_1(name: str, value: float) -> None:
    with pytest.raises(ValueError, match=name):
        BuildOptions(**{name: value})


def test_build_options_accept_the_closed_upper_end() -> None:
    options = BuildOptions(merge_threshold=1, conflict_threshold=0.001, support_threshold=1)
    assert options.merge_threshold == 1
    assert BuildOptions() == BuildOptions(merge_threshold=0.2, conflict_threshold=0.55, support_threshold=0.25)


def test_build_rejects_an_invalid_merge_threshold() -> None:
    with pytest.raises(ValueError, match="merge_threshold"):
        timeline.build([RATES_A], merge_threshold=0)


# --- documents without a publication date ------------------------------------------------

def test_undated_document_warns_and_keeps_only_absolute_dates() -> None:
    document = {"id": "museum",
                "text": "The museum reopened on Tuesday after a long renovation. Last week, the curator resigned. "
                        "On 3 March 2024, a fire damaged the roof."}
    data = _build([document])
    warnings = _real(data["warnings"])
    assert len(warnings) == 1
    assert warnings[0].startswith("museum:") and "no publication date" in warnings[0]
    assert [(e["date"]["value"], e["summary"]) for e in data["events"]] == [("2024-03-03", "Fire damaged the roof")]
    note = data["documents"][0]
    assert note["published"] is None
    assert note["timexes"] == 3 and note["event_mentions"] == 1


def test_dated_documents_give_no_warning() -> None:
    assert _real(_build([RATES_A])["warnings"]) == []


# --- page furniture ----------------------------------------------------------------------

def test_headline_dated_byline_and_labels_give_no_mentions() -> None:
    text = ("Kerrow dam collapsed on Tuesday\nBy Ana Ruiz, 11 September 2024\n"
            "The Kerrow dam collapsed on Tuesday after days of heavy rain.\nShare\nLeave a Reply\n")
    data = _build([{"id": "dam", "published": "2024-09-12", "title": "Kerrow dam collapsed on Tuesday", "text": text}])
    assert len(data["events"]) == 1  # no 2024-09-11 event from the byline's date
    assert [m["sentence"] for m in data["events"][0]["mentions"]] == [
        "The Kerrow dam collapsed on Tuesday after days of heavy rain."]
    assert data["documents"][0]["timexes"] == 4 and data["documents"][0]["event_mentions"] == 1


# --- vague references, durations, sets ---------------------------------------------------

def test_vague_references_durations_and_sets_are_no_events() -> None:
    text = ("The company is now struggling. Recently, shareholders complained. The strike lasted three weeks. "
            "Board members meet every Monday.")
    found = {t.value for t in timeline.extract(text, published="2024-05-16")}
    assert {"PRESENT_REF", "PAST_REF", "P3W", "XXXX-WXX-1"} <= found  # the timexes are there ...
    data = _build([{"id": "v", "published": "2024-05-16", "text": text}])
    assert data["events"] == []                                         # ... but date nothing
    assert data["documents"][0]["timexes"] == 4


def test_duration_and_set_stay_attributes_of_their_sentence_event() -> None:
    data = _build([{"id": "v", "published": "2024-05-16",
                    "text": "The minister began the two-day visit on Tuesday. Talks with unions resume every Monday."}])
    assert len(data["events"]) == 1
    event = data["events"][0]
    assert event["date"]["value"] == "2024-05-14"
    assert event["summary"] == "Minister began the two-day visit"
    assert event["attributes"] == [{"text": "two-day", "type": "DURATION", "value": "P2D"}]
    ferry = _build([{"id": "f", "published": "2024-05-16",
                     "text": "The ferry, which sails every Monday, was cancelled on Tuesday."}])["events"]
    assert ferry[0]["attributes"] == [{"text": "every Monday", "type": "SET", "value": "XXXX-WXX-1"}]


# --- known bugs --------------------------------------------------------------------------

def test_crlf_byline_is_not_part_of_an_event() -> None:
    text = "By Lucy Adautin\r\nThe Kerrow dam collapsed on Tuesday after heavy rain.\r\n"
    event = _build([{"id": "x", "published": "2024-09-12", "text": text}])["events"][0]
    assert event["mentions"][0]["sentence"] == "The Kerrow dam collapsed on Tuesday after heavy rain."


def test_build_from_a_path_warns_about_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "docs.jsonl"
    source.write_text('{"id": "a", "text": "The dam collapsed on Tuesday.", "published": "2024-09-12"}\n'
                      "{not json\n", encoding="utf-8")
    story = timeline.build(source, parser=None)
    assert len(story.events) == 1
    assert any("line 2" in warning for warning in story.warnings)


# --- the seed story ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds() -> tuple[dict[str, Any], dict[str, str]]:
    data = timeline.build(SEEDS, parser=None).to_dict()
    texts = {path.name: path.read_bytes().decode("utf-8") for path in SEEDS.glob("*.txt")}
    return data, texts


def _dated_documents(event: dict[str, Any]) -> list[str]:
    return [m["document"][:3] for m in event["mentions"] if m["timex"] is not None]


def _on(data: dict[str, Any], value: str) -> list[dict[str, Any]]:
    return [e for e in data["events"] if e["date"]["value"] == value]


def test_seed_build_accepts_a_string_path() -> None:
    assert timeline.build(str(SEEDS), parser=None).to_dict() == timeline.build(SEEDS, parser=None).to_dict()


def test_seed_tariffs_on_tuesday(seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = seeds
    [tariffs] = [e for e in _on(data, "2024-05-14") if "tariffs" in e["summary"]]
    assert "Biden administration announced tariffs" in tariffs["summary"]
    assert _dated_documents(tariffs) == ["004"]


def test_seed_putin_in_beijing_is_one_event_told_by_000_and_003(seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = seeds
    beijing = [e for e in _on(data, "2024-05-16") if "Beijing" in e["summary"]]
    assert len(beijing) == 1
    event = beijing[0]
    assert sorted(set(_dated_documents(event))) == ["000", "003"]
    assert "Beijing" in event["places"]
    assert any(a["value"] == "P2D" for a in event["attributes"])  # "two-day visit"
    received = [m for m in event["mentions"] if m["document"].startswith("002")]
    assert len(received) == 1
    assert "Putin was received with formal honors by Chinese President Xi Jinping in Beijing" in received[0]["sentence"]
    assert received[0]["timex"] is None
    assert received[0]["dated_by"] == sorted({m["document"] for m in event["mentions"] if m["timex"]})


def test_seed_trip_to_harbin_on_friday(seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = seeds
    [harbin] = [e for e in _on(data, "2024-05-17") if "Harbin" in e["places"]]
    assert "Harbin" in harbin["summary"]
    assert _dated_documents(harbin) == ["004"]
    assert harbin["mentions"][0]["timex"]["text"] == "Friday"


def test_seed_record_trade_last_year_told_by_003_and_004(seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = seeds
    [trade] = [e for e in _on(data, "2023") if "trade" in e["summary"]]
    assert "record" in trade["summary"].lower()
    assert _dated_documents(trade) == ["003", "004"]
    assert [m["timex"]["text"] for m in trade["mentions"]] == ["last year", "Last year"]


def test_seed_invasion_of_ukraine_is_one_event_from_two_sentences_of_003(
        seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = seeds
    [invasion] = [e for e in _on(data, "2022-02") if "nvasion" in e["summary"]]
    assert "Ukraine" in invasion["summary"]
    assert _dated_documents(invasion) == ["003", "003"]
    starts = [m["sentence_start"] for m in invasion["mentions"]]
    assert starts[0] != starts[1]  # two different sentences


def test_seed_page_furniture_yields_no_mention(seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, _ = seeds
    sentences = [m["sentence"] for e in data["events"] for m in e["mentions"]]
    assert sentences
    for sentence in sentences:
        assert not sentence.startswith("By Lucy Adautin")
        assert "Leave a Reply" not in sentence
        assert "\u0645\u0634\u0627\u0631\u0643\u0629" not in sentence  # the share label
        assert sentence != "Strategic Alliances Strengthened as Putin Visits Xi in Beijing"  # the repeated title


def test_seed_events_are_ordered_and_point_into_their_documents(
        seeds: tuple[dict[str, Any], dict[str, str]]) -> None:
    data, texts = seeds
    events = data["events"]
    assert [e["id"] for e in events] == [f"e{n}" for n in range(1, len(events) + 1)]
    assert [e["date"]["start"][:10] for e in events] == sorted(e["date"]["start"][:10] for e in events)
    assert [d["id"] for d in data["documents"]] == sorted(texts)
    assert _real(data["warnings"]) == []
    for event in events:
        assert event["mentions"] and event["sources"] == sorted({m["document"] for m in event["mentions"]})
        _check_mentions(event, texts)


def test_dated_by_names_at_most_twenty_documents_and_then_says_how_many_there_are() -> None:
    from timeline.chronology import DATED_BY_LIMIT, dated_by_fields

    documents = [f"a{index:03d}" for index in range(DATED_BY_LIMIT + 1)]
    assert dated_by_fields(documents[:DATED_BY_LIMIT]) == {"dated_by": documents[:DATED_BY_LIMIT]}
    assert dated_by_fields(documents) == {"dated_by": documents[:DATED_BY_LIMIT], "dated_by_total": 21}


def test_a_word_sets_weight_does_not_depend_on_the_order_the_set_is_read_in() -> None:
    """A set is read in an order that follows the process's hash seed: weights summed in that
    order made two processes (two API workers) merge the same story differently at a threshold.
    Here 1e16 + 1.0 rounds back to 1e16, so a sum in reading order depends on where the rare
    word comes."""
    import subprocess
    import sys

    program = ("from timeline.chronology import _Weights\n"
               "words = [f'word{i}' for i in range(60)] + ['rare']\n"
               "idf = {w: 1.0 for w in words} | {'rare': 1e16}\n"
               "print(repr(_Weights(idf).total(frozenset(words))))\n"
               "print(list(frozenset(words)).index('rare'))")
    runs = [subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout.split() for seed in (1, 2, 3)]
    assert len({position for _, position in runs}) > 1  # the rare word was read at different places
    assert {total for total, _ in runs} == {repr(1e16 + 60)}
