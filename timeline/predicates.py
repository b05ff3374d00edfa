"""Event candidates from a dependency parse: each clause's predicate, and the date that governs it.

A candidate is a verb that heads a clause, a nominal or adjectival predicate with a copula
("has been a lifeline"), or a noun that names a happening ("visit", "invasion"; the list is
``eventive_nouns`` in the grammar's ``[events]``).  Each gets its TimeML-like class, tense and
aspect, polarity and factuality from its own dependents and the verbs above it.

A time expression dates the candidate that governs it in the tree: from the expression's head
word, up the tree to the first candidate.  On the way, a noun of a time frame ("signed
*during a ceremony* on Thursday") passes the date up to its verb, and a verb of intention,
phase or saying passes it down to the event it governs ("*expected* to go …", "*said* he
would …").  Only Universal Dependencies labels and the grammar's word lists are used: the
engine knows no English.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from .grammar import EventWords
from .timexes import Timex

# Dependencies of a clause's head: a verb in one of these relations is a predicate.
CLAUSAL = frozenset({"ROOT", "conj", "ccomp", "xcomp", "advcl", "acl", "acl:relcl", "advcl:relcl", "parataxis",
                     "csubj", "list", "dep"})
# A predicate in one of these relations, up from the root, belongs to the main line of the
# sentence: it may take the story's date when it has none of its own.
MAIN = frozenset({"ROOT", "conj", "parataxis", "ccomp", "xcomp"})
# Added to a date's distance when a report or an intention hands it down to its complement.
HANDED_DOWN = 10
EVENT_CLASSES = ("occurrence", "reporting", "state", "aspectual", "perception", "intension")
# A verb in one of these relations describes a noun ("the falling exports") or is a function word.
NOT_CLAUSAL = frozenset({"amod", "compound", "case", "mark", "det", "fixed", "flat", "aux", "aux:pass", "cop"})
SUBJECTS = ("nsubj", "nsubj:pass", "csubj", "nsubj:outer")
AUXILIARIES = ("aux", "aux:pass", "cop")
# Relations that pass a noun's date to nothing else: the noun itself is the event ("their
# record trade last year", "his February 2022 invasion").
NOMINAL_DATE = frozenset({"nmod", "nmod:unmarked", "nmod:tmod", "nmod:npmod", "compound", "nmod:poss", "amod"})


@dataclass(frozen=True)
class Trigger:
    """The word that names the event: its text, offsets in the document, and lemma."""

    text: str
    start: int
    end: int
    lemma: str

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end, "lemma": self.lemma}


@dataclass
class Candidate:
    """One predicate of one sentence, with what the parse says of it."""

    token: Token
    event_class: str        # occurrence, reporting, state, aspectual, perception, intension
    nominal: bool
    polarity: str           # positive or negative
    factuality: str         # happened, planned, possible, negated
    tense: str | None       # past, present, future, or None (nominal, infinitive)
    aspect: str | None      # perfect, progressive, perfect_progressive, or None
    main: bool
    timex: Timex | None = None
    open_start: bool = False  # dated by "since": a situation that still holds
    reach: int = 0            # steps from the timex to this predicate
    before: Token | None = None  # an eventive noun it is told before ("ahead of the visit")


# Parts of speech that may head an event: every other token (most of a sentence) is passed over at once.
_MAY_HEAD = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "INTJ", "X"})


def is_candidate(token: Token, words: EventWords) -> bool:
    """Whether the token heads an event: a clausal verb, a copular predicate, an eventive noun."""
    pos = token.pos_  # read once: every token of every parsed sentence passes here
    if pos not in _MAY_HEAD:
        return False
    if pos == "VERB" and (token.dep_ in CLAUSAL or token.dep_ not in NOT_CLAUSAL
                          or any(c.dep_ in SUBJECTS for c in token.children) or misattached(token)):
        return True  # a verb heads a clause whatever the parse calls it, unless it modifies a noun
    if pos in ("NOUN", "ADJ", "PROPN") and any(child.dep_ == "cop" for child in token.children):
        return True
    return _eventive_noun(token, words)


# Relations of an argument: a word of the eventive nouns in one is a noun, whatever its tag.
ARGUMENTS = frozenset({"obj", "obl", "nsubj", "nsubj:pass", "nmod", "iobj"})


def _eventive_noun(token: Token, words: EventWords) -> bool:
    """A noun that names a happening; also one the tagger took for an adjective where the parse
    makes it an argument ("to attend a gala": "gala" tagged ADJ, but the object of "attend")."""
    if token.pos_ != "NOUN" and not (token.pos_ in ("ADJ", "INTJ", "X") and token.dep_ in ARGUMENTS):
        return False
    word = _lemma(token)
    if word in words.aspectual and any(c.dep_ == "nmod" and c.pos_ == "NOUN" and _eventive_noun(c, words)
                                       for c in token.children):
        return True  # "the initiation of hostilities", "the start of the war": a phase of a happening
    return word in words.eventive_nouns or token.lower_ in words.eventive_nouns


def dependents(token: Token) -> list[Token]:
    """A predicate's dependents, with those the parse hung on its copula: in "there will be a
    ceremony" the parse may make "there" and "will" dependents of "be", not of "ceremony"."""
    found = list(token.children)
    for copula in [c for c in found if c.dep_ == "cop"]:
        found += [c for c in copula.children if c.dep_ in ("aux", "expl", "advmod", "neg")]
    return found


