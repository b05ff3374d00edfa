"""Summaries a journalist can paste: subject, predicate and core complements, from the parse.

A clause's summary is read from the sentence in its own word order, and the parse decides
where things begin and end: the subject is the noun phrase right before the verb group, the
predicate runs from the verb group to the first boundary (punctuation, a subordinate or
relative clause, a clause the parse hangs on the verb).  Word order keeps a coordination or
a titled name whole where the parser errs inside it, and the parse keeps clauses apart.
Never more than ``MAX_WORDS`` words, never cut mid-phrase; parentheses, quotes and the dating
expression are left out.  A relative pronoun names its antecedent, a personal pronoun the
participant it refers to ("They" → "Xi and Putin"), a possessive pronoun its owner in the
sentence; a clause without a subject borrows the one it depends on; an agentive passive in
the past turns active ("proclaimed by Mao Zedong" → "Mao Zedong proclaimed ...").  An event
named by a noun reads as its noun phrase, or as the clause of the verb it is an argument of.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .grammar import EventWords
from .predicates import (
    AUXILIARIES,
    SUBJECTS,
    Candidate,
    dependents,
    feature,
    finite_before,
    governing_verb,
    shared_auxiliaries,
)

MAX_WORDS = 25
# Inside an argument: dependents left out of a summary.
DROPPED = frozenset({"acl:relcl", "appos", "parataxis", "advcl", "advcl:relcl", "dep", "discourse", "vocative",
                     "list", "reparandum", "dislocated", "punct", "cc:preconj", "mark"})
# Of a noun that is the event: its determiners, modifiers and complements.
NOMINAL = frozenset({"det", "nmod:poss", "amod", "compound", "nummod", "nmod", "case", "acl", "flat", "nmod:desc",
                     "nmod:unmarked", "det:predet", "conj", "cc", "fixed"})
# Inside a kept phrase, the complements of a verb it holds ("decision to raise interest rates").
_INNER = frozenset({"obj", "obl", "nmod", "xcomp", "aux"})
_QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019()[]")
_DOUBLE_QUOTES = frozenset("\"\u201c\u201d\u2018")
# A longer run of words before the verb is not one noun phrase: the parse's subject is read instead.
MAX_SUBJECT_WORDS = 15
_NO_SPACE_BEFORE = (",", ".", ";", ":", "'s", "\u2019s", "n't", "%", ")")


@dataclass(frozen=True)
class Subject:
    """A clause's subject as its summary names it."""

    text: str
    named: bool         # headed by a name ("Putin", "President Vladimir Putin"), not a common noun
    plural: bool        # coordinated ("Xi and Putin") or a plural noun
    own: bool           # the clause's own words, not borrowed from another clause or a pronoun's referent
    proper_start: bool  # opens with a name, so it keeps its capital inside a sentence
    tokens: tuple[int, ...] = ()  # the sentence's words it is, when it is read off the sentence as is


@dataclass
class Discourse:
    """What earlier sentences of the document named, for pronouns: the last plural subject
    ("Xi and Putin", "the two ministers") and the last named single subject ("Putin")."""

    plural: str | None = None
    singular: str | None = None
    # The fullest phrase each eventive noun had so far: "the concert" names the concert told before.
    nominals: dict[str, str] = field(default_factory=dict)

    def nominal(self, word: str, summary: str) -> str:
        """A bare "the concert" takes the fuller phrase an earlier mention gave the same noun."""
        known = self.nominals.get(word)
        if known is not None and len(summary.split()) <= 2 and len(known.split()) > len(summary.split()):
            return known
        if len(summary.split()) > len((known or "").split()):
            self.nominals[word] = summary
        return summary

    def note(self, subject: Subject | None) -> None:
        """Remember a clause's own subject that names someone, for the pronouns after it."""
        if subject is None or not subject.own:
            return
        if subject.plural:  # "Xi and Putin", "the two ministers": what a later "they" stands for
            self.plural = subject.text
        elif subject.named:  # "he" and "she" stand for people, named
            self.singular = subject.text

    def refer(self, pronoun: Token, words: EventWords) -> str | None:
        word = pronoun.lower_
        if word in words.plural_pronouns:
            return self.plural
        if word in words.singular_pronouns:
            return self.singular
        return None


def summarize(candidate: Candidate, words: EventWords, discourse: Discourse,
              when: str = "past") -> tuple[str, Subject | None]:
    """The candidate's summary, and the subject it names (None for a nominal event or none found).

    ``when`` ("past", "present" or "future": the event's date against the publication day) sets
    the tense of a clause the summary has to make ("the falling exports" → "exports were falling").

    A clause reads from its subject to the end of its predicate's phrase, in text order: the
    subject is the noun phrase right before the verb group (a coordination or a long name
    whole, however the parse attached its parts), the predicate runs to the first boundary
    (punctuation, a subordinate or relative clause, a coordinated clause), without the dating
    expression and parentheses.  The parse decides which words head the clause and where its
    dependent clauses begin; the word order bounds what a misattached arc could add or cut.
    """
    token = candidate.token
    skip = _timex_tokens(candidate)
    verb = token.head if token.dep_ in ("obj", "obl") and token.head.pos_ == "VERB" else governing_verb(token)
    if candidate.nominal and verb is not None and verb.i < token.i:
        # "the two leaders sat down for a celebratory concert": the clause tells who, and what
        told = _told(verb, skip, words, discourse)
        if told is not None:
            return told, None
    if candidate.nominal:  # "the concert", without the "after" that relates it to something else
        chosen = _phrase(token, NOMINAL, skip, words) - {c.i for c in token.children if c.dep_ == "case"
                                                          and c.i < token.i}
        for own in (c for c in token.children if c.dep_ in SUBJECTS):  # a verb the parse took for a noun
            chosen |= _phrase(own, NOMINAL, skip, words) | {c.i for c in token.children if c.dep_ == "amod"
                                                                 and c.pos_ == "VERB"}
        chosen = _fit(token, _bounded(token, chosen, words))
        chosen |= _existential(token, words)
        owner = _possessor(token, chosen, words)
        clause = _owner_does(token, chosen, owner, words, when)
        if clause is not None:  # "their meeting" → "the two leaders met"
            return _finish(clause), None
        if owner is not None:
            return _finish(_join(token.doc, chosen - {owner[0].i}, prefix=owner[1])), None
        gerund = _describing_gerund(token, chosen, words)
        if gerund is not None and words.progressive_be:
            # "the falling Chinese exports to Russia" tells that the exports were falling
            be = _progressive_be(words, when, "Plur" in feature(token, "Number"))
            return _finish(f"{_text(token.doc, chosen - {gerund.i})} {be} {gerund.text}"), None
        return _finish(_text(token.doc, chosen)), None
    top = clause_top(token, words)
    noun = top.head
    if top.dep_ == "acl" and noun.dep_ in ("obj", "obl") and noun.head.pos_ == "VERB" and noun.head.i < noun.i \
            and all(c.i in skip or c.is_punct for c in top.children):
        # "wrote in a piece published this week": a bare participle dates its noun, the clause tells
        # it, and the participle leaves with its date (not a dangling "published")
        told = _told(noun.head, skip | {top.i}, words, discourse)
        if told is not None:
            return told, None
    # "since commencing a new term", last week: "Putin commenced a new term", where the grammar
    # knows the verb's past; else "Putin was commencing ..."
    past = simple_past(top, words) if when == "past" and gerund_clause(top) else None
    subject = clause_subject(top, skip, words, discourse, when=when, progressive=past is None)
    forms = {top.i: past} if past is not None and subject is not None and not subject.own else {}
    active = _active(top, subject, skip, words)
    if active:
        return _finish(active), subject
    doc = top.doc
    predicate = _predicate_span(top, skip, words)
    budget = MAX_WORDS - (len(subject.text.split()) if subject is not None else 0)
    chosen = _cut(top, predicate, budget, words)
    fronted = [c for c in top.children if c.dep_ in ("ccomp", "parataxis") and c.i < top.i
               and c.pos_ in ("VERB", "AUX")]
    if top.dep_ == "parataxis" and top.head.i < top.i and top.head.pos_ in ("VERB", "AUX"):
        fronted.append(top.head)  # the parse hung the report on what it reports
    if fronted and not any(i > top.i for i in chosen) and subject is not None:
        # "The change will occur within six months, Apple announced": the announcement is of the change
        told = summarize_clause(fronted[0], skip, words, discourse)
        if told:
            head = subject.text if not subject.tokens else _text(doc, chosen | set(subject.tokens))
            told = told if _proper(fronted[0]) else told[:1].lower() + told[1:]
            return _finish(f"{head} {told}"), subject
    if subject is not None and subject.tokens:
        told = _text(doc, chosen | set(subject.tokens), forms=forms)
    else:
        told = _join(doc, chosen, prefix=subject.text if subject is not None else "", forms=forms)
    return _finish(_quoting(told, top, chosen, skip, words)), subject


