"""POST /timeline in the export formats: ``?format=`` and the Accept header (api/negotiation.py).

Each format is parsed back with the reader its users have (json, csv, icalendar, the
TimeML reader of ``timeline evaluate``, zipfile) and compared with the JSON timeline.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")
from icalendar import Calendar  # noqa: E402

from api import create_app  # noqa: E402
from timeline.documents import load_documents  # noqa: E402
from timeline.evaluation import read_timeml  # noqa: E402
from timeline.formats import CSV_FIELDS  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app().test_client()


@pytest.fixture(scope="module")
def seed_body() -> str:
    return json.dumps({"documents": [{"id": d.id, "text": d.text, "published": d.published.date().isoformat()}
                                     for d in load_documents(SEEDS)]})


@pytest.fixture(scope="module")
def story(client: Any, seed_body: str) -> dict[str, Any]:
    response = client.post("/timeline", data=seed_body, content_type="application/json")
    assert response.status_code == 200
    return response.get_json()


def _post(client: Any, body: str, query: str = "", accept: str | None = None) -> Any:
    headers = {"Accept": accept} if accept else {}
    return client.post(f"/timeline{query}", data=body, content_type="application/json", headers=headers)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return response.get_json(force=True)


def _closed(story: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in story["events"] if e["date"]["start"] and e["date"]["end"]]


@pytest.mark.parametrize("query, accept", [("?format=csv", None), ("", "text/csv"),
                                           ("", "text/html;q=0.9, text/csv")])
def test_csv_has_one_row_per_mention(client: Any, seed_body: str, story: dict[str, Any], query: str,
                                     accept: str | None) -> None:
    response = _post(client, seed_body, query, accept)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="timeline.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_FIELDS
    assert len(rows) == sum(len(e["mentions"]) for e in story["events"])
    assert {r["event_id"] for r in rows} == {e["id"] for e in story["events"]}


@pytest.mark.parametrize("query, accept", [("?format=ics", None), ("", "text/calendar")])
def test_icalendar_has_one_vevent_per_dated_event(client: Any, seed_body: str, story: dict[str, Any], query: str,
                                                  accept: str | None) -> None:
    response = _post(client, seed_body, query, accept)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    entries = calendar.walk("VEVENT")
    assert len(entries) == len(_closed(story))
    by_summary = {str(e["SUMMARY"]): e for e in entries}
    visit = next(e for e in story["events"] if e["date"]["start"] == "2024-05-16")  # not "before 16 May"
    assert by_summary[visit["summary"]].decoded("DTSTART").isoformat() == "2024-05-16"


@pytest.mark.parametrize("query, accept", [("?format=timelinejs", None),
                                           ("", "application/vnd.timeline.timelinejs+json")])
def test_timelinejs_has_one_slide_per_dated_event(client: Any, seed_body: str, story: dict[str, Any],
                                                  query: str, accept: str | None) -> None:
    response = _post(client, seed_body, query, accept)
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.timeline.timelinejs+json"
    slides = json.loads(response.data)["events"]
    assert [s["unique_id"] for s in slides] == [e["id"] for e in _closed(story)]
    assert all({"start_date", "text", "group"} <= set(s) for s in slides)


def test_timeml_of_one_document_reads_back(client: Any, tmp_path: Path) -> None:
    text = "On Tuesday the administration announced tariffs. The visit ends on May 17, 2024."
    body = json.dumps({"documents": [{"id": "tariffs", "text": text, "published": "2024-05-16"}]})
    response = _post(client, body, "?format=timeml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tariffs.tml"'
    path = tmp_path / "tariffs.tml"
    path.write_bytes(response.data)
    document = read_timeml(path)
    assert document.text == text and document.dct == "2024-05-16"
    assert [(t.text, t.value) for t in document.timexes] == [("Tuesday", "2024-05-14"), ("May 17, 2024", "2024-05-17")]
    assert _post(client, body, accept="application/xml").data == response.data


def test_timeml_of_a_document_in_a_language_without_a_grammar_has_its_text_and_no_timexes(
        client: Any, tmp_path: Path) -> None:
    text = "Sejm przyjął we wtorek ustawę o podatkach, a rząd zapowiedział kolejne zmiany w przyszłym tygodniu."
    body = json.dumps({"documents": [{"id": "pl", "text": text, "published": "2024-05-16"}]})
    response = _post(client, body, "?format=timeml")
    assert response.status_code == 200
    (tmp_path / "pl.tml").write_bytes(response.data)
    document = read_timeml(tmp_path / "pl.tml")
    assert document.text == text and document.timexes == []


@pytest.mark.parametrize(("identifier", "fallback", "encoded"), [
    ("中文", "_.tml", "%E4%B8%AD%E6%96%87.tml"),
    ("café 2024", "caf__2024.tml", "caf%C3%A9_2024.tml"),
])
def test_timeml_file_name_of_a_non_ascii_id(client: Any, identifier: str, fallback: str, encoded: str) -> None:
    # WSGI headers must be Latin-1 (PEP 3333): a raw "中文.tml" made gunicorn answer a 500 as text/html.
    # RFC 6266: an ASCII filename for old clients, filename* (RFC 8187, UTF-8) for the others.
    body = json.dumps({"documents": [{"id": identifier, "text": "On Tuesday it rained.", "published": "2024-05-16"}]})
    response = _post(client, body, "?format=timeml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    disposition = response.headers["Content-Disposition"]
    assert disposition.isascii()
    assert disposition == f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def test_timeml_of_several_documents_is_a_zip_archive(client: Any, seed_body: str, tmp_path: Path) -> None:
    for query, accept in (("?format=timeml", None), ("", "application/zip")):
        response = _post(client, seed_body, query, accept)
        assert response.status_code == 200 and response.mimetype == "application/zip"
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            names = archive.namelist()
            archive.extractall(tmp_path)
        assert sorted(names) == sorted(f"{d.id.removesuffix('.txt')}.tml" for d in load_documents(SEEDS))
        texts = {f"{d.id.removesuffix('.txt')}.tml": d.text for d in load_documents(SEEDS)}
        for name in names:
            document = read_timeml(tmp_path / name)
            assert document.text == texts[name] and document.timexes


def test_xml_for_several_documents_is_not_acceptable(client: Any, seed_body: str) -> None:
    problem = _problem(_post(client, seed_body, accept="application/xml"), 406)
    assert "application/zip" in problem["detail"]


def test_json_stays_the_default(client: Any, seed_body: str, story: dict[str, Any]) -> None:
    for accept in (None, "*/*", "application/*", "application/json", "text/html, */*;q=0.1"):
        response = _post(client, seed_body, accept=accept)
        assert response.status_code == 200 and response.mimetype == "application/json", accept
        assert response.get_json() == story
        assert "Accept" in response.headers["Vary"]


def test_query_wins_over_accept(client: Any, seed_body: str) -> None:
    assert _post(client, seed_body, "?format=json", "text/csv").mimetype == "application/json"
    assert _post(client, seed_body, "?format=csv", "application/json").mimetype == "text/csv"


def test_unknown_format_or_unacceptable_type_is_a_problem(client: Any, seed_body: str) -> None:
    problem = _problem(_post(client, seed_body, "?format=pdf"), 400)
    assert "'pdf'" in problem["detail"] and "timeml" in problem["detail"]
    problem = _problem(_post(client, seed_body, accept="image/png"), 406)
    assert "text/csv" in problem["detail"]


def test_invalid_body_is_a_problem_whatever_the_format(client: Any) -> None:
    body = json.dumps({"documents": [{"id": "a", "text": "x", "published": "2024-13-45"}]})
    for query, accept in (("?format=csv", None), ("", "text/calendar"), ("?format=timeml", None)):
        problem = _problem(_post(client, body, query, accept), 422)
        assert "published" in json.dumps(problem["errors"])


def test_each_format_is_cached_apart(seed_body: str) -> None:
    client = create_app().test_client()
    first = _post(client, seed_body, "?format=csv")
    as_json = _post(client, seed_body)
    again = _post(client, seed_body, accept="text/csv")
    assert [r.headers["X-Timeline-Cache"] for r in (first, as_json, again)] == ["miss", "miss", "hit"]
    assert again.mimetype == "text/csv" and again.data == first.data
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
