"""Stored stories (issue 17): adding one article to a large story and reading its timeline,
polling an unchanged timeline (304), and memory while a story grows.

The story is made from the seed articles: article ``i`` is seed ``i % 5`` published on a
random day within two years of 16 May 2024 (so its relative dates land elsewhere), with
about one content word in eight swapped for a made-up word (so copies are alike, as articles
retelling one story are, without being identical).  The story is stored through
``stories.Store`` in this process (the build), then ``timeline serve`` runs on it and is asked:

- add+read: ``POST /stories/S/documents`` with one new article, then ``GET /stories/S/timeline``
  (the whole timeline, all its bytes read), timed together.  The first ``--warmup`` pairs after
  the server starts are reported apart (``after_start_*``): a worker's first adds to a story
  compile its statements and fill its caches (the mentions placing decodes, the story's word
  counts and event summaries), and each of the 2 workers meets each seed's events
  for the first time.  The ``--rounds`` pairs after them are the steady state the target is for;
- 304: ``GET /stories/S/timeline`` with ``If-None-Match``;
- stateless: ``POST /timeline`` of every article of the story at once, as before stories.

``--grow N`` instead adds N articles in this process (``--batch`` per request) and reports
its peak RSS at intervals (memory bounded: it must not grow with the story), then the size of
the whole timeline and the RSS after streaming it as the server sends it.  Not a test.

    python bench/bench_stories.py                       # 1,000 articles, SQLite
    python bench/bench_stories.py --database postgresql+psycopg://...
    python bench/bench_stories.py --grow 10000 --batch 50
    python bench/bench_stories.py --database sqlite:////tmp/s.db --story s   # built once, measured again
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from api.local_server import LocalServer, call_json  # noqa: E402
from stories import Store, Submission  # noqa: E402
from timeline.documents import Document, load_documents  # noqa: E402

_WORD = re.compile(r"\b[a-z]{5,}\b")


def articles(count: int, seed: int = 17, start: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed + start)
    bases = [d for d in load_documents(ROOT / "seeds") if isinstance(d, Document)]
    made = []
    for number in range(start, start + count):
        base = bases[number % len(bases)]
        text = _WORD.sub(lambda m: f"{m.group()[:3]}x{rng.randrange(400)}" if rng.random() < 0.125 else m.group(),
                         base.text)
        published = datetime(2024, 5, 16) + timedelta(days=rng.randrange(-365, 365))
        made.append({"id": f"a{number:05d}", "text": text, "published": published.date().isoformat(),
                     "title": base.title})
    return made


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def call(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
         timeout: float = 600) -> tuple[int, dict[str, str], bytes]:
    """A request with the bench's long timeout: adding to a large story can take minutes on a loaded machine."""
    return call_json(port, method, path, body, headers, timeout)


def server_pids(server: LocalServer) -> list[int]:
    """The server's master and its workers (Linux /proc)."""
    assert server.process is not None
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *(int(pid) for pid in children.read_text().split())] if children.exists() else [master]


def server_cpu_seconds(server: LocalServer) -> float:
    """CPU time (user + system) used so far by the server's master and workers (Linux /proc)."""
    ticks = 0
    for pid in server_pids(server):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_peak_rss_mb(server: LocalServer) -> float:
    """The largest peak RSS (VmHWM) among the server's master and workers (Linux /proc)."""
    peaks = [0.0]
    for pid in server_pids(server):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    return max(peaks)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def build(store: Store, name: str, made: list[dict[str, Any]], batch: int = 50) -> float:
    store.put_story(name)
    started = time.perf_counter()
    for first in range(0, len(made), batch):
        store.add_documents(name, [Submission.of(record) for record in made[first:first + batch]])
    return time.perf_counter() - started