def _existential(noun: Token, words: EventWords) -> set[int]:
    """"There will be no parade": a noun that is the subject of an existential "be" reads with
    it (the expletive, the auxiliaries and the verb), else nothing."""
    verb = noun.head
    if noun.dep_ not in SUBJECTS or verb.i > noun.i or (verb.lemma_ or verb.lower_).lower() not in words.copula_lemmas:
        return set()
    expletive = [c.i for c in verb.children if c.dep_ == "expl" and c.i < verb.i]
    if not expletive:
        return set()
    return {verb.i, *expletive, *(c.i for c in verb.children if c.i < noun.i and (
        c.dep_ in ("aux", "aux:pass") or c.dep_ in ("advmod", "neg") and c.lower_ in words.negation_words))}


def _describing_gerund(noun: Token, chosen: set[int], words: EventWords) -> Token | None:
    """A present participle of a verb of change that describes the noun from before it ("the
    falling exports"), or None: "the opening ceremony" is a kind of ceremony, not one that opens."""
    for child in noun.children:
        if child.i < noun.i and child.i in chosen and child.dep_ in ("amod", "compound") and child.pos_ == "VERB" \
                and _present_participle(child) and not any(True for _ in child.children) \
                and (child.lemma_ or child.lower_).lower() in words.change_verbs:
            return child
    return None


def _present_participle(token: Token) -> bool:
    return "Ger" in feature(token, "VerbForm") or (
        "Part" in feature(token, "VerbForm") and "Pres" in feature(token, "Tense"))


def gerund_clause(top: Token) -> bool:
    """A clause of a present participle without a subject or an auxiliary ("since commencing a
    new term", "..., noting their record trade"): it borrows the subject of the clause above."""
    return top.dep_ == "advcl" and _present_participle(top) and not any(
        c.dep_ in AUXILIARIES + SUBJECTS for c in top.children)


def simple_past(participle: Token, words: EventWords) -> str | None:
    """The simple past of a present participle's verb ("commencing" → "commenced", "meeting" →
    "met"), or None where the grammar cannot tell it: the lemma must account for the participle
    as written ("commenc-ing" of "commence", "runn-ing" of "run"), and a regular past must follow
    from the lemma's spelling (not "visit", "stop": a consonant, a vowel, a consonant)."""
    lemma = (participle.lemma_ or "").lower()
    text = participle.lower_
    if not lemma or not words.gerund_suffix or not text.endswith(words.gerund_suffix):
        return None
    stem = text[:-len(words.gerund_suffix)]
    if stem not in (lemma, lemma + lemma[-1:]) and not (words.silent_e and stem + words.silent_e == lemma):
        return None
    irregular = words.irregular_simple_past.get(lemma)
    if irregular is not None:
        return irregular
    if not words.regular_past or words.uncertain_past is None or words.uncertain_past.search(lemma) \
            or stem != lemma and stem + words.silent_e != lemma:
        return None
    ending = max((e for e in words.regular_past if lemma.endswith(e)), key=len)
    return lemma[:len(lemma) - len(ending)] + words.regular_past[ending]


def _progressive_be(words: EventWords, when: str, plural: bool) -> str:
    """The form of "be" before a present participle, by tense and number ("were" falling)."""
    table = words.progressive_be
    return table.get(f"{when}_plural" if plural else when) or table.get(when) or table.get("past", "")


def summarize_clause(top: Token, skip: set[int], words: EventWords, discourse: Discourse) -> str:
    """A clause's subject and predicate as text, without capitalizing it."""
    subject = clause_subject(top, skip, words, discourse)
    if subject is None:
        return ""
    chosen = _cut(top, _predicate_span(top, skip, words), MAX_WORDS - len(subject.text.split()), words)
    if subject.tokens:
        return _text(top.doc, chosen | set(subject.tokens))
    return _join(top.doc, chosen, prefix=subject.text)


def _proper(top: Token) -> bool:
    """Whether the clause opens with a name, which keeps its capital."""
    first = top.left_edge
    return first.pos_ == "PROPN" or _name_like(first)


