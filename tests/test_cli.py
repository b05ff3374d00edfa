"""The ``timeline`` command end to end: JSON Lines in and out, error lines, exit codes, evaluation."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _values(record: dict) -> list[tuple[str, str]]:
    return [(timex["text"], timex["value"]) for timex in record["timexes"]]


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_in_jsonl_out(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "abs", "text": "Putin landed in Beijing on 16 May 2024."}),
        json.dumps({"id": "rel", "text": "Prices rose yesterday.", "published": "2024-05-16"}),
        json.dumps({"id": "caf\u00e9", "text": "Nothing temporal here.", "published": "2024-05-16"}),
    ])
    output = tmp_path / "out.jsonl"
    assert main(["timexes", "--input", str(source), "--output", str(output)]) == 0
    raw = output.read_text(encoding="utf-8")
    assert '"id": "caf\u00e9"' in raw  # UTF-8 as is, not \u escapes
    records = _lines(raw)
    assert [r["id"] for r in records] == ["abs", "rel", "caf\u00e9"]
    assert _values(records[0]) == [("16 May 2024", "2024-05-16")]
    assert _values(records[1]) == [("yesterday", "2024-05-15")]
    assert records[2]["timexes"] == []
    timex = records[1]["timexes"][0]
    assert (timex["start"], timex["end"], timex["type"]) == (12, 21, "DATE")
    assert timex["interval"] == {"start": "2024-05-15", "end": "2024-05-16", "granularity": "day"}
    assert timex["resolution"]["anchor"] == "publication"


def test_published_option_anchors_documents_without_a_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "own", "text": "Prices rose yesterday.", "published": "2020-03-01"}),
        json.dumps({"id": "default", "text": "Prices rose yesterday."}),
    ])
    assert main(["timexes", "--input", str(source), "--published", "2024-05-16"]) == 0
    records = _lines(capsys.readouterr().out)
    assert [_values(r) for r in records] == [[("yesterday", "2020-02-29")], [("yesterday", "2024-05-15")]]


def test_bad_line_mid_file_gives_an_error_line_and_the_rest_still_come_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "first", "text": "It happened on 16 May 2024."}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "baddate", "text": "x", "published": "2024-13-45"}),
        json.dumps({"id": "last", "text": "It ended in March 2023."}),
    ])
    assert main(["timexes", "--input", str(source)]) == 1
    captured = capsys.readouterr()
    records = _lines(captured.out)
    assert len(records) == 4
    assert _values(records[0]) == [("16 May 2024", "2024-05-16")]
    assert records[1]["id"] == "broken" and records[1]["line"] == 2 and records[1]["error"].startswith("invalid JSON")
    assert records[2] == {
        "id": "baddate", "line": 3, "error": "invalid publication date '2024-13-45': month must be in 1..12",
    }
    assert _values(records[3]) == [("March 2023", "2023-03")]
    assert "2 of 4 documents" in captured.err


def test_unsupported_language_is_a_warning_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "fr", "text": "Le 3 mars 2024.", "language": "xx"}),
        json.dumps({"id": "en", "text": "On 3 March 2024."}),
    ])
    assert main(["timexes", "--input", str(source)]) == 4  # EXIT_UNSUPPORTED_LANGUAGE
    captured = capsys.readouterr()
    fr, en = _lines(captured.out)
    assert fr["timexes"] == [] and "language 'xx' is not supported" in fr["warnings"][0]
    assert _values(en) == [("3 March 2024", "2024-03-03")]
    assert "1 of 2 documents are in a language without a grammar" in captured.err


def test_seed_folder(capsys: pytest.CaptureFixture[str]) -> None:
    index = json.loads((SEEDS / "index.json").read_text(encoding="utf-8"))
    assert main(["timexes", "--input", str(SEEDS)]) == 0
    records = _lines(capsys.readouterr().out)
    assert [r["id"] for r in records] == [entry["id"] for entry in index["documents"]]
    for record in records:
        text = (SEEDS / record["id"]).read_text(encoding="utf-8")
        assert record["timexes"], record["id"]
        for timex in record["timexes"]:
            assert text[timex["start"]:timex["end"]] == timex["text"]
    # Every seed reports the visit that began on Thursday 16 May 2024, the publication day.
    first = {value for text, value in _values(records[0]) if "Thursday" in text}
    assert first == {"2024-05-16"}


def test_single_text_file_with_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text("The summit opened on Thursday.", encoding="utf-8")
    assert main(["timexes", "--input", str(story), "--published", "2024-05-16"]) == 0
    [record] = _lines(capsys.readouterr().out)
    assert record["id"] == "story.txt"
    assert _values(record) == [("Thursday", "2024-05-16")]


def test_missing_input_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.jsonl"
    output.write_text("keep me", encoding="utf-8")
    assert main(["timexes", "--input", str(tmp_path / "nope.jsonl"), "--output", str(output)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nope.jsonl" in captured.err and "no such file" in captured.err
    assert "Traceback" not in captured.err
    assert output.read_text(encoding="utf-8") == "keep me"  # a failed start must not truncate the output


def test_bad_published_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["timexes", "--input", str(SEEDS), "--published", "2024-13-45"])
    assert exited.value.code == 2
    assert "month must be in 1..12" in capsys.readouterr().err


def test_stdin_to_stdout_as_a_process(tmp_path: Path) -> None:
    """The real entry point (python -m timeline), reading stdin bytes and writing UTF-8 to stdout."""
    data = (
        json.dumps({"id": "caf\u00e9", "text": "\u201cOn 16 May 2024,\u201d he said."}, ensure_ascii=False)
        + "\nnot json\n"
    ).encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "timexes"], input=data, capture_output=True, timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr.decode()
    good, bad = _lines(done.stdout.decode("utf-8"))
    assert good["id"] == "caf\u00e9" and "caf\u00e9" in done.stdout.decode("utf-8")  # ensure_ascii=False
    assert _values(good) == [("16 May 2024", "2024-05-16")]
    assert bad["line"] == 2 and "error" in bad
    assert b"Traceback" not in done.stderr


def test_missing_input_as_a_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "timexes", "--input", "missing.jsonl"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "timeline: error: no such file or directory: missing.jsonl"


TINY_TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>tiny</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-16" temporalFunction="false" functionInDocument="CREATION_TIME">2024-05-16</TIMEX3></DCT>
<TEXT>
Putin arrived in Beijing <TIMEX3 tid="t1" type="DATE" value="2024-05-16">Thursday</TIMEX3> for a visit.
Prices rose <TIMEX3 tid="t2" type="DATE" value="2024-05-15">yesterday</TIMEX3>.
</TEXT>
</TimeML>
"""


