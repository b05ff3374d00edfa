"""api/worker.py's reading of requests in whole: when the bytes received make a request, and what it refuses."""
from __future__ import annotations

import pytest

pytest.importorskip("gunicorn")

from api.worker import MAX_HEADER_BYTES, Incoming, Refused  # noqa: E402

HEAD = b"POST /timeline HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


def _incoming(max_body: int = 1000) -> Incoming:
    return Incoming(max_body, deadline=0.0)


def test_a_request_is_complete_with_its_whole_body() -> None:
    incoming = _incoming()
    assert not incoming.feed(HEAD + b"Content-Length: 10\r\n")
    assert not incoming.feed(b"\r\n12345")
    assert incoming.feed(b"67890")


def test_a_request_without_a_body_is_complete_with_its_headers() -> None:
    assert _incoming().feed(b"\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n")


def test_chunks_arriving_in_pieces() -> None:
    incoming = _incoming()
    pieces = [HEAD + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhel", b"lo\r\n6;name=value\r\n world\r\n", b"0\r\n",
              b"Trailer: 1\r\n", b"\r\n"]
    assert [incoming.feed(piece) for piece in pieces] == [False, False, False, False, True]


@pytest.mark.parametrize(("tail", "status"), [(b"zz\r\n", 400), (b"5\r\nhelloXX", 400), (b"3e9\r\n", 413),
                                              (b"1" * 2000, 400)])
def test_broken_or_oversized_chunks_are_refused(tail: bytes, status: int) -> None:
    with pytest.raises(Refused) as refused:
        _incoming().feed(HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + tail)
    assert refused.value.status == status


def test_a_declared_length_over_the_limit_is_refused_before_its_body() -> None:
    with pytest.raises(Refused) as refused:
        _incoming(max_body=100).feed(HEAD + b"Content-Length: 101\r\n\r\n")
    assert refused.value.status == 413 and "100 bytes" in refused.value.detail


def test_an_endless_header_section_is_refused() -> None:
    incoming = _incoming()
    assert not incoming.feed(HEAD)
    with pytest.raises(Refused) as refused:
        incoming.feed(b"X-Padding: " + b"a" * MAX_HEADER_BYTES)
    assert refused.value.status == 431


def test_framing_gunicorn_refuses_is_left_to_it() -> None:
    # Two lengths, or a length beside chunked: complete at once, and gunicorn answers 400.
    assert _incoming().feed(HEAD + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\n")
    assert _incoming().feed(HEAD + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")


def test_expect_continue_is_noticed_only_before_the_body() -> None:
    waiting = _incoming()
    assert not waiting.feed(HEAD + b"Expect: 100-continue\r\nContent-Length: 4\r\n\r\n")
    assert waiting.expects_continue
    waiting.continued = True  # the worker answered it, so gunicorn must not answer it again
    assert waiting.feed(b"abcd")
    assert waiting.request() == HEAD + b"Content-Length: 4\r\n\r\nabcd"
    eager = _incoming()
    assert not eager.feed(HEAD + b"Expect: 100-continue\r\nContent-Length: 4\r\n\r\nab")
    assert not eager.expects_continue