def _told(verb: Token, skip: set[int], words: EventWords, discourse: Discourse) -> str | None:
    """The clause of the verb a noun is an argument of, when the verb's subject is read off the
    sentence and the clause keeps the noun, else None."""
    subject = clause_subject(verb, skip, words, discourse)
    if subject is None or not subject.tokens:
        return None
    chosen = _cut(verb, _predicate_span(verb, skip, words), MAX_WORDS - len(subject.text.split()), words)
    if not any(t.i in chosen for t in verb.children if t.dep_ in ("obj", "obl")):
        return None
    return _finish(_quoting(_text(verb.doc, chosen | set(subject.tokens)), verb, chosen, skip, words))


# Opening quotation marks and the marks that close them.
_CLOSING = {"\u201c": "\u201d", "\"": "\"", "\u2018": "\u2019"}
_ELLIPSIS = " \u2026"
# Punctuation that ends the first clause of a quotation.
_CLAUSE_END = frozenset({",", ";", ":", ".", "!", "?", "\u2013", "\u2014", "\u201d", "\"", "\u2019"})


def _quoting(summary: str, verb: Token, chosen: set[int], skip: set[int], words: EventWords) -> str:
    """A report's summary with what it reports, when that is direct speech after a colon or a
    comma ("wrote in a piece: “Never since the fall of the Soviet Union has Russia been so
    distant from Europe …”"): the quotation's first clause, as written, if the summary keeps
    within ``MAX_WORDS``; "…" marks where the quotation goes on."""
    if (verb.lemma_ or verb.lower_).lower() not in words.reporting_verbs or not chosen:
        return summary
    doc = verb.doc
    i = max(chosen) + 1
    while i in skip:
        i += 1
    if i + 1 >= len(doc) or doc[i].text not in (":", ",") or doc[i + 1].text not in _CLOSING:
        return summary
    opening = doc[i + 1].text
    end = next((j for j in range(i + 2, len(doc)) if doc[j].text in _CLAUSE_END), len(doc))
    quoted = doc[i + 2:end]
    if not len(quoted) or len(summary.split()) + len(quoted.text.split()) > MAX_WORDS:
        return summary
    more = end < len(doc) and doc[end].text != _CLOSING[opening] and not (
        end + 1 < len(doc) and doc[end + 1].text == _CLOSING[opening])
    return f"{summary}: {opening}{quoted.text}{_ELLIPSIS if more else ''}{_CLOSING[opening]}"


def _owner_does(noun: Token, chosen: set[int], owner: tuple[Token, str] | None, words: EventWords,
                when: str) -> str | None:
    """An eventive noun its possessor does, told as a clause in the tense of its date: "their
    meeting" (the pronoun's owner named) → "the two leaders met", "Blinken's visit to China" →
    "Blinken visited China"; None unless the possessor stands right before the noun (not "his
    first foreign trip"), the grammar gives the noun's verb, and the complement the verb takes as
    its object opens with the preposition the grammar says ("visit [to] China")."""
    verb = words.verb_of_noun.get((noun.lemma_ or noun.lower_).lower()) or words.verb_of_noun.get(noun.lower_)
    if verb is None or when not in ("past", "future") or noun.i == 0 or not words.future_auxiliary:
        return None
    doc = noun.doc
    before = doc[noun.i - 1]
    if owner is not None and owner[0].i == noun.i - 1:  # "their meeting"
        subject = _without_possessive(owner[1], words)
    elif before.text in words.possessive_markers and before.i - 1 in chosen:  # "Blinken's visit"
        subject = _text(doc, {i for i in chosen if i < before.i})
    else:
        return None
    past, lemma, preposition = verb
    after = sorted(i for i in chosen if i > noun.i)
    if preposition:
        if not after or doc[after[0]].lower_ != preposition:
            return None
        after = after[1:]
    if not subject or not _nominal(doc[before.i - 1]) and owner is None:
        return None
    told = past if when == "past" else f"{words.future_auxiliary} {lemma}"
    return " ".join(part for part in (subject, told, _text(doc, set(after), keep_preposition=True)) if part)


def _without_possessive(owner: str, words: EventWords) -> str:
    """"the two leaders’" → "the two leaders"."""
    for marker in sorted(words.possessive_markers, key=len, reverse=True):
        if owner.endswith(marker):
            return owner[:-len(marker)]
    return owner


def _possessor(token: Token, chosen: set[int], words: EventWords) -> tuple[Token, str] | None:
    """An event noun's possessive pronoun and what it stands for ("his February 2022 invasion" →
    "Putin's invasion"), or None."""
    owner = next((c for c in token.children if c.dep_ == "nmod:poss" and c.i in chosen), None)
    text = _owner(owner, words) if owner is not None else None
    return (owner, text) if owner is not None and text is not None else None


def _owner(pronoun: Token, words: EventWords) -> str | None:
    """What a possessive pronoun stands for in its own sentence, as a possessive: "their" the
    nearest plural noun phrase before it ("the leaders' commitment to enhancing their
    relationship" → "the leaders'"), "his"/"her" the name the sentence opens with ("Putin,
    whose economy ... since his invasion" → "Putin's").  None when the sentence gives none."""
    if pronoun.pos_ != "PRON" or "Yes" not in feature(pronoun, "Poss") or _relative(pronoun, words) \
            or not words.possessive_ending:
        return None
    doc = pronoun.doc
    if "Plur" in feature(pronoun, "Number"):
        for i in range(pronoun.i - 1, -1, -1):
            if doc[i].pos_ in ("NOUN", "PROPN") and "Plur" in feature(doc[i], "Number"):
                span, _ = _left_span(doc, i, set(), words, passed=True)
                if span:
                    marker = doc[i + 1] if i + 1 < pronoun.i and doc[i + 1].text[:1] in "'\u2019" else None
                    return _text(doc, set(span)) + (marker.text if marker is not None else _possessive(doc[i], words))
        # "after their meeting ..., the two leaders sat down": a fronted phrase names them after it
        later = next((t for t in doc[pronoun.i + 1:] if t.dep_ in SUBJECTS and t.pos_ in ("NOUN", "PROPN")
                      and ("Plur" in feature(t, "Number") or any(c.dep_ == "conj" for c in t.children))), None)
        if later is not None and any(t.is_punct for t in doc[pronoun.i:later.i]):
            span, _ = _left_span(doc, later.right_edge.i if later.dep_ != "conj" else later.i, set(), words)
            if span and later.i in span:
                return _text(doc, set(span)) + _possessive(later, words)
        return None
    if not feature(pronoun, "Gender") or "Neut" in feature(pronoun, "Gender"):
        return None  # "its" may stand for anything; "his" and "her" for a person
    name = []
    for t in doc[:pronoun.i]:
        if not _name_like(t) and t.pos_ != "PROPN":
            break
        name.append(t)
    if not name or any(t.pos_ == "CCONJ" for t in name):
        return None
    return " ".join(t.text for t in name) + words.possessive_ending


