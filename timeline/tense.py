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

# A colon between digits is a clock's ("10:00-18:00"), not a clause break.
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?|[;\u2014\u2013]|(?<![0-9]):|:(?![0-9])")
_OPENING_WORD = re.compile(r"\s*([^\W\d_]+)")
_PRECEDING_WORD = re.compile(r"([^\W\d_]+(?:'[^\W\d_]+)?)\s+$")
# A reporting verb further away than this (characters), with more than one word between it
# and the expression ("said over the weekend" is beside it), only decides when nothing else does.
_REPORTING_REACH = 4
_ONE_WORD = re.compile(r"\s+(?:[^\W\d_]+\s+)?")
_WEAK = 10_000
# How many words before a deadline marker a range opener may stand ("from Sept. 14 to").
_RANGE_REACH = 3
# Cues further than this from the expression are not read: long run-on "sentences" (lists,
# transcripts without punctuation) would otherwise cost time and lend distant verbs a say.
_REACH = 200


@dataclass(frozen=True)
class Tense:
    """``value`` is "past", "future", "present", "prospective" (future in the past) or None;
    ``cue`` the deciding word."""

    value: str | None
    cue: str | None = None
    distance: int | None = None  # characters between the cue and the expression


def verb_tense(token: str, cues: TenseCues) -> str | None:
    """The tense a word marks, if it is a cue: "past", "present", "future", "prospective" or None."""
    word = token.lower().replace("\u2019", "'")
    if word in cues.future:
        return "future"
    if word in cues.prospective:
        return "prospective"
    if word in cues.past or word in cues.reporting and word.endswith(cues.reporting_past_endings):
        return "past"
    if not token[:1].isupper() and word not in cues.not_past:  # an inflected tense ("anunció", "annoncera")
        if cues.future_forms is not None and cues.future_forms.fullmatch(word):
            return "future"
        if cues.past_forms is not None and cues.past_forms.fullmatch(word):
            return "past"
    if word in cues.present or word in cues.reporting:
        return "present"
    if (cues.past_suffix and len(word) > 4 and word.endswith(cues.past_suffix)
            and word not in cues.not_past and not token[:1].isupper()):
        return "past"
    return None


def _gap(start: int, end: int, span: tuple[int, int]) -> int:
    return span[0] - end if end <= span[0] else start - span[1]


def _relative_clause(text: str, low: int, high: int, span: tuple[int, int],
                     cues: TenseCues) -> tuple[int, int]:
    """Narrow ``[low, high)`` to a relative clause set off by commas around ``span``, if any.

    ", who scored twice Saturday," and ", which began on Monday,": the clause starts at the
    last comma before the expression when a relative opener follows it, and ends at the
    next comma after the expression (or stays as it was when none comes).
    """
    if not cues.relative_openers:
        return low, high
    comma = text.rfind(",", low, span[0])
    if comma < 0:
        return low, high
    opener = _OPENING_WORD.match(text, comma + 1, span[0])
    if opener is None or opener.group(1).lower() not in cues.relative_openers:
        return low, high
    closing = text.find(",", span[1], high)
    return comma + 1, closing if closing >= 0 else high


