"""Event mentions: what each dated sentence says happened, cut down to a clause.

A DATE or TIME timex dates the clause it sits in.  Without a parser, the clause is
found from punctuation and a few word lists (``[events]`` in the grammar file):
a fronted adverbial ("On Tuesday, ...") dates the main clause after it; a date
inside a subordinate clause ("since Russia initiated its invasion ... in February
2022") dates that clause; otherwise the comma-delimited chunk holding the date.
Durations and sets date nothing by themselves; they stay with the mention of their
sentence ("two-day").  Lines that are not reporting (bylines, "Leave a Reply",
share labels, a repeated headline) yield no mention.

With a parser (see :func:`parsed_mentions`), events come from predicates instead: every
clause's verb or eventive noun is a candidate (:mod:`timeline.predicates`), dated by the time
expression that governs it or by the story's dates (:mod:`timeline.dating`), and summarized
from its parse (:mod:`timeline.summaries`).  The clause heuristics above are the fallback
for a language without a parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

from .dating import BASES, Dating, StoryClock
from .documents import Document
from .grammar import EventWords, Grammar
from .predicates import Candidate, Trigger, candidates, lemma, phrase_start
from .summaries import Discourse, clause_top, note_subject, states_subject, summarize
from .tense import verb_tense
from .timexes import Interval, Timex

# Values that place nothing on a timeline: vague references and unresolved ones.
UNPLACEABLE = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
_CHUNK_BREAK = re.compile(r"\s*(?:[,;:]\s+|\s-\s|\s*[\u2013\u2014]\s*)")
_TOKEN = re.compile(r"[^\W_][\w'\u2019.-]*[^\W_]|[^\W_]")
_SUMMARY_WORDS = 24
_PUNCTUATION = re.compile(r"[^\w\s]")
_PARENTHESES = re.compile(r"\([^)]*\)")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\"]")


@dataclass(frozen=True)
class EventMention:
    """One sentence's report of a happening, with the timex that dates it (None: undated)."""

    document: str
    document_index: int
    sentence: str
    sentence_start: int
    sentence_end: int
    timex: Timex | None
    summary: str
    participants: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    words: frozenset[str] = field(default_factory=frozenset)
    attributes: tuple[Timex, ...] = ()  # durations and sets of the sentence ("two-day")
    # From the parse (the clause heuristics leave the defaults): what the event is ...
    trigger: Trigger | None = None
    event_class: str = "occurrence"
    polarity: str = "positive"
    factuality: str = "happened"
    tense: str | None = None
    aspect: str | None = None
    concepts: frozenset[str] = frozenset()  # trigger lemmas and their synonym groups
    # ... and how it is dated (the heuristics date by ``timex`` only).
    dating: Dating | None = None
    entry: bool = True  # False: a sentence that may only support an event others date
    nominal: bool = False  # the trigger is a noun ("the concert")
    main: bool = True  # on its sentence's main line, not in a relative or adverbial clause

    @property
    def interval(self) -> Interval | None:
        """The mention's date: its own timex's, the story's, the publication day; None: undated."""
        if self.dating is not None:
            return self.dating.interval
        return self.timex.interval if self.timex is not None else None

    @property
    def basis(self) -> str:
        if self.dating is not None:
            return self.dating.basis
        return "explicit" if self.timex is not None else "undated"

    @property
    def position(self) -> tuple[int, int]:
        """Document order: which document, then where in it."""
        if self.trigger is not None:
            return self.document_index, self.trigger.start
        return self.document_index, self.timex.start if self.timex else self.sentence_start


def is_news_line(line: str, words: EventWords, title: str | None = None) -> bool:
    """False for page furniture: bylines, "Leave a Reply", share labels, a repeated headline."""
    stripped = line.strip()
    if not stripped:
        return False
    folded = _fold(stripped)
    if folded in words.boilerplate or (title and folded == _fold(title)):
        return False
    if words.byline is not None and words.byline.match(stripped):
        return False
    if len(stripped.split()) < words.min_line_words and stripped[-1:] not in ".!?\"\u201d'":
        return False  # a label ("مشاركة :") or a short heading
    return True


def _fold(text: str) -> str:
    """Lower case, punctuation as spaces, spacing collapsed: how furniture lines are compared."""
    return " ".join(_PUNCTUATION.sub(" ", text.lower()).split())