def _bounded(token: Token, chosen: set[int], words: EventWords) -> set[int]:
    """A noun's phrase as far as the sentence runs on from it without a boundary ("its launch in
    2003 [and that as of February ...]")."""
    doc = token.doc
    end = next((i for i in range(token.i + 1, len(doc)) if _right_break(doc[i], words) or doc[i].pos_ == "CCONJ"
                and i + 1 < len(doc) and (doc[i + 1].pos_ == "SCONJ" or doc[i + 1].dep_ == "mark")), len(doc))
    return {i for i in chosen if i < end}


def _possessive(head: Token, words: EventWords) -> str:
    """The possessive ending for a noun phrase headed by ``head`` ("the leaders'", "Putin's")."""
    if "Plur" in feature(head, "Number") and words.plural_suffix and head.lower_.endswith(words.plural_suffix) \
            and words.possessive_ending_plural:
        return words.possessive_ending_plural
    return words.possessive_ending


def _name_like(token: Token) -> bool:
    """A word of a name: a proper noun, or a capitalized word inside the sentence (the parse may
    tag "Xi" as a preposition or "Kyiv" as an adverb)."""
    return token.pos_ == "PROPN" or (token.i > 0 and token.text[:1].isupper() and token.is_alpha)


def _nominal(token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN", "PRON", "NUM") or _name_like(token)


def _relative(token: Token, words: EventWords) -> bool:
    """A relative pronoun ("who", "which", "whose"), not "that" as a determiner."""
    if _name_like(token):
        return False
    if "Rel" in feature(token, "PronType"):
        return True
    word = token.lower_  # the two sets asked in turn: a union would be built on every call
    return (word in words.relative_pronouns or word in words.possessive_relatives) and token.pos_ == "PRON"


def _group_start(top: Token, words: EventWords) -> int:
    """Where the verb group begins: the first auxiliary, copula or negation before the predicate."""
    before = [c.i for c in dependents(top) if c.i < top.i and (
        c.dep_ in AUXILIARIES or c.dep_ in ("advmod", "neg") and c.lower_ in words.negation_words)]
    return min(before + [t.i for t in finite_before(top)] + [top.i])


def clause_subject(top: Token, skip: set[int], words: EventWords, discourse: Discourse,
                   depth: int = 0, when: str = "past", progressive: bool = True) -> Subject | None:
    """The subject a clause's summary opens with.

    The noun phrase right before the verb group, back to punctuation, a verb, a subordinator
    or a relative pronoun: that takes "Chinese leader Xi Jinping and Russian President Vladimir
    Putin" whole whatever arcs the parse drew inside it.  A phrase set off by commas between
    subject and verb (", whose economy ...,", ", accompanied by ...,", ", the director of ...,")
    is passed over.  A relative pronoun names its antecedent ("whose economy" → "Putin's
    economy"), a personal pronoun the participant it refers to.  Without a noun phrase there:
    the subject of the clause this one depends on (a coordinated verb, a complement), else the
    parse's.
    """
    doc = top.doc
    finite = "Fin" in feature(top, "VerbForm") or "Ind" in feature(top, "Mood")
    if top.dep_ == "acl" and not finite and not any(c.dep_ in SUBJECTS + ("obj",) for c in top.children):
        # A participle describes the noun before it: "their relationship established in 2022" reads
        # "their relationship was established"; set off by a comma, the parse's noun (below).
        span: list[int] = []
        stop: Token | None = None
        if top.i > 0 and not doc[top.i - 1].is_punct and _participle(top):
            span, _ = _left_span(doc, top.i - 1, skip, words)
            prepositions = [k for k, j in enumerate(span) if doc[j].pos_ == "ADP" and not _name_like(doc[j])]
            span = _trim(doc, span[prepositions[-1] + 1:] if prepositions else span)
            if span:
                subject = _as_subject(doc, span, own=False, words=words)
                if not any(c.i > top.i and not c.is_punct for c in top.children):
                    return subject  # a bare participle reads active: "Acme's profits doubled, Doe said"
                verb = words.past_passive_plural if subject.plural else words.past_passive_singular
                return Subject(f"{subject.text} {verb}", subject.named, subject.plural, False,
                               subject.proper_start)
    else:
        span, stop = _left_span(doc, _group_start(top, words) - 1, skip | _ccs(top), words)
        if len(span) > 1 and top.dep_ == "ccomp" and doc[span[0]].lower_ in words.complementizers:
            span = span[1:]  # "said that inflation would fall", "that" read as a determiner
    if stop is not None and _relative(stop, words):
        antecedent = _antecedent(stop, words)
        if antecedent is not None:
            if stop.lower_ in words.possessive_relatives and span and words.possessive_ending:
                return Subject(f"{antecedent.text}{words.possessive_ending} {_text(doc, set(span))}",
                               True, False, False, antecedent.proper_start)
            if not span:
                return antecedent
    if span and _inside_other_clause(doc, span, top):
        span = []  # "the committee that the council set up to review [the rules] approved": not its subject
    if span:
        if len(span) == 1 and doc[span[0]].pos_ == "PRON":
            pronoun = doc[span[0]]
            referent = discourse.refer(pronoun, words)
            if referent is not None:
                return Subject(referent, True, pronoun.lower_ in words.plural_pronouns, False, True)
            return Subject(pronoun.text, False, False, False, False)
        return _as_subject(doc, span, own=True, words=words)
    if top.dep_ in ("conj", "xcomp") and top.head.i < top.i and depth < 3:
        # "X proclaimed that relations have stood the test and made contributions": a verb after a
        # complement clause is coordinated with that clause's verb, the nearer one
        nearer = [c for c in top.head.children if c.dep_ == "ccomp" and top.head.i < c.i < top.i
                  and c.pos_ in ("VERB", "AUX") and top.dep_ == "conj"]
        borrowed = clause_subject(nearer[-1] if nearer else top.head, skip, words, discourse, depth + 1)
        if borrowed is not None:
            return Subject(borrowed.text, borrowed.named, borrowed.plural, False, borrowed.proper_start)
    parsed = _subject(top)
    if parsed is None or parsed.i in skip or top.dep_ == "acl" and any(c.dep_ == "obj" for c in top.children):
        return None  # a verb with an object describes no noun: its own subject is lost, none is safer
    if parsed.head.i != top.i:  # borrowed from the clause above, or the noun a participle describes
        gerund = gerund_clause(top)
        if gerund:  # "Putin's visit, ... since commencing a new term": who commenced is the visit's owner
            parsed = _agent_of(parsed, words) or parsed
        relative = next((c for c in parsed.children if c.dep_ == "nmod:poss" and _relative(c, words)), None)
        antecedent = _antecedent(relative, words) if relative is not None else None
        if antecedent is not None:
            # "Putin, whose economy has become ..., hailed ..., noting ...", the parse making the relative
            # clause the sentence's root: who notes is the one the relative clause is about
            text = antecedent.text + (" " + _progressive_be(words, when, antecedent.plural)
                                      if gerund and progressive and words.progressive_be else "")
            return Subject(text, antecedent.named, antecedent.plural, False, antecedent.proper_start)
        text = _subject_text(parsed, skip | set(_indexes(top.subtree)), words, discourse)
        if _reduced_passive(top, parsed):
            text += " " + (words.past_passive_plural if _plural(parsed) else words.past_passive_singular)
        elif gerund and progressive and text and words.progressive_be:
            text += " " + _progressive_be(words, when, _plural(parsed))
        own = False
    else:
        text, own = _subject_text(parsed, skip, words, discourse), parsed.pos_ != "PRON"
    if not text:
        return None
    return Subject(text, parsed.pos_ == "PROPN", _plural(parsed), own,
                   parsed.left_edge.pos_ == "PROPN")


def _agent_of(noun: Token, words: EventWords) -> Token | None:
    """Who does what an eventive noun names: its possessor, when that is a name ("Putin's visit")."""
    if (noun.lemma_ or noun.lower_).lower() not in words.eventive_nouns and noun.lower_ not in words.eventive_nouns:
        return None
    return next((c for c in noun.children if c.dep_ == "nmod:poss" and c.pos_ == "PROPN"), None)


def _as_subject(doc: Doc, span: list[int], own: bool, words: EventWords | None = None) -> Subject:
    """A noun phrase of the sentence as a subject; one that opens with a possessive pronoun names
    its owner when the sentence does ("their relationship" → "the leaders' relationship")."""
    owner = _owner(doc[span[0]], words) if words is not None else None
    if owner is not None:
        found = _as_subject(doc, span, own)
        return Subject(f"{owner} {_text(doc, set(span[1:]))}", found.named, found.plural, own, True)
    tokens = [doc[i] for i in span]
    inside = set(span)
    roots = [t for t in tokens if t.head.i not in inside or t.head.i == t.i] or tokens[-1:]
    coordinated = any(t.pos_ == "CCONJ" for t in tokens)
    return Subject(_text(doc, inside), _name_like(tokens[-1]) or tokens[-1].pos_ == "PROPN",  # the head is last
                   coordinated or "Plur" in feature(roots[-1], "Number"), own,
                   _name_like(tokens[0]) or tokens[0].pos_ == "PROPN", tuple(span) if own else ())


def _inside_other_clause(doc: Doc, span: list[int], top: Token) -> bool:
    """Whether the words before the verb are an argument of an earlier verb ("to review [the
    rules of the game] approved"), so no subject of this one."""
    inside = set(span)
    roots = [doc[i] for i in span if doc[i].head.i not in inside and doc[i].head.i != i]
    return bool(roots) and all(r.dep_ in ("obj", "iobj", "obl", "xcomp", "ccomp") and r.head.pos_ in ("VERB", "AUX")
                               and r.head.i != top.i and r.head.i < span[0] for r in roots)


def _ccs(top: Token) -> set[int]:
    """The conjunction before a coordinated verb ("... and promoted"): the subject is not before it."""
    if top.dep_ != "conj" or top.head.pos_ not in ("VERB", "AUX") or top.head.i > top.i:
        return set()
    return {c.i for c in top.children if c.dep_ == "cc" and c.i < top.i}


def _left_span(doc: Doc, i: int, stops: set[int], words: EventWords,
               passed: bool = False) -> tuple[list[int], Token | None]:
    """The noun phrase ending at token ``i``, read leftwards: (its indexes, the token it stopped at)."""
    found: list[int] = []
    stop = None
    while i >= 0:
        t = doc[i]
        if t.text in _DOUBLE_QUOTES:
            i -= 1
            continue
        if t.text == "," and not found and not passed:
            aside = _aside_before(doc, i, words)
            if aside is not None:  # "Putin, whose economy ..., hailed": the phrase before the aside
                return _left_span(doc, aside - 1, stops, words, passed=True)
        if i in stops or _left_break(doc, t, words):
            stop = t
            break
        found.append(i)
        i -= 1
    found.reverse()
    return _trim(doc, found), stop


def _aside_before(doc: Doc, comma: int, words: EventWords) -> int | None:
    """The comma that opens a phrase set off before ``comma`` (a relative clause, a participle,
    an apposition after a name), or None."""
    opening = next((j for j in range(comma - 1, -1, -1) if doc[j].text in (",", "(", "\u2013", "\u2014")), None)
    if opening is None or opening == 0 or opening + 1 >= comma:
        return None
    first, before = doc[opening + 1], doc[opening - 1]
    participle = first.pos_ == "VERB" and not _name_like(first) and (
        "Part" in feature(first, "VerbForm") or "Ger" in feature(first, "VerbForm"))
    apposition = _name_like(before) and first.pos_ in ("DET", "NOUN", "ADJ", "PROPN") and not any(
        doc[j].pos_ in ("VERB", "AUX") and not _name_like(doc[j]) for j in range(opening + 1, comma))
    if _relative(first, words) or participle or apposition:
        return opening
    return None


def _left_break(doc: Doc, token: Token, words: EventWords) -> bool:
    """Where a subject read leftwards ends: punctuation, a verb, a subordinator, a relative
    pronoun, a conjunction that joins clauses (not "Xi and Putin")."""
    if _name_like(token):
        return False
    if token.is_punct:
        return token.text not in ("-", "'", "\u2019", "&", ".", "/")
    if token.pos_ in ("VERB", "AUX"):
        return not (token.dep_ in ("amod", "compound") and token.head.i > token.i)
    if token.pos_ == "SCONJ" or token.dep_ == "mark" and token.pos_ != "PART" or _relative(token, words):
        return True
    if token.pos_ == "CCONJ":
        return not (token.i > 0 and (_nominal(doc[token.i - 1]) or doc[token.i - 1].pos_ == "ADJ")
                    and token.i + 1 < len(doc) and not doc[token.i + 1].is_punct)
    return False


def _trim(doc: Doc, found: list[int]) -> list[int]:
    """A subject without a leading prepositional phrase ("After the concert Xi and Putin") or
    adverb, nor trailing adverbs ("He also expressed")."""
    while found and doc[found[0]].pos_ in ("ADP", "SCONJ") and doc[found[0]].whitespace_ \
            and (doc[found[0]].i == 0 or not _name_like(doc[found[0]])):
        # the preposition's phrase, as far as the parse puts it inside the span, else its noun
        head = doc[found[0]].head
        end = head.right_edge.i if head.i in found else next(
            (j for j in found[1:] if _nominal(doc[j])), found[0])
        found = [j for j in found if j > max(end, found[0])]
    while found and not _name_like(doc[found[0]]) and doc[found[0]].pos_ in ("ADV", "CCONJ", "PART", "PUNCT"):
        found = found[1:]
    while found and not _name_like(doc[found[-1]]) and doc[found[-1]].pos_ in ("ADV", "PART", "ADP", "DET", "CCONJ",
                                                                                "PUNCT", "SCONJ"):
        found = found[:-1]
    if len([j for j in found if not doc[j].is_punct]) > MAX_SUBJECT_WORDS or not any(_nominal(doc[j]) for j in found):
        return []
    return found


def _antecedent(pronoun: Token, words: EventWords) -> Subject | None:
    """What a relative pronoun stands for: the noun phrase before it ("Putin, whose ...")."""
    doc = pronoun.doc
    i = pronoun.i - 1
    while i >= 0 and doc[i].is_punct:
        i -= 1
    span, _ = _left_span(doc, i, set(), words, passed=True)
    if not span:
        return None
    return _as_subject(doc, span, own=False)


def _predicate_span(top: Token, skip: set[int], words: EventWords) -> list[int]:
    """The verb group and what follows it up to the first boundary, in text order: punctuation, a
    subordinate or relative clause, or a clause the parse hangs on the predicate (coordinated,
    adverbial, paratactic).  Parenthesized text and the dating expression are left out."""
    doc = top.doc
    end = len(doc)
    for child in top.children:
        edge = child.left_edge.i
        set_off = any(t.is_punct and t.text not in _QUOTES for t in doc[edge - 1:edge + 1])
        if child.i > top.i and edge > top.i and (
                child.dep_ == "advcl" or child.dep_ in ("parataxis", "list", "appos") and set_off
                or child.dep_ == "advcl:relcl" or child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")):
            end = min(end, child.left_edge.i)
    chosen: list[int] = []
    depth = 0
    for i in range(_group_start(top, words), end):
        token = doc[i]
        if token.text in "([":
            depth += 1
        elif token.text in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and i not in skip:
            if i > top.i and _right_break(token, words):
                break
            chosen.append(i)
    return chosen


def _right_break(token: Token, words: EventWords) -> bool:
    """Where a predicate's phrase ends, read rightwards: punctuation (not a comma between
    adjectives: "a peaceful, comprehensive, and just resolution"), a relative pronoun, a
    subordinator, or a word of the grammar's subordinators that opens a clause ("as Wang
    restated ...") whatever the parse tagged it."""
    doc = token.doc
    if token.is_punct:
        before = doc[token.i - 1] if token.i > 0 else token
        if token.text == "," and token.i + 1 < len(doc) and (
                _adjectival(before) and (_adjectival(doc[token.i + 1]) or doc[token.i + 1].pos_ == "CCONJ")
                or before.head.i > token.i and before.dep_ in ("amod", "compound", "conj", "nummod")
                or _attached_after(before, token.i)):
            return False  # the phrase goes on after the comma: "a fair, lasting agreement"
        return token.text not in _QUOTES and token.text not in ("-", "%", "$", "&", "/")
    if _name_like(token):
        return False
    if _relative(token, words):
        return True
    if token.pos_ == "SCONJ" or token.dep_ == "mark" and token.pos_ != "PART":
        return token.head.dep_ not in ("ccomp", "csubj")  # "said that ...", "announced they will ..."
    if token.lower_ in words.subordinators:
        for later in doc[token.i + 1:]:
            if later.is_punct or _relative(later, words) or later.pos_ == "SCONJ":
                break
            if later.pos_ in ("VERB", "AUX") and "Fin" in feature(later, "VerbForm") and not _name_like(later):
                return True
    return False


def _attached_after(token: Token, comma: int) -> bool:
    """Whether the phrase before a comma hangs on a verb after it, inside a complement ("showed
    that as of January 2008, Apple held ..."): then the comma does not end the clause."""
    node = token
    for _ in range(6):
        if node.head.i == node.i or node.dep_ in ("ROOT", "ccomp", "conj", "parataxis", "advcl"):
            return False
        node = node.head
        if node.i > comma:
            return node.pos_ in ("VERB", "AUX") and node.dep_ in ("ccomp", "xcomp")
    return False


def _adjectival(token: Token) -> bool:
    """An adjective, or a participle used as one ("a lasting agreement")."""
    return token.pos_ == "ADJ" or token.pos_ == "VERB" and feature(token, "VerbForm") in (["Part"], ["Ger"])


def _cut(top: Token, chosen: list[int], budget: int, words: EventWords) -> set[int]:
    """The predicate's words, cut to ``budget`` words before a phrase boundary (a preposition, a
    subordinator, a conjunction, an infinitive's "to"), attachments to the verb first; else the
    tree's optional phrases are dropped (:func:`_fit`)."""
    doc = top.doc
    if _words(doc, set(chosen)) <= budget:
        return set(chosen)
    first = next((k for k, i in enumerate(chosen) if i > top.i), len(chosen))
    cuts = [k for k in range(len(chosen) - 1, first, -1)
            if doc[chosen[k]].pos_ in ("ADP", "SCONJ", "CCONJ") or doc[chosen[k]].lower_ in words.infinitive_markers]
    clausal = [k for k in cuts if doc[chosen[k]].head.dep_ not in ("nmod", "nmod:poss", "compound", "amod")]
    for k in clausal + cuts:
        if _words(doc, set(chosen[:k])) <= budget:
            return set(chosen[:k])
    return _fit(top, set(chosen), budget)


def clause_top(token: Token, words: EventWords) -> Token:
    """The clause to summarize: a complement reads with the verb it completes ("Xi and Putin
    are expected to go for a walk", "has become increasingly reliant on China")."""
    node = token
    for _ in range(3):
        if node.dep_ != "xcomp" or node.head.i > node.i or node.head.pos_ not in ("VERB", "AUX", "ADJ"):
            break
        node = node.head  # "has become increasingly reliant", "are expected to go"
    return node


def _timex_tokens(candidate: Candidate) -> set[int]:
    """The dating expression and its preposition: the date is shown beside the summary."""
    if candidate.timex is None:
        return set()
    doc = candidate.token.doc
    base = _base(candidate)
    span = doc.char_span(candidate.timex.start - base, candidate.timex.end - base, alignment_mode="expand")
    if span is None:
        return set()
    found = set(range(span.start, span.end))
    if span.end < len(doc) and doc[span.end].pos_ == "NOUN":
        # "since his February 2022 invasion of Ukraine": the date names its time by a noun phrase,
        # the whole phrase goes with it (the date's label tells it)
        start = span.start
        while start > 0 and doc[start - 1].pos_ in ("DET", "PRON", "ADP", "SCONJ") and not doc[start - 1].is_punct:
            start -= 1
        end = span.end
        while end < len(doc) and not doc[end].is_punct and doc[end].pos_ not in ("VERB", "AUX", "SCONJ", "CCONJ"):
            end += 1
        if start <= candidate.token.i < end:
            return found  # the noun is the event itself: "his 2019 takeover of the bank" → "Rossi's takeover ..."
        return found | set(range(start, end))
    found |= {c.i for c in span.root.children if c.dep_ in ("case", "mark", "advmod") and c.i < span.start}
    return found


def _base(candidate: Candidate) -> int:
    return candidate.token.doc.user_data.get("base", 0)


def _subject(token: Token) -> Token | None:
    """The clause's subject, or the one it borrows: the clause above for a complement or a
    coordinated verb, the noun modified for a participle ("the statement signed by ...")."""
    node = token
    for _ in range(6):
        own = [c for c in node.children if c.dep_ in SUBJECTS]
        if own:
            return own[0]
        if node.dep_ in ("appos", "conj", "parataxis") and node.head.pos_ in ("NOUN", "PROPN") \
                and node.head.dep_ == "ROOT" and node.head.i < node.i:
            return node.head  # "The minister, who ..., resigned": the parse made the subject the root
        if node.dep_ in ("acl", "acl:relcl") and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            near = _noun_before(node) if _participle(node) else None
            return near if near is not None and near.pos_ == "PROPN" else node.head
        if _participle(node) and node.dep_ in ("conj", "advcl") and node.i > 0:
            noun = _noun_before(node)
            if noun is not None:
                return noun
        if node.dep_ not in ("xcomp", "conj", "advcl") or node.head.i == node.i:
            return None
        node = node.head
    return None


def _participle(token: Token) -> bool:
    """A past participle on its own ("proclaimed by Mao"), not one sharing an auxiliary."""
    return ("Part" in feature(token, "VerbForm") and "Past" in feature(token, "Tense")
            and not any(c.dep_ in ("aux", "aux:pass") for c in token.children) and not shared_auxiliaries(token))


def _noun_before(token: Token) -> Token | None:
    """The noun phrase right before a participle set off by a comma ("China, proclaimed by ...")."""
    doc = token.doc
    i = token.i - 1
    while i >= 0 and doc[i].pos_ == "PUNCT":
        i -= 1
    if i < 0 or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    node = doc[i]
    # up a name ("the People's Republic of China"), not into the phrase around it
    while (node.dep_ in ("flat", "compound") or node.dep_ == "nmod" and node.head.pos_ == "PROPN") \
            and node.head.i < node.i:
        node = node.head
    return node


def _reduced_passive(token: Token, subject: Token) -> bool:
    """"the relationship established in 2022": a participle on a noun, read as "was established"."""
    return _participle(token) and subject.i < token.i and (
        token.dep_ == "acl" or "Pass" in feature(token, "Voice") and token.dep_ != "conj")


def _plural(token: Token) -> bool:
    return "Plur" in feature(token, "Number") or any(c.dep_ == "conj" for c in token.children)


def _subject_text(subject: Token, skip: set[int], words: EventWords, discourse: Discourse) -> str:
    if subject.pos_ == "PRON":
        if subject.lower_ in words.relative_pronouns and subject.head.dep_ in ("acl:relcl",):
            return _text(subject.doc, _phrase(subject.head.head, NOMINAL, skip, words))
        return discourse.refer(subject, words) or subject.text
    return _text(subject.doc, _phrase(subject, NOMINAL, skip, words))


def _active(token: Token, subject: Subject | None, skip: set[int], words: EventWords) -> str | None:
    """An agentive passive in the past, turned active: "Mao Zedong proclaimed the People's Republic"."""
    if subject is None or "Pass" not in feature(token, "Voice") and not any(
            c.dep_ in ("nsubj:pass", "aux:pass") for c in token.children):
        return None
    agents = [c for c in token.children if c.dep_ == "obl:agent" or (
        c.dep_ == "obl" and any(g.dep_ == "case" and g.lower_ in words.agent_prepositions for g in c.children))]
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "aux:pass")]
    if not agents or any(a.lower_ not in (words.past_passive_singular, words.past_passive_plural) for a in auxiliaries):
        return None
    agent = agents[0]
    if agent.pos_ not in ("PROPN", "NOUN") or not any(t.pos_ == "PROPN" for t in agent.subtree) \
            and not any(c.dep_ == "det" for c in agent.children):
        return None
    regular = words.past_participle_suffix and token.lower_.endswith(words.past_participle_suffix)
    past = words.irregular_past.get(token.lower_, token.text if regular else "")
    if not past:
        return None
    agent_tokens = _phrase(agent, NOMINAL, skip, words) - {c.i for c in agent.children if c.dep_ == "case"}
    doc = token.doc
    patient = subject.text.replace(" " + words.past_passive_singular, "").replace(" " + words.past_passive_plural, "") \
        if not subject.own else subject.text
    if not subject.proper_start:  # "the bridge" inside the sentence, not "The bridge"
        patient = patient[:1].lower() + patient[1:]
    rest = set(_predicate_span(token, skip | set(_indexes(agent.subtree)), words)) - {token.i} - {
        a.i for a in auxiliaries}
    tail = _text(doc, rest, keep_preposition=True)
    return " ".join(part for part in (_text(doc, agent_tokens), past, patient, tail) if part)


