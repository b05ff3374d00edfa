"""Tense of the clause that governs a temporal expression, from cue words alone.

No part-of-speech model is needed: the grammar lists future markers ("will", "is
expected to"), irregular past forms and the regular past suffix.  The cue nearest to
the expression within its clause decides; the cue itself is returned so the
resolution can say why ("past tense: 'announced'").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .grammar import TenseCues

_TOKEN = re.compile(r"[A-Za-z]+(?:['\u2019][a-z]+)?|[;:\u2014\u2013]|\"|\u201c|\u201d")
_CLAUSE_BREAKS = frozenset({";", ":", "\u2014", "\u2013", "but", "while", "whereas", "although"})


@dataclass(frozen=True)
class Tense:
    """``value`` is "past", "future", "present" or None; ``cue`` the deciding word."""

    value: str | None
    cue: str | None = None


def _classify(token: str, cues: TenseCues) -> str | None:
    word = token.lower().replace("\u2019", "'")
    if word in cues.future:
        return "future"
    if word in cues.past:
        return "past"
    if word in cues.present:
        return "present"
    if (cues.past_suffix and len(word) > 4 and word.endswith(cues.past_suffix)
            and word not in cues.not_past and not token[:1].isupper()):
        return "past"
    return None


def clause_tense(text: str, sentence: tuple[int, int], span: tuple[int, int], cues: TenseCues) -> Tense:
    """The tense of the clause around ``span`` (character offsets) inside ``sentence``."""
    start, end = sentence
    tokens = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:end])]
    # Clause bounds: the nearest breaks on either side of the expression.
    low, high = start, end
    for t_start, t_end, token in tokens:
        if token.lower() in _CLAUSE_BREAKS:
            if t_end <= span[0]:
                low = t_end
            elif t_start >= span[1] and high == end:
                high = t_start
    lowered = text[low:high].lower().replace("\u2019", "'")
    best: tuple[int, str, str] | None = None
    for phrase in cues.future_phrases:
        for match in re.finditer(r"\b" + re.escape(phrase) + r"\b", lowered):
            position = match.start() + low
            distance = min(abs(position - span[0]), abs(position - span[1]))
            if best is None or distance < best[0]:
                best = (distance, "future", phrase)
    for t_start, t_end, token in tokens:
        if t_start < low or t_end > high or (span[0] <= t_start < span[1]):
            continue
        kind = _classify(token, cues)
        if kind is None:
            continue
        distance = span[0] - t_end if t_end <= span[0] else t_start - span[1]
        # A phrase cue ("is expected to") beats its own first word ("is") at the same place.
        if best is None or distance < best[0]:
            best = (distance, kind, token)
    if best is None:
        return Tense(None)
    return Tense(best[1], best[2])
