"""Time on hostile input: long runs without a space, the shapes that made spaCy's tokenizer
quadratic ("&" * n took 9.5 s at n = 8,000 before the tokenizer cut long chunks into pieces).

Each input is ``run + " on 16 May 2024"``; for each shape and size the script times
``timeline.extract`` (the timex path: blank pipeline) and ``timeline.build`` of one document
given as English (the event path: the shipped parser; left to detection, such text is often
taken for another language and read by other code), in CPU seconds (``time.process_time``, best of
``--repeats``), and fits log(time) against log(n): 1 means linear, 2 quadratic.  With
``--spacy`` it also times spaCy's own tokenizer (the shipped parser's settings, uncut) on
the sizes up to ``--spacy-max``, the figures before the fix.  A script, not a test.

    python bench/bench_pathological.py                                  # n = 1k .. 100k
    python bench/bench_pathological.py --sizes 1000 4000 --shapes amp emoji --spacy
"""
from __future__ import annotations

import argparse
import base64
import math
import random
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this checkout's timeline, even if another is installed

import timeline  # noqa: E402
from timeline.syntax import load_parser  # noqa: E402

SHAPES: dict[str, Callable[[int], str]] = {
    "amp": lambda n: "&" * n,
    "paren": lambda n: "(" * n,
    "emoji": lambda n: "\U0001f600" * n,
    "dash": lambda n: "-" * n,
    "dots": lambda n: "." * n,
    "letters": lambda n: "a" * n,
    "url": lambda n: "http://" + "x/" * (n // 2),
    "base64": lambda n: base64.b64encode(random.Random(n).randbytes(n)).decode()[:n],
    "mixed": lambda n: ("a&(1-" * n)[:n],
}
SIZES = (1_000, 4_000, 16_000, 100_000)
TAIL = " on 16 May 2024"
PUBLISHED = "2024-05-16"


def cpu_time(repeats: int, call: Callable[..., object], *args: object) -> float:
    """The least CPU time of ``repeats`` calls of ``call(*args)``."""
    best = math.inf
    for _ in range(repeats):
        start = time.process_time()
        call(*args)
        best = min(best, time.process_time() - start)
    return best


def slope(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-build", action="store_true", help="time the timex path only")
    parser.add_argument("--spacy", action="store_true", help="also time spaCy's uncut tokenizer (before the fix)")
    parser.add_argument("--spacy-max", type=int, default=8_000, help="largest n for --spacy (quadratic!)")
    args = parser.parse_args()

    shipped = load_parser(None)
    timeline.extract("warm-up on 16 May 2024", PUBLISHED)
    if not args.no_build:
        timeline.build([{"id": "w", "text": "It rained on 16 May 2024.", "published": PUBLISHED}])
    uncut = super(type(shipped.tokenizer), shipped.tokenizer).__call__  # spaCy's own, no pieces

    columns = ["shape", "n", "extract CPU s", "µs/char"] + ([] if args.no_build else ["build CPU s", "µs/char"])
    columns += ["spaCy tokenizer s"] if args.spacy else []
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name in args.shapes:
        extract_times, build_times = [], []
        for n in args.sizes:
            text = SHAPES[name](n) + TAIL
            found = timeline.extract(text, PUBLISHED)
            assert [t.value for t in found] == ["2024-05-16"], (name, n, found)
            extract_times.append(cpu_time(args.repeats, timeline.extract, text, PUBLISHED))
            row = [name, f"{n:,}", f"{extract_times[-1]:.3f}", f"{extract_times[-1] / len(text) * 1e6:.2f}"]
            if not args.no_build:
                document = {"id": "d", "text": text, "published": PUBLISHED, "language": "en"}
                build_times.append(cpu_time(args.repeats, timeline.build, [document]))
                row += [f"{build_times[-1]:.3f}", f"{build_times[-1] / len(text) * 1e6:.2f}"]
            if args.spacy:
                row.append(f"{cpu_time(1, uncut, text):.3f}" if n <= args.spacy_max else "–")
            print("| " + " | ".join(row) + " |", flush=True)
        if len(args.sizes) > 1:
            fits = f"extract slope {slope(args.sizes, extract_times):.2f}"
            if build_times:
                fits += f", build slope {slope(args.sizes, build_times):.2f}"
            print(f"|  | {name}: {fits} |" + " |" * (len(columns) - 2))


if __name__ == "__main__":
    main()