def _apposition(child: Token) -> bool:
    """\", a city in north-east China": a noun phrase set off by a comma after its head, with no
    preposition, is an apposition whatever the parse calls it."""
    edge = child.left_edge.i
    return (child.pos_ in ("NOUN", "PROPN") and child.dep_ not in ("conj", "nsubj", "nsubj:pass")
            and child.i > child.head.i and edge > 0
            and any(t.text == "," for t in child.doc[child.head.i + 1:edge])
            and not any(c.dep_ == "case" for c in child.children))


def _children(token: Token, skip: set[int]) -> list[Token]:
    """A token's dependents; those of a skipped word (the date) count as the token's own, so a
    wrong arc to the date ("in Beijing" under "Thursday") loses nothing."""
    found = []
    for child in token.children:
        if child.i in skip:
            found += [c for c in _children(child, skip) if c.dep_ not in ("case", "det", "amod", "nummod")]
        else:
            found.append(child)
    return found


def _phrase(token: Token, keep: frozenset[str], skip: set[int], words: EventWords) -> set[int]:
    """A phrase: the token and its dependents in ``keep``, recursively, without skipped tokens."""
    chosen = {token.i}
    for child in _children(token, skip):
        if child.dep_ in DROPPED or child.dep_ not in keep or _apposition(child):
            continue
        if child.dep_ == "acl" and not any(c.dep_ == "mark" and c.lower_ in words.infinitive_markers
                                           for c in child.children):
            continue  # keep "decision to raise rates", leave "a city once known as ..."
        chosen |= _phrase(child, keep | _INNER, skip, words)
        if child.dep_ == "acl":
            chosen |= {c.i for c in child.children if c.dep_ == "mark"}
    return chosen


