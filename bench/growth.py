"""How Timeline's extraction time grows with document length, 1 KB to 5 MB of news text.

The texts are built by concatenating the seed articles and the TBAQ (TempEval-3) texts,
in that order and over again, cut at a paragraph break near each target size, and tagged
as one document published on 2024-05-16.  With ``--repeated "May 16 "``, the text is
that phrase over and over instead: one date every few characters, in one endless
sentence, the densest input there is.  Each size is timed ``--repeats`` times with
the pipeline already loaded and the best run kept.  A least-squares fit of log(time)
against log(size) gives the growth exponent: 1 means linear, 2 quadratic.
``python bench/growth.py --help`` for options.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this checkout's timeline, even if another is installed

from timeline.evaluation import find_timeml_files, read_timeml  # noqa: E402
from timeline.pipeline import Extractor  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "tbaq"
DEFAULT_SEEDS = ROOT / "seeds"
SIZES_KB = (1, 10, 100, 1000, 5000)
PUBLISHED = "2024-05-16"


def source_texts(seeds: Path, corpora: list[Path]) -> list[str]:
    texts = [path.read_text(encoding="utf-8").strip() for path in sorted(seeds.glob("*.txt"))]
    existing = [path for path in corpora if path.exists()]
    if existing:
        texts += [read_timeml(path).text.strip() for path in find_timeml_files(existing)]
    texts = [text for text in texts if text]
    if not texts:
        raise SystemExit("growth: no source texts (no seeds and no TimeML corpus)")
    return texts


def build(texts: list[str], size: int) -> str:
    """About ``size`` characters of news text: whole articles, the last one cut at a line break (else a space) in the last tenth."""
    pieces: list[str] = []
    length = 0
    index = 0
    while length < size:
        piece = texts[index % len(texts)]
        pieces.append(piece)
        length += len(piece) + 2
        index += 1
    text = "\n\n".join(pieces)
    low = size * 9 // 10
    cut = text.rfind("\n", low, size)
    if cut < 0:
        cut = text.rfind(" ", low, size)
    return text[:cut] if cut > 0 else text[:size]


def fit(points: list[tuple[float, float]]) -> float:
    """Slope of the least-squares line through (log size, log time)."""
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(seconds) for _, seconds in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    denominator = sum((x - mean_x) ** 2 for x in xs)
    return numerator / denominator


def run(sizes_kb: list[int], repeats: int, seeds: Path, corpora: list[Path],
        phrase: str | None = None) -> dict[str, Any]:
    texts = [phrase] if phrase else source_texts(seeds, corpora)
    extractor = Extractor("en")
    extractor.extract(texts[0], PUBLISHED)  # warm-up
    rows = []
    for kb in sizes_kb:
        text = (phrase * (kb * 1000 // len(phrase) + 1))[:kb * 1000].rstrip() if phrase else build(texts, kb * 1000)
        runs = []
        timexes = 0
        for _ in range(repeats):
            started = time.perf_counter()
            timexes = len(extractor.extract(text, PUBLISHED))
            runs.append(time.perf_counter() - started)
        best = min(runs)
        rows.append({
            "size_kb": kb,
            "chars": len(text),
            "bytes": len(text.encode("utf-8")),
            "timexes": timexes,
            "best_seconds": best,
            "runs": runs,
            "us_per_kchar": best / len(text) * 1e6 * 1000,
            "chars_per_second": len(text) / best,
            "peak_rss_mb_so_far": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        })
    points = [(row["chars"], row["best_seconds"]) for row in rows]
    result: dict[str, Any] = {"repeats": repeats, "rows": rows, "exponent_all": fit(points)}
    tail = [point for point, row in zip(points, rows) if row["size_kb"] >= 10]
    if len(tail) >= 2 and len(tail) < len(points):
        result["exponent_from_10kb"] = fit(tail)
    return result


def format_table(result: dict[str, Any]) -> str:
    lines = ["| size | chars | timexes | best time s | ms per 1,000 chars | chars/s | peak RSS MB |",
             "|---|---|---|---|---|---|---|"]
    for row in result["rows"]:
        size = f"{row['size_kb'] // 1000} MB" if row["size_kb"] >= 1000 else f"{row['size_kb']} KB"
        lines.append(f"| {size} | {row['chars']:,} | {row['timexes']:,} | {row['best_seconds']:.4f} | "
                     f"{row['us_per_kchar'] / 1000:.2f} | {row['chars_per_second']:,.0f} | "
                     f"{row['peak_rss_mb_so_far']:.0f} |")
    lines.append("")
    lines.append(f"growth exponent (least squares, log time vs log size, all sizes): {result['exponent_all']:.3f}")
    if "exponent_from_10kb" in result:
        lines.append(f"growth exponent, 10 KB and up: {result['exponent_from_10kb']:.3f}")
    lines.append(f"best of {result['repeats']} runs per size; 1 means linear")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CORPUS],
                        help=f"TimeML folders whose texts are used too (default: {DEFAULT_CORPUS} if present)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES_KB)), help="sizes in KB (1 KB = 1,000 chars)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size, best kept (default 3)")
    parser.add_argument("--repeated", metavar="PHRASE",
                        help='time PHRASE repeated to each size instead of news text (e.g. "May 16 ")')
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    result = run(sizes, max(1, args.repeats), args.seeds, args.paths, args.repeated)
    print(json.dumps(result, indent=2) if args.json else format_table(result))


if __name__ == "__main__":
    main()
