"""Latency and throughput of ``POST /timeline`` under gunicorn, on loopback.

Starts ``timeline serve`` on 127.0.0.1 (a free port, access log off), waits for
``/health``, warms every worker up, then has ``--clients`` client processes send the
same request (one article of about ``--words`` words, built from the seed articles)
as fast as they can, each waiting for its answer before sending the next, until
``--requests`` requests have been answered.  The clients share the machine with the
server, so they are lean, as wrk is: requests are built before the clock starts and
sent over plain sockets.  Prints p50/p90/p99 latency and requests
per second, then stops the server.  Not a test: pytest does not collect it.

Two modes: ``repeated`` sends the same bytes every time, as a dashboard polling one
story does, so after its first answer each worker answers from its cache;
``distinct`` gives each request its own document id, so every request runs the
pipeline.  Both are run by default.

    python bench/bench_api.py                          # 2 workers, 8 clients, 2,000 requests
    python bench/bench_api.py --clients 1 2 4 8 16     # one run per client count
    python bench/bench_api.py --workers 1 --json
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import socket
import statistics
import sys
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `api` imports whether or not the package is installed
from api.local_server import HOST, LocalServer, ServerError  # noqa: E402

SEEDS = ROOT / "seeds"


def article(words: int) -> str:
    """About ``words`` words of news text: the seed articles, in order, cut at a sentence end."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    tokens = "\n\n".join(texts).split(" ")
    text = " ".join(tokens[:words])
    cut = text.rfind(". ")
    return text[:cut + 1] if cut > len(text) // 2 else text


def request(port: int, method: str, path: str, body: bytes | None = None,
            timeout: float = 30.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def bodies(text: str, mode: str, client: int = 0) -> Callable[[], bytes]:
    """The next request's body: the same bytes every time (``repeated``: the server's cache answers
    after the first time per worker), or a document id never sent before (``distinct``: computed
    every time); ``client`` keeps the ids of concurrent clients apart."""
    def body(identifier: str) -> bytes:
        return json.dumps({"documents": [{"id": identifier, "text": text, "published": "2024-05-16"}]}).encode()
    if mode == "repeated":
        same = body("article")
        return lambda: same
    numbers = itertools.count()
    return lambda: body(f"article-{client}-{next(numbers)}")


def http_post(path: str, body: bytes) -> bytes:
    """A whole HTTP/1.1 POST request, ready to send (the server closes the connection after it)."""
    head = (f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


def exchange(port: int, message: bytes, timeout: float = 30.0) -> int:
    """Send ``message``, read the answer to its end; its status, or 0 if it was cut short."""
    with socket.create_connection((HOST, port), timeout=timeout) as connection:
        connection.sendall(message)
        chunks = []
        while chunk := connection.recv(1 << 16):
            chunks.append(chunk)
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in lines[1:] if line.lower().startswith(b"content-length:")),
                  None)
    if not lines[0].startswith(b"HTTP/1.") or (length is not None and length != len(body)):
        return 0
    return int(lines[0].split()[1])


def _client(port: int, text: str, mode: str, client: int, count: int, start: Any, results: Any) -> None:
    """One client process: ``count`` requests, each sent when the previous one is answered.

    Requests are built before the clock starts and sent over a plain socket, so the client
    spends little CPU of the machine it shares with the server (as wrk would).
    """
    body = bodies(text, mode, client)
    messages = [http_post("/timeline", body()) for _ in range(count)]
    latencies: list[float] = []
    failures: list[int] = []
    start.wait()
    for message in messages:
        started = time.perf_counter()
        try:
            status = exchange(port, message)
        except OSError:
            status = 0
        elapsed = time.perf_counter() - started
        if status == 200:
            latencies.append(elapsed)
        else:
            failures.append(status)
    results.put((latencies, failures))


def run_load(port: int, text: str, mode: str, clients: int, total: int) -> dict[str, Any]:
    """``clients`` processes share ``total`` requests; each waits for its previous answer.

    Processes, not threads: a client thread waiting for the GIL would add its wait to the
    latency it measures, and real clients do not share an interpreter.
    """
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    counts = [total // clients + (1 if index < total % clients else 0) for index in range(clients)]
    processes = [context.Process(target=_client, args=(port, text, mode, index, count, start, results))
                 for index, count in enumerate(counts) if count]
    for process in processes:
        process.start()
    started = time.perf_counter()
    start.set()
    latencies: list[float] = []
    failures: list[int] = []
    for _ in processes:
        done, failed = results.get()
        latencies += done
        failures += failed
    wall = time.perf_counter() - started
    for process in processes:
        process.join()
    if not latencies:
        raise SystemExit(f"bench: no request succeeded (statuses {sorted(set(failures))})")
    return {
        "clients": clients,
        "requests": len(latencies),
        "failed": len(failures),
        "seconds": round(wall, 3),
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
    }


MODES = ("repeated", "distinct")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--clients", type=int, nargs="+", default=[8], help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per run (default 2000)")
    parser.add_argument("--words", type=int, default=1000, help="words in the article (default 1000)")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES),
                        help="repeated: the same body every time (answered from the cache); distinct: a "
                             "document id per request, so every request runs the pipeline (default: both)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.workers < 1 or min(args.clients) < 1:
        parser.error("--requests, --workers and --clients must be positive")

    text = article(args.words)
    results = []
    try:
        # The parser the event layer reads with (until one ships) is the one setting passed on.
        parser = {"TIMELINE_PARSER": os.environ["TIMELINE_PARSER"]} if os.environ.get("TIMELINE_PARSER") else {}
        with LocalServer(workers=args.workers, TIMELINE_ACCESS_LOG="0", TIMELINE_LOG_LEVEL="warning",
                         **parser) as server:
            status, payload = request(server.port, "POST", "/timeline", bodies(text, "distinct", -1)())
            if status != 200:
                raise SystemExit(f"bench: POST /timeline answered {status}: {payload[:500]!r}")
            events = len(json.loads(payload)["events"])
            for mode in args.modes:
                run_load(server.port, text, mode, args.workers * 4, args.workers * 20)  # warm-up: every worker
                results += [{"mode": mode, **run_load(server.port, text, mode, clients, args.requests)}
                            for clients in args.clients]
    except ServerError as error:
        raise SystemExit(f"bench: {error}") from None

    setup = {"workers": args.workers, "words": len(text.split()), "chars": len(text), "events": events,
             "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps({"setup": setup, "runs": results}, indent=2))
        return 0
    print(f"POST /timeline, one article of {setup['words']} words ({setup['chars']:,} chars, "
          f"{setup['events']} events), gunicorn {args.workers} workers, {setup['cpus']} CPUs, loopback")
    print(f"{'mode':<9} {'clients':>7} {'requests':>8} {'failed':>6} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7}")
    for run in results:
        print(f"{run['mode']:<9} {run['clients']:>7} {run['requests']:>8} {run['failed']:>6} "
              f"{run['requests_per_second']:>7} {run['p50_ms']:>7} {run['p90_ms']:>7} {run['p99_ms']:>7} "
              f"{run['max_ms']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
