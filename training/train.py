"""Train, evaluate and package the shipped English pipeline (UD English-EWT), in one command.

From the repository root:

    python training/train.py                       # ../shared/data/ud/en_ewt, into timeline/models/en_ewt
    python training/train.py --ewt DIR --work DIR  # other treebank folder / scratch folder
    python training/train.py --no-package          # train and evaluate only

Steps: ``spacy convert`` the three .conllu files into the scratch folder
(``training/.work/``, gitignored: the treebank never enters the repository); ``spacy
train training/config.cfg`` on one thread with the config's fixed seed; add to the best
checkpoint the ``lexicon_lemmatizer`` (timeline/lemmas.py) with spaCy's English lemma
tables, read from spacy-lookups-data (``pip install -e ".[training]"``) and stored in the
pipeline; ``spacy evaluate`` that pipeline on the dev and test splits; copy it into the
package with its attribution and scores.  Dev picks the best checkpoint; test is only
reported.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the timeline of this tree, for its lemmatizer component
CONFIG = ROOT / "training" / "config.cfg"
MODEL_DIR = ROOT / "timeline" / "models" / "en_ewt"
SPLITS = ("train", "dev", "test")
ATTRIBUTION = """\
# en_ewt: the English pipeline of timeline

tok2vec, morphologizer (UPOS and features), dependency parser (which also sets sentence
boundaries) and trainable lemmatizer, trained by the timeline project with spaCy
(`python training/train.py`, config in `training/config.cfg`), then `lexicon_lemmatizer`
(timeline/lemmas.py), which repairs noun, verb and adjective lemmas the lexicon does not know.

Trained on Universal Dependencies English Web Treebank (UD_English-EWT), licensed under
CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/): Natalia Silveira, Timothy
Dozat, Marie-Catherine de Marneffe, Samuel R. Bowman, Miriam Connor, John Bauer and
Christopher D. Manning (2014), "A Gold Standard Dependency Corpus for English", LREC 2014;
and the Universal Dependencies project (https://universaldependencies.org). This trained
model is distributed under the same license, CC BY-SA 4.0.

The lexicon_lemmatizer's tables (lemmatizer/lookups) are spaCy's English lemma tables from
spacy-lookups-data (MIT License, Explosion AI), derived from WordNet 3.0, which is
distributed under this notice: "WordNet 3.0 Copyright 2006 by Princeton University. All
rights reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY
MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT
LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE,
DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS,
TRADEMARKS OR OTHER RIGHTS." The name of Princeton University or Princeton may not be used
in advertising or publicity pertaining to distribution of the software and/or database.

Scores on the EWT dev and test splits (spaCy's tokenizer on the raw text, the parser's
sentence boundaries, aligned to the gold tokens): `scores-dev.json`, `scores-test.json`
and docs/parser.md.
"""


def run(*command: str) -> None:
    """Run one spaCy CLI step on one thread, stopping the whole script when it fails."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", BLIS_NUM_THREADS="1",
               MKL_NUM_THREADS="1")
    print("$", " ".join(command), flush=True)
    subprocess.run([sys.executable, "-m", "spacy", *command], check=True, env=env)


def convert(ewt: Path, corpus: Path) -> dict[str, Path]:
    """CoNLL-U to spaCy's binary format, ten sentences per document (so the parser learns boundaries)."""
    corpus.mkdir(parents=True, exist_ok=True)
    paths = {}
    for split in SPLITS:
        source = ewt / f"en_ewt-ud-{split}.conllu"
        if not source.is_file():
            raise SystemExit(f"{source}: missing (see ../shared/data/ud/en_ewt/README.md)")
        run("convert", str(source), str(corpus), "--converter", "conllu", "--n-sents", "10")
        paths[split] = corpus / f"en_ewt-ud-{split}.spacy"
    return paths


def assemble(best: Path, target: Path) -> None:
    """The best checkpoint plus the lexicon lemmatizer, whose tables are stored in the pipeline."""
    import spacy

    import timeline.lemmas  # noqa: F401  (registers the lexicon_lemmatizer factory)

    nlp = spacy.load(best)
    nlp.add_pipe("lexicon_lemmatizer").initialize()  # type: ignore[attr-defined]
    nlp.to_disk(target)


def package(model: Path, scores: dict[str, Path], target: Path) -> None:
    """Copy the trained pipeline into the package, with its name, license, sources and test scores."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(model, target)
    meta_path = target / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update({
        "name": "ewt", "version": "1.0.0", "license": "CC BY-SA 4.0", "author": "timeline project",
        "description": "Compact English tagger, parser and lemmatizer for timeline's event layer",
        "sources": [{"name": "Universal Dependencies English Web Treebank (UD_English-EWT)",
                     "url": "https://github.com/UniversalDependencies/UD_English-EWT",
                     "license": "CC BY-SA 4.0",
                     "author": "Silveira et al. (2014); Universal Dependencies"}],
    })
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    (target / "README.md").write_text(ATTRIBUTION)
    for split, path in scores.items():
        shutil.copy(path, target / f"scores-{split}.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ewt", type=Path, default=ROOT.parent / "shared" / "data" / "ud" / "en_ewt",
                        help="folder of en_ewt-ud-{train,dev,test}.conllu")
    parser.add_argument("--work", type=Path, default=ROOT / "training" / ".work", help="scratch folder")
    parser.add_argument("--no-package", action="store_true", help="do not copy the model into timeline/models")
    args = parser.parse_args(argv)

    corpus = convert(args.ewt, args.work / "corpus")
    output = args.work / "output"
    run("train", str(CONFIG), "--output", str(output),
        "--paths.train", str(corpus["train"]), "--paths.dev", str(corpus["dev"]))
    pipeline = args.work / "pipeline"
    assemble(output / "model-best", pipeline)
    scores = {}
    for split in ("dev", "test"):
        scores[split] = args.work / f"scores-{split}.json"
        run("evaluate", str(pipeline), str(corpus[split]), "--output", str(scores[split]),
            "--code", str(ROOT / "timeline" / "lemmas.py"))
    if not args.no_package:
        package(pipeline, scores, MODEL_DIR)
        print(f"packaged {pipeline} into {MODEL_DIR}")


if __name__ == "__main__":
    main()
