"""TimeML reading and TempEval-3 Task A (timex extraction and normalization) scoring.

The reader turns a ``.tml`` file into plain text plus gold timexes with code-point
offsets into that text, so a tagger sees exactly what a reader of the article sees
and its spans can be compared with the gold ones directly.  The scorer follows
TempEval-3 Task A: strict and relaxed span figures, then type and value accuracy
over the relaxed matches (their F1 is the relaxed F1 times the accuracy).
"""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CREATION_TIME = "CREATION_TIME"
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class GoldTimex:
    """A TIMEX3 annotated inside the TEXT element; offsets index ``TimeMLDocument.text``."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    tid: str


@dataclass(frozen=True)
class TimeMLDocument:
    """The plain text a tagger is given, its publication date and the timexes to find in it."""

    name: str
    text: str
    dct: str | None
    timexes: list[GoldTimex]


def _local(tag: Any) -> str:
    """Tag name without a namespace, so a default xmlns does not hide TEXT or TIMEX3."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _flatten(text_element: ET.Element) -> tuple[str, list[GoldTimex]]:
    """Strip the inline tags of TEXT, recording where each TIMEX3 starts and ends."""
    pieces: list[str] = []
    length = 0
    spans: list[tuple[int, int, ET.Element]] = []

    def append(chunk: str | None) -> None:
        nonlocal length
        if chunk:
            pieces.append(chunk)
            length += len(chunk)

    def walk(element: ET.Element) -> None:
        start = length
        append(element.text)
        for child in element:
            walk(child)
            append(child.tail)
        # A non-consuming TIMEX3 (no text, a range's beginPoint/endPoint) is no expression to score.
        if _local(element.tag) == "TIMEX3" and element.get("functionInDocument") != CREATION_TIME \
                and (length > start or element.get("beginPoint") is None):
            spans.append((start, length, element))

    walk(text_element)
    text = "".join(pieces)
    timexes = [
        GoldTimex(
            start=start,
            end=end,
            text=text[start:end],
            type=element.get("type", ""),
            value=element.get("value", ""),
            mod=element.get("mod"),
            tid=element.get("tid", ""),
        )
        for start, end, element in sorted(spans, key=lambda span: (span[0], span[1]))
    ]
    return text, timexes