def content_words(text: str, words: EventWords) -> frozenset[str]:
    """Lower-cased content words, plural and possessive endings folded, for comparing clauses."""
    # No token spans whitespace: the words of a text are those of its chunks, in order.
    affixes = (words.possessive_suffix, words.plural_suffix, words.not_plural_suffix)
    return frozenset(chain.from_iterable(map(_chunk_words, text.split(), repeat(words.stop_words), repeat(affixes))))


@lru_cache(maxsize=1 << 14)
def _chunk_words(chunk: str, stop_words: frozenset[str], affixes: tuple[str, str, str]) -> tuple[str, ...]:
    """The content words of a chunk without whitespace ("Beijing's," → "beijing").  Cached:
    news repeats its words, and every sentence of every article passes here."""
    return tuple(filter(None, (_content_word(token, stop_words, affixes) for token in _TOKEN.findall(chunk))))


def _content_word(token: str, stop_words: frozenset[str], affixes: tuple[str, str, str]) -> str | None:
    """One token as a content word, or None: without a possessive ending, a plural made singular
    (``affixes``: the possessive, plural and not-plural suffixes of ``[events]``)."""
    possessive, plural, not_plural = affixes
    word = token.lower().replace("\u2019", "'")
    if possessive and word.endswith(possessive):
        word = word[:-len(possessive)]
    short = len(word) < 3 and not token[:1].isupper()  # two-letter names count: "Xi", "Li"
    if word in stop_words or short or len(word) < 2 or word.replace(".", "").isdigit():
        return None
    if plural and len(word) > 4 and word.endswith(plural) and not (not_plural and word.endswith(not_plural)):
        word = word[:-len(plural)]
    return word


def names(text: str, words: EventWords) -> tuple[list[str], list[str]]:
    """Capitalized names in a clause: (participants, places); a place follows "in", "to" ..."""
    participants: list[str] = []
    places: list[str] = []
    for match in words.name_pattern.finditer(text):
        name = _name(match.group(), words.not_names, words.nationality_pattern)
        if len(name) < 2:
            continue
        before = text[:match.start()].rsplit(None, 1)[-1:]  # the word before the name
        target = places if before and before[0].lower() in words.place_prepositions else participants
        if name not in target:
            target.append(name)
    return participants, places


@lru_cache(maxsize=1 << 12)
def _name(found: str, not_names: frozenset[str], nationality: re.Pattern[str]) -> str:
    """A name as listed: leading words that are no names ("On", "The") and a possessive
    dropped; "" for none, or a lone nationality adjective ("Chinese").  Cached: the
    same names recur in every sentence of a story."""
    parts = found.split()
    while parts and parts[0] in not_names:
        parts.pop(0)
    name = " ".join(parts).rstrip(".'\u2019")
    if name.endswith(("'s", "\u2019s")):
        name = name[:-2]
    return "" if nationality.match(name) else name  # "Chinese", "Western" describe, they name no one


def _chunks(sentence: str, keep: tuple[int, int] = (0, 0)) -> list[tuple[int, int]]:
    """The sentence cut at commas, semicolons and dashes, never inside ``keep`` (the date
    itself: "On June 1, 2023, ..."): (start, end) pairs."""
    spans = []
    position = 0
    for match in _CHUNK_BREAK.finditer(sentence):
        if keep[0] <= match.start() < keep[1]:
            continue
        if match.start() > position:
            spans.append((position, match.start()))
        position = match.end()
    if position < len(sentence):
        spans.append((position, len(sentence)))
    return spans


def _first_word(text: str) -> str:
    match = _TOKEN.search(text)
    return match.group().lower() if match else ""


def _clean(text: str, words: EventWords) -> str:
    """A chunk made to read on its own: quotes and parentheses dropped, leading articles
    and conjunctions removed, and a leading participle before a determiner ("noting their
    record trade"), length capped.  Capitalization is left to the caller."""
    text = _PARENTHESES.sub(" ", text)
    text = _DOUBLE_QUOTES.sub("", text)
    tokens = text.split()
    while tokens and (tokens[0].lower() in words.leading_words
                      or tokens[0].endswith(words.participle_endings) and tokens[0][:1].islower() and len(tokens) > 2
                      and tokens[1].lower() in words.leading_words):
        tokens.pop(0)
    return " ".join(tokens[:_SUMMARY_WORDS]).strip(" ,;:.\u2013\u2014-")


def _is_end_bound(sentence: str, timex_start: int, words: EventWords) -> bool:
    """A date after "until", "through" ... bounds a state; it is not when something happened."""
    before = words.bound_qualification.sub("", sentence[:timex_start].rstrip()).split()
    return bool(before) and before[-1].lower() in words.end_bounds


