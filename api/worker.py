"""The gunicorn worker of ``timeline serve``: threads for the work, one poller for the waiting.

gunicorn's sync worker gives its whole process to one connection, from the first byte of the
request to the last of the answer, so two clients that send their headers and then stall hold
two workers (issue 14).  Its gthread worker gives a thread instead, but still for as long as the
client takes to send the body.  This worker is a gthread worker that reads each request *in
whole* on its main thread, in the poller that also watches the idle connections (as nginx
buffers requests before it passes them on).  Only a complete request goes to a thread, so a
thread never waits for a client, and a stalled client costs a socket and a buffer, not a thread:

- a client that has sent part of a request and not the rest within ``READ_TIMEOUT`` seconds is
  answered 408 and let go (one that sent nothing is only let go);
- a header section over :data:`MAX_HEADER_BYTES` is answered 431, a ``Content-Length`` over
  ``MAX_BODY_BYTES`` 413 (nothing of it is read), a chunked body whose framing is broken 400;
- answers the worker writes itself, and gunicorn's own error answers (a malformed request line,
  a header too long, ...), are ``application/problem+json`` like the app's (api/errors.py).

A worker also takes on only as much as it can run (``MAX_IN_PROGRESS``, 1 by default): while it
has that many complete requests running or waiting for its threads, it takes its listening
sockets out of its poller and accepts nothing new, so the next connection waits in the kernel's
accept queue, which all workers share, until a free worker takes it.  gthread accepts eagerly,
so one worker could take several requests that then waited for its pipeline one after the other
while the other worker had fewer or none: with 8 clients and 2 workers, one worker held 4
requests and the other 3 or fewer for about 70% of a run (docs/benchmarks.md).  A request counts from when it is
in whole until the app has returned its answer: neither a connection still being received nor
an answer still being written to a client that reads slowly keeps a worker from accepting.

Over TLS, or with HTTP/2 prior knowledge enabled, gunicorn must read the connection itself: the
worker then behaves as plain gthread (TLS and HTTP/2 belong to the reverse proxy; docs/deploy.md).
"""
from __future__ import annotations

import errno
import json
import selectors
import socket
import threading
import time
from functools import partial
from typing import Any

from gunicorn import http, util
from gunicorn.workers.gthread import TConn, ThreadWorker

from .config import Settings, load_settings
from .errors import PROBLEM_MEDIA_TYPE, body_too_large, title_of

