"""Speed and memory of ``timeline build`` with events read from the parse (issue 12).

Articles of about 2 KB are made from the seed story's sentences, shuffled so each text is
distinct (no cache helps), each with a publication date; the script times
``build_timeline`` over all of them in one process (one core) and reports articles per
second (wall and CPU time: on a shared machine CPU time tells what one core gives) and the
peak resident memory.  A script, not a test.

    python bench/bench_build.py                                      # 200 articles, the shipped parser
    python bench/bench_build.py --articles 400 --no-parser           # the clause heuristics
"""
from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from timeline.chronology import build_timeline
from timeline.documents import Document, load_documents, parse_published
from timeline.pipeline import Extractor
from timeline.syntax import load_parser

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def articles(count: int, size: int, seed: int = 7) -> list[Document]:
    """``count`` distinct articles of about ``size`` characters from the seed sentences."""
    extractor = Extractor()
    sentences: list[str] = []
    for document in load_documents(SEEDS):
        if isinstance(document, Document):
            _, spans = extractor.analyze(document.text, document.published)
            sentences += [document.text[s:e].strip() for s, e in spans if len(document.text[s:e].split()) > 6]
    rng = random.Random(seed)
    made = []
    for number in range(count):
        rng.shuffle(sentences)
        text, paragraph = [], []
        length = 0
        for sentence in sentences:
            if length > size:
                break
            paragraph.append(sentence)
            length += len(sentence) + 1
            if len(paragraph) == 3:
                text.append(" ".join(paragraph))
                paragraph = []
        text.append(" ".join(paragraph))
        made.append(Document(f"a{number}", "\n".join(t for t in text if t), parse_published("2024-05-16")))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--size", type=int, default=2000, help="characters per article (about)")
    parser.add_argument("--no-parser", action="store_true", help="the clause heuristics only")
    args = parser.parse_args()
    documents = articles(args.articles, args.size)
    extractor = Extractor()
    nlp = None if args.no_parser else load_parser()
    if not args.no_parser and nlp is None:
        raise SystemExit("no parser: the shipped pipeline did not load; pass --no-parser")
    build_timeline(documents[:5], extractor, parser=nlp)  # load and warm up
    start, cpu = time.perf_counter(), time.process_time()
    story = build_timeline(documents, extractor, parser=nlp)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    characters = sum(len(d.text) for d in documents) / len(documents)
    print(f"articles={len(documents)} mean_chars={characters:.0f} parser={'none' if nlp is None else 'yes'}")
    # CPU time is what one core gives on a shared machine; wall time is what a user waits.
    print(f"events={len(story.events)} seconds={seconds:.2f} articles_per_s={len(documents) / seconds:.1f} "
          f"cpu_seconds={cpu:.2f} articles_per_cpu_s={len(documents) / cpu:.1f}")
    print(f"peak_rss_mb={peak:.0f}")


if __name__ == "__main__":
    main()