def _with_subject(summary: str, sentence: str, grammar: Grammar) -> str:
    """A clause that starts with its verb borrows the name the sentence opens with:
    "Alexander Gabuev, the director of ..., wrote in a piece" → "Alexander Gabuev wrote ..."."""
    if not summary or not summary[:1].islower() or sentence.startswith(summary):
        return summary
    if verb_tense(summary.split()[0], grammar.tense) is None:
        return summary
    head = sentence.split(",", 1)[0].strip()
    if 1 <= len(head.split()) <= 4 and all(part[:1].isupper() for part in head.split()):
        return f"{head} {summary}"
    return summary


def _display(summary: str) -> str:
    return summary[:1].upper() + summary[1:]


def clause_summary(sentence: str, timex_start: int, timex_end: int, words: EventWords) -> str:
    """The clause a timex dates, as a short summary (offsets relative to the sentence)."""
    chunks = _chunks(sentence, (timex_start, timex_end))
    index = next((i for i, (s, e) in enumerate(chunks) if s <= timex_start < e), None)
    if index is None:
        return _clean(sentence, words)
    start, end = chunks[index]
    before = sentence[start:timex_start]
    after = sentence[timex_end:end]
    # Drop the preposition that introduces the date ("on Thursday", "in March").
    before = words.date_introduction.sub("", before)
    rest = (before + " " + after).strip()
    opener = _first_word(sentence[start:end])
    # A fronted adverbial ends with its date, or with a complement of it: "On Tuesday,",
    # "After the concert on Thursday,", "On the eve of his visit,".  It dates the main clause,
    # except "since": "Since the initiation of hostilities in 2022, Russia has ..." dates the initiation.
    fronted = ((not before.strip() or opener in words.adverbial_openers) and opener not in words.own_date_openers
               and (not after.strip() or _first_word(after) in words.complement_words))
    if fronted and index + 1 < len(chunks) or not rest:
        # "On Tuesday, the administration announced ...": the date belongs to the main clause.
        for later_start, later_end in chunks[index + 1:]:
            first = _first_word(sentence[later_start:later_end])
            # A lowercase "-ing" word opens a participle chunk ("citing inflation,"); a capitalized
            # one mid-sentence is a name ("Boeing delivered ...").
            opener_match = _TOKEN.search(sentence[later_start:later_end])
            participle = (first.endswith(words.gerund_endings) and opener_match is not None
                          and opener_match.group().islower())
            if (first in words.subordinators or first in words.adverbial_openers or first in words.conjunctions
                    or participle):
                continue
            return _clean(sentence[later_start:later_end], words)
    # A date inside a subordinate clause dates that clause ("since Russia initiated ...").
    lowered = before.lower()
    cut = max((m.end() for m in re.finditer(r"\b(?:%s)\b" % "|".join(sorted(words.subordinators)), lowered)),
              default=None) if words.subordinators else None  # none listed: no empty pattern cutting everywhere
    if cut is not None and len((before[cut:] + " " + after).split()) >= 2:
        return _clean(before[cut:] + " " + after, words)
    return _clean(rest, words)


def event_mentions(document: Document, document_index: int, timexes: list[Timex],
                   sentences: list[tuple[int, int]], grammar: Grammar) -> tuple[list[EventMention], list[EventMention]]:
    """(dated, undated) mentions of one document; undated ones may later join an event."""
    words = grammar.events
    dated: list[EventMention] = []
    undated: list[EventMention] = []
    for start, end in news_sentences(document, sentences, words):
        line = document.text[start:end]
        inside = [t for t in timexes if start <= t.start < end]
        attributes = tuple(t for t in inside if t.type in ("DURATION", "SET"))
        placeable = [t for t in inside if t.type in ("DATE", "TIME") and t.interval is not None
                     and t.value not in UNPLACEABLE and not t.resolution.underspecified
                     and not _is_end_bound(line, t.start - start, words)]
        for timex in placeable:
            summary = _with_subject(clause_summary(line, timex.start - start, timex.end - start, words), line, grammar)
            who, where = names(summary, words)
            dated.append(EventMention(
                document.id, document_index, line, start, end, timex, _display(summary), tuple(who), tuple(where),
                content_words(summary, words), attributes,
            ))
        if not placeable:
            summary = _clean(line, words)
            who, where = names(summary, words)
            undated.append(EventMention(
                document.id, document_index, line, start, end, None, _display(summary), tuple(who),
                tuple(where), content_words(line, words), attributes, entry=False,
            ))
    return dated, undated


