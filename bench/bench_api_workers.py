"""How ``POST /timeline`` requests spread over gunicorn's workers, and where their latency goes.

bench_api.py gives the latency clients see; this tells why it is what it is.  It runs gunicorn
with ``api.worker.TimelineWorker`` on loopback, as ``timeline serve`` would, with this file as
gunicorn's config file: its ``pre_request`` and ``post_request`` hooks write a line per request
(the worker's pid, when the app began and finished it, and how many requests that worker had
in the app when it began).  It warms every worker up, has ``--clients`` client processes post
distinct articles as bench_api.py's ``distinct`` mode does, then prints:

- the requests each worker served;
- the share of the run's time spent with each pair of counts of requests in the app, one per
  worker ("1+1": each worker ran one; "0+4": one worker idle while the other held four);
- per request, the time before the app (in the kernel's accept queue, or held by a worker
  that had not given it a thread yet), in the app, and after it; each client's answer is
  matched with the last request the app finished before the client had the answer.

    python bench/bench_api_workers.py                          # 2 workers, 8 clients, 200 requests
    python bench/bench_api_workers.py --max-in-progress 0      # accept eagerly, as plain gthread
"""
from __future__ import annotations

import argparse
import bisect
import collections
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_ACCOUNT = "BENCH_API_WORKERS_LOG"  # where the hooks write, set by the bench for the server

# -- gunicorn's config file: the hooks run in the workers ------------------------------------------
_in_app = [0]
_in_app_lock = threading.Lock()


def pre_request(worker: Any, req: Any) -> None:
    with _in_app_lock:
        _in_app[0] += 1
        req.bench_began = (time.monotonic(), _in_app[0])


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    finished = time.monotonic()
    with _in_app_lock:
        _in_app[0] -= 1
    began, in_app = getattr(req, "bench_began", (finished, 0))
    with open(os.environ[_ACCOUNT], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {req.path} {began:.6f} {finished:.6f} {in_app}\n")


# -- the bench -------------------------------------------------------------------------------------
def _quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    pick = [ordered[min(len(ordered) - 1, round(fraction * len(ordered)) - 1)] for fraction in (0.5, 0.9, 0.99)]
    return "p50 {:.0f}  p90 {:.0f}  p99 {:.0f} ms".format(*(1000 * value for value in pick))


def _time_shares(rows: list[tuple[int, float, float, int]]) -> dict[str, float]:
    """Share of the run's time (first beginning to last end) spent with each pair of in-app counts."""
    changes = sorted([(began, pid, 1) for pid, began, _, _ in rows] + [(ended, pid, -1) for pid, _, ended, _ in rows])
    pids = sorted({pid for pid, _, _, _ in rows})
    counts: collections.Counter[int] = collections.Counter()
    shares: collections.Counter[str] = collections.Counter()
    previous = changes[0][0]
    for moment, pid, step in changes:
        shares["+".join(str(count) for count in sorted(counts[p] for p in pids))] += moment - previous
        counts[pid] += step
        previous = moment
    total = sum(shares.values()) or 1.0
    return {pair: share / total for pair, share in shares.most_common()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=200, help="requests in the run (default 200)")
    parser.add_argument("--words", type=int, default=1000, help="words in the article (default 1000)")
    parser.add_argument("--max-in-progress", type=int, default=None,
                        help="TIMELINE_MAX_IN_PROGRESS (default: the server's, 1); 0 accepts eagerly")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from api.local_server import HOST, free_port, server_environment
    from bench.bench_api import article, request, run_load

    scratch = tempfile.TemporaryDirectory()
    account = Path(scratch.name) / "requests.log"
    settings = {_ACCOUNT: str(account), "TIMELINE_DATABASE_URL": f"sqlite:///{scratch.name}/stories.db"}
    if args.max_in_progress is not None:
        settings["TIMELINE_MAX_IN_PROGRESS"] = str(args.max_in_progress)
    if os.environ.get("TIMELINE_PARSER"):
        settings["TIMELINE_PARSER"] = os.environ["TIMELINE_PARSER"]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(Path(__file__).resolve()),
         "--worker-class", "api.worker.TimelineWorker", "--workers", str(args.workers),
         "--threads", str(args.threads), "--bind", f"{HOST}:{port}", "--log-level", "warning",
         "--no-control-socket", "api:create_app()"],  # no control socket: as `timeline serve` (api/server.py)
        cwd=ROOT, env=server_environment(**settings), stdout=subprocess.DEVNULL)
    text = article(args.words)
    spans: list[tuple[float, float]] = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if request(port, "GET", "/health", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bench: the server did not start")
            time.sleep(0.2)
        run_load(port, text, "distinct", args.workers * 4, args.workers * 20)  # warm-up: every worker
        account.unlink(missing_ok=True)
        load_before = os.getloadavg()[0]
        result = run_load(port, text, "distinct", args.clients, args.requests, spans)
        load_after = os.getloadavg()[0]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    rows = []
    for line in account.read_text(encoding="utf-8").splitlines():
        pid, path, began, ended, in_app = line.split()
        if path == "/timeline":
            rows.append((int(pid), float(began), float(ended), int(in_app)))
    scratch.cleanup()
    limit = "default" if args.max_in_progress is None else args.max_in_progress
    print(f"POST /timeline, distinct articles of {len(text.split())} words, {args.workers} workers of "
          f"{args.threads} threads, MAX_IN_PROGRESS {limit}, {args.clients} clients; "
          f"load average {load_before:.2f} at the start, {load_after:.2f} at the end")
    print(f"clients saw: {result['requests_per_second']} req/s, p50 {result['p50_ms']}  p90 {result['p90_ms']}  "
          f"p99 {result['p99_ms']} ms")
    served = collections.Counter(pid for pid, _, _, _ in rows)
    print("requests per worker:", ", ".join(str(count) for _, count in sorted(served.items())))
    by_count: dict[int, list[float]] = collections.defaultdict(list)
    for _, began, ended, in_app in rows:
        by_count[in_app].append(ended - began)
    print("requests in the app of their worker when they began (with them), and their time in the app:")
    for count, times in sorted(by_count.items()):
        print(f"  {count}: {len(times):>4} requests, median {1000 * statistics.median(times):.0f} ms")
    print("share of the run's time with these counts of requests in the app, one per worker:")
    print("  " + ", ".join(f"{pair} {share:.0%}" for pair, share in _time_shares(rows).items() if share >= 0.005))
    ends = sorted((ended, began) for _, began, ended, _ in rows)
    before, inside, after = [], [], []
    for sent, answered in spans:
        ended, began = ends[max(0, bisect.bisect_right(ends, (answered, float("inf"))) - 1)]
        before.append(began - sent)
        inside.append(ended - began)
        after.append(answered - ended)
    print(f"before the app: {_quantiles(before)}")
    print(f"in the app:     {_quantiles(inside)}")
    print(f"after the app:  {_quantiles(after)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
