"""Throughput and memory of the event layer's syntax pipeline (``timeline.syntax.load_parser``).

Parses the TimeBank texts (or any .tml files) with ``nlp.pipe`` on one thread, as
``timeline build`` would, and reports words/s (whitespace-separated words, as in the
issue's targets), tokens/s, documents/s, the time each component takes and the peak
RSS.  Words per CPU second is given beside the wall-clock figure: on a machine shared
with other jobs it is the steadier measure of what one core does.  The pipeline load is
timed on its own.  Run ``python bench/bench_parser.py --help``.
"""
from __future__ import annotations

import os

# One core: set before numpy/thinc load their BLAS.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from timeline.evaluation import find_timeml_files, read_timeml  # noqa: E402
from timeline.syntax import load_parser  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "tbaq" / "timebank"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(paths: list[Path], rounds: int, model: str | None, batch_size: int | None) -> dict[str, Any]:
    texts = [read_timeml(path).text for path in find_timeml_files(paths)]
    words = sum(len(text.split()) for text in texts)

    started = time.perf_counter()
    nlp = load_parser(model)
    load_seconds = time.perf_counter() - started
    rss_after_load = peak_rss_mb()
    batch_size = batch_size or nlp.batch_size
    list(nlp.pipe(texts[:3]))  # first-call allocations out of the timed rounds

    round_seconds: list[float] = []
    cpu_seconds: list[float] = []
    tokens = 0
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
        round_seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
    best, best_cpu = min(round_seconds), min(cpu_seconds)

    # Each component on its own (CPU seconds), on docs the earlier components have annotated.
    component_seconds: dict[str, float] = {}
    started = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    component_seconds["tokenizer"] = time.process_time() - started
    for name, component in nlp.pipeline:
        started = time.process_time()
        docs = list(component.pipe(docs, batch_size=batch_size))  # type: ignore[attr-defined]
        component_seconds[name] = time.process_time() - started

    return {
        "model": model or "shipped (timeline/models/en_ewt)",
        "components": nlp.pipe_names,
        "documents": len(texts),
        "words": words,
        "tokens": tokens,
        "rounds": rounds,
        "batch_size": batch_size,
        "load_seconds": round(load_seconds, 3),
        "round_seconds": [round(seconds, 3) for seconds in round_seconds],
        "cpu_seconds": [round(seconds, 3) for seconds in cpu_seconds],
        "words_per_second": round(words / best),
        "words_per_cpu_second": round(words / best_cpu),
        "tokens_per_second": round(tokens / best),
        "docs_per_second": round(len(texts) / best, 1),
        "component_seconds": {name: round(seconds, 3) for name, seconds in component_seconds.items()},
        "peak_rss_mb_after_load": round(rss_after_load, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def format_table(result: dict[str, Any]) -> str:
    rows = [
        ("pipeline", f"{result['model']}: {', '.join(result['components'])}"),
        ("documents", f"{result['documents']} ({result['words']:,} words, {result['tokens']:,} tokens)"),
        ("load", f"{result['load_seconds']:.2f} s (not in the figures below)"),
        ("rounds", f"{result['rounds']}: " + ", ".join(f"{s:.2f} s" for s in result["round_seconds"])
                   + f" (nlp.pipe, batch_size {result['batch_size']})"),
        ("words/s", f"{result['words_per_second']:,} (best round, wall clock); "
                    f"{result['words_per_cpu_second']:,} per CPU second"),
        ("tokens/s", f"{result['tokens_per_second']:,}"),
        ("docs/s", f"{result['docs_per_second']:,.1f}"),
        ("CPU s by step", ", ".join(f"{name} {s:.2f} s" for name, s in result["component_seconds"].items())),
        ("peak RSS", f"{result['peak_rss_mb']:,.1f} MB ({result['peak_rss_mb_after_load']:,.1f} MB after load)"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS],
                        help=f"folders or .tml files (default: {DEFAULT_CORPUS})")
    parser.add_argument("--model", help="a spaCy package name or pipeline directory instead of the shipped one")
    parser.add_argument("--rounds", type=int, default=3, help="passes over all documents (default: 3)")
    parser.add_argument("--batch-size", type=int,
                        help="nlp.pipe batch size (default: the pipeline's own, 16 for the shipped one)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    result = run(args.paths, args.rounds, args.model, args.batch_size)
    print(json.dumps(result, indent=2) if args.json else format_table(result))


if __name__ == "__main__":
    main()
