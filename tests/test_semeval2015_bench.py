"""bench/semeval2015.py: the CAT reader, the timeline writer on a small folder written here, and
the whole bench on the trial corpus (skipped when ../shared/data is absent)."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from timeline.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
TRIAL = ROOT.parent / "shared" / "data" / "semeval2015-timeline" / "trial"
SCORER = ROOT.parent / "shared" / "tools" / "semeval2015-timeline-eval"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("semeval2015", ROOT / "bench" / "semeval2015.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["semeval2015"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _bench()

# Two invented articles in CAT XML, one sentence a list of tokens.  The event markable must not
# change what is read: a raw-text system sees tokens and the creation time only.
SENTENCES_100 = [
    "Acme opens plant",
    "March 4 , 2015",
    "On Monday , Acme Corp opened a factory in Ohio .",
    "Jane Doe 's company was founded in 1999 .",
    "The Beatles ' Apple Corps sued Wal - Mart in May 2014 .",
]
SENTENCES_200 = [
    "Acme profits rise",
    "March 9 , 2015",
    "Last year , Acme 's profits doubled , Doe said .",
]


def _cat(doc_id: str, sentences: list[str], created: str) -> str:
    tokens = []
    number = 0
    for sentence, words in enumerate(s.split() for s in sentences):
        for word in words:
            number += 1
            tokens.append(f'<token number="{number - 1}" sentence="{sentence}" t_id="{number}">{word}</token>')
    return (f'<?xml version="1.0" ?><Document doc_id="{doc_id}" doc_name="{doc_id}-test">\n' + "\n".join(tokens)
            + '\n<Markables>\n<EVENT_MENTION m_id="1">\n<token_anchor t_id="3"/>\n</EVENT_MENTION>\n'
            f'<TIMEX3 functionInDocument="CREATION_TIME" m_id="2" type="DATE" value="{created}">\n</TIMEX3>\n'
            '</Markables>\n</Document>\n')


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus" / "corpus_trackA_CAT"
    corpus.mkdir(parents=True)
    (corpus / "100-Acme.xml").write_text(_cat("100", SENTENCES_100, "2015-03-04"), encoding="utf-8")
    (corpus / "200-Acme.xml").write_text(_cat("200", SENTENCES_200, "2015-03-09"), encoding="utf-8")
    (tmp_path / "corpus" / "list_target_entities.txt").write_text("Acme Corp\nJane Doe\n", encoding="utf-8")
    gold = tmp_path / "corpus" / "TimeLines_Gold_Standard"
    gold.mkdir()
    (gold / "acme_corp.txt").write_text("Acme Corp\n1\t2014\t200-2-doubled\n2\t2015-03-02\t100-2-opened\n")
    (gold / "jane_doe.txt").write_text("Jane Doe\n1\t1999\t100-3-founded\n")
    return tmp_path / "corpus"


def test_cat_text_is_rebuilt_with_exact_token_offsets(folder: Path) -> None:
    document = bench.read_cat(folder / "corpus_trackA_CAT" / "100-Acme.xml")
    assert document.id == "100" and document.published.date().isoformat() == "2015-03-04"
    assert document.text.splitlines() == [
        "Acme opens plant", "March 4, 2015", "On Monday, Acme Corp opened a factory in Ohio.",
        "Jane Doe's company was founded in 1999.", "The Beatles' Apple Corps sued Wal-Mart in May 2014."]
    assert all(document.text[t.start:t.end] == t.text for t in document.tokens)
    opened = document.text.index("opened")
    assert document.token_at(opened + 3) == next(t for t in document.tokens if t.text == "opened")
    assert document.token_at(document.text.index(" a factory")) is None  # the space between two tokens
    assert [(t.sentence, t.id) for t in document.tokens if t.text in ("opened", "founded")] == [(2, "13"), (3, "24")]


def test_first_verb_of_a_clause() -> None:
    grammar = bench.load_grammar("en")
    assert bench.first_verb("Acme Corp opened a factory in Ohio", grammar) == "opened"
    assert bench.first_verb("Jane Doe's company was founded", grammar) == "founded"
    assert bench.first_verb("The company will release a phone", grammar) == "release"
    assert bench.first_verb("Record bilateral trade", grammar) is None
    assert bench.first_verb("Doe said profits doubled", grammar) == "said"
    assert bench.first_verb("The phone has a camera", grammar) == "has"
    assert bench.first_verb("Sales fell since the spring", grammar) == "fell"


def test_a_trigger_from_the_event_layer_is_used_before_the_first_verb() -> None:
    grammar = bench.load_grammar("en")
    text = "Intro.\nOn Monday, Acme said it opened a plant."
    start = text.index("On Monday")

    def mention(trigger: object) -> SimpleNamespace:
        return SimpleNamespace(summary="Acme said it opened a plant", sentence_start=start, sentence_end=len(text),
                               timex=None, trigger=trigger)

    opened = text.index("opened")
    assert bench.trigger_span(mention(None), text, grammar) == (text.index("said"), text.index("said") + 4)
    assert bench.trigger_span(mention({"text": "opened", "start": opened, "end": opened + 6}), text,
                              grammar) == (opened, opened + 6)
    relative = SimpleNamespace(text="opened", start=opened - start, end=opened - start + 6)  # sentence offsets
    assert bench.trigger_span(mention(relative), text, grammar) == (opened, opened + 6)


def test_entity_timelines_in_the_task_format(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "system"
    out.mkdir()
    anchored = bench.system_timelines(bench.Folder.read(folder), Extractor(), out, "")
    assert (out / "acme_corp.txt").read_text() == "Acme Corp\n1\t2014\t200-2-doubled\n2\t2015-03-02\t100-2-opened\n"
    assert (out / "jane_doe.txt").read_text() == "Jane Doe\n1\t1999\t100-3-founded\n"
    assert anchored == 3


def test_a_folder_without_the_task_layout_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main([str(tmp_path), "--scorer", str(tmp_path)]) == 2
    assert "evaluation_all.py" in capsys.readouterr().err


@pytest.mark.skipif(not (SCORER / "evaluation_all.py").is_file(), reason="no SemEval-2015 scorer in ../shared/tools")
def test_the_official_scorer_on_the_small_folder(folder: Path) -> None:
    result = bench.run([folder], SCORER)
    assert result.f1 == 100.0 and "acme_corp.txt" in result.report


@pytest.mark.skipif(not TRIAL.is_dir() or not (SCORER / "evaluation_all.py").is_file(),
                    reason="no SemEval-2015 trial corpus or scorer in ../shared")
def test_the_bench_on_the_trial_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main([str(TRIAL), "--scorer", str(SCORER)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert {line.split("\t")[0] for line in lines if "\tFSCORE\t" in line} == {
        "steve_jobs.txt", "iphone_3g.txt", "itunes_store.txt", "beatles_apple_corps.txt", "ipod.txt",
        "iphone_4.txt"}
    last = re.fullmatch(r"micro_f1=(\d+\.\d\d)", lines[-1])
    assert last is not None and 0 < float(last.group(1)) <= 100