def placeable(timex: Timex) -> bool:
    """A DATE or TIME with a place on the calendar (not "now", not underspecified)."""
    return (timex.type in ("DATE", "TIME") and timex.interval is not None and timex.value not in UNPLACEABLE
            and not timex.resolution.underspecified)


def news_sentences(document: Document, sentences: list[tuple[int, int]],
                   words: EventWords) -> list[tuple[int, int]]:
    """The sentences that report (page furniture left out), trimmed: (start, end) pairs."""
    kept = []
    text = document.text
    for start, end in sentences:
        line = text[start:end]
        if not is_news_line(line, words, document.title):
            continue
        lead = len(line) - len(line.lstrip())
        kept.append((start + lead, start + lead + len(line.strip())))
    return kept


def parsed_mentions(document: Document, document_index: int, timexes: list[Timex],
                    parses: list[tuple[tuple[int, int], Any]], grammar: Grammar) -> list[EventMention]:
    """Every event candidate of one document, dated, from its parsed news sentences.

    ``parses`` pairs each sentence's (start, end) with its parse (a spaCy Doc of that sentence).
    A sentence none of whose candidates is an entry becomes one support mention (as without a parser).
    """
    words = grammar.events
    clock = StoryClock(document.published)
    discourse = Discourse()
    text = document.text
    mentions: list[EventMention] = []
    paragraph = -1
    for (start, end), parse in parses:
        line_number = text.count("\n", 0, start)
        if line_number != paragraph:
            paragraph = line_number
            clock.new_paragraph()
        line = text[start:end]
        inside = [t for t in timexes if start <= t.start < end]
        attributes = tuple(t for t in inside if t.type in ("DURATION", "SET"))
        parse.user_data["base"] = start
        entries = 0
        dates = [t for t in inside if placeable(t)]
        clauses: dict[int, int] = {}  # a clause's top word → its entry's place in ``mentions``
        first = len(mentions)
        for candidate in candidates(parse, dates, start, words, words.end_bounds):
            mention = _mention(document, document_index, line, start, end, candidate, clock, discourse, grammar,
                               attributes)
            if mention is None:
                continue
            if mention.entry and not candidate.nominal:
                # two predicates the parse gives one clause ("inspected the flooded tunnel on Friday",
                # with "flooded" as a verb) are one mention: the surer date keeps it
                top = clause_top(candidate.token, words).i
                if top in clauses:
                    earlier = mentions[clauses[top]]
                    if BASES.index(earlier.basis) <= BASES.index(mention.basis):
                        continue
                    mentions[clauses[top]] = mention
                    continue
                clauses[top] = len(mentions)
            entries += mention.entry
            mentions.append(mention)
        # A plan told without a date whose own sentence dates the same kind of happening ("will
        # host a concert on Sunday": "a concert" and "host") is that happening, already an entry.
        # One sentence tells a plan once ("are to attend" and "a gala"): the first of its kind stays.
        told = set().union(*(m.concepts for m in mentions[first:] if m.entry))
        kept = []
        for mention in mentions[first:]:
            if not mention.entry and mention.dating is not None and mention.dating.after is not None:
                if not mention.concepts.isdisjoint(told):
                    continue
                told |= mention.concepts & words.kinds
            kept.append(mention)
        mentions[first:] = kept
        used = {m.timex.id for m in mentions if m.timex is not None and m.sentence_start == start}
        verbal = any(t.pos_ in ("VERB", "AUX") for t in parse)  # "2 U.S. music retailer in 2007." tells nothing
        for timex in dates:  # a date the parse hung on no predicate still dates its clause
            if verbal and timex.id not in used and not _is_end_bound(line, timex.start - start, words):
                summary = _with_subject(clause_summary(line, timex.start - start, timex.end - start, words), line,
                                        grammar)
                if not content_words(summary, words):
                    continue  # a dateline ("March 9, 2015"): nothing happens in it
                who, where = names(summary, words)
                mentions.append(EventMention(
                    document.id, document_index, line, start, end, timex, _display(summary), tuple(who),
                    tuple(where), content_words(summary, words), attributes,
                    dating=Dating("explicit", f"'{timex.text}' dates the clause around it (the parse gave it "
                                              "no predicate)", timex.interval, timex)))
                entries += 1
        if not entries:
            summary = _clean(line, words)
            who, where = names(summary, words)
            mentions.append(EventMention(
                document.id, document_index, line, start, end, None, _display(summary), tuple(who), tuple(where),
                content_words(line, words), attributes, dating=Dating("undated", "a sentence that tells no dated "
                                                                                 "event; it may support one"),
                entry=False))
    return mentions


