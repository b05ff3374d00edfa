"""Times counted from an event the text names or has just told: "the day after the vote",
"three hours before the launch", "days later", "hours later", "at the time", "at the same time".

The event itself is no date. What dates it is what a reader uses: the date the text has just
told (the latest date mentioned; in a narrative, the story time, see timeline/discourse.py).
The resolution records that anchor and says that the event is taken to be on it. Without one,
the expression stays what TimeML makes of it: a length ("three days [after the vote]"), a
vague reference, a day left underspecified, or no timex ("at the same time" in news); nothing
is counted from the publication date, which is not when the event happened.

Fields of the rule kind ``event_anchored`` (docs/grammar.md):

- ``num`` (a count, "X" for "days later"), ``unit`` (a unit code), ``direction`` or
  ``direction_word`` (a word of lexicon.direction_word: -1 back, 1 forward);
- ``same``: the anchor's own period ("at the time");
- ``anchor``: ``story`` counts only from the story time of a narrative, ``mention`` from the
  latest date mentioned (the story time first, when there is one), ``sentence`` from the latest
  date mentioned before it in its sentence;
- ``fallback``: what the expression is without an anchor: ``length`` (a DURATION), ``vague``
  (PAST_REF or FUTURE_REF, by direction), ``unknown`` (a
  value of X's at the unit's granularity), ``none`` (no timex: "at the time", "at the same time"
  in news with no date before them in their sentence).
"""
from __future__ import annotations

from datetime import timedelta

from .matching import Mention
from .periods import Period
from .resolvers.amounts import vague_outcome
from .resolvers.context import UNIT_STEPS, UNIT_WORDS, Context, Outcome
from .values import UNKNOWN_VALUES, unit_value

# Units finer than a day: "hours later" lands on the day of its anchor, or its clock.
_CLOCK_MINUTES = {"TM": 1, "H": 60}


def event_anchored(mention: Mention, ctx: Context) -> Outcome | None:
    """Resolve a time counted from an event (see the module docstring)."""
    f = mention.fields
    unit, num = f.get("unit", "D"), f.get("num", 1)
    direction = f.get("direction") or (-1 if f.get("direction_word") == -1 else 1)
    anchor = _anchor(mention, ctx)
    if anchor is None:
        return _without_anchor(mention, ctx, unit, num, direction)
    base, label, where = anchor
    if f.get("same"):
        return Outcome(base.value(), base, anchor=label, anchor_value=base.value(), direction="same",
                       reason=f"the time of {where} {base.value()}")
    words = f"{num if isinstance(num, int) else 'some'} {UNIT_WORDS.get(unit, unit)}" \
            f"{'' if num == 1 else 's'} {'before' if direction < 0 else 'after'}"
    event = " an event taken to be on" if f.get("event") else ""
    if unit in _CLOCK_MINUTES:
        if isinstance(num, int) and base.granularity in ("minute", "hour"):
            # "At 9:30 the polls opened; three hours later ...": the clock moves.
            moment = base.start + timedelta(minutes=num * _CLOCK_MINUTES[unit] * direction)
            period = Period.containing(moment, "minute")
        else:  # "hours later", told of a day: that day (a reader does not cross midnight unasked)
            period = Period.containing(base.start, "day") if base.granularity in ("minute", "hour") else base
        return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                       direction="past" if direction < 0 else "future",
                       reason=f"{words}{event} {where} {base.value()}: "
                              + ("its clock moved" if period.granularity == "minute" else "that period"))
    if unit not in UNIT_STEPS:
        return None
    granularity, per_unit = UNIT_STEPS[unit]
    if not isinstance(num, int):
        # "days later": after the anchor by a number of days the text does not give.
        return Outcome(UNKNOWN_VALUES.get(granularity, "XXXX"), anchor=label, anchor_value=base.value(),
                       direction="past" if direction < 0 else "future", underspecified=True,
                       reason=f"{words}{event} {where} {base.value()}: how many is not said")
    period = Period.containing(base.start, granularity).shift(num * per_unit * direction)
    return Outcome(period.value(), period, anchor=label, anchor_value=base.value(),
                   direction="past" if direction < 0 else "future", reason=f"{words}{event} {where} {base.value()}")


def _anchor(mention: Mention, ctx: Context) -> tuple[Period, str, str] | None:
    """The date the event is taken to be on: the story time of a narrative, else (for
    ``anchor = "mention"``) the latest date mentioned, or (``anchor = "sentence"``) the latest
    date mentioned earlier in the same sentence; never the publication date."""
    story = ctx.story(mention, "century")
    if story is not None:
        return story.period, story.label, "the story time"
    anchor = mention.fields.get("anchor")
    if anchor not in ("mention", "sentence"):
        return None
    found = ctx.reference("century")
    if found is None or found[1] == "publication":
        return None
    if anchor == "sentence" and _start_of(found[1]) < ctx.sentence_of(mention.start)[0]:
        return None  # "at the time" with no date before it in its sentence: the text does not say
    return found[0], found[1], "the latest date mentioned,"


def _start_of(label: str) -> int:
    """Where the mention labelled ``label`` starts (resolvers.context.mention_label: "mention@<start>")."""
    return int(label.rpartition("@")[2])


def _without_anchor(mention: Mention, ctx: Context, unit: str, num: object, direction: int) -> Outcome | None:
    """No date in the text dates the event: the expression as TimeML has it without one."""
    fallback = mention.fields.get("fallback")
    if fallback == "none":
        return None  # "at the same time" in news: a connective, no time
    if fallback == "length":
        value = unit_value(num, unit)
        return None if value is None else Outcome(value, type="DURATION", reason="a length: no date in the "
                                                  "text places the event it is counted from")
    if fallback == "vague":
        return vague_outcome("PAST_REF" if direction < 0 else "FUTURE_REF", ctx,
                              f"an unspecified time {'before' if direction < 0 else 'after'}: no date in the "
                              "text places what it is counted from")
    granularity = UNIT_STEPS.get(unit, ("day", 1))[0]
    return Outcome(UNKNOWN_VALUES.get(granularity, "XXXX-XX-XX"), underspecified=True,
                   reason="counted from an event that no date in the text places: left underspecified")
