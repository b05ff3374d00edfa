"""Throughput benchmark for ``Extractor.extract`` on the TBAQ (TempEval-3) texts.

The pipeline is loaded once and its load time reported on its own, because a
server or batch job pays it once; the extraction rounds then show the steady-state
speed.  Run ``python bench/bench_timexes.py --help`` for options.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from timeline.evaluation import read_timeml
from timeline.pipeline import Extractor

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "tbaq"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timeml_files(paths: list[Path]) -> list[Path]:
    """Every .tml file under the given folders (recursively), plus files given directly."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.tml")))
        elif path.is_file():
            files.append(path)
        else:
            raise SystemExit(f"bench: no such file or directory: {path}")
    if not files:
        raise SystemExit(f"bench: no .tml files in {', '.join(map(str, paths))}")
    return files


def run(paths: list[Path], rounds: int, language: str) -> dict[str, Any]:
    documents = [read_timeml(path) for path in timeml_files(paths)]
    chars = sum(len(document.text) for document in documents)
    words = sum(len(document.text.split()) for document in documents)

    started = time.perf_counter()
    extractor = Extractor(language)
    load_seconds = time.perf_counter() - started
    rss_after_load = peak_rss_mb()

    round_seconds: list[float] = []
    timexes = 0
    for _ in range(rounds):
        started = time.perf_counter()
        timexes = sum(len(extractor.extract(document.text, document.dct)) for document in documents)
        round_seconds.append(time.perf_counter() - started)

    best = min(round_seconds)
    return {
        "documents": len(documents),
        "chars": chars,
        "words": words,
        "timexes_per_round": timexes,
        "rounds": rounds,
        "load_seconds": round(load_seconds, 3),
        "round_seconds": [round(seconds, 3) for seconds in round_seconds],
        "best_round_seconds": round(best, 3),
        "median_round_seconds": round(statistics.median(round_seconds), 3),
        "docs_per_second": round(len(documents) / best, 1),
        "chars_per_second": round(chars / best),
        "words_per_second": round(words / best),
        "peak_rss_mb_after_load": round(rss_after_load, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def run_command(paths: list[Path], rounds: int) -> dict[str, Any]:
    """Time the ``timeline timexes`` command itself on the same documents, as JSON Lines.

    Process start and pipeline load are measured with an empty input and subtracted, so
    the figure is the command's steady-state speed on one core; peak RSS is the child's.
    """
    documents = [read_timeml(path) for path in timeml_files(paths)]
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "documents.jsonl"
        empty = Path(folder) / "empty.jsonl"
        with full.open("w", encoding="utf-8") as handle:
            for round_number in range(rounds):
                for document in documents:
                    record = {"id": f"{document.name}#{round_number}", "text": document.text, "published": document.dct}
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        empty.write_text("", encoding="utf-8")

        def timed(path: Path) -> float:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "timeline", "timexes", "--input", str(path), "--output", os.devnull],
                           check=True, stderr=subprocess.DEVNULL)
            return time.perf_counter() - started

        # Best of three: this machine's timings wander by a third from run to run.
        startup = min(timed(empty) for _ in range(3))
        total = min(timed(full) for _ in range(3))
    count = len(documents) * rounds
    return {
        "command_documents": count,
        "command_seconds": round(total, 3),
        "command_startup_seconds": round(startup, 3),
        "command_docs_per_second": round(count / max(total - startup, 1e-9), 1),
        "command_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def format_table(result: dict[str, Any]) -> str:
    rows = [
        ("documents", f"{result['documents']} ({result['chars']:,} chars, {result['words']:,} words)"),
        ("timexes found", f"{result['timexes_per_round']:,} per round"),
        ("pipeline load", f"{result['load_seconds']:.2f} s (not in the figures below)"),
        ("rounds", f"{result['rounds']}: " + ", ".join(f"{s:.2f} s" for s in result["round_seconds"])),
        ("docs/s", f"{result['docs_per_second']:,.1f} (best round)"),
        ("chars/s", f"{result['chars_per_second']:,}"),
        ("words/s", f"{result['words_per_second']:,}"),
        ("peak RSS", f"{result['peak_rss_mb']:,.1f} MB ({result['peak_rss_mb_after_load']:,.1f} MB after load)"),
    ]
    if "command_docs_per_second" in result:
        rows += [
            ("command", f"timeline timexes on {result['command_documents']:,} JSON lines: "
                        f"{result['command_seconds']:.2f} s, of which {result['command_startup_seconds']:.2f} s "
                        "process start and pipeline load"),
            ("command docs/s", f"{result['command_docs_per_second']:,.1f} (start and load excluded)"),
            ("command peak RSS", f"{result['command_peak_rss_mb']:,.1f} MB"),
        ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS],
                        help=f"folders or .tml files (default: {DEFAULT_CORPUS})")
    parser.add_argument("--rounds", type=int, default=3, help="extraction passes over all documents (default: 3)")
    parser.add_argument("--language", default="en", help="grammar language (default: en)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--no-command", action="store_true", help="skip timing the `timeline timexes` command")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    result = run(args.paths, args.rounds, args.language)
    if not args.no_command:
        result.update(run_command(args.paths, args.rounds))
    print(json.dumps(result, indent=2) if args.json else format_table(result))


if __name__ == "__main__":
    main()
