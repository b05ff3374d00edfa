"""The published contract: ``openapi.yaml`` is what the code generates, and the app keeps to it.

schemathesis generates requests from the committed ``openapi.yaml`` (valid ones and
invalid ones) and sends them to the app in process; every response must be no server
error and must conform to the document (status, content type, headers, body schema),
invalid requests must be refused and valid ones accepted.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

pytest.importorskip("flask")
schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402

from api import create_app  # noqa: E402
from api.negotiation import NAMES  # noqa: E402
from api.openapi import main as openapi_main  # noqa: E402
from api.openapi import spec_yaml  # noqa: E402
from stories.store import NAME_PATTERN  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi.yaml"
MAX_EXAMPLES = 50
OPERATIONS = {"POST /timeline", "POST /timexes", "GET /health", "GET /openapi.yaml", "GET /docs", "GET /", "GET /embed",
              "GET /examples/seeds", "GET /stories", "PUT /stories/{story}", "GET /stories/{story}",
              "DELETE /stories/{story}", "POST /stories/{story}/documents",
              "DELETE /stories/{story}/documents/{document}", "GET /stories/{story}/timeline"}


def test_committed_openapi_yaml_is_what_the_code_generates() -> None:
    assert SPEC.exists(), "openapi.yaml is missing: run python -m api.openapi"
    assert SPEC.read_text(encoding="utf-8") == spec_yaml(), \
        "openapi.yaml differs from the schemas: run python -m api.openapi and commit the result"


def test_check_mode_tells_an_outdated_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "openapi.yaml"
    stale.write_text(spec_yaml().replace("maxItems: 100", "maxItems: 99"), encoding="utf-8")
    assert openapi_main(["--check", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert openapi_main([str(stale)]) == 0 and openapi_main(["--check", str(stale)]) == 0


def test_openapi_yaml_is_a_valid_openapi_document() -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    validator.validate(document)
    assert document["openapi"].startswith("3.0")


def test_default_server_serves_the_committed_document() -> None:
    response = create_app().test_client().get("/openapi.yaml")
    assert response.get_data(as_text=True) == SPEC.read_text(encoding="utf-8")


# -- schemathesis ---------------------------------------------------------------------------------

schema = schemathesis.openapi.from_path(SPEC)
# stored stories go to a database of this test session's own
_DATABASE = tempfile.TemporaryDirectory(prefix="timeline-schema-")  # removed when the session ends
schema.app = create_app({"DATABASE_URL": f"sqlite:///{_DATABASE.name}/stories.db"})
schema.config.generation.update(max_examples=MAX_EXAMPLES)
# A body over MAX_BODY_BYTES (generated from a too-long text) is refused with 413, which is a
# rejection as good as 422.
_rejection = schema.config.checks.negative_data_rejection
schema.config.checks.negative_data_rejection = type(_rejection)(
    expected_statuses=[*_rejection.expected_statuses, "413"])

CASES: dict[str, int] = {}


def _repeated_ids(body: Any) -> bool:
    """Whether the documents repeat an id: the one rule of the JSON Schema of /timeline's (and of a stored
    story's documents') request cannot state
    (the ids of /timexes are only echoed back, and may repeat)."""
    if not isinstance(body, dict) or not isinstance(body.get("documents"), list):
        return False
    ids = [d["id"] for d in body["documents"] if isinstance(d, dict) and isinstance(d.get("id"), str)]
    return len(ids) != len(set(ids))


def _known_format(query: Any) -> bool:
    """Whether the query names no format or a known one (an unknown one is a 400, before the body)."""
    return not isinstance(query, dict) or query.get("format", "json") in NAMES


def _valid_story(path_parameters: Any) -> bool:
    """Whether the path names a possible story (an invalid name is a 404, before the body is read)."""
    story = unquote(str((path_parameters or {}).get("story", "x")))
    return re.match(NAME_PATTERN, story) is not None


@schema.parametrize()
def test_app_keeps_to_openapi_yaml(case: Any) -> None:
    CASES[case.operation.label] = CASES.get(case.operation.label, 0) + 1
    if case.operation.path in ("/timeline", "/stories/{story}/documents") and case.method.upper() == "POST" \
            and _repeated_ids(case.body) and _known_format(case.query) and _valid_story(case.path_parameters):
        response = case.call()
        assert response.status_code == 422, response.text
        if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
            assert "is repeated" in response.text  # the only thing wrong with it
        return
    case.call_and_validate()


def test_schemathesis_exercised_every_operation() -> None:
    if not CASES:
        pytest.skip("runs after test_app_keeps_to_openapi_yaml in the same session")
    print(f"schemathesis cases per operation: {CASES}")
    assert set(CASES) == OPERATIONS
    assert CASES["POST /timeline"] >= MAX_EXAMPLES and CASES["POST /timexes"] >= MAX_EXAMPLES