def read_timeml(path: str | Path) -> TimeMLDocument:
    """Read one TimeML file: the TEXT element as plain text, its DCT and its non-DCT timexes."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ValueError(f"{path}: not well-formed XML ({error})") from error
    text_elements = [element for element in root.iter() if _local(element.tag) == "TEXT"]
    if not text_elements:
        raise ValueError(f"{path}: no <TEXT> element")
    if len(text_elements) > 1:
        raise ValueError(f"{path}: {len(text_elements)} <TEXT> elements, expected one")
    dct = next(
        (element.get("value") for element in root.iter()
         if _local(element.tag) == "TIMEX3" and element.get("functionInDocument") == CREATION_TIME),
        None,
    )
    text, timexes = _flatten(text_elements[0])
    return TimeMLDocument(name=path.stem, text=text, dct=dct, timexes=timexes)


def find_timeml_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories to their ``.tml`` files (sorted, subfolders included), keep files as given.

    A path that is missing or a directory without ``.tml`` files is an error rather
    than an empty contribution, so a typo cannot silently shrink an evaluation.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.rglob("*.tml"))
            if not found:
                raise ValueError(f"{path}: directory holds no .tml files")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ValueError(f"{path}: no such file or directory")
    return files


@dataclass(frozen=True)
class _Span:
    """The fields scoring needs, shared by gold timexes and predictions of any shape."""

    start: int
    end: int
    text: str
    type: str
    value: str


_FIELDS = ("start", "end", "text", "type", "value")


def _as_span(item: Any) -> _Span:
    """Accept Timex objects, GoldTimex objects and plain dicts alike."""
    try:
        if isinstance(item, dict):
            return _Span(*(item[name] for name in _FIELDS))
        return _Span(*(getattr(item, name) for name in _FIELDS))
    except (KeyError, AttributeError) as error:
        raise TypeError(f"prediction {item!r} needs start, end, text, type and value") from error


@dataclass(frozen=True)
class EvalError:
    """One disagreement with the gold standard, with enough context to judge it by eye.

    ``kind`` is ``missed`` (gold not found), ``spurious`` (prediction matching no gold),
    ``span`` (overlapping but not identical), ``type`` or ``value`` (wrong attribute on a
    relaxed match); one match can give several errors.  ``start`` is the offset of the
    earlier of the two spans, for ordering.
    """

    doc: str
    kind: str
    start: int
    gold_text: str | None
    gold_type: str | None
    gold_value: str | None
    pred_text: str | None
    pred_type: str | None
    pred_value: str | None
    context: str


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class Scores:
    """Pooled counts over all documents; the figures are derived so they never disagree with them.

    Empty denominators give 0.0 rather than an exception, so an empty run still reports.
    """

    documents: int = 0
    gold: int = 0
    predicted: int = 0
    strict_matches: int = 0
    relaxed_matches: int = 0
    type_matches: int = 0
    value_matches: int = 0
    #: Value disagreements where the gold leaves places unspecified (``1989-WXX``) and the
    #: prediction fills them in (``1989-W43``): not matches, but not contradictions either.
    value_refinements: int = 0
    errors: tuple[EvalError, ...] = field(default=(), repr=False)

    @property
    def strict_precision(self) -> float:
        return _ratio(self.strict_matches, self.predicted)

    @property
    def strict_recall(self) -> float:
        return _ratio(self.strict_matches, self.gold)

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_precision, self.strict_recall)

    @property
    def relaxed_precision(self) -> float:
        return _ratio(self.relaxed_matches, self.predicted)

    @property
    def relaxed_recall(self) -> float:
        return _ratio(self.relaxed_matches, self.gold)

    @property
    def relaxed_f1(self) -> float:
        return _f1(self.relaxed_precision, self.relaxed_recall)

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_matches, self.relaxed_matches)

    @property
    def value_accuracy(self) -> float:
        return _ratio(self.value_matches, self.relaxed_matches)

    @property
    def type_f1(self) -> float:
        return self.relaxed_f1 * self.type_accuracy

    @property
    def value_f1(self) -> float:
        return self.relaxed_f1 * self.value_accuracy

    @property
    def compatible_value_accuracy(self) -> float:
        """Value accuracy counting refinements of underspecified gold values as agreement."""
        return _ratio(self.value_matches + self.value_refinements, self.relaxed_matches)

    @property
    def compatible_value_f1(self) -> float:
        return self.relaxed_f1 * self.compatible_value_accuracy

    def to_dict(self) -> dict[str, Any]:
        """Counts, figures and errors as plain JSON-ready data."""
        return {
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "strict": {
                "matches": self.strict_matches,
                "precision": self.strict_precision,
                "recall": self.strict_recall,
                "f1": self.strict_f1,
            },
            "relaxed": {
                "matches": self.relaxed_matches,
                "precision": self.relaxed_precision,
                "recall": self.relaxed_recall,
                "f1": self.relaxed_f1,
            },
            "type": {"matches": self.type_matches, "accuracy": self.type_accuracy, "f1": self.type_f1},
            "value": {"matches": self.value_matches, "accuracy": self.value_accuracy, "f1": self.value_f1,
                      "refinements": self.value_refinements,
                      "compatible_accuracy": self.compatible_value_accuracy,
                      "compatible_f1": self.compatible_value_f1},
            "errors": [vars(error).copy() for error in self.errors],
        }


def _match(gold: Sequence[_Span], predicted: Sequence[_Span]) -> list[tuple[int, int]]:
    """Pair overlapping spans one-to-one, greedily by largest overlap.

    Ties go to an identical span first, then to document order (both lists are sorted).
    Preferring identical spans keeps an exact prediction from losing its gold to a
    wider one with the same overlap, so strict matches are exactly the identical pairs.
    """
    candidates = []
    for gold_index, gold_span in enumerate(gold):
        for pred_index, pred_span in enumerate(predicted):
            overlap = min(gold_span.end, pred_span.end) - max(gold_span.start, pred_span.start)
            if overlap > 0:
                exact = (gold_span.start, gold_span.end) == (pred_span.start, pred_span.end)
                candidates.append((-overlap, not exact, gold_index, pred_index))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, _, gold_index, pred_index in candidates:
        if gold_index not in used_gold and pred_index not in used_pred:
            used_gold.add(gold_index)
            used_pred.add(pred_index)
            pairs.append((gold_index, pred_index))
    return pairs


def _context(text: str, start: int, end: int) -> str:
    """About CONTEXT_CHARS characters around ``[start, end)``, the span in brackets, on one line."""
    half = CONTEXT_CHARS // 2
    snippet = f"{text[max(0, start - half):start]}[{text[start:end]}]{text[end:end + half]}"
    return " ".join(snippet.split())


def _error(doc: TimeMLDocument, kind: str, gold: _Span | None, pred: _Span | None) -> EvalError:
    spans = [span for span in (gold, pred) if span is not None]
    start = min(span.start for span in spans)
    end = max(span.end for span in spans)
    return EvalError(
        doc=doc.name,
        kind=kind,
        start=start,
        gold_text=gold.text if gold else None,
        gold_type=gold.type if gold else None,
        gold_value=gold.value if gold else None,
        pred_text=pred.text if pred else None,
        pred_type=pred.type if pred else None,
        pred_value=pred.value if pred else None,
        context=_context(doc.text, start, end),
    )


def refines(gold_value: str | None, value: str | None) -> bool:
    """Whether ``value`` fills in the unspecified places (X) of ``gold_value`` and agrees elsewhere:
    ``1989-W43`` refines ``1989-WXX``; ``1990-W43`` and ``1989`` do not."""
    if not gold_value or not value or "X" not in gold_value or len(gold_value) != len(value):
        return False
    return all(g == v or (g == "X" and v.isdigit()) for g, v in zip(gold_value, value, strict=True))


def score(pairs: Iterable[tuple[TimeMLDocument, Sequence[Any]]]) -> Scores:
    """Score predictions against gold, pooling counts over all documents (micro-averaged)."""
    documents = gold_total = predicted_total = strict = relaxed = type_ok = value_ok = refinements = 0
    errors: list[EvalError] = []
    for doc, predictions in pairs:
        gold = sorted((_as_span(timex) for timex in doc.timexes), key=lambda s: (s.start, s.end))
        predicted = sorted((_as_span(item) for item in predictions), key=lambda s: (s.start, s.end))
        documents += 1
        gold_total += len(gold)
        predicted_total += len(predicted)
        doc_errors: list[EvalError] = []
        matches = _match(gold, predicted)
        for gold_index, pred_index in matches:
            gold_span, pred_span = gold[gold_index], predicted[pred_index]
            relaxed += 1
            if (gold_span.start, gold_span.end) == (pred_span.start, pred_span.end):
                strict += 1
            else:
                doc_errors.append(_error(doc, "span", gold_span, pred_span))
            if gold_span.type == pred_span.type:
                type_ok += 1
            else:
                doc_errors.append(_error(doc, "type", gold_span, pred_span))
            if gold_span.value == pred_span.value:
                value_ok += 1
            else:
                refinements += refines(gold_span.value, pred_span.value)
                doc_errors.append(_error(doc, "value", gold_span, pred_span))
        matched_gold = {gold_index for gold_index, _ in matches}
        matched_pred = {pred_index for _, pred_index in matches}
        doc_errors.extend(_error(doc, "missed", span, None)
                          for index, span in enumerate(gold) if index not in matched_gold)
        doc_errors.extend(_error(doc, "spurious", None, span)
                          for index, span in enumerate(predicted) if index not in matched_pred)
        errors.extend(sorted(doc_errors, key=lambda error: error.start))
    return Scores(
        documents=documents,
        gold=gold_total,
        predicted=predicted_total,
        strict_matches=strict,
        relaxed_matches=relaxed,
        type_matches=type_ok,
        value_matches=value_ok,
        value_refinements=refinements,
        errors=tuple(errors),
    )


def evaluate_paths(
    paths: Iterable[str | Path],
    tag: Callable[[str, str | None], Sequence[Any]],
    progress: bool = False,
    unreadable: list[str] | None = None,
) -> Scores:
    """Tag every TimeML file under ``paths`` with ``tag(text, dct)`` and score the result.

    A file that cannot be read as TimeML is left out of the scores; when ``unreadable`` is
    given, the reason is appended to it (otherwise the ValueError propagates).
    """
    files = find_timeml_files(paths)
    if progress:
        from tqdm import tqdm  # only needed for interactive runs

        files = tqdm(files, desc="evaluating", unit="doc", file=sys.stderr)

    def tagged() -> Iterator[tuple[TimeMLDocument, Sequence[Any]]]:
        for path in files:
            try:
                doc = read_timeml(path)
            except ValueError as error:
                if unreadable is None:
                    raise
                unreadable.append(str(error))
                continue
            yield doc, tag(doc.text, doc.dct)

    return score(tagged())


def _describe(text: str | None, type_: str | None, value: str | None) -> str:
    return "-" if text is None else f"{text!r} {type_} {value}"


def format_report(scores: Scores, verbose: bool = False) -> str:
    """The figures table; with ``verbose``, every error first, one per line, grouped by file."""
    lines: list[str] = []
    if verbose:
        current_doc = None
        for error in scores.errors:
            if error.doc != current_doc:
                current_doc = error.doc
                lines.append(f"{error.doc}:")
            lines.append(
                f"  {error.kind:<8} @{error.start:<6} "
                f"gold {_describe(error.gold_text, error.gold_type, error.gold_value)}  "
                f"pred {_describe(error.pred_text, error.pred_type, error.pred_value)}  "
                f"| {error.context}"
            )
        if scores.errors:
            lines.append("")
    lines += [
        f"documents {scores.documents}  gold {scores.gold}  predicted {scores.predicted}  "
        f"strict matches {scores.strict_matches}  relaxed matches {scores.relaxed_matches}",
        f"{'strict':<8} P {scores.strict_precision:.3f}  R {scores.strict_recall:.3f}  "
        f"F1 {scores.strict_f1:.3f}",
        f"{'relaxed':<8} P {scores.relaxed_precision:.3f}  R {scores.relaxed_recall:.3f}  "
        f"F1 {scores.relaxed_f1:.3f}",
        f"{'type':<8} accuracy {scores.type_accuracy:.3f}    F1 {scores.type_f1:.3f}",
        f"{'value':<8} accuracy {scores.value_accuracy:.3f}    F1 {scores.value_f1:.3f}",
    ]
    if scores.value_refinements:
        lines.append(f"{'':<8} {scores.value_refinements} value errors fill in an underspecified gold value "
                     f"(1989-WXX -> 1989-W43); counting them: accuracy {scores.compatible_value_accuracy:.3f}  "
                     f"F1 {scores.compatible_value_f1:.3f}")
    return "\n".join(lines)