def bare_participle(token: Token) -> bool:
    """A past participle with no auxiliary of its own or shared, below the sentence's root
    ("..., and unbalanced dynamics tipped unfairly towards the U.S."): it describes; it tells no
    past event of its own.  The tagger often takes a simple past for a participle, so a root with
    a subject ("He also expressed support") is finite, and so is a verb coordinated with one."""
    if misattached(token):
        return False  # "Brandt expressed support", the verb hung on its object: a finite verb
    node = token
    for _ in range(4):
        if "Part" not in feature(node, "VerbForm") or "Past" not in feature(node, "Tense") \
                or any(c.dep_ in ("aux", "aux:pass") for c in dependents(node)) or shared_auxiliaries(node) \
                or finite_before(node):
            return False
        if node.dep_ == "ROOT":
            return not any(c.dep_ in SUBJECTS for c in node.children)
        if node.dep_ != "conj" or any(c.dep_ in SUBJECTS for c in node.children) or node.head.pos_ != "VERB":
            return True
        node = node.head
    return True


def feature(token: Token, name: str) -> list[str]:
    """A morphological feature's values ("Tense" → ["Past"]); none without a morphologizer."""
    morph = token.morph
    key = (hash(morph), name)  # the hash of the whole analysis ("Tense=Past|VerbForm=Fin"), spaCy's key of it
    values = _FEATURES.get(key)
    if values is None:
        values = _FEATURES[key] = tuple(morph.get(name, []))
    return list(values)


# A feature's values per analysis and name: reading them from spaCy's analysis costs a
# microsecond, and the event layer asks about a thousand times per article.  A pipeline
# has a few hundred distinct analyses, so the table stays small.
_FEATURES: dict[tuple[int, str], tuple[str, ...]] = {}


def _lemma(token: Token) -> str:
    lemma = (token.lemma_ or token.text).lower()
    return lemma if lemma.strip() else token.lower_


def lemma(token: Token) -> str:
    """The trigger's lemma, lower-cased (the text itself when the pipeline has no lemmatizer)."""
    return _lemma(token)


