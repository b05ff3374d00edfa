"""Precision of the dateparser fallback (timeline/longtail.py) on development sets whose language
we do have a grammar for, with our grammar switched off: how often an absolute date it reports
is a gold timex, and with the gold value.

    python bench/bench_longtail.py es=../shared/data/multilingual/es-te3-train \\
        fr=../shared/data/multilingual/fr-ftib-dev de=../shared/data/multilingual/de-wikiwars-dev
"""
from __future__ import annotations

import sys
import time

from timeline.evaluation import evaluate_paths
from timeline.longtail import LongTailExtractor


def main(arguments: list[str]) -> int:
    for argument in arguments:
        language, _, path = argument.partition("=")
        fallback = LongTailExtractor(language)
        started = time.process_time()
        scores = evaluate_paths([path], fallback.extract)
        seconds = time.process_time() - started
        value_precision = scores.value_matches / scores.predicted if scores.predicted else 0.0
        print(f"{language}: {scores.documents} docs, {scores.gold} gold, {scores.predicted} predicted; "
              f"precision strict {scores.strict_precision:.3f} relaxed {scores.relaxed_precision:.3f} "
              f"value {value_precision:.3f}; recall (relaxed) {scores.relaxed_recall:.3f}; "
              f"{scores.documents / seconds:.0f} docs/s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
