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

Then the stalled-clients scenario (issue 14): ``--stalled`` clients (64) each send the
headers of a POST and the start of its body, and then nothing; meanwhile one client
asks for ``/health`` and posts a normal ``/timeline`` (a new document each time),
``--probes`` times each, one after the other; their latencies are printed.  Target:
every probe answered within 1 s.  ``--stalled 0`` skips it.

    python bench/bench_api.py                          # 2 workers, 8 clients, 2,000 requests; 64 stalled
    python bench/bench_api.py --clients 8 32           # one run per client count
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
from collections.abc import Callable
from pathlib import Path
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
    spans: list[tuple[float, float]] = []
    failures: list[int] = []
    start.wait()
    for message in messages:
        started = time.monotonic()  # the system's clock, so that the server's times compare with it
        try:
            status = exchange(port, message)
        except OSError:
            status = 0
        if status == 200:
            spans.append((started, time.monotonic()))
        else:
            failures.append(status)
    results.put((spans, failures))


def run_load(port: int, text: str, mode: str, clients: int, total: int,
             spans: list[tuple[float, float]] | None = None) -> dict[str, Any]:
    """``clients`` processes share ``total`` requests; each waits for its previous answer.
    Each answered request's (sent, answered) time (``time.monotonic``) is added to ``spans``.

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
        latencies += [answered - sent for sent, answered in done]
        failures += failed
        if spans is not None:
            spans += done
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


def stalled_clients(port: int, text: str, stalled: int, probes: int) -> dict[str, Any]:
    """Latencies of /health and /timeline while ``stalled`` clients hold connections with half-sent bodies."""
    head = http_post("/timeline", b"x" * 1000)[:-990]  # the headers and 10 bytes of a 1,000-byte body
    sockets = []
    try:
        for _ in range(stalled):
            client = socket.create_connection((HOST, port), timeout=30)
            client.sendall(head)
            sockets.append(client)
        time.sleep(0.5)  # every stalled request has reached the server
        health, timeline, failures = [], [], []
        body = bodies(text, "distinct", -2)
        for _ in range(probes):
            for path, message, latencies in (("/health", None, health), ("/timeline", body(), timeline)):
                started = time.perf_counter()
                try:
                    if message is None:
                        status, _ = request(port, "GET", path, timeout=10)
                    else:
                        status, _ = request(port, "POST", path, message, timeout=10)
                except OSError:
                    status = 0
                (latencies if status == 200 else failures).append(time.perf_counter() - started)
        still_open = sum(1 for client in sockets if _open(client))
    finally:
        for client in sockets:
            client.close()
    return {"stalled": stalled, "still_stalled_after": still_open, "probes": probes, "failed": len(failures),
            **{f"{name}_{key}": value for name, latencies in (("health", health), ("timeline", timeline))
               for key, value in _summary(latencies).items()}}


def _open(client: socket.socket) -> bool:
    """Whether the server still holds ``client``'s connection open (nothing to read, no EOF)."""
    client.setblocking(False)
    try:
        return client.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def _summary(latencies: list[float]) -> dict[str, float | None]:
    if not latencies:
        return {"p50_ms": None, "max_ms": None}
    return {"p50_ms": round(percentile(latencies, 0.5) * 1000, 1), "max_ms": round(max(latencies) * 1000, 1)}


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
    parser.add_argument("--stalled", type=int, default=64,
                        help="clients that send half a request and stall, for the stalled-clients scenario "
                             "(default 64; 0 skips it)")
    parser.add_argument("--probes", type=int, default=20,
                        help="/health and /timeline requests among the stalled clients (default 20 each)")
    parser.add_argument("--max-in-progress", type=int, default=None,
                        help="the server's TIMELINE_MAX_IN_PROGRESS (default: its own default, 1); 0 has each "
                             "worker accept eagerly, as plain gthread does, for comparison")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.workers < 1 or min(args.clients) < 1 or args.probes < 1:
        parser.error("--requests, --workers, --clients and --probes must be positive")
    if not 0 <= args.stalled <= 1000:
        parser.error("--stalled must be between 0 and 1000")

    text = article(args.words)
    results = []
    load_before = os.getloadavg()[0]
    try:
        # The parser the event layer reads with is the one setting of the caller's passed on.
        settings = {"TIMELINE_PARSER": os.environ["TIMELINE_PARSER"]} if os.environ.get("TIMELINE_PARSER") else {}
        if args.max_in_progress is not None:
            settings["TIMELINE_MAX_IN_PROGRESS"] = str(args.max_in_progress)
        with LocalServer(workers=args.workers, TIMELINE_ACCESS_LOG="0", TIMELINE_LOG_LEVEL="warning",
                         **settings) as server:
            status, payload = request(server.port, "POST", "/timeline", bodies(text, "distinct", -1)())
            if status != 200:
                raise SystemExit(f"bench: POST /timeline answered {status}: {payload[:500]!r}")
            events = len(json.loads(payload)["events"])
            for mode in args.modes:
                run_load(server.port, text, mode, args.workers * 4, args.workers * 20)  # warm-up: every worker
                results += [{"mode": mode, **run_load(server.port, text, mode, clients, args.requests)}
                            for clients in args.clients]
            stalled = stalled_clients(server.port, text, args.stalled, args.probes) if args.stalled else None
    except ServerError as error:
        raise SystemExit(f"bench: {error}") from None

    setup = {"workers": args.workers, "words": len(text.split()), "chars": len(text), "events": events,
             "cpus": os.cpu_count(), "max_in_progress": args.max_in_progress,
             "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    if args.json:
        print(json.dumps({"setup": setup, "runs": results, "stalled": stalled}, indent=2))
        return 0
    print(f"POST /timeline, one article of {setup['words']} words ({setup['chars']:,} chars, "
          f"{setup['events']} events), gunicorn {args.workers} workers, {setup['cpus']} CPUs, loopback"
          + ("" if args.max_in_progress is None else f", MAX_IN_PROGRESS {args.max_in_progress}"))
    print(f"load average (1 min) {setup['load_average'][0]} at the start, {setup['load_average'][1]} at the end")
    print(f"{'mode':<9} {'clients':>7} {'requests':>8} {'failed':>6} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} "
          f"{'p99 ms':>7} {'max ms':>7}")
    for run in results:
        print(f"{run['mode']:<9} {run['clients']:>7} {run['requests']:>8} {run['failed']:>6} "
              f"{run['requests_per_second']:>7} {run['p50_ms']:>7} {run['p90_ms']:>7} {run['p99_ms']:>7} "
              f"{run['max_ms']:>7}")
    if stalled:
        print(f"\n{stalled['stalled']} stalled clients (headers and 10 of 1,000 body bytes sent), "
              f"{stalled['probes']} probes each, one after the other; failed: {stalled['failed']}; stalled "
              f"connections still open after: {stalled['still_stalled_after']}")
        for name in ("health", "timeline"):
            print(f"  {'GET /health' if name == 'health' else 'POST /timeline':<15} p50 {stalled[name + '_p50_ms']} ms"
                  f"   max {stalled[name + '_max_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
