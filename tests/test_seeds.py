"""The seed articles, dated as a careful reader dates them (tests/seed_timexes.tsv).

Every expression the reader marks must be found with the reader's value, and nothing
else may be found: a missing or a spurious timex both fail, naming the article.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import timeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EXPECTED = Path(__file__).with_name("seed_timexes.tsv")


def _expected() -> dict[str, list[tuple[str, str, str, str]]]:
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    with EXPECTED.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        rows.setdefault(row["document"], []).append((row["text"], row["type"], row["value"], row["mod"]))
    return rows


INDEX = json.loads((SEEDS / "index.json").read_text(encoding="utf-8"))["documents"]


@pytest.mark.parametrize("entry", INDEX, ids=[e["id"] for e in INDEX])
def test_seed_article_is_dated_like_a_careful_reader(entry: dict) -> None:
    text = (SEEDS / entry["id"]).read_text(encoding="utf-8")
    found = [(t.text, t.type, t.value, t.mod or "") for t in timeline.extract(text, entry["published"])]
    expected = _expected().get(entry["id"], [])
    missing = [row for row in expected if row not in found]
    spurious = [row for row in found if row not in expected]
    assert not missing and not spurious, (
        f"{entry['id']} (published {entry['published']}):\n"
        f"  missing:  {missing}\n  spurious: {spurious}"
    )
    assert found == expected, f"{entry['id']}: same timexes but in another order"


def test_issue_examples_on_the_seeds() -> None:
    """The three examples the extraction issue names explicitly."""
    by_doc = _expected()
    assert ("Friday", "DATE", "2024-05-17", "") in by_doc["004_75a7583855ad6978.txt"]
    assert ("2 weeks ago", "DATE", "2024-W18", "") in by_doc["000_ad7243dbfe9acf5f.txt"]
    assert ("last week", "DATE", "2024-W19", "") in by_doc["003_3cb0f6d127e847f1.txt"]
