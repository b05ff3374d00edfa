"""The real server: ``timeline serve`` runs gunicorn on a loopback port, and HTTP goes over the socket."""
from __future__ import annotations

import http.client
import json
import queue
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")
pytest.importorskip("gunicorn")

from api.local_server import HOST, LocalServer, ServerError, free_port, server_environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ad7243dbfe9acf5f.txt"


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, chunked: bool = False,
             timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        if chunked:
            connection.request(method, path, body=iter([body or b""]), headers=headers or {}, encode_chunked=True)
        else:
            connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    """``timeline serve`` with two workers on a free loopback port; stopped (and reaped) afterwards.
    It fetches pages from loopback, for the tests that keep a worker busy with a held page."""
    try:
        with LocalServer(workers=2, TIMELINE_MAX_BODY_BYTES="200000", TIMELINE_ACCESS_LOG="0", TIMELINE_FETCH_URLS="1",
                         TIMELINE_FETCH_PRIVATE_ADDRESSES="1", TIMELINE_FETCH_TIMEOUT="60") as running:
            yield running.port
    except ServerError as error:
        pytest.fail(str(error))


def test_timeline_over_http(server: int) -> None:
    article = SEED.read_text(encoding="utf-8")
    body = json.dumps({"documents": [{"id": SEED.name, "text": article, "published": "2024-05-16"}]}).encode()
    status, headers, payload = _request(server, "POST", "/timeline", body, {"Content-Type": "application/json"})
    assert status == 200 and headers["content-type"] == "application/json"
    assert headers["server"].startswith("gunicorn")
    timeline = json.loads(payload)
    assert set(timeline) == {"events", "documents", "warnings", "labels"}
    assert timeline["events"] and all(event["sources"] == [SEED.name] for event in timeline["events"])
    assert "2024-05-16" in {event["date"]["value"] for event in timeline["events"]}
    assert timeline["documents"][0]["published"] == "2024-05-16T00:00:00"


def test_health_and_errors_over_http(server: int) -> None:
    status, headers, payload = _request(server, "GET", "/health")
    assert status == 200 and json.loads(payload)["status"] == "ok"
    status, headers, payload = _request(server, "POST", "/timexes", b'{"texts": [}',
                                        {"Content-Type": "application/json"})
    assert status == 400 and headers["content-type"] == "application/problem+json"
    status, headers, payload = _request(server, "POST", "/timexes", b"{}", {"Content-Type": "text/plain"})
    assert status == 415 and json.loads(payload)["status"] == 415
    status, headers, payload = _request(server, "GET", "/timexes")
    assert status == 405 and "POST" in headers["allow"]
    big = json.dumps({"texts": [{"text": "x" * 250_000}]}).encode()
    for chunked in (False, True):
        status, headers, payload = _request(server, "POST", "/timexes", big, {"Content-Type": "application/json"},
                                            chunked=chunked)
        assert status == 413 and "200000 bytes" in json.loads(payload)["detail"]


