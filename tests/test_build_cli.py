"""``timeline build`` end to end: text and JSON output, inputs, bad lines, exit codes."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_IDS = sorted(path.name for path in SEEDS.glob("*.txt"))

DAM = "The Kerrow dam collapsed on Tuesday after days of heavy rain."
GOVERNOR = "The regional governor visited the flooded villages on Wednesday."


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _record(id_: str, text: str, published: str | None = "2024-09-12") -> str:
    record = {"id": id_, "text": text}
    if published:
        record["published"] = published
    return json.dumps(record)



def _real(warnings: list[str]) -> list[str]:
    """The warnings about the input: without the note that no parser read it (until one ships)."""
    return [w for w in warnings if "no parser for" not in w]

def test_text_format_on_the_seed_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEEDS)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    events = [line for line in lines[:-1] if not line.startswith(" ")]
    sources = [line for line in lines[:-1] if line.strip().startswith("sources: ")]
    assert events and len(events) == len(sources)
    assert lines[-1] == f"{len(events)} events from 5 documents"
    assert not any(re.match(r"\d{4}-\d", line) for line in events)  # labels, not TIMEX values
    assert any(line.startswith("14 May 2024 ") and "Biden administration announced tariffs" in line for line in events)
    assert any(line.startswith("17 May 2024 ") and "Harbin" in line for line in events)
    beijing = next(i for i, line in enumerate(lines) if line.startswith("16 May 2024 ") and "Putin landed" in line)
    # Sources by title, else by their opening words (a byline is passed over), never by file name.
    sources_line = lines[beijing + 1].strip()
    assert sources_line.startswith("sources: ")
    assert "\u201cIn a bid to strengthen ties" in sources_line  # an untitled article: its opening words
    assert "Strategic Alliances Strengthened as Putin Visits Xi in Beijing" in sources_line  # a titled one
    assert ".txt" not in out
    assert _real(err.splitlines()) == []


def test_json_format_on_the_seed_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEEDS), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"events", "documents", "warnings", "labels"} and data["labels"] == "en"
    assert [d["id"] for d in data["documents"]] == SEED_IDS
    assert _real(data["warnings"]) == []
    assert [e["id"] for e in data["events"]] == [f"e{n}" for n in range(1, len(data["events"]) + 1)]
    first = data["events"][0]
    assert {"id", "date", "summary", "participants", "places", "sources", "conflicting", "attributes",
            "mentions"} <= set(first)
    assert {"document", "sentence", "sentence_start", "sentence_end", "summary", "timex", "resolution"} \
        <= set(first["mentions"][0])


def test_json_and_text_agree(capsys: pytest.CaptureFixture[str]) -> None:
    main(["build", str(SEEDS), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    main(["build", str(SEEDS)])
    text = capsys.readouterr().out
    heads = [line for line in text.splitlines()[:-1] if not line.startswith((" ", "undated ("))]
    notes = {"narrative": "  (date from the story)", "publication": "  (publication date)"}
    width = min(max(len(e["date"]["label"]) for e in data["events"]), 30) + 2
    assert heads == [f"{e['date']['label']:<{width}}{e['summary']}" + notes.get(e["date"]["basis"], "")
                     + ("  CONFLICT" if e["conflicting"] else "") for e in data["events"]]


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "story.json"
    assert main(["build", str(SEEDS), "--format", "json", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["events"]


def test_single_text_file_with_published(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "dam.txt"
    article.write_text(DAM + "\n" + GOVERNOR + "\n", encoding="utf-8")
    assert main(["build", str(article), "--published", "2024-09-12", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [(e["date"]["value"], e["sources"]) for e in data["events"]] == [
        ("2024-09-10", ["dam.txt"]), ("2024-09-11", ["dam.txt"])]
    assert data["documents"][0]["published"] == "2024-09-12T00:00:00"
    assert _real(data["warnings"]) == [] and _real(err.splitlines()) == []


def test_single_text_file_without_published_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "dam.txt"
    article.write_text(DAM + "\n", encoding="utf-8")
    assert main(["build", str(article)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[-1].endswith(" events from 1 documents")
    dated = [line for line in lines[:-1] if line[:1].isdigit()]
    assert dated == []  # "on Tuesday" needs a publication date: the collapse is kept, if at all, undated
    assert "timeline: warning: dam.txt: no publication date" in err


def test_jsonl_with_a_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _jsonl(tmp_path / "docs.jsonl", [_record("a", DAM), '{"id": "b", "text": broken', _record("c", GOVERNOR)])
    assert main(["build", str(source), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert [e["sources"] for e in data["events"]] == [["a"], ["c"]]
    assert [d["id"] for d in data["documents"]] == ["a", "c"]
    # the id before the fault is still read, so the warning names the record by it (issue 14)
    assert len(_real(data["warnings"])) == 1 and _real(data["warnings"])[0].startswith("b: invalid JSON")
    assert "timeline: warning: b: invalid JSON" in err


def test_jsonl_bad_record_is_named_by_its_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _jsonl(tmp_path / "docs.jsonl", [_record("a", DAM), json.dumps({"id": "b", "text": 3})])
    assert main(["build", str(source)]) == 1
    out, err = capsys.readouterr()
    assert "Kerrow dam collapsed" in out and out.endswith("1 events from 1 documents\n")
    assert re.search(r"timeline: warning: b: .*text", err)


def test_several_paths_make_one_timeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _jsonl(tmp_path / "one.jsonl", [_record("north", DAM)])
    second = _jsonl(tmp_path / "two.jsonl", [_record("south", DAM.replace("Tuesday", "Wednesday"))])
    assert main(["build", str(first), str(second)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{'10 September 2024':<19}") and lines[0].endswith("  CONFLICT")
    assert "Kerrow dam collapsed after days of heavy rain" in lines[0]
    assert lines[1:] == [
        f"{'':<19}sources: north; south",
        f"{'':<19}10 September 2024 according to north",
        f"{'':<19}11 September 2024 according to south",
        "1 events from 2 documents",
    ]


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["build", str(SEEDS), str(missing)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("timeline: error: no such file or directory:") and "nowhere" in err


@pytest.mark.parametrize("value", ["2", "0", "-0.5", "nan"])
def test_merge_threshold_out_of_range_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SEEDS), f"--merge-threshold={value}"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "merge_threshold must be in (0, 1]" in err and "Traceback" not in err


def test_merge_threshold_not_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(SEEDS), "--merge-threshold", "high"])
    assert exit_info.value.code == 2
    assert "--merge-threshold" in capsys.readouterr().err


def test_merge_threshold_changes_merging(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _jsonl(tmp_path / "rates.jsonl", [
        _record("a", "On Monday, the central bank raised interest rates by half a point.", "2024-03-20"),
        _record("b", "The central bank's decision on Monday to raise interest rates by half a point surprised "
                     "analysts.", "2024-03-20"),
    ])
    assert main(["build", str(source)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 events from 2 documents"
    assert main(["build", str(source), "--merge-threshold", "0.95"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 events from 2 documents"


def test_console_entry_point_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "timeline", "build", str(SEEDS), "--format", "json"],
                            capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["events"]
