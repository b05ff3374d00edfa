"""SemEval-2015 Task 4 (TimeLine, Track A): entity timelines from raw text, scored by the task's script.

For each corpus folder (``corpus_trackA_CAT/``, ``list_target_entities.txt``,
``TimeLines_Gold_Standard/``), every CAT document is rebuilt as plain text from its tokens,
one sentence a line, with its creation time as publication date.  Nothing else of the CAT
file is read: the trial files also hold the gold event markables, which a raw-text system
must not see.  The folder's documents make one timeline; each target entity's timeline is
that timeline cut down with ``about`` (timeline/entities.py), written in the task's format:

    ORDER<TAB>ANCHOR<TAB>DOCID-SENTENCE-TRIGGER[<TAB>...]

one line per event, its mentions that name the entity side by side (they corefer).  A
mention's trigger is its ``trigger`` when the event layer gives one with character offsets;
otherwise the first verb of its clause (the summary), found back in the sentence.  The
character offsets map to the CAT token under them, so the sentence number and the word are
the task's own.  The anchor is the event's date at the task's granularities (YYYY-MM-DD,
YYYY-MM, YYYY); events with no such date get order 0, which the scorer leaves out.  Events
with the same anchor share an order number (the task compares dates, not times of day).

All folders' timelines are scored in one run of the official script (run where it is, never
copied), so ``micro_f1`` is micro-averaged over every timeline of every folder.  A script,
not a test::

    python bench/semeval2015.py ../shared/data/semeval2015-timeline/trial \\
        --scorer ../shared/tools/semeval2015-timeline-eval
    python bench/semeval2015.py DIR1 DIR2 DIR3 --scorer ... --keep out/   # keep the timelines written
"""
from __future__ import annotations

import argparse
import bisect
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from timeline.chronology import Event, Timeline, build_timeline
from timeline.documents import Document, parse_published
from timeline.entities import Entity, about, entity
from timeline.grammar import Grammar, load_grammar
from timeline.pipeline import Extractor
from timeline.tense import verb_tense

CORPUS = "corpus_trackA_CAT"
ENTITIES = "list_target_entities.txt"
GOLD = "TimeLines_Gold_Standard"
UNANCHORED = "XXXX-XX-XX"
# The task's anchors: a day, a month or a year.  A finer date is its day; a week its month.
_ANCHOR_FORMATS = {"minute": "%Y-%m-%d", "hour": "%Y-%m-%d", "part_of_day": "%Y-%m-%d", "day": "%Y-%m-%d",
                   "week": "%Y-%m", "month": "%Y-%m", "quarter": "%Y", "season": "%Y", "half": "%Y", "year": "%Y"}
# Rebuilding text from tokens: no space before closing punctuation and clitics, none after openers.
_ATTACH_LEFT = {",", ".", ";", ":", "!", "?", ")", "]", "%", "n't", "'s", "\u2019s", "'re", "'ve", "'ll", "'d", "'m"}
_ATTACH_RIGHT = {"(", "[", "$"}
# Verbs that lead another verb ("has filed", "will release"): the fallback trigger is the verb they lead.
_HAVE = {"has", "have", "had"}
_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


@dataclass(frozen=True)
class Token:
    """A CAT token and where the rebuilt text holds it."""

    id: str
    sentence: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class CatDocument:
    id: str
    text: str
    published: datetime | None
    tokens: tuple[Token, ...]

    def token_at(self, offset: int) -> Token | None:
        """The token covering character ``offset`` of the rebuilt text (None between tokens)."""
        index = bisect.bisect_right([t.start for t in self.tokens], offset) - 1
        if index >= 0 and self.tokens[index].start <= offset < self.tokens[index].end:
            return self.tokens[index]
        return None


def rebuild(tokens: Iterable[tuple[str, int, str]]) -> tuple[str, tuple[Token, ...]]:
    """Plain text from ``(t_id, sentence, word)`` tokens, one sentence a line, with each token's offsets."""
    parts: list[str] = []
    placed: list[Token] = []
    length = 0
    previous: tuple[int, str] | None = None
    for token_id, sentence, word in tokens:
        if previous is not None:
            if sentence != previous[0]:
                gap = "\n"
            elif word in _ATTACH_LEFT or previous[1] in _ATTACH_RIGHT or word == "-" or previous[1] == "-" \
                    or word in ("'", "\u2019") and previous[1][-1:] in "sS":
                gap = ""  # "Wal-Mart", "Beatles' Apple Corps", "April 9, 2008"
            else:
                gap = " "
            parts.append(gap)
            length += len(gap)
        placed.append(Token(token_id, sentence, word, length, length + len(word)))
        parts.append(word)
        length += len(word)
        previous = (sentence, word)
    return "".join(parts), tuple(placed)


