"""Speed of the Spanish, French and German grammars: documents per second of CPU time on one core,
over the development sets (TimeML texts with their creation dates), the pipeline loaded first.

    python bench/bench_languages.py es=../shared/data/multilingual/es-te3-train \\
        fr=../shared/data/multilingual/fr-ftib-dev de=../shared/data/multilingual/de-wikiwars-dev
"""
from __future__ import annotations

import argparse
import sys
import time

from timeline.evaluation import find_timeml_files, read_timeml
from timeline.pipeline import Extractor

ROUNDS = 3


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="+", metavar="LANG=DIR", help="a language code and a folder of .tml files")
    for argument in parser.parse_args(arguments).sets:
        language, _, path = argument.partition("=")
        if not path:
            parser.error(f"{argument!r}: expected LANG=DIR, such as es=../shared/data/multilingual/es-te3-train")
        try:
            documents = [read_timeml(file) for file in find_timeml_files([path])]
        except ValueError as error:
            parser.error(str(error))
        extractor = Extractor(language)
        extractor.extract(documents[0].text, documents[0].dct)  # warm up
        started = time.process_time()
        for _ in range(ROUNDS):
            for document in documents:
                extractor.extract(document.text, document.dct)
        seconds = time.process_time() - started
        characters = sum(len(document.text) for document in documents)
        print(f"{language}: {len(documents)} docs ({characters / len(documents):,.0f} characters each): "
              f"{ROUNDS * len(documents) / seconds:,.0f} docs/s, {ROUNDS * characters / seconds / 1000:,.0f} "
              "k characters/s (CPU time, one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
