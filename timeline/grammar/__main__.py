"""Regenerate the schema section of docs/grammar.md: ``python -m timeline.grammar docs/grammar.md``."""
import sys
from pathlib import Path

from .schema import update_docs

if len(sys.argv) != 2:
    sys.exit("usage: python -m timeline.grammar docs/grammar.md")
target = Path(sys.argv[1])
target.write_text(update_docs(target.read_text(encoding="utf-8")), encoding="utf-8")
