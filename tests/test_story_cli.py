"""`timeline story` and `timeline db` on a SQLite file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy")

from stories.database import head_revision  # noqa: E402
from timeline.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def test_a_story_is_added_shown_listed_and_rebuilt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = ["--database", f"sqlite:///{tmp_path / 'stories.db'}"]
    assert main(["db", "upgrade", *database]) == 0
    assert f"is at revision {head_revision()}" in capsys.readouterr().out
    assert main(["story", "add", "seeds", str(SEEDS), "--title", "Putin in Beijing", *database]) == 0
    assert "5 added, 0 updated, 0 unchanged; 5 documents" in capsys.readouterr().out
    assert main(["story", "add", "seeds", str(SEEDS / "000_ad7243dbfe9acf5f.txt"), "--published", "2024-05-16",
                 *database]) == 0
    assert "0 added, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert main(["story", "show", "seeds", *database]) == 0
    text = capsys.readouterr().out
    assert "16 May 2024" in text and "events from 5 documents" in text
    assert main(["story", "show", "seeds", "--format", "json", *database]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert len(whole["documents"]) == 5
    assert main(["story", "show", "seeds", "--format", "json", "--about", "Xi Jinping", *database]) == 0
    xi = json.loads(capsys.readouterr().out)["events"]
    assert 0 < len(xi) < len(whole["events"]) and {e["id"] for e in xi} <= {e["id"] for e in whole["events"]}
    assert main(["story", "list", *database]) == 0
    assert capsys.readouterr().out.startswith("seeds ")
    assert main(["story", "rebuild", "seeds", "--all", *database]) == 0
    assert "5 documents analysed again" in capsys.readouterr().out
    assert main(["story", "remove", "seeds", "--document", "000_ad7243dbfe9acf5f.txt", *database]) == 0
    assert main(["story", "show", "nope", *database]) == 2
    assert "no story 'nope'" in capsys.readouterr().err
    assert main(["story", "add", "bad name", str(SEEDS), *database]) == 2


def test_the_database_comes_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = subprocess.run([sys.executable, "-m", "timeline", "story", "list", "--json"], capture_output=True,
                            text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                      "TIMELINE_DATABASE_URL": url, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [] and (tmp_path / "env.db").exists()


def test_the_core_does_not_load_the_database_packages() -> None:
    code = "import sys, timeline, timeline.cli, timeline.chronology; print('sqlalchemy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr
