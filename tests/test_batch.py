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
    ('{"id": "broken", "text": ', "broken", "invalid JSON"),  # the id before the fault is still read
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
    for error, (line, doc_id, reason) in zip(errors, BAD_LINES, strict=True):
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


# --- issue 14: faults found by probing; each test reproduced its fault before the fix ---------------

def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _write_bytes(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _chunk_mates() -> list[str]:
    return [json.dumps({"id": "before", "text": "On Monday.", "published": "2024-05-16"}),
            json.dumps({"id": "after", "text": "Next week.", "published": "2024-05-16"})]


def test_lone_surrogate_in_an_id_is_an_error_record_and_its_chunk_is_written(tmp_path: Path) -> None:
    """Item 3: '"bad\\ud800"' (legal JSON) crashed the writer; the chunk was lost, every resume crashed."""
    before, after = _chunk_mates()
    source = _write(tmp_path / "in.jsonl", [before, '{"id": "bad\\ud800", "text": "On Monday."}', after,
                                            '{"id": "text-ok", "text": "On Monday\\ud800.", "published": "2024-05-16"}',
                                            '{"id": "lang", "text": "On Monday.", "language": "x\\udcff"}'])
    out = tmp_path / "out.jsonl"
    for run in range(2):  # and the resume does not crash at the same record
        report = run_batch(source, out, progress=False)
        assert [r["id"] for r in _read(out)] == ["before", "after", "text-ok"]
        bad, lang = _read(default_errors_path(out))
        assert (bad["line"], bad["id"]) == (2, None)
        assert "'bad\\ud800'" in bad["error"] and "lone surrogate" in bad["error"]
        assert lang["id"] == "lang" and "unsupported language" in lang["error"]
        assert (report.written, report.skipped, report.errors) == ((3, 0, 2) if run == 0 else (0, 3, 2))
    text_ok = _read(out)[2]
    assert [t["text"] for t in text_ok["timexes"]] == ["Monday"]
    assert process_record({"id": "bad\ud800", "text": "x"})["id"] is None


def test_an_output_record_that_cannot_be_written_costs_one_document(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 3, the last guard: whatever slips into a result, the writer never meets a lone surrogate."""
    real = batch.process_document

    def buggy(document, line=None, extractor=None, max_chars=batch.DEFAULT_MAX_CHARS):
        record = real(document, line, extractor, max_chars)
        return {"id": "x\ud800", "timexes": []} if document.id == "before" else record

    monkeypatch.setattr(batch, "process_document", buggy)
    source = _write(tmp_path / "in.jsonl", _chunk_mates())
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, progress=False)
    assert [r["id"] for r in _read(out)] == ["after"]
    [error] = _read(default_errors_path(out))
    assert (error["line"], error["id"]) == (1, None) and "not valid Unicode" in error["error"]
    assert (report.written, report.errors) == (1, 1)


def test_out_not_written_by_batch_is_refused_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    """Item 5: an OUT without a final newline was truncated, even a file batch never wrote."""
    source = _write(tmp_path / "in.jsonl", _chunk_mates())
    for content in [b"my notes\nthe last line, without a newline",
                    b'{"name": "someone else\'s JSON Lines"}\n',
                    b'{"id": "a", "line": 3, "error": "a timexes error line"}\n',
                    b'{"id": "a", "timexes": []}\n{"id": "b", "timexes": []}\nnot a torn line of ours',
                    b"x" * 3_000_000]:  # no newline at all
        out = tmp_path / "out.jsonl"
        out.write_bytes(content)
        with pytest.raises(BatchError, match="not written by timeline batch"):
            run_batch(source, out, progress=False)
        assert out.read_bytes() == content
        assert not default_errors_path(out).exists()
    assert main(["batch", str(source), str(out), "-w", "1"]) == 2
    err = capsys.readouterr().err
    assert "timeline: error:" in err and str(out) in err and "Traceback" not in err


@pytest.mark.parametrize("kind", ["directory", "fifo", "/dev/null", "/dev/full"])
def test_out_that_is_not_a_regular_file_is_refused(kind: str, tmp_path: Path) -> None:
    """Item 5: /dev/full was read whole (14 GB RSS); /dev/null swallowed every result."""
    import os
    source = _write(tmp_path / "in.jsonl", _chunk_mates())
    if kind == "directory":
        out = tmp_path / "dir.jsonl"
        out.mkdir()
    elif kind == "fifo":
        out = tmp_path / "fifo.jsonl"
        os.mkfifo(out)
    else:
        out = Path(kind)
        if not out.exists():
            pytest.skip(f"no {kind} here")
    with pytest.raises(BatchError, match="not a regular file"):
        run_batch(source, out, errors_path=tmp_path / "errors.jsonl", progress=False)
    with pytest.raises(BatchError, match="not a regular file"):
        run_batch(source, tmp_path / "out.jsonl", errors_path=out, progress=False)


def test_out_is_read_for_resume_in_bounded_memory(tmp_path: Path) -> None:
    """Item 5: OUT was read line by line whole, so a long line (or a file without newlines) was held in memory."""
    import tracemalloc
    out = tmp_path / "out.jsonl"
    long_line = b'{"id": "long", "timexes": [' + b", ".join([b'{"id": "t1"}'] * 2_000_000) + b"]}\n"
    out.write_bytes(b'{"id": "before", "timexes": []}\n' + long_line + b'{"id": "b", "timexes": []}\n{"id": "tor')
    tracemalloc.start()
    try:
        done = batch._JsonlOut(out).done
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert done == {"before", "long", "b"}
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MB for a {len(long_line) / 2**20:.0f} MB line"
    assert out.read_bytes().endswith(b'{"id": "b", "timexes": []}\n')  # its own torn line cut off


def test_errors_file_not_written_by_batch_is_refused(tmp_path: Path) -> None:
    """Batch writes only files it owns: the errors file is rewritten by each run, so it must be ours too."""
    source = _write(tmp_path / "in.jsonl", _chunk_mates() + ['{"id": "broken"'])
    out, errors = tmp_path / "out.jsonl", tmp_path / "notes.txt"
    errors.write_text("precious notes\n", encoding="utf-8")
    with pytest.raises(BatchError, match="not written by timeline batch"):
        run_batch(source, out, errors_path=errors, progress=False)
    assert errors.read_text(encoding="utf-8") == "precious notes\n"
    errors.write_text('{"line": 3, "id": null, "error": "invalid JSON"}\n{"line": 4, "id": "x", "er', encoding="utf-8")
    report = run_batch(source, out, errors_path=errors, progress=False)  # its own file, torn line and all
    assert report.errors == 1 and len(_read(errors)) == 1


def test_parquet_out_not_written_by_batch_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    source = _write(tmp_path / "in.jsonl", _chunk_mates())
    out = tmp_path / "out.parquet"
    out.write_bytes(b"not parquet at all\n")
    with pytest.raises(BatchError, match="not written by timeline batch"):
        run_batch(source, out, progress=False)
    assert out.read_bytes() == b"not parquet at all\n"


def test_an_id_ends_up_in_one_place_the_first_record_decides(tmp_path: Path) -> None:
    """Item 6: an invalid record followed by a valid one with the same id put the id in OUT and in the errors."""
    source = _write(tmp_path / "in.jsonl", [
        json.dumps({"id": "x", "text": 5}),
        json.dumps({"id": "x", "text": "On Monday.", "published": "2024-05-16"}),
        '{"id": "y", "text": "torn',  # malformed, but its id can be read: it claims "y"
        json.dumps({"id": "y", "text": "On Monday."}),
        json.dumps({"id": "z", "text": "On Monday."}),
        json.dumps({"id": "z", "text": 5}),
    ])
    out = tmp_path / "out.jsonl"
    run_batch(source, out, progress=False)
    assert [r["id"] for r in _read(out)] == ["z"]
    errors = _read(default_errors_path(out))
    assert [(e["line"], e["id"]) for e in errors] == [(1, "x"), (2, "x"), (3, "y"), (4, "y"), (6, "z")]
    assert ['"text" must be a string' in errors[0]["error"], "invalid JSON" in errors[2]["error"]] == [True, True]
    assert all("duplicate id" in errors[n]["error"] for n in (1, 3, 4))
    written = {r["id"] for r in _read(out)}
    assert not written & {e["id"] for e in errors if "duplicate id" not in e["error"]}


def test_a_record_whose_id_is_already_in_out_is_skipped_even_if_now_invalid(tmp_path: Path) -> None:
    """Item 6 on resume: the id is in OUT already; reporting it as an error too would put it in both places."""
    out = tmp_path / "out.jsonl"
    run_batch(_write(tmp_path / "v1.jsonl", _chunk_mates()), out, progress=False)
    edited = _write(tmp_path / "v2.jsonl", [json.dumps({"id": "before", "text": None}), _chunk_mates()[1]])
    report = run_batch(edited, out, progress=False)
    assert (report.skipped, report.errors, report.written) == (2, 0, 0)


def test_invalid_utf8_in_an_id_is_an_error_naming_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    """Item 7: invalid UTF-8 in an id silently became U+FFFD; in a text it still does, one per byte."""
    source = _write_bytes(tmp_path / "in.jsonl", [
        b'{"id": "caf\xff", "text": "On Monday.", "published": "2024-05-16"}',
        b'{"id": "text", "text": "On Monday \xff\xfe.", "published": "2024-05-16"}',
    ])
    out = tmp_path / "out.jsonl"
    run_batch(source, out, progress=False)
    [good] = _read(out)
    assert good["id"] == "text" and [t["text"] for t in good["timexes"]] == ["Monday"]
    [error] = _read(default_errors_path(out))
    assert (error["line"], error["id"]) == (1, None)
    assert "not UTF-8" in error["error"] and "'caf\\udcff'" in error["error"]
    assert main(["timexes", "--input", str(source)]) == 1  # timeline timexes reads ids the same way
    bad, text = _lines(capsys.readouterr().out)
    assert bad == {"id": None, "line": 1, "error": error["error"]} and text == good


def test_malformed_json_line_keeps_the_id_that_can_be_read(tmp_path: Path) -> None:
    """Item 7: a line that is not JSON lost an id that could still be read from it."""
    source = _write(tmp_path / "in.jsonl", [
        '{"id": "torn", "text": "On Mon',
        '{"published": "2024-05-16", "id": "no-comma" "text": "x"}',
        '{"id": "trailing", "text": "x"} junk',
        '{"text": "broken" "id": "after-the-break"}',  # not read: past the fault, anything could be a string
        '{"id": 5, "text": ',
        "{'id': 'single quotes'}",
        '{"title": "say \\"id\\": \\"inner\\"", "text": "x" ',
    ])
    out = tmp_path / "out.jsonl"
    run_batch(source, out, progress=False)
    errors = _read(default_errors_path(out))
    assert [e["id"] for e in errors] == ["torn", "no-comma", "trailing", None, None, None, None]
    assert all(e["error"].startswith("invalid JSON") for e in errors)


def test_directory_as_input_is_reported_as_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Item 7: a directory given as input was reported as 'no such file'."""
    with pytest.raises(BatchError, match="is a directory"):
        run_batch(tmp_path, tmp_path / "out.jsonl", progress=False)
    with pytest.raises(BatchError, match="no such input file"):
        run_batch(tmp_path / "absent.jsonl", tmp_path / "out.jsonl", progress=False)
    assert main(["batch", str(tmp_path), str(tmp_path / "out.jsonl")]) == 2
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["out", "errors"])
def test_disk_full_is_a_clear_error_with_no_torn_line(target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Item 7: ENOSPC on OUT or on the errors file gave a raw traceback and left a torn line."""
    import errno
    source = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in _good_records(12)]
                    + [json.dumps({"id": f"bad-{n}", "text": None}) for n in range(6)])
    out = tmp_path / "out.jsonl"
    errors = default_errors_path(out)
    full = {"out": out, "errors": errors}[target]
    real = batch._OwnFile._write_some
    writes = []

    def disk_full(self, data):
        if self.path == full:
            writes.append(len(data))
            if len(writes) == 2:  # half of the second write lands, then the disk is full
                real(self, data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device", str(full))
        return real(self, data)

    monkeypatch.setattr(batch._OwnFile, "_write_some", disk_full)
    argv = ["batch", str(source), str(out), "-w", "1", "--chunk-size", "4"]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert "No space left on device" in err and "rerun" in err and "Traceback" not in err
    for path in (out, errors):
        assert path.read_bytes() == b"" or path.read_bytes().endswith(b"\n")  # no torn line
        _read(path)
    monkeypatch.setattr(batch._OwnFile, "_write_some", real)
    assert main(argv) == 1  # space freed: the rerun resumes and loses nothing
    assert [r["id"] for r in _read(out)] == [r["id"] for r in _good_records(12)]
    assert [e["id"] for e in _read(errors)] == [f"bad-{n}" for n in range(6)]


def test_deeply_nested_json_is_a_bad_line_not_a_crash(tmp_path: Path) -> None:
    """Found while probing item 7: 100,000 '[' raised RecursionError out of the reader and stopped the run."""
    source = _write(tmp_path / "in.jsonl", ["[" * 100_000, '{"id": "deep", "text": ' + "[" * 100_000,
                                            _chunk_mates()[0]])
    out = tmp_path / "out.jsonl"
    report = run_batch(source, out, progress=False)
    assert [r["id"] for r in _read(out)] == ["before"]
    errors = _read(default_errors_path(out))
    assert [(e["line"], e["id"]) for e in errors] == [(1, None), (2, "deep")]
    assert all(e["error"].startswith("invalid JSON") for e in errors)
    assert report.read == 3


def test_kill_9_then_rerun_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    """The unbuffered writer keeps the promise: a run killed outright resumes with every id once."""
    import os
    import signal
    import subprocess
    import sys
    import time
    records = [{"id": f"k-{n:04d}", "text": SHORT[n % len(SHORT)][0], "published": "2024-05-16"} for n in range(1000)]
    source = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in records] + ['{"id": "torn-input", "text": '])
    out = tmp_path / "out.jsonl"
    argv = ["batch", str(source), str(out), "--workers", "1", "--chunk-size", "7", "--no-progress"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    child = subprocess.Popen([sys.executable, "-m", "timeline", *argv], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while (not out.exists() or out.stat().st_size < 10_000) and time.monotonic() < deadline:
            if child.poll() is not None:
                break
            time.sleep(0.05)
        assert child.poll() is None, "the run ended before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    killed_at = len(out.read_bytes().splitlines())
    assert 0 < killed_at < len(records)
    assert main(argv) == 1  # the torn input line is reported
    ids = [r["id"] for r in _read(out)]
    assert ids == [r["id"] for r in records]
    assert [e["id"] for e in _read(default_errors_path(out))] == ["torn-input"]


def test_parquet_out_that_cannot_be_finished_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 7 for Parquet: its footer is written at close, where a full disk raised from `finally`, untranslated."""
    import errno
    pytest.importorskip("pyarrow")
    source = _write(tmp_path / "in.jsonl", _chunk_mates())
    out = tmp_path / "out.parquet"

    def disk_full(self):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.partial))

    monkeypatch.setattr(batch._ParquetOut, "close", disk_full)
    with pytest.raises(batch.BatchStopped, match="No space left on device"):
        run_batch(source, out, progress=False)
    assert not out.exists()  # OUT is only ever replaced by a finished file