def _fit(head: Token, chosen: set[int], budget: int = MAX_WORDS) -> set[int]:
    """Drop whole optional phrases, deepest and rightmost first, until the summary fits."""
    doc = head.doc
    while _words(doc, chosen) > budget:
        optional = [doc[i] for i in chosen if doc[i].dep_ in ("obl", "nmod", "acl", "amod", "conj", "nummod",
                                                               "compound", "advmod", "obl:unmarked", "appos")
                    and doc[i].i != head.i and doc[i].head.i in chosen]
        if not optional:
            break
        victim = max(optional, key=lambda t: (_depth(t, head), t.i))
        chosen -= set(_indexes(victim.subtree))
        # a coordination left without its second member loses its conjunction too
        chosen -= {c.i for c in victim.head.children if c.dep_ == "cc" and c.i > victim.head.i
                   and not any(s.dep_ == "conj" and s.i in chosen for s in victim.head.children)}
    return chosen


def _depth(token: Token, head: Token) -> int:
    depth = 0
    while token.i != head.i and token.head.i != token.i and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def _words(doc, chosen: set[int]) -> int:
    return sum(1 for i in chosen if not doc[i].is_punct)


def _indexes(tokens) -> list[int]:
    return [t.i for t in tokens]


def _join(doc, chosen: set[int], prefix: str = "", forms: dict[int, str] | None = None) -> str:
    text = _text(doc, chosen, forms=forms)
    return f"{prefix} {text}".strip() if prefix else text


