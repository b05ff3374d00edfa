"""CPU time of reading a stored story's whole timeline right after an article was added, in
one process (issue 17; ``stories.snapshots``).  Not a test.

A copy of a stored story (``--database``: an SQLite file, never written to) is opened by two
stores, as two server workers would, each holding its own timelines.  ``--adds`` articles are
added one at a time, and after each the whole timeline is read and its CPU time taken
(``time.process_time``: the load of a shared machine inflates it less than the wall clock):

- ``same``: the store that wrote reads (its held timeline is one version behind);
- ``other``: the other store reads (one version behind as well, but it did not write);
- ``random``: the writer and the reader are drawn at random from the two, as requests land on
  two workers: a reader is then one to several versions behind.

At the end, both stores' answers are checked against a fresh store's whole read.

    python bench/bench_story_reads.py /tmp/s5/base.db --story b --mode random --adds 40
    python bench/bench_story_reads.py /tmp/s5/base.db --story b --mode same --profile
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_stories import articles  # noqa: E402

from stories import Store, Submission  # noqa: E402


def read(store: Store, story: str) -> int:
    return sum(len(piece) for piece in store.timeline_stream(story).chunks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="an SQLite file holding the story (copied, not written to)")
    parser.add_argument("--story", default="b")
    parser.add_argument("--adds", type=int, default=40)
    parser.add_argument("--mode", choices=["same", "other", "random"], default="random")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the timed reads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "story.db"
        shutil.copy(args.database, copy)
        url = f"sqlite:///{copy}"
        first, second = Store(url), Store(url)
        first.upgrade()
        records = articles(args.adds + 3, seed=99, start=1000)
        for record in records[:3]:  # untimed: statements compiled, timelines held, caches filled
            first.add_documents(args.story, [Submission.of(record)])
            read(first, args.story)
            read(second, args.story)
        gc.collect()
        gc.freeze()  # as the API does once it has loaded
        rng = random.Random(7)
        profile = cProfile.Profile() if args.profile else None
        times = []
        for record in records[3:]:
            writer, reader = {"same": (first, first), "other": (first, second),
                              "random": (rng.choice([first, second]), rng.choice([first, second]))}[args.mode]
            writer.add_documents(args.story, [Submission.of(record)])
            if profile is not None:
                profile.enable()
            start = time.process_time()
            size = read(reader, args.story)
            times.append(1000 * (time.process_time() - start))
            if profile is not None:
                profile.disable()
        fresh = Store(url)
        whole = b"".join(fresh.timeline_stream(args.story).chunks)
        same = all(b"".join(store.timeline_stream(args.story).chunks) == whole for store in (first, second))
        for store in (first, second, fresh):
            store.close()
    times.sort()
    print(f"{args.mode}: read CPU after each of {len(times)} adds (a {size / 1e6:.1f} MB answer), ms: "
          f"mean {statistics.mean(times):.1f}  p50 {times[len(times) // 2]:.1f}  "
          f"p90 {times[int(len(times) * 0.9)]:.1f}  max {times[-1]:.1f}; same bytes as a fresh read: {same}")
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
