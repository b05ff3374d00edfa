"""One extractor registry for the library, CLI, batch, stories and API, with one error for a
language it cannot read (timeline/registry.py)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline import batch, registry
from timeline.cli import main as cli_main
from timeline.languages import UnsupportedLanguage


def test_every_layer_gets_the_same_extractor_per_language() -> None:
    extractor = registry.get_extractor("en")
    before = registry.builds
    assert timeline.get_extractor("en") is extractor
    assert batch._extractor_for("en") is extractor
    from stories.store import _default_extractor
    assert _default_extractor("en") is extractor
    assert timeline.extract("Prices rose last week.", published="2024-05-16")[0].value == "2024-W19"
    assert registry.builds == before


def test_a_language_without_a_grammar_is_one_error_and_is_not_kept() -> None:
    kept = dict(registry._extractors)
    with pytest.raises(UnsupportedLanguage) as caught:
        registry.get_extractor("tlh")
    assert caught.value.language == "tlh"
    assert str(caught.value).startswith("unsupported language 'tlh': no grammar for language 'tlh'; available: ")
    with pytest.raises(UnsupportedLanguage):
        timeline.extract("Today.", language="tlh")
    assert registry._extractors == kept


def test_batch_and_cli_report_it_per_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = batch.process_record({"id": "k", "text": "Today.", "language": "tlh"})
    assert record["id"] == "k" and record["error"].startswith("unsupported language 'tlh'")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "k", "text": "Today.", "language": "tlh"}) + "\n", encoding="utf-8")
    cli_main(["timexes", "--input", str(source)])
    line = json.loads(capsys.readouterr().out)
    assert line["id"] == "k" and line["timexes"] == [] and "'tlh' is not supported" in line["warnings"][-1]


def test_the_api_answers_an_unsupported_language_with_a_422_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("flask")
    from api import create_app, routes

    def refuse(language: str) -> Any:
        raise UnsupportedLanguage(language, "no grammar for it")

    monkeypatch.setattr(routes, "get_extractor", refuse)
    client = create_app().test_client()
    response = client.post("/timexes", data=json.dumps({"texts": [{"text": "Prices rose last week."}]}),
                           content_type="application/json")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"] == "unsupported language 'en': no grammar for it"