_EDGE = frozenset({"ADP", "SCONJ", "CCONJ", "PART", "DET", "PUNCT", "AUX"})


def _text(doc, chosen: set[int], keep_preposition: bool = False, forms: dict[int, str] | None = None) -> str:
    """The chosen tokens in text order; quotes, brackets, dangling punctuation and function
    words at either end ("… until at least", "while …") left out; ``forms`` replaces the text of
    some ("commencing" → "commenced")."""
    order = sorted(chosen)
    while order and doc[order[-1]].pos_ in _EDGE | {"ADV"} and doc[order[-1]].text not in ("%",) \
            and doc[order[-1]].dep_ != "compound:prt":  # "the council set up"
        order.pop()
    while order and doc[order[0]].pos_ in (("CCONJ", "PUNCT") if keep_preposition else ("ADP", "SCONJ", "CCONJ",
                                                                                         "PUNCT")) \
            and doc[order[0]].text != "$" and doc[order[0]].whitespace_:  # not "re-" of "re-elected"
        order.pop(0)
    chosen = set(order)
    quotes = _quoted(doc, chosen)
    parts: list[str] = []
    previous = None
    opened = False  # right after an opening quotation mark: no space
    for i in sorted(chosen | set(quotes)):
        token = doc[i]
        if i in quotes:  # the source's words: 'praised the “warm and comradely” talks'
            if parts and quotes[i] and not opened:
                parts.append(" ")
            parts.append(token.text)
            opened, previous = quotes[i], i
            continue
        possessive = (token.text in ("'", "\u2019") and i - 1 in chosen and not doc[i - 1].whitespace_
                      and doc[i - 1].text[-1:] in "sS" and token.whitespace_ and i + 1 < len(doc)
                      and not doc[i + 1].is_punct)  # "the ministers' commitment"
        if token.text in _QUOTES and not possessive:
            continue
        if token.is_punct and not possessive and token.text not in "-\u2013%$" and not (
                token.text == "," and i - 1 in chosen and i + 1 in chosen):
            continue
        glue = previous is not None and i == previous + 1 and not doc[previous].whitespace_
        if parts and not glue and not opened and not token.text.startswith(_NO_SPACE_BEFORE):
            parts.append(" ")
        parts.append(forms.get(i, token.text) if forms else token.text)
        opened, previous = False, i
    return "".join(parts).strip(" ,;:-\u2013")


