"""The /stories endpoints: keys, ETags and 304, since, formats, errors as problem+json."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")
pytest.importorskip("sqlalchemy")

from api import create_app  # noqa: E402

TARIFFS = {"id": "a1", "published": "2024-05-16",
           "text": "On Tuesday the Biden administration announced tariffs on Chinese electric cars."}
AGAIN = {"id": "a2", "published": "2024-05-17",
         "html": "<html><body><article><p>The tariffs on Chinese electric cars were announced on <b>Tuesday</b> "
                 "by the Biden administration.</p></article></body></html>"}
VISIT = {"id": "a3", "published": "2024-05-17", "text": "On Thursday Putin landed in Beijing for a state visit."}


def client(tmp_path: Path, **settings: Any) -> Any:
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'stories.db'}", **settings}).test_client()


def test_a_story_grows_and_is_read_with_its_etag(tmp_path: Path) -> None:
    api = client(tmp_path)
    created = api.put("/stories/beijing", json={"title": "Putin in Beijing"})
    assert created.status_code == 201 and created.json["documents"] == 0
    assert api.put("/stories/beijing", json={"title": "Putin's visit"}).status_code == 200
    added = api.post("/stories/beijing/documents", json={"documents": [TARIFFS, VISIT]})
    assert added.status_code == 200
    assert (added.json["added"], added.json["story"]["documents"]) == (["a1", "a3"], 2)
    first = api.get("/stories/beijing/timeline")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and len(first.json["events"]) == 2
    assert api.get("/stories/beijing/timeline", headers={"If-None-Match": etag}).status_code == 304
    again = api.post("/stories/beijing/documents", json={"documents": [TARIFFS, AGAIN]})
    assert (again.json["added"], again.json["unchanged"]) == (["a2"], ["a1"])
    fresh = api.get("/stories/beijing/timeline", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    tariffs = [e for e in fresh.json["events"] if "ariff" in e["summary"]]
    assert len(tariffs) == 1 and tariffs[0]["sources"] == ["a1", "a2"]
    story = api.get("/stories/beijing").json
    assert {key: story[key] for key in ("name", "title", "documents", "events")} == \
        {"name": "beijing", "title": "Putin's visit", "documents": 3, "events": 2}
    assert story["updated"].endswith("Z")
    assert [s["name"] for s in api.get("/stories").json["stories"]] == ["beijing"]


def test_since_answers_what_changed(tmp_path: Path) -> None:
    api = client(tmp_path)
    api.put("/stories/s", json={})
    api.post("/stories/s/documents", json={"documents": [TARIFFS, VISIT]})
    moment = api.get("/stories/s").json["updated"]
    api.post("/stories/s/documents", json={"documents": [AGAIN]})
    changed = api.get(f"/stories/s/timeline?since={moment}").json
    assert [e["sources"] for e in changed["events"]] == [["a1", "a2"]] and changed["removed"] == []
    assert api.get("/stories/s/timeline?since=yesterday").status_code == 400


def test_export_formats_carry_their_own_etags(tmp_path: Path) -> None:
    api = client(tmp_path)
    api.put("/stories/s", json={})
    api.post("/stories/s/documents", json={"documents": [TARIFFS]})
    csv = api.get("/stories/s/timeline?format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv" and b"2024-05-14" in csv.data
    ics = api.get("/stories/s/timeline", headers={"Accept": "text/calendar"})
    assert ics.headers["ETag"] != csv.headers["ETag"] != api.get("/stories/s/timeline").headers["ETag"]
    assert api.get("/stories/s/timeline", headers={"Accept": "text/calendar"}).data == ics.data
    assert api.get("/stories/s/timeline?format=csv", headers={"If-None-Match": csv.headers["ETag"]}).status_code == 304
    assert api.get("/stories/s/timeline?format=timeml").status_code == 400


def test_documents_and_stories_are_deleted(tmp_path: Path) -> None:
    api = client(tmp_path)
    api.put("/stories/s", json={})
    api.post("/stories/s/documents", json={"documents": [TARIFFS, VISIT]})
    assert api.delete("/stories/s/documents/a3").status_code == 204
    assert [e["sources"] for e in api.get("/stories/s/timeline").json["events"]] == [["a1"]]
    missing = api.delete("/stories/s/documents/a3")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert "no document 'a3'" in missing.json["detail"]
    assert api.delete("/stories/s").status_code == 204
    assert api.get("/stories/s").status_code == 404
    assert api.get("/stories/s/timeline").status_code == 404


def test_bad_requests_are_problems(tmp_path: Path) -> None:
    api = client(tmp_path)
    assert api.post("/stories/nowhere/documents", json={"documents": [TARIFFS]}).status_code == 404
    bad_name = api.put("/stories/a%20b", json={})
    assert bad_name.status_code == 404 and "invalid story name" in bad_name.json["detail"]
    api.put("/stories/s", json={})
    both = api.post("/stories/s/documents", json={"documents": [{**TARIFFS, "html": "<p>x</p>"}]})
    assert both.status_code == 422 and "not both" in str(both.json["errors"])
    repeated = api.post("/stories/s/documents", json={"documents": [TARIFFS, TARIFFS]})
    assert repeated.status_code == 422 and "repeated" in str(repeated.json["errors"])
    assert api.put("/stories/s", data="{}", content_type="text/plain").status_code == 415


def test_writes_need_a_key_when_the_server_has_keys(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api = client(tmp_path, API_KEYS="write-key-1, write-key-2")
    refused = api.put("/stories/s", json={})
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert api.put("/stories/s", json={}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert api.put("/stories/s", json={}, headers={"Authorization": "Basic write-key-1"}).status_code == 401
    assert api.put("/stories/s", json={}, headers={"Authorization": "Bearer write-key-2"}).status_code == 201
    for attempt in (lambda: api.post("/stories/s/documents", json={"documents": [TARIFFS]}),
                    lambda: api.delete("/stories/s/documents/a1"), lambda: api.delete("/stories/s")):
        assert attempt().status_code == 401
    assert api.get("/stories/s/timeline").status_code == 200  # reads stay open
    assert "write-key" not in caplog.text


def test_reads_need_a_key_when_the_server_has_read_keys(tmp_path: Path) -> None:
    api = client(tmp_path, API_KEYS="writer", READ_KEYS="reader")
    assert api.get("/stories").status_code == 401
    assert api.get("/stories", headers={"Authorization": "Bearer reader"}).status_code == 200
    assert api.get("/stories", headers={"Authorization": "Bearer writer"}).status_code == 200
    assert api.put("/stories/s", json={}, headers={"Authorization": "Bearer reader"}).status_code == 401


def test_about_cuts_the_timeline_to_an_entitys_events_with_its_own_etag(tmp_path: Path) -> None:
    api = client(tmp_path)
    api.put("/stories/s", json={})
    api.post("/stories/s/documents", json={"documents": [TARIFFS, VISIT]})
    whole = api.get("/stories/s/timeline")
    putin = api.get("/stories/s/timeline?about=Vladimir%20Putin")
    assert [e["summary"] for e in putin.json["events"]] == [e["summary"] for e in whole.json["events"]
                                                             if "Putin" in e["summary"]] != []
    assert putin.json["events"][0]["id"] == next(e["id"] for e in whole.json["events"] if "Putin" in e["summary"])
    assert putin.headers["ETag"] != whole.headers["ETag"]
    assert api.get("/stories/s/timeline?about=Vladimir%20Putin",
                   headers={"If-None-Match": putin.headers["ETag"]}).status_code == 304
    assert api.get("/stories/s/timeline?about=Vladimir%20Putin",
                   headers={"If-None-Match": whole.headers["ETag"]}).status_code == 200
    both = api.get("/stories/s/timeline?about=Putin&about=Biden")
    assert len(both.json["events"]) == 2
    csv = api.get("/stories/s/timeline?about=Biden&format=csv")
    assert csv.status_code == 200 and "tariffs" in csv.text and "Putin" not in csv.text
    blank = api.get("/stories/s/timeline?about=%20")
    assert blank.status_code == 400 and "blank" in blank.json["detail"]