def serve_and_measure(url: str, name: str, made: list[dict[str, Any]], stored: int, rounds: int, polls: int,
                      stateless: int, warmup: int = 20) -> dict[str, Any]:
    settings = {"TIMELINE_DATABASE_URL": url, "TIMELINE_ACCESS_LOG": "false", "TIMELINE_MAX_DOCUMENTS": "5000",
                "TIMELINE_MAX_TOTAL_CHARS": "50000000", "TIMELINE_MAX_BODY_BYTES": "100000000",
                "TIMELINE_TIMEOUT": "900", "TIMELINE_CACHE_BYTES": "0"}
    figures: dict[str, Any] = {}
    with LocalServer(workers=2, **settings) as server:
        call(server.port, "GET", f"/stories/{name}/timeline")  # each worker opens the store once
        call(server.port, "GET", f"/stories/{name}/timeline")
        # new ids after every stored one: a story measured before holds the last run's too (the
        # same ids again would be unchanged documents, nothing to add)
        extra = articles(warmup + rounds, seed=99, start=max(len(made), stored))
        after_start = []
        for record in extra[:warmup]:  # a restarted server's first adds: reported apart
            started = time.perf_counter()
            call(server.port, "POST", f"/stories/{name}/documents", {"documents": [record]})
            call(server.port, "GET", f"/stories/{name}/timeline")
            after_start.append(1000 * (time.perf_counter() - started))
        if after_start:
            figures["after_start_add_and_read_p50_ms"] = percentile(after_start, 0.5)
            figures["after_start_add_and_read_worst_ms"] = [round(value, 1) for value in sorted(after_start)[-5:]]
        timings, sizes = [], []
        cpu_before = server_cpu_seconds(server)
        cpu_each = []  # the server's CPU per add+read: its tail, whatever else the machine runs
        for record in extra[warmup:]:
            cpu = server_cpu_seconds(server)
            started = time.perf_counter()
            status, _, _ = call(server.port, "POST", f"/stories/{name}/documents", {"documents": [record]})
            assert status == 200, status
            status, headers, body = call(server.port, "GET", f"/stories/{name}/timeline")
            timings.append(time.perf_counter() - started)
            cpu_each.append(server_cpu_seconds(server) - cpu)
            sizes.append(len(body))
        # CPU the server spent per add+read: what the latency comes to on an otherwise idle machine
        figures["server_cpu_per_add_and_read_ms"] = 1000 * (server_cpu_seconds(server) - cpu_before) / rounds
        figures["server_cpu_per_add_and_read_p50_p99_ms"] = [1000 * percentile(cpu_each, 0.5),
                                                              1000 * percentile(cpu_each, 0.99)]
        figures["add_and_read_p50_ms"] = 1000 * percentile(timings, 0.5)
        figures["add_and_read_p99_ms"] = 1000 * percentile(timings, 0.99)
        # the five slowest, each with its round (from 1): a process's first writes fill its caches
        figures["add_and_read_worst_ms"] = [[round(1000 * value, 1), index + 1] for value, index in
                                            sorted((value, index) for index, value in enumerate(timings))[-5:]]
        figures["server_worker_peak_rss_mb"] = server_peak_rss_mb(server)
        figures["timeline_bytes"] = sizes[-1]
        figures["events"] = len(json.loads(body)["events"])
        etag = headers["ETag"]
        polls_ms = []
        cpu_before = server_cpu_seconds(server)
        for _ in range(polls):
            started = time.perf_counter()
            status, _, _ = call(server.port, "GET", f"/stories/{name}/timeline", headers={"If-None-Match": etag})
            polls_ms.append(1000 * (time.perf_counter() - started))
            assert status == 304, status
        figures["server_cpu_per_304_ms"] = 1000 * (server_cpu_seconds(server) - cpu_before) / polls
        figures["not_modified_p50_ms"] = percentile(polls_ms, 0.5)
        figures["not_modified_p99_ms"] = percentile(polls_ms, 0.99)
        whole = {"documents": made + extra}
        stateless_s = []
        for _ in range(stateless):
            started = time.perf_counter()
            status, _, _ = call(server.port, "POST", "/timeline", whole)
            assert status == 200, status
            stateless_s.append(time.perf_counter() - started)
        if stateless_s:
            figures["stateless_post_timeline_s"] = min(stateless_s)
            figures["ratio_p99_to_stateless"] = figures["add_and_read_p99_ms"] / 1000 / min(stateless_s)
    return figures


def grow(store: Store, name: str, total: int, step: int, batch: int) -> list[tuple[int, float, float]]:
    """Add ``total`` articles, ``batch`` per request; (articles, peak RSS MB, ms per article) every ``step``."""
    store.put_story(name)
    rows = []
    started = time.perf_counter()
    for first in range(0, total, step):
        made = articles(step, start=first)
        for index in range(0, step, batch):
            store.add_documents(name, [Submission.of(record) for record in made[index:index + batch]])
        rows.append((first + step, rss_mb(), 1000 * (time.perf_counter() - started) / step))
        print(f"{first + step:>7} articles  peak RSS {rows[-1][1]:7.1f} MB  {rows[-1][2]:6.1f} ms per article",
              flush=True)
        started = time.perf_counter()
    size = sum(len(chunk) for chunk in store.timeline_stream(name).chunks)  # as GET .../timeline sends it
    print(f"timeline of {total} articles: {size / 1e6:.1f} MB of JSON; peak RSS after streaming it "
          f"{rss_mb():.1f} MB", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=100, help="add+read pairs timed")
    parser.add_argument("--polls", type=int, default=500, help="304 reads timed")
    parser.add_argument("--warmup", type=int, default=20,
                        help="add+read pairs sent first after the server starts, reported apart")
    parser.add_argument("--stateless", type=int, default=1, help="stateless POST /timeline runs (best kept)")
    parser.add_argument("--database", help="a SQLAlchemy URL (default: a SQLite file in a temporary folder)")
    parser.add_argument("--grow", type=int, metavar="N", help="only add N articles one by one and report RSS")
    parser.add_argument("--batch", type=int, default=1, help="with --grow: articles per request (default 1)")
    parser.add_argument("--story", help="the story's name; with --database, a story already stored there "
                                        "(from --articles) is measured again without being built")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-stories-")
    url = args.database or f"sqlite:///{folder}/stories.db"
    store = Store(url)
    store.upgrade()
    name = args.story or f"bench{int(time.time())}"
    if args.grow:
        grow(store, name, args.grow, max(1, args.grow // 10), args.batch)
        return 0
    made = articles(args.articles)
    if args.story and any(info.name == name for info in store.list_stories()):
        seconds = float("nan")  # stored by an earlier run: its articles are made again, the same
        stored = store.story(name).documents
        print(f"story {name} already stored ({stored} documents)", flush=True)
    else:
        seconds = build(store, name, made)
        stored = len(made)
        print(f"stored {len(made)} articles in {seconds:.1f} s ({len(made) / seconds:.1f} articles/s)", flush=True)
    store.close()
    figures = {"articles": len(made), "build_s": seconds,
               **serve_and_measure(url, name, made, stored, args.rounds, args.polls, args.stateless, args.warmup)}
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:<28} {value:.3f}" if isinstance(value, float) else f"{key:<28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