#: The largest header section (request line and header fields) read before a request is
#: refused with 431; gunicorn's own limits (docs/deploy.md) apply within it.
MAX_HEADER_BYTES = 64 * 1024
#: The longest chunk-size line of a chunked body (size and extensions).
MAX_CHUNK_LINE = 1024
_RECEIVE = 64 * 1024
#: After a refusal, how long the rest of the request is read and dropped (so that closing the
#: connection does not reset it before the client has read the answer), and how much of it at most.
LINGER_SECONDS = 2.0
LINGER_BYTES = 16 * 1024 * 1024
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Refused(Exception):
    """A request answered by the worker itself, before any thread sees it."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class Incoming:
    """The bytes of one request as they arrive, and whether they make a whole request yet.

    Only the framing is read (where the header section ends, Content-Length or chunked); the
    request is parsed by gunicorn afterwards, from these bytes.  Framing that gunicorn refuses
    anyway (two lengths, a length and chunked, an unknown coding) counts as complete, so that
    gunicorn answers it with its own message.
    """

    def __init__(self, max_body: int, deadline: float) -> None:
        self.data = bytearray()
        self.deadline = deadline
        self.max_body = max_body
        self.head_end: int | None = None  # offset of the body, once the header section is in
        self.length: int | None = None  # Content-Length
        self.chunked = False
        self.expects_continue = False  # Expect: 100-continue, and the body has not begun
        self.continued = False  # the worker has answered 100 Continue
        self._expect_line: tuple[int, int] | None = None  # where the Expect field is, CRLF included
        self._chunk_at = 0  # offset of the next chunk-size line
        self._chunked_total = 0

    def feed(self, data: bytes) -> bool:
        """Add ``data``; whether the request is complete.  Raises :class:`Refused`."""
        self.data += data
        if self.head_end is None and not self._read_head():
            return False
        assert self.head_end is not None
        if self.chunked:
            return self._chunks_complete()
        if self.length is None:
            return True
        return len(self.data) - self.head_end >= self.length

    def request(self) -> bytes:
        """The request as received; without its Expect field once the worker has answered it, so
        that gunicorn does not send a second 100 Continue."""
        if self.continued and self._expect_line is not None:
            begin, end = self._expect_line
            return bytes(self.data[:begin] + self.data[end:])
        return bytes(self.data)

    def _read_head(self) -> bool:
        start = len(self.data) - len(self.data.lstrip(b"\r\n"))  # empty lines before a request are ignored
        end = self.data.find(b"\r\n\r\n", start)
        if end < 0:
            if len(self.data) - start > MAX_HEADER_BYTES:
                raise Refused(431, f"The request's header section exceeds {MAX_HEADER_BYTES} bytes.")
            return False
        if end - start > MAX_HEADER_BYTES:
            raise Refused(431, f"The request's header section exceeds {MAX_HEADER_BYTES} bytes.")
        self.head_end = self._chunk_at = end + 4
        lines = bytes(self.data[start:end]).split(b"\r\n")
        lengths: list[bytes] = []
        codings: list[bytes] = []
        expect = b""
        offset = start + len(lines[0]) + 2
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                lengths.append(value.strip())
            elif name == b"transfer-encoding":
                codings += [coding.strip().lower() for coding in value.split(b",")]
            elif name == b"expect":
                expect = value.strip().lower()
                self._expect_line = (offset, offset + len(line) + 2)
            offset += len(line) + 2
        if codings:
            # gunicorn refuses a length beside chunked, and codings other than chunked last.
            self.chunked = not lengths and codings[-1] == b"chunked"
        elif len(lengths) == 1 and lengths[0].isdigit():
            self.length = int(lengths[0])
            if self.length > self.max_body:
                raise Refused(413, body_too_large(self.max_body))
        has_body = self.chunked or bool(self.length)
        self.expects_continue = (has_body and expect == b"100-continue" and lines[0].endswith(b"HTTP/1.1")
                                 and len(self.data) == self.head_end)
        return True

    def _chunks_complete(self) -> bool:
        """Walk the chunks received so far; True once the last chunk and the trailer section are in."""
        data = self.data
        while True:
            line_end = data.find(b"\r\n", self._chunk_at)
            if line_end < 0:
                if len(data) - self._chunk_at > MAX_CHUNK_LINE:
                    raise Refused(400, "A chunk-size line of the request body is too long.")
                return False
            size_text = bytes(data[self._chunk_at:line_end]).split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise Refused(400, f"Invalid chunk size {size_text[:20]!r} in the request body.") from None
            if size < 0:
                raise Refused(400, f"Invalid chunk size {size_text[:20]!r} in the request body.")
            if size == 0:  # the last chunk: then trailer fields, up to an empty line
                if data[line_end + 2:line_end + 4] == b"\r\n":
                    return True
                return data.find(b"\r\n\r\n", line_end + 2) >= 0
            self._chunked_total += size
            if self._chunked_total > self.max_body:
                raise Refused(413, body_too_large(self.max_body))
            chunk_end = line_end + 2 + size
            if len(data) < chunk_end + 2:
                self._chunked_total -= size  # counted again when the rest has come
                return False
            if data[chunk_end:chunk_end + 2] != b"\r\n":
                raise Refused(400, "A chunk of the request body does not end with CRLF.")
            self._chunk_at = chunk_end + 2


def problem_response(status: int, detail: str, reason: str | None = None) -> bytes:
    """A whole HTTP/1.1 answer with a problem+json body, closing the connection."""
    title = title_of(status)
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    head = (f"HTTP/1.1 {status} {reason or title}\r\nConnection: close\r\nContent-Type: {PROBLEM_MEDIA_TYPE}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode("latin-1") + body


def write_problem(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error`` (its HTML error page), as problem+json."""
    detail = mesg or ("The server could not handle the request." if status_int >= 500 else reason)
    util.write_nonblock(sock, problem_response(status_int, detail, reason))