def test_invalid_setting_stops_serve_before_it_starts() -> None:
    result = subprocess.run([sys.executable, "-m", "timeline", "serve", "--port", str(free_port())],
                            cwd=ROOT, env=server_environment(TIMELINE_WORKERS="none"), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "timeline: error: TIMELINE_WORKERS must be an integer, not 'none'" in result.stderr


def test_timeml_of_a_non_ascii_id_over_http(server: int) -> None:
    # Issue 14 item 4: gunicorn refused the header "filename="中文.tml"" and answered 500 as text/html.
    body = json.dumps({"documents": [{"id": "中文", "text": "On Tuesday it rained.", "published": "2024-05-16"}]})
    status, headers, payload = _request(server, "POST", "/timeline?format=timeml", body.encode(),
                                        {"Content-Type": "application/json"})
    assert status == 200 and headers["content-type"].startswith("application/xml")
    assert headers["content-disposition"].endswith("filename*=UTF-8''%E4%B8%AD%E6%96%87.tml")
    assert "中文" in payload.decode()


# -- slow and broken clients (issue 14 items 1 and 8) -----------------------------------------------
READ_TIMEOUT = 2


@pytest.fixture(scope="module")
def guarded() -> Iterator[int]:
    """A server whose clients have READ_TIMEOUT seconds to send a request (and a short worker timeout,
    which used to kill a worker waiting for a stalled body), and whose requests may hold 2 million
    characters (for answers larger than a socket's buffers)."""
    try:
        with LocalServer(workers=2, TIMELINE_READ_TIMEOUT=str(READ_TIMEOUT), TIMELINE_TIMEOUT="4",
                         TIMELINE_MAX_TOTAL_CHARS="2000000", TIMELINE_ACCESS_LOG="0") as running:
            yield running.port
    except ServerError as error:
        pytest.fail(str(error))


def _stalled(port: int, head: bytes) -> socket.socket:
    """A client that sends ``head`` and then nothing, its connection left open."""
    client = socket.create_connection((HOST, port), timeout=30)
    client.sendall(head)
    return client


STALLED_BODY = (b"POST /timeline HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{\"documents\": ")


def _answer(client: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the answer on ``client``, read to the connection's end."""
    data = b""
    while chunk := client.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_stalled_clients_leave_the_server_answering(guarded: int) -> None:
    # Two stalled bodies held both sync workers, so /health did not answer until they were killed.
    stalled = [_stalled(guarded, STALLED_BODY) for _ in range(8)]
    try:
        time.sleep(0.3)  # the server has read their headers
        started = time.monotonic()
        status, _, payload = _request(guarded, "GET", "/health", timeout=READ_TIMEOUT - 0.5)
        assert status == 200 and json.loads(payload)["status"] == "ok"
        body = json.dumps({"documents": [{"id": "a1", "text": "On Tuesday it rained.", "published": "2024-05-16"}]})
        status, _, payload = _request(guarded, "POST", "/timeline", body.encode(),
                                      {"Content-Type": "application/json"}, timeout=READ_TIMEOUT - 0.5)
        assert status == 200 and json.loads(payload)["events"]
        assert time.monotonic() - started < READ_TIMEOUT  # before any stalled client was let go
    finally:
        for client in stalled:
            client.close()


def test_a_stalled_body_is_a_408_problem(guarded: int) -> None:
    # It was a 500 as text/html, when gunicorn killed the worker waiting for the body.
    with _stalled(guarded, STALLED_BODY) as client:
        started = time.monotonic()
        status, headers, payload = _answer(client)
    assert status == 408 and headers["content-type"] == "application/problem+json"
    problem = json.loads(payload)
    assert problem["status"] == 408 and f"{READ_TIMEOUT} s" in problem["detail"]
    assert READ_TIMEOUT - 0.5 < time.monotonic() - started < READ_TIMEOUT + 5


@pytest.mark.parametrize(("request_bytes", "status"), ids=[
    "request line", "header line", "URI too long", "header too long", "chunk size", "two lengths",
    "length and chunked"], argvalues=[
    (b"NOT A REQUEST LINE\r\n\r\n", 400),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
    (b"POST /timexes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"zz\r\n", 400),
    (b"POST /timexes HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400),
    (b"POST /timexes HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
     400),
])
def test_protocol_errors_are_problems(guarded: int, request_bytes: bytes, status: int) -> None:
    # gunicorn answered these with its own HTML pages.
    with _stalled(guarded, request_bytes) as client:
        answered, headers, payload = _answer(client)
    assert answered == status and headers["content-type"] == "application/problem+json"
    problem = json.loads(payload)
    assert problem["status"] == status and problem["title"] and problem["detail"]


def test_a_client_that_expects_100_continue_is_told_to_send_its_body(guarded: int) -> None:
    # The worker holds requests until their bodies are in, so it must say "100 Continue" itself.
    body = b'{"documents": [{"text": "On Tuesday it rained.", "published": "2024-05-16"}]}'
    head = (b"POST /timexes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    with _stalled(guarded, head) as client:
        client.settimeout(READ_TIMEOUT - 0.5)
        assert client.recv(64).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        client.sendall(body)
        client.settimeout(30)
        status, headers, payload = _answer(client)
    assert status == 200 and json.loads(payload)["texts"][0]["timexes"][0]["value"] == "2024-05-14"


def test_clients_that_do_not_read_their_answers_leave_the_workers_accepting(guarded: int) -> None:
    # Each answer (about 7 MB: the text of six pages, JSON-escaped) is more than the sockets' buffers
    # hold, so a thread of each worker waits to write the rest until the client reads.  A request is
    # over for its worker once the app has answered, so both workers still take /health.
    page = "<html><body><article><p>" + ("\u00e9" * 60 + " ") * 3200 + "</p></article></body></html>"
    body = json.dumps({"texts": [{"html": page, "published": "2024-05-16"}] * 6}, ensure_ascii=False).encode()
    readers = []
    try:
        for _ in range(2):
            reader = socket.socket()
            reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            reader.connect((HOST, guarded))
            reader.sendall(b"POST /timexes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                           + str(len(body)).encode() + b"\r\n\r\n" + body)
            readers.append(reader)
        for reader in readers:  # the answers have begun: both workers have computed theirs
            assert select.select([reader], [], [], 60)[0]
            assert reader.recv(12, socket.MSG_PEEK) == b"HTTP/1.1 200"
        status, _, payload = _request(guarded, "GET", "/health", timeout=5)
        assert status == 200 and json.loads(payload)["status"] == "ok"
    finally:
        for reader in readers:
            reader.close()


# -- a busy worker leaves new connections to a free one (issue 12) ---------------------------------
class _HeldPages(BaseHTTPRequestHandler):
    """Pages the server fetches (TIMELINE_FETCH_URLS), each held until the test releases it: a
    request for a page keeps its worker busy exactly as long as the test wants."""

    arrived: queue.Queue[str] = queue.Queue()
    gates: dict[str, threading.Event] = {}
    lock = threading.Lock()

    @classmethod
    def gate(cls, path: str) -> threading.Event:
        with cls.lock:
            return cls.gates.setdefault(path, threading.Event())

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _HeldPages.arrived.put(self.path)
        _HeldPages.gate(self.path).wait(30)
        body = (b"<html><head><title>Rain</title></head><body><article><p>On Tuesday it rained in Kerrow.</p>"
                b"</article></body></html>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    site = ThreadingHTTPServer((HOST, 0), _HeldPages)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://{HOST}:{site.server_address[1]}"
    site.shutdown()
    site.server_close()


@pytest.fixture()
def held(pages: str) -> Iterator[str]:
    """The held pages' site; after the test every page is let go and the arrivals forgotten."""
    yield pages
    with _HeldPages.lock:
        for gate in _HeldPages.gates.values():
            gate.set()
    while not _nothing_arrives():
        pass


def _send_page_request(port: int, url: str) -> socket.socket:
    """A client that has connected and sent a whole POST /timeline of the page at ``url``."""
    body = json.dumps({"documents": [{"id": url, "url": url, "published": "2024-05-16"}]}).encode()
    return _stalled(port, b"POST /timeline HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def _arrival() -> str:
    return _HeldPages.arrived.get(timeout=20)


def _nothing_arrives() -> bool:
    try:
        _HeldPages.arrived.get(timeout=0.5)
    except queue.Empty:
        return True
    return False


def test_a_busy_worker_leaves_the_next_connection_to_the_free_one(server: int, held: str) -> None:
    # gthread accepted eagerly: the worker running /a took /b too, and /b waited for /a (for its
    # pipeline) while the other worker had nothing to do.
    with ThreadPoolExecutor(1) as pool:
        first = _send_page_request(server, f"{held}/a")
        assert _arrival() == "/a"
        second = _send_page_request(server, f"{held}/b")
        assert _arrival() == "/b"  # the other worker runs it while /a is still held
        health = pool.submit(_request, server, "GET", "/health")
        time.sleep(0.5)
        assert not health.done()  # both workers are busy: the connection waits in the kernel's queue
        _HeldPages.gate("/a").set()
        assert _answer(first)[0] == 200
        assert health.result(timeout=20)[0] == 200  # the worker that finished /a took it
        _HeldPages.gate("/b").set()
        assert _answer(second)[0] == 200
    first.close()
    second.close()


def test_waiting_connections_are_served_in_the_order_they_came(server: int, held: str) -> None:
    clients = [_send_page_request(server, f"{held}/first-{name}") for name in ("a", "b")]
    assert {_arrival(), _arrival()} == {"/first-a", "/first-b"}  # both workers busy
    clients += [_send_page_request(server, f"{held}/next-{number}") for number in range(3)]
    assert _nothing_arrives()
    _HeldPages.gate("/first-a").set()
    assert _arrival() == "/next-0"
    _HeldPages.gate("/first-b").set()
    assert _arrival() == "/next-1"
    assert _nothing_arrives()  # /next-2 waits for a worker to be free again
    _HeldPages.gate("/next-1").set()
    assert _arrival() == "/next-2"
    for path in ("/next-0", "/next-2"):
        _HeldPages.gate(path).set()
    assert [_answer(client)[0] for client in clients] == [200] * 5
    for client in clients:
        client.close()
