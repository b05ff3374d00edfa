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
import re
import sys
import time
from functools import partial
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # this checkout's timeline, even if another is installed

import timeline  # noqa: E402
from timeline import segmentation  # noqa: E402
from timeline.registry import get_extractor  # noqa: E402
from timeline.syntax import load_parser  # noqa: E402

# Characters spaCy's English tokenizer splits off one at a time.
SPLIT_OFF = "&(\"'[{*$"

# Each shape makes a run of n characters; ``rng`` makes "punct" new on every call, so that
# spaCy's chunk cache never holds a piece (the worst case: identical pieces hit the cache).
SHAPES: dict[str, Callable[[int, random.Random], str]] = {
    "punct": lambda n, rng: "".join(rng.choice(SPLIT_OFF) for _ in range(n)),
    "amp": lambda n, rng: "&" * n,
    "paren": lambda n, rng: "(" * n,
    "emoji": lambda n, rng: "\U0001f600" * n,
    "dash": lambda n, rng: "-" * n,
    "dots": lambda n, rng: "." * n,
    "letters": lambda n, rng: "a" * n,
    "url": lambda n, rng: "http://" + "x/" * (n // 2),
    "base64": lambda n, rng: base64.b64encode(random.Random(n).randbytes(n)).decode()[:n],
    "mixed": lambda n, rng: ("a&(1-" * n)[:n],
}
SIZES = (1_000, 4_000, 16_000, 100_000)
TAIL = " on 16 May 2024"
PUBLISHED = "2024-05-16"


def cpu_time(repeats: int, call: Callable[[str], object], make: Callable[[], str]) -> float:
    """The least CPU time of ``repeats`` calls of ``call`` on a text from ``make``."""
    best = math.inf
    for _ in range(repeats):
        text = make()
        start = time.process_time()
        call(text)
        best = min(best, time.process_time() - start)
    return best


def build_english(text: str) -> object:
    return timeline.build([{"id": "d", "text": text, "published": PUBLISHED, "language": "en"}])


def slope(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def compare_piece_lengths(lengths: list[int], n: int) -> None:
    """What the bound on pieces costs: the blank pipeline's and the parser's tokenizer on n
    characters split off one by one, all pieces new (the worst case), per bound."""
    tokenizers = {"blank": get_extractor("en").nlp.tokenizer, "parser": load_parser(None).tokenizer}
    rng = random.Random(11)
    print(f"| longest piece | blank tokenizer CPU s, n = {n:,} | parser tokenizer CPU s |")
    print("|---|---|---|")
    for length in lengths:
        segmentation.LONGEST_PIECE = length
        segmentation._LONG_CHUNK = re.compile(r"\S{%d,}" % (length + 1))
        times = [cpu_time(1, tokenizer, partial(SHAPES["punct"], n, rng)) for tokenizer in tokenizers.values()]
        print(f"| {length} | " + " | ".join(f"{t:.3f}" for t in times) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--repeats", type=int, default=2, help="best of (the first also loads lazy data)")
    parser.add_argument("--no-build", action="store_true", help="time the timex path only")
    parser.add_argument("--spacy", action="store_true", help="also time spaCy's uncut tokenizer (before the fix)")
    parser.add_argument("--spacy-max", type=int, default=8_000, help="largest n for --spacy (quadratic!)")
    parser.add_argument("--piece-lengths", type=int, nargs="+", metavar="L",
                        help="instead: time the tokenizers on 'punct' of the largest size with pieces of at most L")
    args = parser.parse_args()
    if args.piece_lengths:
        compare_piece_lengths(args.piece_lengths, max(args.sizes))
        return

    shipped = load_parser(None)
    timeline.extract("warm-up on 16 May 2024", PUBLISHED)
    if not args.no_build:
        timeline.build([{"id": "w", "text": "It rained on 16 May 2024.", "published": PUBLISHED}])
    uncut = super(type(shipped.tokenizer), shipped.tokenizer).__call__  # spaCy's own, no pieces

    columns = ["shape", "n", "extract CPU s", "µs/char"] + ([] if args.no_build else ["build CPU s", "µs/char"])
    columns += ["spaCy tokenizer s"] if args.spacy else []
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    rng = random.Random(7)
    for name in args.shapes:
        extract_times, build_times = [], []
        for n in args.sizes:
            def make(n: int = n, shape: str = name) -> str:
                return SHAPES[shape](n, rng) + TAIL

            text = make()
            found = timeline.extract(text, PUBLISHED)
            assert [t.value for t in found] == ["2024-05-16"], (name, n, found)
            extract_times.append(cpu_time(args.repeats, partial(timeline.extract, published=PUBLISHED), make))
            row = [name, f"{n:,}", f"{extract_times[-1]:.3f}", f"{extract_times[-1] / len(text) * 1e6:.2f}"]
            if not args.no_build:
                build_times.append(cpu_time(args.repeats, build_english, make))
                row += [f"{build_times[-1]:.3f}", f"{build_times[-1] / len(text) * 1e6:.2f}"]
            if args.spacy:
                row.append(f"{cpu_time(1, uncut, make):.3f}" if n <= args.spacy_max else "–")
            print("| " + " | ".join(row) + " |", flush=True)
        if len(args.sizes) > 1:
            fits = f"extract slope {slope(args.sizes, extract_times):.2f}"
            if build_times:
                fits += f", build slope {slope(args.sizes, build_times):.2f}"
            print(f"|  | {name}: {fits} |" + " |" * (len(columns) - 2))


if __name__ == "__main__":
    main()
