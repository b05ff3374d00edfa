"""The Flask JSON API through Flask's test client: every endpoint, every error, configuration, cache."""
from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("flask")


import api  # noqa: E402
import timeline  # noqa: E402
from api import ConfigError, create_app, routes  # noqa: E402
from api.cache import Answer, ResponseCache  # noqa: E402
from api.config import load_settings  # noqa: E402
from timeline import registry  # noqa: E402
from timeline.chronology import BuildOptions, build_timeline  # noqa: E402
from timeline.cli import main as cli_main  # noqa: E402
from timeline.documents import load_documents  # noqa: E402
from timeline.languages import supported_languages  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
PROBLEM = "application/problem+json"
TARIFFS = "On Tuesday the Biden administration announced tariffs on Chinese goods."


@pytest.fixture(scope="module")
def client() -> Any:
    return create_app().test_client()


def _seed_request() -> dict[str, Any]:
    documents = [d for d in load_documents(SEEDS)]
    return {"documents": [{"id": d.id, "text": d.text, "published": d.published.date().isoformat(),
                           "title": d.title, "url": d.url, "language": d.language} for d in documents]}


def _problem(response: Any, status: int) -> dict[str, Any]:
    """The response is problem details with this status, and leaks nothing of the server's insides."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body)
    assert all(isinstance(body[key], str) and body[key] for key in ("type", "title", "detail"))
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and str(ROOT) not in text and ".py" not in text
    return body


def _post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


# -- the endpoints ------------------------------------------------------------------------------

def test_health(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok", "version": timeline.__version__}


def test_timeline_is_what_timeline_build_prints(client: Any, tmp_path: Path) -> None:
    output = tmp_path / "timeline.json"
    assert cli_main(["build", str(SEEDS), "--format", "json", "--output", str(output)]) == 0
    response = _post(client, "/timeline", _seed_request())
    assert response.status_code == 200 and response.mimetype == "application/json"
    served = response.get_json()
    assert served == json.loads(output.read_text(encoding="utf-8"))
    assert len(served["events"]) > 5
    # The core's key order is kept, so the document reads the same as the command's.
    assert list(served) == ["events", "documents", "warnings", "labels"]
    assert list(served["events"][0])[:3] == ["id", "date", "summary"]
    assert list(served["events"][0]["date"]) == ["value", "label", "start", "end", "granularity", "basis", "reason",
                                                 "ongoing"]


def test_timeline_options_reach_the_merging_rule(client: Any) -> None:
    request = _seed_request()
    loose = _post(client, "/timeline", {**request, "options": {"merge_threshold": 0.05}}).get_json()
    default = _post(client, "/timeline", request).get_json()
    assert len(loose["events"]) < len(default["events"])
    documents = list(d for d in load_documents(SEEDS))
    expected = build_timeline(documents, registry.get_extractor("en"),
                              BuildOptions(merge_threshold=0.05, support_threshold=0.5)).to_dict()
    served = _post(client, "/timeline", {**request, "options": {"merge_threshold": 0.05,
                                                               "support_threshold": 0.5}}).get_json()
    assert served == json.loads(json.dumps(expected))


def test_timeline_fields_of_a_small_request(client: Any) -> None:
    response = _post(client, "/timeline", {"documents": [
        {"id": "a1", "text": TARIFFS, "published": "2024-05-16T09:30:00+02:00", "title": "Tariffs",
         "url": "https://example.org/a1"},
        {"id": "a2", "text": "Nothing happened."},
    ]})
    assert response.status_code == 200
    body = response.get_json()
    [event] = [e for e in body["events"] if e["date"]["basis"] != "undated"]  # "Nothing happened" has no date
    assert event["date"]["value"] == "2024-05-14" and event["sources"] == ["a1"]
    assert body["documents"][0] == {"id": "a1", "name": "Tariffs", "title": "Tariffs", "url": "https://example.org/a1",
                                    "language": "en", "published": "2024-05-16T09:30:00+02:00",
                                    "published_source": "given", "site": None, "author": None,
                                    "timexes": 1, "event_mentions": 1, "warnings": []}
    assert body["documents"][1]["published"] is None
    assert [w for w in body["warnings"] if not w.startswith("no parser")] == [
        "a2: no publication date; relative dates in it are left out"]


def test_timexes_each_text_against_its_own_date(client: Any) -> None:
    response = _post(client, "/timexes", {"texts": [
        {"id": "thu", "text": "On Friday they will head to Harbin.", "published": "2024-05-16"},
        {"text": "On Friday they will head to Harbin.", "published": "2024-06-03"},
        {"id": None, "text": "On Friday they will head to Harbin."},
    ]})
    assert response.status_code == 200 and response.mimetype == "application/json"
    texts = response.get_json()["texts"]
    assert [t["id"] for t in texts] == ["thu", None, None]
    assert [[x["value"] for x in t["timexes"]] for t in texts] == [["2024-05-17"], ["2024-06-07"], ["XXXX-WXX-5"]]
    expected = timeline.extract("On Friday they will head to Harbin.", published="2024-05-16")
    assert texts[0]["timexes"] == [json.loads(json.dumps(t.to_dict())) for t in expected]


def test_timexes_takes_documents_like_timeline_and_texts_as_its_alias(client: Any) -> None:
    # Issue 14: /timexes wanted "texts" where /timeline wants "documents".
    items = [{"id": "thu", "text": "On Friday they will head to Harbin.", "published": "2024-05-16"}]
    by_documents = _post(client, "/timexes", {"documents": items})
    assert by_documents.status_code == 200
    assert [x["value"] for x in by_documents.get_json()["texts"][0]["timexes"]] == ["2024-05-17"]
    assert by_documents.data == _post(client, "/timexes", {"texts": items}).data
    both = _problem(_post(client, "/timexes", {"documents": items, "texts": items}), 422)
    assert both["errors"] == {"_schema": ["Give documents or texts (another name for it), not both."]}
    neither = _problem(_post(client, "/timexes", {}), 422)
    assert neither["errors"] == {"documents": ["Missing data for required field."]}
    limit = _problem(_post(client, "/timexes", {"documents": []}), 422)
    assert list(limit["errors"]) == ["documents"]


def test_embed_may_be_framed_and_fed_by_this_server_only_by_default(client: Any) -> None:
    # Issue 14 item 9: any site could frame /embed (frame-ancestors *), and feed it articles.
    response = client.get("/embed")
    assert response.status_code == 200
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert 'data-origins="[&quot;&#x27;self&#x27;&quot;]"' in response.get_data(as_text=True)
    dashboard = create_app({"EMBED_ANCESTORS": "https://dash.example.org"}).test_client().get("/embed")
    assert "frame-ancestors https://dash.example.org;" in dashboard.headers["Content-Security-Policy"] + ";"
    assert 'data-origins="[&quot;https://dash.example.org&quot;]"' in dashboard.get_data(as_text=True)
    fed = create_app({"EMBED_ANCESTORS": "*", "EMBED_ORIGINS": "https://a.example, https://b.example"})
    assert "[&quot;https://a.example&quot;, &quot;https://b.example&quot;]" in fed.test_client().get("/embed").get_data(
        as_text=True)
    with pytest.raises(ConfigError, match="EMBED_ORIGINS must list origins"):
        create_app({"EMBED_ORIGINS": "https://a.example/path"})


def test_cors_is_off_by_default_and_allows_the_configured_origins(client: Any) -> None:
    # Issue 14: without CORS a dashboard could not call the API from the browser.
    preflight = {"Origin": "https://dash.example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "Content-Type"}
    assert "Access-Control-Allow-Origin" not in client.options("/timeline", headers=preflight).headers
    assert "Access-Control-Allow-Origin" not in client.get("/health", headers={"Origin": "https://x.org"}).headers

    allowed = create_app({"CORS_ORIGINS": "https://dash.example.org https://ops.example.org"}).test_client()
    answer = allowed.options("/timeline", headers=preflight)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "https://dash.example.org"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert "content-type" in answer.headers["Access-Control-Allow-Headers"].lower()
    body = {"documents": [{"id": "a1", "text": TARIFFS, "published": "2024-05-16"}]}
    posted = allowed.post("/timeline?format=csv", json=body, headers={"Origin": "https://ops.example.org"})
    assert posted.headers["Access-Control-Allow-Origin"] == "https://ops.example.org"
    assert {"content-disposition", "x-timeline-cache"} <= {
        name.strip().lower() for name in posted.headers["Access-Control-Expose-Headers"].split(",")}
    refused = allowed.post("/timexes", json={"documents": body["documents"]}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 200 and "Access-Control-Allow-Origin" not in refused.headers
    assert "Access-Control-Allow-Origin" not in allowed.get("/", headers={"Origin": "https://dash.example.org"}).headers

    anyone = create_app({"CORS_ORIGINS": "*"}).test_client()
    assert anyone.get("/health", headers={"Origin": "https://x.org"}).headers["Access-Control-Allow-Origin"] == "*"
    with pytest.raises(ConfigError, match="CORS_ORIGINS"):
        create_app({"CORS_ORIGINS": "dash.example.org"})


def test_openapi_yaml_is_served_with_this_servers_limits() -> None:
    response = create_app({"MAX_DOCUMENTS": 3, "MAX_CHARS": 500}).test_client().get("/openapi.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    document = yaml.safe_load(response.get_data(as_text=True))
    assert set(document["paths"]) == {"/timeline", "/timexes", "/health", "/openapi.yaml", "/docs", "/", "/embed",
                                      "/examples/seeds", "/stories", "/stories/{story}", "/stories/{story}/documents",
                                      "/stories/{story}/documents/{document}", "/stories/{story}/timeline"}
    schemas = document["components"]["schemas"]
    assert schemas["TimelineRequest"]["properties"]["documents"]["maxItems"] == 3
    assert schemas["Document"]["properties"]["text"]["maxLength"] == 500


def test_docs_page(client: Any) -> None:
    response = client.get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for endpoint in ("POST /timeline", "POST /timexes", "GET /health", "GET /openapi.yaml"):
        assert endpoint in page
    assert "curl -sS -X POST http://localhost/timeline" in page
    assert 'id="invalid-fields"' in page  # where the 422 problem type points
    # Self-contained: no scripts, no stylesheets or images from elsewhere.
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "https://" not in page


# -- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, reason", [
    (b'{"documents": [', "Expecting value"),
    (b"", "Expecting value"),
    (b'{"documents": NaN}', "NaN is not a JSON value"),
    (b'{"documents": "caf\xe9"}', "codec can't decode"),
    (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
])
def test_400_malformed_json(client: Any, body: bytes, reason: str) -> None:
    problem = _problem(client.post("/timeline", data=body, content_type="application/json"), 400)
    assert problem["title"] == "Bad Request" and reason in problem["detail"]
    assert problem["type"] == "about:blank"


@pytest.mark.parametrize("path", ["/timeline", "/timexes"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_415_wrong_content_type(client: Any, path: str, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    problem = _problem(client.post(path, data=json.dumps({"texts": []}), headers=headers), 415)
    assert "application/json" in problem["detail"]


@pytest.mark.parametrize("body, path, message", [
    ({"documents": [{"id": "a"}]}, ["documents", "0", "text"], "Missing data for required field."),
    ({"documents": [{"id": "a", "text": "x", "published": "2024-13-45"}]}, ["documents", "0", "published"],
     "month must be in 1..12"),
    ({"documents": [{"id": "a", "text": "x", "published": "16 May 2024"}]}, ["documents", "0", "published"],
     "expected YYYY-MM-DD"),
    ({"documents": [{"id": "a", "text": "x", "published": ""}]}, ["documents", "0", "published"], "use null"),
    ({"documents": [{"id": "a", "text": "x", "published": 20240516}]}, ["documents", "0", "published"],
     "Not a valid date"),
    ({"documents": [{"id": "a", "text": 5}]}, ["documents", "0", "text"], "Not a valid string."),
    ({"documents": [{"id": 7, "text": "x"}]}, ["documents", "0", "id"], "Not a valid string."),
    ({"documents": [{"id": "", "text": "x"}]}, ["documents", "0", "id"], "Shorter than minimum length 1."),
    ({"documents": "a1"}, ["documents"], "Not a valid list."),
    ({"documents": []}, ["documents"], "Must hold between 1 and 100 documents."),
    ({}, ["documents"], "Missing data for required field."),
    ({"documents": [{"id": "a", "text": "x", "author": "me"}]}, ["documents", "0", "author"], "Unknown field."),
    ({"documents": [{"id": "a", "text": "x"}], "format": "json"}, ["format"], "Unknown field."),
    ({"documents": [{"id": "a", "text": "x"}], "options": {"threshold": 0.3}}, ["options", "threshold"],
     "Unknown field."),
    ({"documents": [{"id": "a", "text": "x"}], "options": {"merge_threshold": "0.3"}},
     ["options", "merge_threshold"], "Not a valid number."),
    ({"documents": [{"id": "a", "text": "x"}], "options": {"merge_threshold": True}},
     ["options", "merge_threshold"], "Not a valid number."),
    ({"documents": [{"id": "a", "text": "x"}], "options": {"merge_threshold": 0}},
     ["options", "merge_threshold"], "greater than 0"),
    ({"documents": [{"id": "a", "text": "x"}], "options": {"conflict_threshold": 1.5}},
     ["options", "conflict_threshold"], "less than or equal to 1"),
    ({"documents": [{"id": "a", "text": "x", "language": "it"}]}, ["documents", "0", "language"],
     "Unsupported language 'it'"),
    ({"documents": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}, ["documents"], "'a' is repeated"),
    ({"documents": [{"id": "a", "text": "On Tuesday \ud800."}]}, ["documents", "0", "text"], "surrogate"),
    ([{"id": "a", "text": "x"}], ["_schema"], "Invalid input type."),
])
def test_422_invalid_fields_of_timeline(client: Any, body: Any, path: list[str], message: str) -> None:
    problem = _problem(_post(client, "/timeline", body), 422)
    assert problem["title"] == "Unprocessable Content"
    assert problem["type"] == "/docs#invalid-fields"
    found: Any = problem["errors"]
    for key in path:
        found = found[key]
    assert any(message in text for text in found), found


@pytest.mark.parametrize("body, path, message", [
    ({"texts": [{"published": "2024-05-16"}]}, ["texts", "0", "text"], "Missing data for required field."),
    ({"texts": [{"text": "x", "published": "2024-02-30"}]}, ["texts", "0", "published"], "day is out of range"),
    ({"texts": [{"text": "x", "title": "t"}]}, ["texts", "0", "title"], "Unknown field."),
    ({"texts": [{"text": ["x"]}]}, ["texts", "0", "text"], "Not a valid string."),
    ({"documents": [{"text": "x"}], "options": {}}, ["options"], "Unknown field."),
])
def test_422_invalid_fields_of_timexes(client: Any, body: Any, path: list[str], message: str) -> None:
    found: Any = _problem(_post(client, "/timexes", body), 422)["errors"]
    for key in path:
        found = found[key]
    assert any(message in text for text in found), found


def test_422_limits_on_documents_and_characters() -> None:
    client = create_app({"MAX_DOCUMENTS": 2, "MAX_CHARS": 50, "MAX_TOTAL_CHARS": 80}).test_client()
    three = {"documents": [{"id": str(n), "text": "x"} for n in range(3)]}
    assert _problem(_post(client, "/timeline", three), 422)["errors"] == {
        "documents": ["Must hold between 1 and 2 documents."]}
    assert _problem(_post(client, "/timexes", {"texts": three["documents"]}), 422)["errors"] == {
        "texts": ["Must hold between 1 and 2 texts."]}
    long = {"documents": [{"id": "a", "text": "x" * 51}]}
    assert _problem(_post(client, "/timeline", long), 422)["errors"] == {
        "documents": {"0": {"text": ["Longer than the limit of 50 characters per text."]}}}
    together = {"documents": [{"id": "a", "text": "x" * 50}, {"id": "b", "text": "x" * 31}]}
    assert _problem(_post(client, "/timeline", together), 422)["errors"] == {
        "documents": ["The texts hold 81 characters together; the limit per request is 80."]}
    assert _post(client, "/timeline", {"documents": [{"id": "a", "text": "x" * 50},
                                                     {"id": "b", "text": "x" * 30}]}).status_code == 200


def test_413_body_over_the_limit() -> None:
    client = create_app({"MAX_BODY_BYTES": 1000}).test_client()
    body = json.dumps({"documents": [{"id": "a", "text": "x" * 2000}]}).encode()
    problem = _problem(client.post("/timeline", data=body, content_type="application/json"), 413)
    assert problem["title"] == "Content Too Large" and "1000 bytes" in problem["detail"]
    # A body without Content-Length (chunked, as gunicorn passes it on) is cut off at the limit too.
    headers = {"Transfer-Encoding": "chunked", "Content-Type": "application/json"}
    chunked = client.post("/timexes", input_stream=io.BytesIO(body), headers=headers,
                          environ_overrides={"wsgi.input_terminated": True})
    _problem(chunked, 413)
    small = json.dumps({"texts": [{"text": "x" * (1000 - 25)}]}).encode()
    assert len(small) == 1000
    assert client.post("/timexes", input_stream=io.BytesIO(small), headers=headers,
                       environ_overrides={"wsgi.input_terminated": True}).status_code == 200


def test_404_and_405(client: Any) -> None:
    problem = _problem(client.get("/timelines"), 404)
    assert problem["title"] == "Not Found" and "/timelines" in problem["detail"]
    _problem(client.post("/timeline/", json={}), 404)
    response = client.get("/timeline")
    problem = _problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    assert "GET is not allowed on /timeline" in problem["detail"]
    response = client.delete("/health")
    _problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_500_is_logged_and_answered_without_details(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret detail in /srv/timeline/internal.py")

    monkeypatch.setattr(routes, "build_timeline", broken)
    client = create_app().test_client()
    with caplog.at_level(logging.ERROR):
        response = _post(client, "/timeline", {"documents": [{"id": "a", "text": TARIFFS}]})
    problem = _problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert problem["instance"].startswith("urn:uuid:")
    logged = [record for record in caplog.records if problem["instance"] in record.getMessage()]
    assert logged and "secret detail" in str(logged[0].exc_info[1])


# -- configuration ------------------------------------------------------------------------------

def test_settings_from_environment_then_explicit_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_MAX_DOCUMENTS", "7")
    monkeypatch.setenv("TIMELINE_PORT", "9000")
    monkeypatch.setenv("TIMELINE_ACCESS_LOG", "off")
    settings = load_settings()
    assert (settings.MAX_DOCUMENTS, settings.PORT, settings.ACCESS_LOG) == (7, 9000, False)
    assert load_settings({"MAX_DOCUMENTS": 3}).MAX_DOCUMENTS == 3
    client = create_app().test_client()
    eight = {"documents": [{"id": str(n), "text": "x"} for n in range(8)]}
    assert _problem(_post(client, "/timeline", eight), 422)["errors"]["documents"] == [
        "Must hold between 1 and 7 documents."]


@pytest.mark.parametrize("environ, config, message", [
    ({"TIMELINE_MAX_DOCUMENTS": "many"}, None, "TIMELINE_MAX_DOCUMENTS must be an integer, not 'many'"),
    ({"TIMELINE_PORT": "70000"}, None, "TIMELINE_PORT must be between 0 and 65535, not 70000"),
    ({"TIMELINE_WORKERS": "0"}, None, "TIMELINE_WORKERS must be between 1 and 64, not 0"),
    ({"TIMELINE_LOG_LEVEL": "loud"}, None, "TIMELINE_LOG_LEVEL must be one of"),
    ({"TIMELINE_ACCESS_LOG": "maybe"}, None, "TIMELINE_ACCESS_LOG must be true or false"),
    ({"TIMELINE_HOST": "my host"}, None, "TIMELINE_HOST must be a host name"),
    ({}, {"MAX_DOCUMENT": 5}, "unknown setting(s) MAX_DOCUMENT"),
    ({}, {"MAX_CHARS": 2_000, "MAX_TOTAL_CHARS": 1_000}, "MAX_CHARS (2000) must not exceed MAX_TOTAL_CHARS"),
    ({}, {"MAX_BODY_BYTES": True}, "MAX_BODY_BYTES must be an integer"),
])
def test_invalid_settings_are_clear_errors(environ: dict[str, str], config: dict[str, Any] | None,
                                           message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(config, environ=environ)
    assert message in str(raised.value)


def test_texts_longer_than_the_pipeline_takes_are_refused_at_start() -> None:
    longest = registry.get_extractor("en").nlp.max_length
    with pytest.raises(ConfigError, match=f"exceeds {longest}"):
        create_app({"MAX_CHARS": longest + 1, "MAX_TOTAL_CHARS": longest + 1})


def test_pipeline_is_built_once_per_process(client: Any) -> None:
    before = registry.builds
    for _ in range(3):
        other = create_app().test_client()
        assert _post(other, "/timexes", {"texts": [{"text": "Prices rose last week."}]}).status_code == 200
    assert _post(client, "/timeline", {"documents": [{"id": "a", "text": TARIFFS}]}).status_code == 200
    assert registry.builds == before <= len(supported_languages())
    assert registry.get_extractor("en") is registry.get_extractor("en")


def test_a_timeline_reads_each_document_in_its_own_language(client: Any) -> None:
    documents = [
        {"id": "en", "language": "en", "published": "2024-05-16",
         "text": "On Tuesday Chancellor Olaf Scholz met President Emmanuel Macron in Paris."},
        {"id": "de", "language": "de", "published": "2024-05-16",
         "text": "Am Dienstag traf Bundeskanzler Olaf Scholz den Präsidenten Emmanuel Macron in Paris."},
    ]
    response = _post(client, "/timeline", {"documents": documents})
    assert response.status_code == 200
    body = response.get_json()
    assert {d["id"]: (d["language"], d["timexes"]) for d in body["documents"]} == {"en": ("en", 1), "de": ("de", 1)}
    tuesday = [e for e in body["events"] if e["date"]["value"] == "2024-05-14"]
    assert len(tuesday) == 1 and {m["document"] for m in tuesday[0]["mentions"]} == {"en", "de"}


def test_timeline_package_never_imports_flask() -> None:
    code = "import sys, timeline, timeline.cli; sys.exit('flask' in sys.modules or 'api' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_serve_command_passes_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import api.server

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(api.server, "serve", lambda overrides: calls.append(overrides))
    assert cli_main(["serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3", "--threads", "8"]) == 0
    assert cli_main(["serve", "--database", "sqlite:///stories.db"]) == 0
    assert calls == [{"HOST": "0.0.0.0", "PORT": 9001, "WORKERS": 3, "THREADS": 8, "TIMEOUT": None, "DATABASE_URL": None},
                     {"HOST": None, "PORT": None, "WORKERS": None, "THREADS": None, "TIMEOUT": None,
                      "DATABASE_URL": "sqlite:///stories.db"}]


def test_serve_runs_the_threaded_worker_with_the_settings() -> None:
    from api.server import TimelineServer

    server = TimelineServer(load_settings({"WORKERS": 3, "THREADS": 6, "MAX_CONNECTIONS": 50, "PORT": 9003}))
    assert server.cfg.worker_class_str == "api.worker.TimelineWorker"
    assert (server.cfg.workers, server.cfg.threads, server.cfg.worker_connections) == (3, 6, 50)
    assert server.cfg.bind == ["127.0.0.1:9003"]
    with pytest.raises(ConfigError, match="READ_TIMEOUT must be between 1 and 3600"):
        load_settings({"READ_TIMEOUT": 0})


def test_serve_command_reports_invalid_settings(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TIMELINE_TIMEOUT", "soon")
    assert cli_main(["serve", "--port", "9002"]) == 2
    assert "timeline: error: TIMELINE_TIMEOUT must be an integer, not 'soon'" in capsys.readouterr().err
    monkeypatch.delenv("TIMELINE_TIMEOUT")
    assert cli_main(["serve", "--workers", "0"]) == 2
    assert "WORKERS must be between 1 and 64, not 0" in capsys.readouterr().err


# -- the cache of repeated requests ----------------------------------------------------------------

def test_repeated_requests_are_answered_from_the_cache() -> None:
    client = create_app().test_client()
    body = {"documents": [{"id": "a", "text": TARIFFS, "published": "2024-05-16"}]}
    first, second = _post(client, "/timeline", body), _post(client, "/timeline", body)
    assert (first.headers["X-Timeline-Cache"], second.headers["X-Timeline-Cache"]) == ("miss", "hit")
    assert first.get_data() == second.get_data() and second.mimetype == "application/json"
    # Same bytes on the other endpoint, a changed body, an invalid body: never from the cache.
    other = _post(client, "/timeline", {"documents": [{"id": "b", "text": TARIFFS, "published": "2024-05-16"}]})
    assert other.headers["X-Timeline-Cache"] == "miss"
    for _ in range(2):
        _problem(_post(client, "/timeline", {"documents": []}), 422)
    off = create_app({"CACHE_BYTES": 0}).test_client()
    assert [_post(off, "/timeline", body).headers["X-Timeline-Cache"] for _ in range(2)] == ["miss", "miss"]


def test_cache_keeps_the_most_recent_answers_within_its_budget() -> None:
    cache = ResponseCache(max_bytes=400)
    keys = [cache.key("/timeline", str(n).encode()) for n in range(5)]
    assert cache.key("/timexes", b"0") != keys[0]
    for key in keys[:4]:
        cache.put(key, Answer(b"x" * 100))
    assert cache.get(keys[0]) == Answer(b"x" * 100, "application/json")  # now the most recently used
    cache.put(keys[4], Answer(b"y" * 100, "text/csv", "timeline.csv"))
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is not None
    assert len(cache) == 4 and cache.size == 400
    assert cache.get(keys[4]).media_type == "text/csv"
    cache.put(cache.key("/timeline", b"big"), Answer(b"z" * 101))  # over a quarter of the budget: not kept
    assert len(cache) == 4


def test_app_factory_is_exported() -> None:
    assert api.create_app is create_app and "create_app" in api.__all__
