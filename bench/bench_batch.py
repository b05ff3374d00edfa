"""Throughput and memory of ``timeline batch``: 1 and 2 worker processes, and a Dask LocalCluster.

Generates N JSON Lines documents from the seed articles (and the TBAQ texts when present),
each with its own id and small perturbations (publication date, a dropped paragraph, a
headline line), plus one bad record in every ``--bad-every``; then runs ``timeline batch``
on them in a child process per mode, sampling the resident memory of the whole process
tree (the command, its workers, and for Dask the cluster's workers) twice a second, and
checks that no record was lost: every input id is in OUT or in the errors file, once.
Run ``python bench/bench_batch.py --help`` for options.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "tbaq"


def source_texts(corpus: Path | None) -> list[str]:
    index = json.loads((SEEDS / "index.json").read_text(encoding="utf-8"))["documents"]
    texts = [(SEEDS / entry["id"]).read_text(encoding="utf-8") for entry in index]
    if corpus is not None and corpus.is_dir():
        from timeline.evaluation import read_timeml
        texts += [read_timeml(path).text for path in sorted(corpus.rglob("*.tml"))]
    return texts


def generate(path: Path, count: int, corpus: Path | None, bad_every: int, seed: int = 7) -> tuple[set[str], int]:
    """Write ``count`` records; return the set of ids written and the number of bad records."""
    rng = random.Random(seed)
    texts = source_texts(corpus)
    ids: set[str] = set()
    bad = 0
    first = date(2015, 1, 1)
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            doc_id = f"doc-{number:07d}"
            ids.add(doc_id)
            if bad_every and number % bad_every == bad_every - 1:
                bad += 1
                kind = bad % 3
                record: Any = ({"id": doc_id} if kind == 0 else
                               {"id": doc_id, "text": "On Monday.", "published": "not a date"} if kind == 1 else None)
                stream.write((json.dumps(record) if record else '{"id": "' + doc_id + '", "text": ') + "\n")
                continue
            paragraphs = texts[number % len(texts)].split("\n\n")
            if len(paragraphs) > 2 and rng.random() < 0.5:
                del paragraphs[rng.randrange(1, len(paragraphs))]
            text = f"Archive item {number}\n\n" + "\n\n".join(paragraphs)
            published = (first + timedelta(days=rng.randrange(3650))).isoformat()
            stream.write(json.dumps({"id": doc_id, "text": text, "published": published}, ensure_ascii=False) + "\n")
    return ids, bad


class MemorySampler(threading.Thread):
    """Sums the RSS of a process and its descendants (and of extra pids) every ``interval`` seconds."""

    def __init__(self, pid: int, extra: list[int], interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.extra, self.interval = pid, extra, interval
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self.stop.is_set():
            pids = set(self.extra) | {self.pid} | set(_descendants(self.pid))
            self.samples.append((time.perf_counter() - started, sum(_rss_mb(pid) for pid in pids)))
            self.stop.wait(self.interval)

    def summary(self) -> dict[str, float]:
        values = [rss for _, rss in self.samples] or [0.0]
        quarter = max(1, len(values) // 4)
        return {"peak_rss_mb": round(max(values), 1),
                "rss_first_quarter_mb": round(max(values[:quarter]), 1),
                "rss_last_quarter_mb": round(max(values[-quarter:]), 1)}


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def check_nothing_lost(ids: set[str], out: Path, errors: Path) -> dict[str, int]:
    written: list[str] = [json.loads(line)["id"] for line in out.open(encoding="utf-8")]
    failed: list[str] = [json.loads(line)["id"] for line in errors.open(encoding="utf-8")]
    accounted = written + [doc_id for doc_id in failed if doc_id is not None]
    unnamed = sum(doc_id is None for doc_id in failed)  # bad JSON: its id cannot be read
    missing = len(ids) - len(set(accounted)) - unnamed
    return {"out_lines": len(written), "error_lines": len(failed), "duplicates": len(accounted) - len(set(accounted)),
            "missing": missing}


def run_mode(mode: str, source: Path, workdir: Path, ids: set[str], documents: int) -> dict[str, Any]:
    out = workdir / f"out-{mode}.jsonl"
    errors = workdir / f"out-{mode}.errors.jsonl"
    for stale in (out, errors):
        stale.unlink(missing_ok=True)
    command = [sys.executable, "-m", "timeline", "batch", str(source), str(out), "--no-progress"]
    cluster = None
    extra: list[int] = []
    if mode == "dask":
        from distributed import LocalCluster
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        command += ["--scheduler", cluster.scheduler_address]
        extra = _descendants(os.getpid())  # the cluster's worker processes
    else:
        command += ["--workers", mode]
    print(f"bench: {' '.join(command[1:])}", file=sys.stderr)
    started = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(child.pid, extra)
    sampler.start()
    _, stderr = child.communicate()
    seconds = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if cluster is not None:
        cluster.close()
    if child.returncode not in (0, 1):
        raise SystemExit(f"bench: timeline batch failed ({child.returncode}):\n{stderr}")
    result = {"mode": mode if mode == "dask" else f"{mode} worker{'s' * (mode != '1')}",
              "documents": documents, "seconds": round(seconds, 1),
              "docs_per_second": round(documents / seconds, 1),
              "children_max_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
              **sampler.summary(), **check_nothing_lost(ids, out, errors),
              "command_summary": stderr.strip().splitlines()[-1] if stderr.strip() else ""}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", "-n", type=int, default=100_000, help="documents to generate (default 100,000)")
    parser.add_argument("--modes", default="1,2,dask",
                        help="comma-separated: a number of worker processes, or dask (default 1,2,dask)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="TBAQ folder whose .tml texts join the seeds (default ../shared/data/tbaq; skipped if absent)")
    parser.add_argument("--bad-every", type=int, default=1_000, help="one bad record in every N (0: none)")
    parser.add_argument("--workdir", type=Path, help="where the input and outputs go (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    if "dask" in modes:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("bench: dask.distributed is not installed; skipping the dask mode", file=sys.stderr)
            modes.remove("dask")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        source = workdir / "in.jsonl"
        started = time.perf_counter()
        ids, bad = generate(source, args.documents, args.corpus, args.bad_every)
        print(f"bench: generated {args.documents:,} documents ({bad} bad, {source.stat().st_size / 2**20:.0f} MB) "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        results = [run_mode(mode, source, workdir, ids, args.documents) for mode in modes]
    lost = any(r["missing"] or r["duplicates"] for r in results)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'mode':<10} {'docs':>8} {'seconds':>8} {'docs/s':>8} {'peak RSS':>9} {'RSS 1st/last quarter':>21} "
              f"{'out':>8} {'errors':>7} {'lost':>5}")
        for r in results:
            print(f"{r['mode']:<10} {r['documents']:>8,} {r['seconds']:>8.1f} {r['docs_per_second']:>8.1f} "
                  f"{r['peak_rss_mb']:>6.0f} MB {r['rss_first_quarter_mb']:>9.0f} / {r['rss_last_quarter_mb']:.0f} MB "
                  f"{r['out_lines']:>8,} {r['error_lines']:>7,} {r['missing'] + r['duplicates']:>5}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