class TimelineWorker(ThreadWorker):
    """gthread, with every request read in whole by the main thread before a thread runs it."""

    settings: Settings
    wsgi: Any  # gunicorn's: the app, set by load_wsgi

    def init_process(self) -> None:
        # `timeline serve` passes its settings; a bare `gunicorn -k api.worker.TimelineWorker` reads TIMELINE_*.
        self.settings = getattr(self.app, "settings", None) or load_settings()
        self.incoming: dict[TConn, Incoming] = {}  # in arrival order, which is deadline order
        self.lingering: dict[TConn, list[float]] = {}  # refused: [deadline, bytes left to drop]
        self.buffering = not self.cfg.is_ssl and self.cfg.http2_cleartext not in ("prior-knowledge", "both")
        # Connections whose complete request is with the threads and has no answer yet; only the
        # main thread changes it.
        self.in_progress: set[TConn] = set()
        self.serving = threading.local()  # the connection a thread serves, for load_wsgi's wrapper
        util.write_error = write_problem  # this process's gunicorn answers its errors as problem+json
        super().init_process()

    def load_wsgi(self) -> None:
        """The app, wrapped so that a request stops counting as in progress once the app has
        returned its answer: writing it out is no work of the pipeline, and a client that reads
        it slowly must not keep the worker from accepting."""
        super().load_wsgi()
        app = self.wsgi

        def answered_app(environ: dict[str, Any], start_response: Any) -> Any:
            try:
                return app(environ, start_response)
            finally:
                self.method_queue.defer(self.in_progress.discard, self.serving.conn)

        self.wsgi = answered_app

    def handle(self, conn: TConn) -> Any:
        self.serving.conn = conn
        return super().handle(conn)

    def busy(self) -> bool:
        """Whether the worker has as many requests in progress as it takes on (``MAX_IN_PROGRESS``).

        Only when it reads requests itself: otherwise an accepted connection goes to a thread
        before its request is in, and a stalled one would count."""
        limit = self.settings.MAX_IN_PROGRESS
        return self.buffering and 0 < limit <= len(self.in_progress)

    def set_accept_enabled(self, enabled: bool) -> None:
        """gthread's switch of the listeners in the poller, which its main loop turns on whenever
        the worker has fewer than ``MAX_CONNECTIONS`` connections; kept off while it is busy."""
        super().set_accept_enabled(enabled and not self.busy())

    def enqueue_req(self, conn: TConn) -> None:
        self.in_progress.add(conn)
        super().enqueue_req(conn)
        if self.busy():
            self.set_accept_enabled(False)

    def finish_request(self, conn: TConn, fs: Any) -> None:
        """A thread is done with ``conn``'s request (run on the main thread, after the wrapper of
        load_wsgi's call, if the request reached the app); the main loop then turns accepting
        back on, before it next waits."""
        self.in_progress.discard(conn)
        super().finish_request(conn, fs)

    def accept(self, listener: socket.socket) -> None:
        if not self.buffering:
            return super().accept(listener)
        if self.busy():  # the listener was readable in the same wake-up as the request that made it busy
            return None
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return None
        self.nr_conns += 1
        self._receive(TConn(self.cfg, client, address, listener.getsockname()))
        return None

    def on_client_socket_readable(self, conn: TConn, client: socket.socket) -> None:
        """A kept-alive connection's next request begins: read it in whole, like a new one's."""
        if not self.buffering:
            return super().on_client_socket_readable(conn, client)
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._receive(conn)
        return None

    def _receive(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        incoming = Incoming(self.settings.MAX_BODY_BYTES, time.monotonic() + self.settings.READ_TIMEOUT)
        self.incoming[conn] = incoming
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn, incoming))
        # What has already arrived is read at once: a whole request then makes the worker busy
        # before it could accept another connection in its next wake-up.
        self._on_readable(conn, incoming, conn.sock)

    def _on_readable(self, conn: TConn, incoming: Incoming, _client: socket.socket) -> None:
        data = _receive_ready(conn)
        if data is None:
            return
        if not data:  # the client went away
            self._forget(conn)
            return
        try:
            complete = incoming.feed(data)
        except Refused as refusal:
            self._refuse(conn, refusal.status, refusal.detail)
            return
        if not complete:
            if incoming.expects_continue:  # the client waits for this before it sends the body
                incoming.expects_continue = False
                incoming.continued = True
                self._send(conn, _CONTINUE)
            return
        self.poller.unregister(conn.sock)
        del self.incoming[conn]
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        conn.parser.unreader.unread(incoming.request())
        conn.data_ready = True
        self.enqueue_req(conn)

    def murder_pending(self) -> None:
        """gthread's sweep of idle connections, and of requests not received within READ_TIMEOUT."""
        super().murder_pending()
        now = time.monotonic()
        while self.incoming:
            conn, incoming = next(iter(self.incoming.items()))
            if incoming.deadline > now:
                break
            if incoming.data.strip():
                self._refuse(conn, 408, f"The request was not received in whole within "
                                        f"{self.settings.READ_TIMEOUT} s (READ_TIMEOUT).")
            else:
                self._forget(conn)
        for conn, (deadline, _) in list(self.lingering.items()):
            if deadline <= now:
                self._forget(conn)

    def _refuse(self, conn: TConn, status: int, detail: str) -> None:
        """Answer ``status`` and close: first the answer, then the rest of the request is read and
        dropped for a while, since closing with unread bytes would reset the connection, and
        with it the answer, before the client reads it."""
        self.log.info("Refused a request from %s with %d: %s", conn.client[0] if conn.client else "-", status, detail)
        self._send(conn, problem_response(status, detail))
        self.poller.unregister(conn.sock)
        self.incoming.pop(conn, None)
        try:
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._forget(conn)
            return
        self.lingering[conn] = [time.monotonic() + LINGER_SECONDS, LINGER_BYTES]
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._drop_input, conn))

    def _drop_input(self, conn: TConn, _client: socket.socket) -> None:
        data = _receive_ready(conn)
        if data is None:
            return
        budget = self.lingering[conn]
        budget[1] -= len(data)
        if not data or budget[1] <= 0:
            self._forget(conn)

    @staticmethod
    def _send(conn: TConn, data: bytes) -> None:
        """Send what fits without waiting: a short answer fits an empty socket buffer."""
        try:
            conn.sock.send(data)
        except OSError:
            pass

    def _forget(self, conn: TConn) -> None:
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self.incoming.pop(conn, None)
        self.lingering.pop(conn, None)
        self.nr_conns -= 1
        conn.close()


def _receive_ready(conn: TConn) -> bytes | None:
    """What a readable socket holds: b"" when the client went away or the socket failed, None
    when the wake-up was spurious and there is nothing to read yet."""
    try:
        return conn.sock.recv(_RECEIVE)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""
