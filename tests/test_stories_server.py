"""A real `timeline serve` on a story database, killed with SIGKILL in the middle of writes."""
from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest

pytest.importorskip("flask")
pytest.importorskip("gunicorn")
pytest.importorskip("sqlalchemy")

from story_checks import check_consistent  # noqa: E402  (tests/story_checks.py)

from api.local_server import LocalServer  # noqa: E402
from api.local_server import call_json as call  # noqa: E402


def kill_everything(server: LocalServer) -> None:
    """SIGKILL to gunicorn's workers and master at once: no process gets to clean up."""
    assert server.process is not None
    master = server.process.pid
    children = Path(f"/proc/{master}/task/{master}/children")
    workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
    for pid in [*workers, master]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.process.wait()


def article(number: int) -> dict[str, str]:
    weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][number % 5]
    return {"id": f"n{number}", "published": "2024-05-17",
            "text": f"On {weekday} the council of district {number} approved a new budget for schools."}


def test_sigkill_during_writes_loses_no_acknowledged_document(story_database: str) -> None:
    acknowledged: list[str] = []
    with LocalServer(workers=2, TIMELINE_DATABASE_URL=story_database) as server:
        assert call(server.port, "PUT", "/stories/live", {"title": "Live"})[0] == 201
        enough = threading.Event()

        def write() -> None:
            for number in range(200):
                try:
                    status, _, _ = call(server.port, "POST", "/stories/live/documents",
                                        {"documents": [article(number)]})
                except OSError:
                    return  # the server is gone
                if status == 200:
                    acknowledged.append(f"n{number}")
                if len(acknowledged) >= 6:
                    enough.set()

        writers = [threading.Thread(target=write) for _ in range(2)]
        for thread in writers:
            thread.start()
        assert enough.wait(120), "the server acknowledged too few writes"
        kill_everything(server)
        for thread in writers:
            thread.join()
    assert len(acknowledged) >= 6
    with LocalServer(workers=1, TIMELINE_DATABASE_URL=story_database) as server:
        status, headers, body = call(server.port, "GET", "/stories/live/timeline")
        assert status == 200
        stored = {note["id"] for note in json.loads(body)["documents"]}
        assert set(acknowledged) <= stored
        etag = headers["ETag"]
        assert call(server.port, "GET", "/stories/live/timeline", headers={"If-None-Match": etag})[0] == 304
    counts = check_consistent(story_database, "live")
    assert counts["documents"] == len(stored)
    # the restarted server answered what the database holds, byte for byte, under the same ETag
    from stories import Store

    reopened = Store(story_database)
    again = reopened.timeline_json("live")
    reopened.close()
    assert (again.etag, again.data) == (etag, body)
