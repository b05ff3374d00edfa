"""The batch on a Dask cluster (a LocalCluster on loopback) gives what the local run gives."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")
dask_bag = pytest.importorskip("dask.bag")
import dask  # noqa: E402
from test_batch import BAD_LINES, MAX_CHARS, _good_records, _read, _write  # noqa: E402

from timeline.batch import default_errors_path, extract_partition, process_record, run_batch  # noqa: E402
from timeline.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """One worker with two threads, in this process, on loopback, without a dashboard: quick to start."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    lines = [json.dumps(record) for record in _good_records(16)]
    for offset, (line, _, _) in enumerate(BAD_LINES):
        lines.insert(offset + 2, line)
    return _write(tmp_path / "in.jsonl", lines)


def test_scheduler_address_gives_the_local_results(cluster, source: Path, tmp_path: Path) -> None:
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_batch(source, local, workers=1, max_chars=MAX_CHARS, progress=False)
    report = run_batch(source, remote, scheduler=cluster.scheduler_address, max_chars=MAX_CHARS,
                       progress=False, chunk_size=3)
    assert remote.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert default_errors_path(remote).read_text() == default_errors_path(local).read_text()
    assert report.read == report.written + report.errors == 16 + len(BAD_LINES)


def test_cli_scheduler_and_resume(cluster, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    argv = ["batch", str(source), str(out), "--scheduler", cluster.scheduler_address, "--max-chars", str(MAX_CHARS)]
    assert main(argv) == 1  # the bad lines
    first = out.read_text(encoding="utf-8")
    assert len(first.splitlines()) == 16
    assert main(argv) == 1
    assert out.read_text(encoding="utf-8") == first  # nothing redone, nothing duplicated


def test_client_object_and_dask_bag(cluster, tmp_path: Path) -> None:
    records = _good_records(8) + [{"id": "no-text"}]
    with distributed.Client(cluster) as client:
        bag = dask_bag.from_sequence(records, npartitions=3)
        results = bag.map_partitions(extract_partition).compute(scheduler=client)
        source = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in records])
        report = run_batch(source, tmp_path / "out.jsonl", scheduler=client, progress=False)
        assert client.status == "running"  # a caller's client is left open
    assert [r["id"] for r in results] == [r["id"] for r in records]
    assert results[:8] == [process_record(r) for r in records[:8]]
    assert "error" in results[8]
    assert _read(tmp_path / "out.jsonl") == results[:8]
    assert (report.written, report.errors) == (8, 1)


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _write(tmp_path / "in.jsonl", [json.dumps(r) for r in _good_records(1)])
    # nothing listens on port 1 of loopback; give up after 2 s instead of the default 30 s
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        assert main(["batch", str(source), str(tmp_path / "out.jsonl"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "Dask scheduler" in capsys.readouterr().err