def read_cat(path: Path) -> CatDocument:
    """A CAT document: its tokens and its creation time, and nothing else (no event markables)."""
    root = ElementTree.parse(path).getroot()
    tokens = [(t.get("t_id", ""), int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")]
    published = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            published = parse_published(timex.get("value"))
            break
    text, placed = rebuild(tokens)
    return CatDocument(root.get("doc_id") or path.stem.split("-")[0].split("_")[0], text, published, placed)


@dataclass(frozen=True)
class Folder:
    """One corpus folder: its documents, target entities and gold timelines."""

    path: Path
    documents: tuple[CatDocument, ...]
    entities: tuple[str, ...]
    gold: Path

    @classmethod
    def read(cls, path: Path) -> Folder:
        corpus, targets, gold = path / CORPUS, path / ENTITIES, path / GOLD
        for needed in (corpus, targets, gold):
            if not needed.exists():
                raise ValueError(f"{path}: no {needed.name} (a SemEval-2015 Task 4 folder has {CORPUS}/, "
                                 f"{ENTITIES} and {GOLD}/)")
        documents = tuple(read_cat(file) for file in sorted(corpus.glob("*.xml")))
        entities = tuple(line.strip() for line in targets.read_text(encoding="utf-8").splitlines() if line.strip())
        return cls(path, documents, entities, gold)


def file_name(entity_name: str) -> str:
    """The task's timeline file name: the entity in lower case, spaces as underscores."""
    return "_".join(entity_name.lower().split()) + ".txt"


def anchor(event: Event) -> str | None:
    """The event's date as a task anchor (YYYY-MM-DD, YYYY-MM, YYYY), or None: undated or too coarse."""
    date = event.to_dict().get("date") or {}
    start, granularity = date.get("start"), date.get("granularity")
    if not start or granularity not in _ANCHOR_FORMATS:
        return None
    return datetime.fromisoformat(start).strftime(_ANCHOR_FORMATS[granularity])


def _offsets(trigger: Any, text: str, sentence_start: int) -> tuple[int, int] | None:
    """Character offsets in the document of a trigger given by the event layer (a dict or an
    object with ``start``, ``end`` and perhaps ``text``), if any.  Offsets that do not hold the
    trigger's text in the document but do in the sentence are read as the sentence's."""
    if trigger is None:
        return None
    get = trigger.get if isinstance(trigger, dict) else lambda key: getattr(trigger, key, None)
    start, end, word = get("start"), get("end"), get("text")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    if isinstance(word, str) and text[start:end] != word \
            and text[sentence_start + start:sentence_start + end] == word:
        return sentence_start + start, sentence_start + end
    return start, end


def first_verb(clause: str, grammar: Grammar) -> str | None:
    """The first verb of a clause, from the grammar's tense cues alone: a reporting verb, a past
    or present form, the word an auxiliary or modal leads ("has filed", "will release"), or
    "has" itself before anything else ("has a camera")."""
    cues = grammar.tense
    leaders = set(cues.auxiliaries) | cues.not_past_after | cues.future | cues.prospective | _HAVE
    leader: str | None = None
    for word in _WORD.findall(clause):
        lower = word.lower()
        if lower in cues.reporting:
            return word
        if lower in leaders:
            leader = word
            continue
        content = word[:1].islower() and lower not in grammar.events.stop_words
        if leader is not None and content:
            return word
        if leader is not None and leader.lower() in _HAVE:
            return leader
        leader = None
        if content and verb_tense(word, cues) in ("past", "present"):
            return word
    return None


def trigger_span(mention: Any, text: str, grammar: Grammar) -> tuple[int, int] | None:
    """Where the mention's trigger is in its document's text: the event layer's own trigger, or
    the first verb of its summary found back in its sentence (nearest its date)."""
    start, end = mention.sentence_start, mention.sentence_end
    given = _offsets(getattr(mention, "trigger", None), text, start)
    if given is not None:
        return given
    verb = first_verb(mention.summary, grammar)
    if verb is None:
        return None
    found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(verb)}(?!\w)", text[start:end])]
    if not found:
        return None
    timex = getattr(mention, "timex", None)
    near = timex.start - start if timex is not None else 0
    left, right = min(found, key=lambda span: abs(span[0] - near))
    return start + left, start + right


def event_ids(event: Event, target: Entity, documents: dict[str, CatDocument], grammar: Grammar) -> list[str]:
    """The task's ids (DOCID-SENTENCE-WORD) of the event's mentions that name the entity."""
    ids: list[str] = []
    named = [m for m in event.mentions
             if any(target.found_in(t) for t in (*map(str, getattr(m, "participants", ())), m.summary))]
    for mention in named or event.mentions:
        document = documents[mention.document]
        span = trigger_span(mention, document.text, grammar)
        token = document.token_at(span[0]) if span else None
        if token is not None and f"{document.id}-{token.sentence}-{token.text}" not in ids:
            ids.append(f"{document.id}-{token.sentence}-{token.text}")
    return ids


def entity_timeline(timeline: Timeline, name: str, documents: dict[str, CatDocument], grammar: Grammar,
                    texts: Sequence[str]) -> list[tuple[int, str, list[str]]]:
    """The entity's timeline as (order, anchor, event ids) rows in the task's sense."""
    target = entity(name, grammar.entities, texts)
    rows: list[tuple[int, str, list[str]]] = []
    order, last = 0, None
    for event in about(timeline, [name], grammar.entities, texts).events:  # already in timeline order
        ids = event_ids(event, target, documents, grammar)
        if not ids:
            continue
        date = anchor(event)
        if date is None:
            rows.append((0, UNANCHORED, ids))
            continue
        if date != last:
            order, last = order + 1, date
        rows.append((order, date, ids))
    return rows


def write_timeline(path: Path, name: str, rows: list[tuple[int, str, list[str]]]) -> None:
    lines = [name] + ["\t".join([str(order), date, *ids]) for order, date, ids in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def system_timelines(folder: Folder, extractor: Extractor, out: Path, prefix: str) -> int:
    """Write the folder's entity timelines into ``out`` (names prefixed, to keep folders apart);
    returns the number of anchored rows written."""
    grammar = load_grammar("en")
    documents = {d.id: d for d in folder.documents}
    timeline = build_timeline([Document(d.id, d.text, d.published) for d in folder.documents], extractor)
    texts = [d.text for d in folder.documents]
    anchored = 0
    for name in folder.entities:
        rows = entity_timeline(timeline, name, documents, grammar, texts)
        anchored += sum(1 for order, _, _ in rows if order)
        write_timeline(out / f"{prefix}{file_name(name)}", name, rows)
    return anchored


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float
    report: str


def score(scorer: Path, gold: Path, system: Path) -> Score:
    """Run the official script where it is (``evaluation_all.py GOLD SYSTEM``) and read its micro scores."""
    result = subprocess.run([sys.executable, "evaluation_all.py", str(gold.resolve()), str(system.resolve())],
                            cwd=scorer, capture_output=True, text=True, check=False)
    found = re.search(r"MICRO-FSCORE\s+(\S+)\s+MICRO-PRECISION\s+(\S+)\s+MICRO-RECALL\s+(\S+)", result.stdout)
    if found is None:
        raise RuntimeError(f"the scorer gave no micro scores (exit {result.returncode}):\n"
                           f"{result.stdout}{result.stderr}")
    return Score(float(found.group(1)), float(found.group(2)), float(found.group(3)), result.stdout)


def run(folders: Sequence[Path], scorer: Path, keep: Path | None = None) -> Score:
    """Timelines of every folder written and scored together: one micro average over all of them."""
    if not (scorer / "evaluation_all.py").is_file():
        raise ValueError(f"{scorer}: no evaluation_all.py (the SemEval-2015 Task 4 scorer)")
    read = [Folder.read(path) for path in folders]
    extractor = Extractor()
    with tempfile.TemporaryDirectory(prefix="semeval2015-") as work:
        gold, system = Path(work, "gold"), Path(work, "system")
        gold.mkdir()
        system.mkdir()
        anchored = 0
        for number, folder in enumerate(read):
            prefix = f"{number}_" if len(read) > 1 else ""
            for file in sorted(folder.gold.glob("*.txt")):
                shutil.copyfile(file, gold / f"{prefix}{file.name}")  # into the temp dir only
            anchored += system_timelines(folder, extractor, system, prefix)
        if keep is not None:
            shutil.copytree(system, keep, dirs_exist_ok=True)
        if not anchored:  # the scorer divides by the system's relations: none would crash it
            return Score(0.0, 0.0, 0.0, "no anchored event in any system timeline\n")
        return score(scorer, gold, system)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, metavar="DIR", help="SemEval-2015 Task 4 corpus folders")
    parser.add_argument("--scorer", type=Path, required=True, metavar="DIR",
                        help="the folder of the official scorer (evaluation_all.py), run where it is")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="also copy the system timelines written here")
    args = parser.parse_args(argv)
    try:
        result = run(args.folders, args.scorer, args.keep)
    except (ValueError, OSError, RuntimeError, ElementTree.ParseError) as error:
        print(f"semeval2015: error: {error}", file=sys.stderr)
        return 2
    print(result.report, end="")
    print(f"micro_precision={result.precision:.2f} micro_recall={result.recall:.2f}")
    print(f"micro_f1={result.f1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
