"""``timeline serve`` in a child process on a free loopback port, for tests and benchmarks.

Starting gunicorn, waiting until ``/health`` answers and stopping it cleanly (SIGTERM, then
kill) are the same whether a test or a benchmark needs a real server, so they live here.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]


class ServerError(RuntimeError):
    """The server exited or did not answer ``/health`` in time; the message ends with its stderr."""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_environment(**settings: str) -> dict[str, str]:
    """The environment for a child ``timeline serve``: ``settings`` (TIMELINE_* variables) and
    the repository root on the path, so `api` imports whether or not the package is installed;
    TIMELINE_* settings of the caller's shell do not leak in."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    base = {key: value for key, value in os.environ.items() if not key.startswith("TIMELINE_")}
    return {**base, "PYTHONPATH": path, **settings}


def _health(port: int) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status
    finally:
        connection.close()


def call_json(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
              timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """One request to a local server, ``body`` sent as JSON: (status, headers, body read whole)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, data, {"Content-Type": "application/json", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class LocalServer:
    """``with LocalServer(workers=2) as server: ... server.port``: started and healthy inside,
    stopped and reaped after.  ``settings`` are TIMELINE_* environment variables."""

    def __init__(self, workers: int = 2, start_timeout: float = 60.0, **settings: str) -> None:
        self.port = free_port()
        self.workers = workers
        self.start_timeout = start_timeout
        # `timeline serve` migrates its story database at start: without one given, a throwaway
        # one, so that tests and benchmarks never touch the user's default database
        self._scratch = None if "TIMELINE_DATABASE_URL" in settings else tempfile.TemporaryDirectory()
        if self._scratch is not None:
            settings = {**settings, "TIMELINE_DATABASE_URL": f"sqlite:///{self._scratch.name}/stories.db"}
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LocalServer:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "timeline", "serve", "--host", HOST, "--port", str(self.port),
             "--workers", str(self.workers)],
            cwd=ROOT, env=server_environment(**self.settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + self.start_timeout
        try:
            while True:
                if self.process.poll() is not None:
                    raise ServerError(f"timeline serve exited with {self.process.returncode}: {self._stderr()}")
                try:
                    if _health(self.port) == 200:
                        return self
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise ServerError(f"timeline serve did not answer /health within {self.start_timeout:g} s")
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def _stderr(self) -> str:
        assert self.process is not None and self.process.stderr is not None
        return self.process.stderr.read().decode(errors="replace")[-3000:]

    def stop(self) -> None:
        """SIGTERM, as gunicorn expects for a graceful stop; kill if it hangs."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr:
            process.stderr.close()
        if self._scratch is not None:
            self._scratch.cleanup()