def clause_tense(text: str, sentence: tuple[int, int], span: tuple[int, int], cues: TenseCues) -> Tense:
    """The tense of the clause around ``span`` (character offsets) inside ``sentence``."""
    settled = cues.past_after.match(text, span[1]) if cues.past_after is not None else None
    if settled is not None:
        words = settled.group("cue") if "cue" in settled.re.groupindex else settled.group()
        return Tense("past", " ".join(words.split()), 0)
    start, end = max(sentence[0], span[0] - _REACH), min(sentence[1], span[1] + _REACH)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    # Clause bounds: the nearest breaks on either side of the expression.
    low, high = start, end
    for t_start, t_end, token in tokens:
        word = token.lower()
        if word in cues.clause_breaks:
            if t_end <= span[0]:
                low = t_end
            elif t_start >= span[1] and high == end:
                high = t_start
        elif word in cues.complement_openers and t_start >= span[1] and not text[span[1]:t_start].strip():
            # "told reporters on Tuesday that talks might resume": the date belongs to the
            # verb before it, not to the reported clause.
            high = min(high, t_start)
    low, high = _relative_clause(text, low, high, span, cues)
    candidates: list[tuple[int, str, str]] = []
    covered: list[tuple[int, int]] = []
    lowered = text[low:high].lower().replace("\u2019", "'")
    for match in cues.future_regex.finditer(lowered):
        p_start, p_end = match.start() + low, match.end() + low
        if p_end <= span[0] or p_start >= span[1]:
            covered.append((p_start, p_end))
            kind, cue = "future", match.group()
            leading = cue.split(None, 1)[0]
            if leading in cues.past_auxiliaries:
                kind = "prospective"  # "was about to be deported", "were expected to arrive"
            elif leading in cues.perfect_auxiliaries:
                # "had been due to expire Friday": a plan of the past, usually overtaken since.
                helper = _PRECEDING_WORD.search(lowered, 0, match.start())
                if helper and verb_tense(helper.group(1), cues) == "past":
                    kind, cue = "past", f"{helper.group(1)} {cue}"
            candidates.append((_gap(p_start, p_end, span), kind, cue))
    if cues.past_phrase_forms is not None:
        for match in cues.past_phrase_forms.finditer(lowered):
            p_start, p_end = match.start() + low, match.end() + low
            if p_end <= span[0] or p_start >= span[1]:
                covered.append((p_start, p_end))
                candidates.append((_gap(p_start, p_end, span), "past", " ".join(match.group().split())))
    previous = ""
    deadline = None
    for position, (t_start, t_end, token) in enumerate(tokens):
        before, previous = previous, token.lower()
        if t_end <= span[0] and position + 1 < len(tokens) and tokens[position + 1][0] >= span[0]:
            reach = tokens[max(0, position - _RANGE_REACH):position]
            if previous in cues.deadline_markers and not any(word.lower() in cues.range_openers
                                                             for _, _, word in reach):
                deadline = previous
        if t_start < low or t_end > high or t_end > span[0] and t_start < span[1]:
            continue
        tensed = verb_tense(token, cues)
        if tensed is None or tensed == "past" and before in cues.not_past_after:
            continue
        if tensed == "future" and cues.not_future_after is not None and cues.not_future_after.fullmatch(before):
            continue  # "konnten ... evakuiert werden": a passive infinitive, no future
        kind = tensed
        following = tokens[position + 1][2].lower() if position + 1 < len(tokens) else ""
        if kind in ("future", "prospective") and following.replace("\u2019", "'") in cues.past_after_modal:
            kind = "past"  # "could have", "would have been"
        elif following in cues.negators and token.lower() in cues.past_when_negated:
            kind = "past"  # "could not be reached Tuesday"
        if any(c_start <= t_start and t_end <= c_end for c_start, c_end in covered):
            continue
        distance = _gap(t_start, t_end, span)
        between = text[t_end:span[0]] if t_end <= span[0] else text[span[1]:t_start]
        if token.lower() in cues.reporting and distance > _REPORTING_REACH and not _ONE_WORD.fullmatch(between):
            distance += _WEAK
        candidates.append((distance, kind, token))
    after = cues.deadline_after.match(text, span[1]) if cues.deadline_after is not None else None
    if deadline is None and after is not None:
        deadline = " ".join(after.group().split())
    if deadline is not None:
        # "extended to Nov. 20", "set Nov. 10 as the deadline": a past verb dates the setting
        # of the deadline, not the deadline; a future verb still places it ahead ("will
        # double its flights by August").
        candidates = [candidate for candidate in candidates if candidate[1] == "future"]
        if not candidates:
            return Tense(None, deadline)
    if not candidates:
        return Tense(None)
    distance, kind, cue = min(candidates)
    return Tense(kind, cue, distance % _WEAK)