def candidates(sentence: Doc | Span, timexes: Iterable[Timex], base: int, words: EventWords,
               end_bounds: frozenset[str]) -> list[Candidate]:
    """The sentence's event candidates in text order, each with the timex that governs it.

    ``base`` is the offset of the parsed text in the document (timexes carry document offsets).
    """
    found = {token.i: _candidate(token, words) for token in sentence if is_candidate(token, words)}
    doc = sentence.doc if isinstance(sentence, Span) else sentence
    for timex in timexes:
        span = doc.char_span(timex.start - base, timex.end - base, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        head = timex_head(span)
        cases = {child.lower_ for child in head.children if child.dep_ in ("case", "mark")}
        cases |= {t.lower_ for t in doc[max(0, span.start - 1):span.start]}  # a preposition the parse missed
        if _bounded(doc, span.start, end_bounds, words.bound_qualifier_words):
            continue  # "until (at least) 2030" bounds a situation; it is not when anything happened
        open_start = bool(cases & words.open_start_prepositions)
        target, reach = _governor(span, found, words, open_start)
        if target is None:  # the parse left the date unattached: the nearest main predicate
            main = [c for c in found.values() if c.main and not c.nominal]
            if not main:
                continue
            nearest = min((c.token for c in main), key=lambda t: abs(t.i - span.start))
            target, reach = _handed_down(nearest, words, open_start), 99
        candidate = found.setdefault(target.i, _candidate(target, words))
        if candidate.timex is None or reach < candidate.reach:
            candidate.timex, candidate.reach = timex, reach
            candidate.open_start = open_start
    return [found[i] for i in sorted(found)]


def _bounded(doc: Doc, start: int, end_bounds: frozenset[str], qualifiers: frozenset[str]) -> bool:
    """Whether an end bound ("until", "through") stands before the timex, "at least" allowed between."""
    before = [t.lower_ for t in doc[max(0, start - 3):start]]
    while before and before[-1] in qualifiers:
        before.pop()
    return bool(before) and before[-1] in end_bounds


def _governor(span: Span, found: dict[int, Candidate], words: EventWords,
              open_start: bool = False) -> tuple[Token | None, int]:
    """The predicate a timex dates: up the tree from its head to the first candidate, a frame
    noun passing the date to its verb, an intention or a report passing it to its complement."""
    inside = range(span.start, span.end)
    node, reach = timex_head(span), 0
    if node.dep_ in NOMINAL_DATE and node.head.pos_ == "NOUN" and node.head.i not in inside and (
            is_candidate(node.head, words) or not any(c.dep_ == "case" for c in node.children)):
        # "their record trade last year", "his February 2022 invasion": the noun itself is what
        # happened; "visited the villages on Wednesday" hung on a noun that names no happening
        # dates the verb above it
        return _frame_to_verb(node.head, words), 1
    while True:
        if node.head.i == node.i:
            return None, 0  # up to the root and no predicate
        node, reach = node.head, reach + 1
        if node.i in inside:
            continue
        verb = _verb_before(node)
        if verb is not None:
            node = verb
            break
        if node.i in found or is_candidate(node, words):
            break
    node = _frame_to_verb(_purpose_to_verb(node, words), words)
    target = _handed_down(node, words, open_start)
    # A date on the report or the intention is weaker than one on the event itself.
    return target, reach if target.i == node.i else reach + HANDED_DOWN


def misattached(verb: Token) -> bool:
    """A verb the parse made a modifier of its object ("Brandt [expressed] support"): it heads the clause."""
    if verb.dep_ not in ("amod", "compound") or verb.head.i <= verb.i:
        return False
    found = _verb_before(verb.head)
    return found is not None and found.i == verb.i


def _verb_before(noun: Token) -> Token | None:
    """A verb the parse made a modifier of the noun after it ("[Halvorsen] conceded defeat",
    "the administration announced tariffs"): a participle modifier opens its noun phrase
    ("the flooded villages"), a verb with no determiner before it has the noun as its object."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    for verb in noun.children:
        if verb.i > noun.i or verb.pos_ != "VERB" or verb.dep_ not in ("amod", "compound") or verb.i == 0:
            continue
        opener = any(c.dep_ in ("det", "nmod:poss", "det:poss") and c.i < verb.i for c in noun.children)
        before = noun.doc[verb.i - 1]
        if not opener and before.pos_ not in ("DET", "ADP", "ADJ", "NUM", "ADV", "CCONJ") and before.whitespace_:
            return verb
    return None


def timex_head(span: Span) -> Token:
    """The word of a timex that attaches it to the sentence: the first one whose head lies
    outside it and that is no punctuation (a wrong arc on "2022" must not move "February 2022")."""
    outside = [t for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i]
    words = [t for t in outside if t.dep_ not in ("punct", "dep")]
    return (words or outside or [span.root])[0]


def _purpose_to_verb(node: Token, words: EventWords) -> Token:
    """"affirmed their commitment to strengthen ties on Thursday": an infinitive on a noun tells
    a purpose, not a happening of that date; the verb above the noun is dated."""
    infinitive = any(c.dep_ == "mark" and c.lower_ in words.infinitive_markers for c in node.children) \
        and not any(c.dep_ in SUBJECTS + AUXILIARIES for c in node.children)
    if (node.dep_ == "acl" and infinitive
            and node.head.head.pos_ == "VERB" and node.head.head.i != node.head.i):
        return node.head.head
    if node.dep_ == "advcl" and infinitive and node.head.pos_ == "VERB" and node.head.i < node.i \
            and any(c.dep_ == "obj" and c.i < node.i for c in node.head.children):
        # "affirmed their commitment [to strengthen ties] on Thursday", the infinitive hung on the verb
        return node.head
    return node


def _frame_to_verb(node: Token, words: EventWords) -> Token:
    """"signed during a ceremony on Thursday": the ceremony is the time frame of the signing."""
    while (node.pos_ in ("NOUN", "PROPN") and node.dep_.startswith("obl") and node.head.pos_ == "VERB"
           and any(c.dep_ == "case" and c.lower_ in words.frame_prepositions for c in node.children)):
        node = node.head
    return node


def _handed_down(node: Token, words: EventWords, open_start: bool = False) -> Token:
    """An intention ("expected to go") or a report ("said it would …") dates what it governs;
    a report dates a reported state only with "since" ("say it has been a lifeline since 2022")."""
    for _ in range(4):
        word = _lemma(node)
        if word in words.intension_verbs:
            following = [c for c in node.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX", "NOUN", "ADJ")]
        elif word in words.reporting_verbs:
            following = [c for c in _reported(node) if open_start or _class(c, words) != "state"]
        else:
            break
        if not following:
            break
        node = following[0]
    return node


def _reported(node: Token) -> list[Token]:
    """The clauses a report governs: its complements, or a clause inside its object where the
    parse buried it ("say [China's support for Russia has been a lifeline]")."""
    found = []
    subjects = [c for c in node.children if c.dep_ in SUBJECTS]
    for child in node.children:
        # a report told after what it reports ("Acme's profits doubled, Doe said"): the parse may
        # make the reported clause a second subject, or hang it on the date before it
        fronted = child.i < node.i and (child.dep_ in ("ccomp", "parataxis")
                                        or child in subjects[:-1] and child.i < subjects[-1].i)
        if child.dep_ in ("ccomp", "parataxis", "obj", "xcomp") and child.i > node.i or fronted:
            found += sorted((t for t in child.subtree if _clausal(t) and t.pos_ != "PRON"), key=lambda t: t.i)[:1]
    if not found:  # "said on Tuesday that inflation would fall", the clause hung on the date
        found = [t for t in node.subtree if t.i > node.i and t.pos_ == "VERB"
                 and any(c.dep_ in SUBJECTS for c in t.children)][:1]
    return found


def _clausal(token: Token) -> bool:
    """A clause, even where the parse calls it an object: a verb, or a word with a copula or subject."""
    return token.pos_ == "VERB" or any(c.dep_ in ("cop",) + SUBJECTS for c in token.children)


def _class(token: Token, words: EventWords) -> str:
    word = _lemma(token)
    children = dependents(token)
    if any(_lemma(v) in words.state_verbs for v in finite_before(token)) or (
            token.dep_ == "xcomp" and token.head.i < token.i and _lemma(token.head) in words.state_verbs):
        return "state"  # "Putin remains committed to ...", however the parse hangs the two verbs
    if any(c.dep_ == "cop" for c in children) and not _be_to(token, words):
        # "there will be a ceremony": an eventive noun with the copula still tells a happening
        eventive = word in words.eventive_nouns and any(c.dep_ == "expl" for c in children)
        return "occurrence" if eventive else "state"
    if token.pos_ != "VERB":
        return "aspectual" if word in words.aspectual else "occurrence"
    if word in words.saying_verbs or word in words.reporting_verbs and any(
            c.dep_ in ("ccomp", "parataxis") for c in children):
        return "reporting"
    if word in words.intension_verbs and any(c.dep_ == "xcomp" for c in children):
        return "intension"
    if word in words.aspectual:
        return "aspectual"
    if word in words.perception_verbs and any(c.dep_ in ("obj", "ccomp") for c in children):
        return "perception"
    if word in words.state_verbs:
        return "state"
    return "occurrence"


def _candidate(token: Token, words: EventWords) -> Candidate:
    event_class = _class(token, words)
    nominal = (token.pos_ in ("NOUN", "PROPN") or _eventive_noun(token, words)) \
        and not any(c.dep_ == "cop" for c in token.children)
    tense, aspect = (None, None) if nominal else tense_aspect(token, words)
    negated = any(c.lower_ in words.negation_words and c.dep_ in ("advmod", "neg", "det", "aux")
                  for c in dependents(token))
    factuality = "negated" if negated else _modality(token, words, tense)
    verb = governing_verb(token) if nominal and factuality == "happened" else None
    if verb is not None:  # "will observe a celebration": the noun is as planned as its verb
        factuality = _modality(verb, words, tense_aspect(verb, words)[0])
    return Candidate(token, event_class, nominal, "negative" if negated else "positive", factuality,
                     "future" if factuality == "planned" and tense is None else tense, aspect, _is_main(token),
                     before=None if nominal else told_before(token, words))


# Relations of the phrases a "before" may open inside a predicate's adverbials, not its clauses.
_ADVERBIAL = frozenset({"obl", "obl:tmod", "obl:npmod", "obl:unmarked", "advmod", "nmod", "compound"})
# Words of a noun's own phrase before it ("the", "his", "state" of "the state visit").
_OPENING = frozenset({"det", "det:poss", "nmod:poss", "amod", "compound", "nummod"})


def told_before(token: Token, words: EventWords) -> Token | None:
    """The eventive noun a predicate is told before ("During an interview *ahead of the visit*,
    Putin emphasized ...", "Prior to the vote, ..."), or None: searched in its adverbial phrases,
    two levels down (the parse may hang "ahead of the visit" on "interview"), not in its clauses."""
    if not words.before_event:
        return None
    stack = [(c, 0) for c in token.children if c.dep_ in _ADVERBIAL and c.dep_ not in ("nmod", "compound")]
    while stack:
        node, depth = stack.pop()
        if node.pos_ == "NOUN" and _eventive_noun(node, words) and _after_phrase(node, words.before_event):
            return node
        if depth < 2:
            stack += [(c, depth + 1) for c in node.children if c.dep_ in _ADVERBIAL]
    return None


def phrase_start(noun: Token) -> int:
    """Where a noun's phrase begins: its determiners and modifiers before it ("[the state] visit")."""
    return min([c.i for c in noun.children if c.dep_ in _OPENING and c.i < noun.i] + [noun.i])


def _after_phrase(noun: Token, phrases: tuple[str, ...]) -> bool:
    """Whether one of ``phrases`` stands right before the noun's phrase ("ahead of [the visit]")."""
    start = phrase_start(noun)
    doc = noun.doc
    for phrase in phrases:
        parts = phrase.split()
        if start >= len(parts) and [t.lower_ for t in doc[start - len(parts):start]] == parts:
            return True
    return False


def _modality(token: Token, words: EventWords, tense: str | None) -> str:
    """planned (will, expected to), possible (may, could), else happened."""
    node = token
    for _ in range(4):
        auxiliaries = [c.lower_ for c in dependents(node) if c.dep_ in ("aux", "aux:pass")]
        if any(a in words.possible_auxiliaries for a in auxiliaries):
            return "possible"
        if any(a in words.future_auxiliaries for a in auxiliaries) or tense == "future":
            return "planned"
        if node is not token and _lemma(node) in words.intension_verbs:
            return "planned"
        if _be_to(node, words):
            return "planned"  # "both leaders are to celebrate", the parse making "are" a copula of the verb
        if node.dep_ != "xcomp" or node.head.i == node.i:
            break
        if any(c.dep_ == "mark" for c in node.children) and _lemma(node.head) in words.copula_lemmas:
            return "planned"  # "both leaders are to celebrate"
        node = node.head
    return "happened"


def _be_to(verb: Token, words: EventWords) -> bool:
    """"are to celebrate" parsed with "are" as the copula of the verb: "be to" + infinitive, a plan."""
    return verb.pos_ == "VERB" and any(c.dep_ == "cop" and _lemma(c) in words.copula_lemmas for c in verb.children) \
        and any(c.dep_ == "mark" and c.lower_ in words.infinitive_markers for c in verb.children)


def governing_verb(noun: Token) -> Token | None:
    """The verb whose object a noun is or is inside ("observe a celebration", "observe [a
    celebration marking 75 years]" however the parse hangs it), not a verb it merely frames
    ("after the concert"), or None."""
    node = noun
    for _ in range(4):
        if node.dep_ in ("obj", "nsubj:pass") or node.dep_ == "obl" and not any(
                c.dep_ == "case" for c in node.children):
            return node.head if node.head.pos_ == "VERB" else None
        if node.dep_ not in ("compound", "amod") or node.head.i == node.i:
            return None
        node = node.head
    return None


def tense_aspect(token: Token, words: EventWords) -> tuple[str | None, str | None]:
    """Tense and aspect of a verbal predicate, from its morphology and its auxiliaries."""
    auxiliaries = [c for c in dependents(token) if c.dep_ in AUXILIARIES] or shared_auxiliaries(token)
    auxiliaries += finite_before(token)
    forms = [(_lemma(a), a.lower_, feature(a, "Tense"), feature(a, "VerbForm")) for a in auxiliaries]
    tense_here = feature(token, "Tense")
    form_here = feature(token, "VerbForm")
    perfect = any(lemma in words.perfect_lemmas for lemma, *_ in forms)
    progressive = "Ger" in form_here or ("Part" in form_here and "Pres" in tense_here)
    aspect = ("perfect_progressive" if perfect and progressive else "perfect" if perfect
              else "progressive" if progressive and any(lemma in words.copula_lemmas for lemma, *_ in forms)
              else None)
    if any(text in words.future_forms for _, text, _, _ in forms):
        return "future", aspect
    for _, _, tense, form in forms:  # the first finite auxiliary carries the tense ("been" carries none)
        if "Fin" in form or tense and not {"Part", "Inf", "Ger"} & set(form):
            if "Past" in tense:
                return "past", aspect
            if "Pres" in tense:
                return "present", aspect
    if "Fin" in form_here or (not auxiliaries and "Past" in tense_here and "Part" not in form_here):
        return ("past" if "Past" in tense_here else "present"), aspect
    if not auxiliaries and "Part" in form_here and "Past" in tense_here:
        return "past", aspect  # a reduced passive: "the republic, proclaimed by Mao in 1949"
    return None, aspect


def finite_before(token: Token) -> list[Token]:
    """A finite verb right before a participle or adjective, which the parse hung on it as a
    modifier ("Putin [remains] committed to ..."): it carries the clause's tense and, when it is
    a verb of state, its class."""
    if token.i == 0:
        return []
    before = token.doc[token.i - 1]
    if before.head.i != token.i or before.pos_ not in ("VERB", "AUX") or before.dep_ in SUBJECTS + AUXILIARIES \
            or not ("Fin" in feature(before, "VerbForm") or "Ind" in feature(before, "Mood")):
        return []
    return [before]


def shared_auxiliaries(token: Token) -> list[Token]:
    """A coordinated verb shares the auxiliaries of the first: "has added pressure and promoted ties";
    after a complement clause, of that clause's verb, the nearer one ("proclaimed that relations
    have stood the test and made contributions", however the parse hangs "made")."""
    if token.dep_ != "conj" or token.head.pos_ not in ("VERB", "AUX"):
        return []
    nearer = [c for c in token.head.children if c.dep_ == "ccomp" and token.head.i < c.i < token.i
              and c.pos_ in ("VERB", "AUX")]
    first = nearer[-1] if nearer else token.head
    return [c for c in first.children if c.dep_ in ("aux", "aux:pass") and c.i < first.i]


def _is_main(token: Token) -> bool:
    """On the main line of the sentence: the root, coordinated or reported clauses, complements."""
    node = token.head if misattached(token) else token  # the verb stands where the parse put its object
    for _ in range(8):
        if node.dep_ == "ROOT" or node.head.i == node.i:
            return True
        if node.dep_ not in MAIN:
            return False
        node = node.head
    return False
