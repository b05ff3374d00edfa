"""The real server: ``timeline serve`` runs gunicorn on a loopback port, and HTTP goes over the socket."""
from __future__ import annotations

import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("flask")
pytest.importorskip("gunicorn")

from api.local_server import HOST, LocalServer, ServerError, free_port, server_environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_ad7243dbfe9acf5f.txt"


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, chunked: bool = False) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
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
    """``timeline serve`` with two workers on a free loopback port; stopped (and reaped) afterwards."""
    try:
        with LocalServer(workers=2, TIMELINE_MAX_BODY_BYTES="200000", TIMELINE_ACCESS_LOG="0") as running:
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
    assert set(timeline) == {"events", "documents", "warnings"}
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