def _mention(document: Document, document_index: int, line: str, start: int, end: int, candidate: Candidate,
             clock: StoryClock, discourse: Discourse, grammar: Grammar,
             attributes: tuple[Timex, ...]) -> EventMention | None:
    """The candidate as a mention, if it founds an event or carries a date; None otherwise
    (it is then only read for what later pronouns and nouns refer to)."""
    words = grammar.events
    token = candidate.token
    prior = None
    if candidate.before is not None:  # "ahead of the visit": the date the article gave the visit
        noun = candidate.before
        prior = (noun.doc[phrase_start(noun):noun.i + 1].text, clock.told_of(_kinds({lemma(noun), noun.lower_}, words)))
    dating = clock.date(candidate, token.text, prior)
    entry = dating.basis != "undated" or (
        document.published is None and candidate.main and not candidate.nominal
        and candidate.event_class in ("occurrence", "aspectual", "perception"))
    if candidate.event_class == "intension":
        entry = False  # what is intended is the event ("expected to go"), dated in its stead
    concepts = _concepts(candidate, words)
    clock.tell(concepts, dating)
    # A planned happening of a known kind, told without a date ("both leaders are to celebrate a
    # gala"), is kept to be told with the dated event of that kind (see chronology._attach).
    planned_kind = dating.after is not None and not concepts.isdisjoint(words.kinds)
    if not entry and dating.basis != "explicit" and not candidate.nominal and not planned_kind:
        note_subject(token, words, discourse)  # summaries cost: none for what is dropped
        return None
    trigger = Trigger(token.text, start + token.idx, start + token.idx + len(token.text), lemma(token))
    summary, subject = summarize(candidate, words, discourse, clock.when(dating))
    if candidate.nominal:
        summary = discourse.nominal(lemma(token), summary)
        if not entry and dating.basis != "explicit" and not planned_kind:
            return None
    discourse.note(subject)
    who, where = names(summary, words)
    if not candidate.nominal and not states_subject(summary, token.doc):
        entry = False  # a clause whose subject the parse lost cannot be told on its own
    return EventMention(
        document.id, document_index, line, start, end, candidate.timex if dating.basis == "explicit" else None,
        summary, tuple(who), tuple(where), content_words(summary, words), attributes,
        trigger=trigger, event_class=candidate.event_class, polarity=candidate.polarity,
        factuality=candidate.factuality, tense=candidate.tense, aspect=candidate.aspect,
        concepts=concepts, dating=dating, entry=entry, nominal=candidate.nominal,
        main=candidate.main)


def _kinds(lemmas: set[str], words: EventWords) -> list[str]:
    """Lemmas and their synonym groups, the lemmas first."""
    return sorted(lemmas) + sorted({words.concept_of[w] for w in lemmas if w in words.concept_of} - lemmas)


def _concepts(candidate: Candidate, words: EventWords) -> frozenset[str]:
    """The trigger's lemma and synonym group; a phase ("initiation of hostilities",
    "initiated its invasion") adds what it is a phase of."""
    token = candidate.token
    own, form = lemma(token), token.lower_
    lemmas = {own, form}  # the form too: a guessed lemma ("invad") misses the list
    if own in words.aspectual:  # "began the war", "the start of the war", "the war began"
        phased = [c for c in token.children if c.dep_ in ("obj", "nmod", "xcomp")] or [
            c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")]
        lemmas |= {lemma(c) for c in phased}
    if own in words.support_verbs:  # "sat down for a concert", "attend a gala": the noun tells what
        lemmas |= {lemma(c) for c in token.children if c.dep_ in ("obj", "obl") and c.lower_ != form
                   and (lemma(c) in words.eventive_nouns or c.lower_ in words.eventive_nouns)}
    kinds = {words.concept_of[w] for w in lemmas if w in words.concept_of}
    if not candidate.nominal:
        # a verb's lemma alone is no kind of happening: "expressed support" and "expressed his
        # ambition" the same day are two events; a noun that names a happening is one ("the ceremony")
        lemmas = {w for w in lemmas if w in words.eventive_nouns} - {own, form}
    return frozenset(lemmas | kinds)
