"""How merge time grows with the number of mentions (issue: corpora at scale).

Real event mentions from the seed articles are repeated and perturbed: each copy gets
its own document, a date shifted by a random number of days (so copies are distinct
happenings unless they land on the same day), and some words swapped for made-up ones.
The script times ``timeline.chronology.merge`` at each size and fits the growth exponent
(slope of log time against log size; 1 is linear).  A script, not a test.

    python bench/bench_merge.py                 # 1,000, 10,000 and 100,000 mentions
    python bench/bench_merge.py --sizes 1000 5000
"""
from __future__ import annotations

import argparse
import math
import random
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from timeline.chronology import BuildOptions, merge
from timeline.documents import Document, load_documents
from timeline.events import EventMention, event_mentions
from timeline.pipeline import Extractor
from timeline.timexes import Interval

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def seed_mentions() -> tuple[list[EventMention], list[EventMention]]:
    extractor = Extractor()
    grammar = extractor.nlp.get_pipe("timex").grammar
    dated: list[EventMention] = []
    undated: list[EventMention] = []
    for index, document in enumerate(d for d in load_documents(SEEDS) if isinstance(d, Document)):
        timexes, sentences = extractor.analyze(document.text, document.published)
        found, unplaced = event_mentions(document, index, timexes, sentences, grammar)
        dated += found
        undated += unplaced
    return dated, undated


def perturbed(mentions: list[EventMention], size: int, rng: random.Random, dated: bool) -> list[EventMention]:
    """``size`` copies of the mentions, each in its own document, shifted and reworded."""
    copies = []
    for number in range(size):
        original = mentions[number % len(mentions)]
        words = set(original.words)
        for word in rng.sample(sorted(words), k=min(2, len(words))):
            words.discard(word)
            words.add(f"w{rng.randrange(size)}")
        changes = {"document": f"doc{number // 20}", "document_index": number // 20, "words": frozenset(words)}
        if dated and original.timex is not None:
            shift = timedelta(days=rng.randrange(3650))
            interval = original.timex.interval
            changes["timex"] = replace(original.timex, interval=Interval(
                interval.start + shift if interval.start else None,
                interval.end + shift if interval.end else None, interval.granularity))
        copies.append(replace(original, **changes))
    return copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000],
                        help="numbers of dated mentions (undated sentences: half as many)")
    args = parser.parse_args()
    dated, undated = seed_mentions()
    rng = random.Random(7)
    rows = []
    for size in args.sizes:
        mentions = perturbed(dated, size, rng, dated=True)
        support = perturbed(undated, size // 2, rng, dated=False)
        started = time.perf_counter()
        events = merge(mentions, support, BuildOptions())
        seconds = time.perf_counter() - started
        rows.append((size, seconds, len(events)))
        print(f"{size:>9,} mentions  {seconds:8.2f} s  {len(events):>9,} events", flush=True)
    if len(rows) >= 2:
        xs = [math.log(size) for size, _, _ in rows]
        ys = [math.log(seconds) for _, seconds, _ in rows]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
        print(f"growth exponent (slope of log time on log size): {slope:.2f}")


if __name__ == "__main__":
    main()