# Opening double quotation marks and the marks that may close them.
_QUOTE_PAIRS = {"\u201c": ("\u201d",), "\"": ("\"",)}


def _quoted(doc, chosen: set[int]) -> dict[int, bool]:
    """The double quotation marks around words all kept in a summary ('the “no limits”
    relationship'), True for an opening one: the source's words stay marked as theirs; a
    quotation cut by the summary loses its marks."""
    found: dict[int, bool] = {}
    if not chosen:
        return found
    first, last = min(chosen), max(chosen)
    i = max(0, first - 1)  # a quotation that opens the phrase: '“no limits” relationship'
    while i <= last:
        closing = _QUOTE_PAIRS.get(doc[i].text)
        if closing is not None:
            end = next((j for j in range(i + 1, min(last + 2, len(doc))) if doc[j].text in closing), None)
            if end is not None and end > i + 1 and all(k in chosen for k in range(i + 1, end)):
                found[i], found[end] = True, False
                i = end
        i += 1
    return found


def _finish(text: str) -> str:
    text = " ".join(text.split())
    first = 1 if text[:1] in _QUOTE_PAIRS else 0  # '“No limits” ...'
    return text[:first + 1].upper() + text[first + 1:]


def states_subject(summary: str, sentence: Doc | Span) -> bool:
    """Whether a clause's summary opens with its subject, not with a verb or an auxiliary
    (what a parse error leaves: "Pledged $2 billion ...")."""
    first = summary.split()[0].lower() if summary.split() else ""
    return not any(t.lower_ == first and t.pos_ in ("VERB", "AUX") for t in sentence)


def note_subject(token: Token, words: EventWords, discourse: Discourse) -> None:
    """Remember the clause's own named subject for later pronouns, without summarizing it."""
    if not any(c.dep_ in SUBJECTS for c in token.children):
        return
    discourse.note(clause_subject(token, set(), words, discourse))