def _tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "tiny.tml").write_text(TINY_TML, encoding="utf-8")
    return corpus


def test_evaluate_tiny_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    assert main(["evaluate", str(corpus)]) == 0
    report = capsys.readouterr().out
    assert "documents 1  gold 2  predicted 2  strict matches 2" in report
    assert "value    accuracy 1.000" in report


def test_evaluate_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    assert main(["evaluate", str(corpus), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["documents"] == 1
    assert scores["gold"] == 2 and scores["predicted"] == 2


def test_evaluate_missing_dir_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    assert main(["evaluate", str(corpus), str(tmp_path / "absent")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "absent" in captured.err and "no such file or directory" in captured.err
    assert "Traceback" not in captured.err


def test_evaluate_skips_a_malformed_file_and_scores_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    (corpus / "broken.tml").write_text('<TimeML><TEXT>On Friday <TIMEX3 tid="t1">it</TEXT>', encoding="utf-8")
    assert main(["evaluate", str(corpus)]) == 1
    captured = capsys.readouterr()
    assert "documents 1  gold 2  predicted 2  strict matches 2" in captured.out
    assert "skipped" in captured.err and "broken.tml" in captured.err and "not well-formed" in captured.err
    assert "Traceback" not in captured.err


def test_duplicate_id_is_an_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14: `timeline timexes` let a duplicate id through silently; the first record with an id decides."""
    source = _write_jsonl(tmp_path / "in.jsonl", [
        json.dumps({"id": "a", "text": "On 3 March 2024."}),
        json.dumps({"id": "b", "text": 5}),
        json.dumps({"id": "a", "text": "On 4 March 2024."}),
        json.dumps({"id": "b", "text": "On 5 March 2024."}),
        json.dumps({"id": "c", "text": "On 6 March 2024."}),
    ])
    assert main(["timexes", "--input", str(source)]) == 1
    captured = capsys.readouterr()
    a, b, a_again, b_again, c = _lines(captured.out)
    assert _values(a) == [("3 March 2024", "2024-03-03")] and _values(c) == [("6 March 2024", "2024-03-06")]
    assert b["id"] == "b" and "must be a string" in b["error"]
    for record, doc_id in ((a_again, "a"), (b_again, "b")):
        assert record["id"] == doc_id and "timexes" not in record
        assert record["error"] == f"duplicate id {doc_id!r}: an earlier record has the same id"
    assert "3 of 5 documents" in captured.err


def test_evaluate_scores_named_sets_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    assert main(["evaluate", f"news={corpus}", f"story={corpus / 'tiny.tml'}", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["sets"]) == {"news", "story"}
    assert report["sets"]["news"]["documents"] == 1 and report["sets"]["story"]["gold"] == 2
    assert main(["evaluate", f"news={corpus}", f"story={corpus}"]) == 0
    text = capsys.readouterr().out
    assert "== news" in text and "== story" in text


def test_evaluate_without_dct_leaves_relative_values_open(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _tiny_corpus(tmp_path)
    assert main(["evaluate", str(corpus), "--json", "--no-dct"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["predicted"] == 2
    assert any(error["pred_value"].startswith("X") for error in scores["errors"] if error["kind"] == "value")
