"""``timeline batch``: nothing lost, bad records reported with reasons, resumable, same results on any pool."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import timeline.batch as batch
from timeline.batch import BatchError, default_errors_path, extract_partition, process_record, run_batch
from timeline.cli import main
from timeline.pipeline import Extractor

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_INDEX = json.loads((SEEDS / "index.json").read_text(encoding="utf-8"))["documents"]
SEED_TEXTS = [(SEEDS / entry["id"]).read_text(encoding="utf-8") for entry in _INDEX]

SHORT = [
    ("On Tuesday the administration announced tariffs.", "2024-05-16"),
    ("Prices rose last week and will fall next month.", "2024-05-16T09:30"),
    ("Putin landed in Beijing on 16 May 2024.", None),
    ("Nothing temporal here.", "2024-05-16"),
]


def _good_records(count: int) -> list[dict]:
    records = []
    for number in range(count):
        if number % 4 == 0:
            text, published = SEED_TEXTS[number // 4 % len(SEED_TEXTS)], "2024-05-16"
        else:
            text, published = SHORT[number % len(SHORT)]
        record = {"id": f"doc-{number:03d}", "text": text}
        if published:
            record["published"] = published
        records.append(record)
    return records


# One bad line of every kind, with the reason each must be reported with.
BAD_LINES = [
    ('{"id": "broken", "text": ', None, "invalid JSON"),
    ('["an", "array"]', None, "expected a JSON object, got array"),
    (json.dumps({"text": "no id"}), None, '"id" must be a non-empty string'),
    (json.dumps({"id": "no-text"}), "no-text", '"text" must be a string, got null'),
    (json.dumps({"id": "number-text", "text": 42}), "number-text", '"text" must be a string, got number'),
    (json.dumps({"id": "bad-date", "text": "On Monday.", "published": "last Tuesday"}), "bad-date",
     "invalid publication date"),
    (json.dumps({"id": "impossible-date", "text": "x", "published": "2024-02-30"}), "impossible-date",
     "invalid publication date"),
    (json.dumps({"id": "too-long", "text": "word " * 1_500}), "too-long", "oversized text"),
    (json.dumps({"id": "doc-001", "text": "Again on Monday."}), "doc-001", "duplicate id"),
    (json.dumps({"id": "klingon", "text": "Today.", "language": "tlh"}), "klingon", "unsupported language"),
]
MAX_CHARS = 5_000  # "too-long" is over it; the seed articles are not


def _write(path: Path, lines: list[str], final_newline: bool = True) -> Path:
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
    return path


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def mixed_input(tmp_path: Path) -> tuple[Path, list[dict]]:
    """20 good records with the bad lines spread among them, a blank line, no final newline."""
    good = _good_records(20)
    lines = [json.dumps(record, ensure_ascii=False) for record in good]
    for offset, (line, _, _) in enumerate(BAD_LINES):
        lines.insert(2 * offset + 3, line)
    lines.insert(5, "   ")
    return _write(tmp_path / "in.jsonl", lines, final_newline=False), good


def test_nothing_lost_and_every_bad_line_has_its_reason(mixed_input, tmp_path: Path) -> None:
    source, good = mixed_input
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, workers=1, max_chars=MAX_CHARS, progress=False)

    results, errors = _read(out), _read(default_errors_path(out))
    assert default_errors_path(out) == tmp_path / "out.errors.jsonl"
    assert [r["id"] for r in results] == [r["id"] for r in good]  # input order
    assert len(errors) == len(BAD_LINES)
    lines = source.read_text(encoding="utf-8").splitlines()
    for error, (line, doc_id, reason) in zip(errors, BAD_LINES):
        assert set(error) == {"line", "id", "error"}
        assert error["id"] == doc_id
        assert reason in error["error"]
        assert lines[error["line"] - 1] == line  # the line number points at the bad line
    assert report.read == len(good) + len(BAD_LINES) == report.written + report.errors
    assert (report.skipped, report.interrupted) == (0, False)


def test_output_equals_timexes_command(mixed_input, tmp_path: Path) -> None:
    source, good = mixed_input
    clean = _write(tmp_path / "clean.jsonl", [json.dumps(record) for record in good])
    expected = tmp_path / "timexes.jsonl"
    assert main(["timexes", "--input", str(clean), "--output", str(expected)]) == 0
    out = tmp_path / "out.jsonl"
    run_batch(source, out, workers=1, max_chars=MAX_CHARS, progress=False)
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


def test_two_workers_give_the_same_output_as_one(mixed_input, tmp_path: Path) -> None:
    source, _ = mixed_input
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(source, one, workers=1, max_chars=MAX_CHARS, progress=False)
    report = run_batch(source, two, workers=2, max_chars=MAX_CHARS, progress=False, chunk_size=3)
    assert two.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")
    assert default_errors_path(two).read_text() == default_errors_path(one).read_text()
    assert report.written + report.errors == report.read


def test_rerun_skips_what_is_done_and_duplicates_nothing(mixed_input, tmp_path: Path) -> None:
    source, good = mixed_input
    out = tmp_path / "out.jsonl"
    run_batch(source, out, workers=1, max_chars=MAX_CHARS, progress=False)
    first = out.read_text(encoding="utf-8")
    again = run_batch(source, out, workers=2, max_chars=MAX_CHARS, progress=False)
    assert out.read_text(encoding="utf-8") == first
    assert (again.written, again.skipped, again.errors) == (0, len(good), len(BAD_LINES))
    # the errors file is rewritten, not appended to: still one line per bad record
    assert len(_read(default_errors_path(out))) == len(BAD_LINES)


def test_interrupted_run_resumes(mixed_input, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, good = mixed_input
    out = tmp_path / "out.jsonl"
    real = batch._process_chunk
    calls = []

    def interrupt_on_third(chunk, max_chars):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(chunk, max_chars)

    monkeypatch.setattr(batch, "_process_chunk", interrupt_on_third)
    report = run_batch(source, out, workers=1, max_chars=MAX_CHARS, progress=False, chunk_size=4)
    assert report.interrupted and report.written == 8
    assert len(_read(out)) == 8  # whole lines only
    with out.open("a", encoding="utf-8") as stream:  # and a torn line, as a killed run leaves
        stream.write('{"id": "doc-0')
    monkeypatch.setattr(batch, "_process_chunk", real)
    resumed = run_batch(source, out, workers=1, max_chars=MAX_CHARS, progress=False)
    assert (resumed.skipped, resumed.written) == (8, len(good) - 8)
    assert [r["id"] for r in _read(out)] == [r["id"] for r in good]


def test_oversized_line_is_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "max_line_bytes", lambda max_chars: 1_000)
    source = _write(tmp_path / "in.jsonl", [
        json.dumps({"id": "huge", "published": "2024-05-16", "text": "On Monday. " * 1_000}),
        json.dumps({"text": "On Monday. " * 1_000}),
        json.dumps({"id": "after", "text": "On Monday.", "published": "2024-05-16"}),
    ])
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, progress=False)
    errors = _read(default_errors_path(out))
    assert [(e["line"], e["id"]) for e in errors] == [(1, "huge"), (2, None)]
    assert all("oversized text" in e["error"] for e in errors)
    assert [r["id"] for r in _read(out)] == ["after"]
    assert report.read == 3


def test_process_record_is_the_timexes_line() -> None:
    extractor = Extractor()
    record = {"id": "a", "text": "Prices rose last week.", "published": "2024-05-16"}
    result = process_record(record, extractor)
    assert result == {"id": "a", "timexes": [t.to_dict() for t in extractor.extract(record["text"], "2024-05-16")]}
    assert process_record({"id": "a", "text": "x", "published": "soon"}, line=7)["line"] == 7
    assert "oversized" in process_record({"id": "a", "text": "xx"}, max_chars=1)["error"]


def test_extract_partition_keeps_order_and_reports_bad_records() -> None:
    records = _good_records(3) + [{"id": "no-text"}, "not a record"]
    results = extract_partition(records)
    assert [r["id"] for r in results] == ["doc-000", "doc-001", "doc-002", "no-text", None]
    assert [r.get("line") for r in results if "error" in r] == [4, 5]
    assert results[:3] == [process_record(r) for r in records[:3]]


def test_cli_exit_codes(mixed_input, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, good = mixed_input
    out, errors = tmp_path / "out.jsonl", tmp_path / "bad.jsonl"
    argv = ["batch", str(source), str(out), "--workers", "1", "--max-chars", str(MAX_CHARS), "--errors", str(errors)]
    assert main(argv) == 1  # finished, some records bad
    assert f"{len(good)} written" in capsys.readouterr().err
    assert len(_read(errors)) == len(BAD_LINES)
    clean = _write(tmp_path / "clean.jsonl", [json.dumps(r) for r in good[:3]])
    assert main(["batch", str(clean), str(tmp_path / "clean-out.jsonl"), "-w", "1"]) == 0
    assert main(["batch", str(tmp_path / "missing.jsonl"), str(out)]) == 2
    assert main(["batch", str(clean), str(clean)]) == 2
    assert "cannot also be the output" in capsys.readouterr().err


def test_bad_arguments() -> None:
    with pytest.raises(BatchError):
        run_batch(SEEDS / "index.json", "/tmp/x.jsonl", workers=0)


def test_parquet_in_and_out(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    good = _good_records(6)
    rows = good + [{"id": "no-text", "text": None}]
    table = pa.table({"id": [r["id"] for r in rows], "text": [r.get("text") for r in rows],
                      "published": [r.get("published") for r in rows]})
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    jsonl = tmp_path / "in.jsonl"
    _write(jsonl, [json.dumps(r) for r in good])
    expected = tmp_path / "expected.jsonl"
    run_batch(jsonl, expected, progress=False)

    out = tmp_path / "out.parquet"
    report = run_batch(source, out, progress=False)
    assert (report.written, report.errors) == (6, 1)
    assert _read(tmp_path / "out.errors.jsonl")[0]["line"] == 7
    back = pq.read_table(out).to_pylist()
    assert [{"id": r["id"], "timexes": json.loads(r["timexes"])} for r in back] == _read(expected)
    again = run_batch(source, out, progress=False)  # resumable too
    assert (again.written, again.skipped) == (0, 6)
    assert pq.read_table(out).num_rows == 6
