"""Summaries a journalist can paste: subject, predicate and core complements, from the parse.

A summary is the predicate's subject, auxiliaries and complements, read off the tree: whole
phrases only, never a word count cut.  Longer than ``MAX_WORDS``, the deepest optional
modifiers go first, then the predicate's obliques from the right.  Appositions, relative
clauses, quotes and the dating expression are left out.  A subject pronoun becomes the
named participant it refers to ("They" → "Xi and Putin"); a clause without a subject
borrows the one it depends on; an agentive passive in the past turns active ("proclaimed
by Mao Zedong" → "Mao Zedong proclaimed ...").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .grammar import EventWords
from .predicates import AUXILIARIES, SUBJECTS, Candidate, feature, lemma, shared_auxiliaries

MAX_WORDS = 25
# Inside an argument: dependents left out of a summary.
DROPPED = frozenset({"acl:relcl", "appos", "parataxis", "advcl", "advcl:relcl", "dep", "discourse", "vocative",
                     "list", "reparandum", "dislocated", "punct", "cc:preconj", "mark"})
# A predicate's own dependents kept in its summary (with their phrases).
CORE = frozenset({"aux", "aux:pass", "cop", "expl", "compound:prt", "obj", "iobj", "xcomp", "obl", "obl:agent",
                  "obl:unmarked", "nsubj", "nsubj:pass", "csubj", "advmod", "ccomp"})
# Of a noun that is the event: its determiners, modifiers and complements.
NOMINAL = frozenset({"det", "nmod:poss", "amod", "compound", "nummod", "nmod", "case", "acl", "flat",
                     "nmod:unmarked", "det:predet", "conj", "cc", "fixed"})
# Dependents that set the scene when they come before the verb.
_FRONTABLE = frozenset({"obl", "obl:unmarked", "advcl", "obl:tmod", "obl:npmod"})
# Inside a kept phrase, the complements of a verb it holds ("decision to raise interest rates").
_INNER = frozenset({"obj", "obl", "nmod", "xcomp", "aux"})
_QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019()[]")
_NO_SPACE_BEFORE = (",", ".", ";", ":", "'s", "\u2019s", "n't", "%", ")")


@dataclass
class Discourse:
    """What earlier sentences of the document named, for pronouns: the last plural subject
    ("Xi and Putin") and the last named single subject ("Putin")."""

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

    def note(self, subject: Token | None, text: str) -> None:
        """Remember a subject that names someone."""
        if subject is None or not text or not any(t.pos_ == "PROPN" for t in subject.subtree):
            return
        before = _coordinated(subject, set())
        if before:  # "Xi and [Putin]": the parse hung the first name elsewhere
            self.plural = _text(subject.doc, set(range(min(before), subject.i + 1)))
        elif any(c.dep_ == "conj" for c in subject.children) or "Plur" in feature(subject, "Number"):
            self.plural = text
        elif subject.pos_ == "PROPN":
            self.singular = text

    def refer(self, pronoun: Token, words: EventWords) -> str | None:
        word = pronoun.lower_
        if word in words.plural_pronouns:
            return self.plural
        if word in words.singular_pronouns:
            return self.singular
        return None


def summarize(candidate: Candidate, words: EventWords, discourse: Discourse) -> tuple[str, Token | None]:
    """The candidate's summary, and the subject's head token (None for a nominal event)."""
    token = candidate.token
    skip = _timex_tokens(candidate)
    if candidate.nominal:  # "the concert", without the "after" that relates it to something else
        chosen = _phrase(token, NOMINAL, skip, words) - {c.i for c in token.children if c.dep_ == "case"
                                                          and c.i < token.i}
        for own in (c for c in token.children if c.dep_ in SUBJECTS):  # a verb the parse took for a noun
            chosen |= _phrase(own, NOMINAL, skip, words) | {c.i for c in token.children if c.dep_ == "amod"
                                                                 and c.pos_ == "VERB"}
        return _finish(_text(token.doc, _fit(token, chosen))), None
    top = _clause_top(token, words)
    subject = _subject(top)
    active = _active(top, subject, skip, words, discourse)
    if active:
        return _finish(active), subject
    chosen = _clause(top, skip, words)
    subject_text = ""
    if subject is not None and subject.head.i != top.i:  # borrowed from the clause above
        subject_text = _subject_text(subject, skip | set(_indexes(top.subtree)), words, discourse)
        if _reduced_passive(top, subject):
            subject_text += " " + (words.past_passive_plural if _plural(subject) else words.past_passive_singular)
    elif subject is None or subject.i in skip or _misplaced(subject):
        if subject is not None and subject.i not in skip:  # and the preposition hung on the predicate
            chosen -= set(_indexes(subject.subtree)) | {i for i in chosen if i < subject.i and top.doc[i].pos_ == "ADP"}
        subject_text = _text(top.doc, _left_subject(top, skip | chosen))
    elif subject is not None:
        pronoun = _pronoun_reference(subject, words, discourse)
        if pronoun:
            chosen -= set(_indexes(subject.subtree))
            return _finish(_join(top.doc, chosen, prefix=pronoun)), subject
        chosen |= _coordinated(subject, chosen)
    if subject_text and _words(top.doc, chosen) + len(subject_text.split()) > MAX_WORDS:
        chosen = _fit(top, chosen, MAX_WORDS - len(subject_text.split()))
    return _finish(_join(top.doc, chosen, prefix=subject_text)), subject


def _clause_top(token: Token, words: EventWords) -> Token:
    """The clause to summarize: an event planned by an intention reads with it ("Xi and Putin
    are expected to go for a walk")."""
    node = token
    while node.dep_ == "xcomp" and lemma(node.head) in words.intension_verbs | {"be"}:
        node = node.head
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


def _left_subject(token: Token, taken: set[int]) -> set[int]:
    """When the parse gives no subject: the words right before the verb, back to punctuation,
    a date or a clause opener, if they hold a noun ("Last year, bilateral trade hit ...")."""
    doc = token.doc
    first = min([token.i] + [c.i for c in token.children if c.dep_ in AUXILIARIES and c.i < token.i])
    found: list[int] = []
    i = first - 1
    while i >= 0 and i not in taken and not doc[i].is_punct and (
            doc[i].pos_ not in ("SCONJ", "ADP", "VERB") or _inside_name(doc, i) or _inside_phrase(doc, i)):
        found.append(i)
        i -= 1
    if not any(doc[j].pos_ in ("NOUN", "PROPN") for j in found):
        return set()
    return set(found)


def _misplaced(subject: Token) -> bool:
    """A subject with a preposition ("support for [Russia] has been") is a parse error: the
    subject is the noun phrase before the verb."""
    edge = subject.left_edge.i
    return subject.pos_ != "PRON" and (any(c.dep_ == "case" for c in subject.children)
                                       or edge > 0 and subject.doc[edge - 1].pos_ == "ADP")


def _inside_phrase(doc, i: int) -> bool:
    """A preposition inside a noun phrase ("support for Russia")."""
    return doc[i].pos_ == "ADP" and 0 < i < len(doc) - 1 and doc[i - 1].pos_ == "NOUN" \
        and doc[i + 1].pos_ in ("PROPN", "NOUN", "DET")


def _inside_name(doc, i: int) -> bool:
    """A preposition between two parts of a name ("Secretary of State")."""
    return 0 < i < len(doc) - 1 and doc[i - 1].pos_ == "PROPN" and doc[i + 1].pos_ == "PROPN"


def _coordinated(subject: Token, chosen: set[int]) -> set[int]:
    """Names coordinated before a subject that the parse left elsewhere ("Putin and Xi")."""
    doc = subject.doc
    first = min(_indexes(subject.subtree))
    found: set[int] = set()
    while first >= 2 and doc[first - 1].pos_ == "CCONJ" and doc[first - 2].pos_ == "PROPN" \
            and first - 2 not in chosen:
        start = first - 2
        while start > 0 and doc[start - 1].pos_ == "PROPN":
            start -= 1
        found |= set(range(start, first))
        first = start
    return found


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


def _pronoun_reference(subject: Token, words: EventWords, discourse: Discourse) -> str | None:
    if subject.pos_ != "PRON":
        return None
    return discourse.refer(subject, words)


def _subject_text(subject: Token, skip: set[int], words: EventWords, discourse: Discourse) -> str:
    if subject.pos_ == "PRON":
        if subject.lower_ in words.relative_pronouns and subject.head.dep_ in ("acl:relcl",):
            return _text(subject.doc, _phrase(subject.head.head, NOMINAL, skip, words))
        return discourse.refer(subject, words) or subject.text
    return _text(subject.doc, _phrase(subject, NOMINAL, skip, words))


def subject_text(subject: Token | None, words: EventWords, discourse: Discourse) -> str:
    """The subject as a summary names it (for participants and for later pronouns)."""
    if subject is None:
        return ""
    return _subject_text(subject, set(), words, discourse)


def _active(token: Token, subject: Token | None, skip: set[int], words: EventWords,
            discourse: Discourse) -> str | None:
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
    if subject.head.i == token.i:
        patient = _subject_text(subject, skip, words, discourse)
    else:
        patient = _subject_text(subject, skip | set(_indexes(token.subtree)), words, discourse)
    if subject.left_edge.pos_ != "PROPN":  # "the bridge" inside the sentence, not "The bridge"
        patient = patient[:1].lower() + patient[1:]
    rest = _clause(token, skip | set(_indexes(agent.subtree)), words) - {token.i} - set(
        _indexes(subject.subtree)) - {a.i for a in auxiliaries}
    tail = _text(doc, rest)
    return " ".join(part for part in (_text(doc, agent_tokens), past, patient, tail) if part)


def _clause(token: Token, skip: set[int], words: EventWords, depth: int = 0) -> set[int]:
    """Token indexes of a clause's summary: predicate, auxiliaries, subject, complements."""
    chosen = {token.i}
    for child in _children(token, skip):
        if child.dep_ == "advmod" and child.lower_ not in words.negation_words:
            continue
        if child.dep_ in _FRONTABLE and child.i < token.i and token.pos_ == "VERB":
            continue  # a fronted adverbial ("In a bid to ...,") sets the scene; it is not the event
        if _apposition(child) or child.dep_ == "obl" and child.pos_ in ("NOUN", "PROPN") and not any(
                c.dep_ == "case" for c in child.children):
            continue  # an oblique noun without a preposition is a piece of an apposition
        if child.dep_ == "ccomp" and lemma(token) not in words.reporting_verbs and depth > 0:
            continue
        if child.dep_ in ("xcomp", "ccomp") and depth < 3:
            chosen |= _clause(child, skip, words, depth + 1) | {c.i for c in child.children if c.dep_ == "mark"
                                                                 and c.lower_ in words.infinitive_markers}
        elif child.dep_ in CORE or (child.dep_ == "conj" and token.pos_ != "VERB") or (
                child.head.i in skip and child.i > token.i):
            chosen |= _phrase(child, NOMINAL | {"obl", "obj", "nmod"}, skip, words)
        elif child.pos_ == "PART" and child.lower_ in words.negation_words:
            chosen.add(child.i)
    if token.pos_ != "VERB":  # a copular predicate: its noun phrase
        chosen |= _phrase(token, NOMINAL, skip, words)
    return _fit(token, chosen)


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


def _join(doc, chosen: set[int], prefix: str = "") -> str:
    text = _text(doc, chosen)
    return f"{prefix} {text}".strip() if prefix else text


_EDGE = frozenset({"ADP", "SCONJ", "CCONJ", "PART", "DET", "PUNCT", "AUX"})


def _text(doc, chosen: set[int]) -> str:
    """The chosen tokens in text order; quotes, brackets, dangling punctuation and function
    words at either end ("… until at least", "while …") left out."""
    order = sorted(chosen)
    while order and doc[order[-1]].pos_ in _EDGE | {"ADV"} and doc[order[-1]].text not in ("%",):
        order.pop()
    while order and doc[order[0]].pos_ in ("ADP", "SCONJ", "CCONJ", "PUNCT") and doc[order[0]].text != "$":
        order.pop(0)
    chosen = set(order)
    parts: list[str] = []
    previous = None
    for i in sorted(chosen):
        token = doc[i]
        if token.text in _QUOTES:
            continue
        if token.is_punct and token.text not in "-\u2013%$" and not (
                token.text == "," and i - 1 in chosen and i + 1 in chosen):
            continue
        glue = previous is not None and i == previous + 1 and not doc[previous].whitespace_
        if parts and not glue and not token.text.startswith(_NO_SPACE_BEFORE):
            parts.append(" ")
        parts.append(token.text)
        previous = i
    return "".join(parts).strip(" ,;:-\u2013")


def _finish(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def states_subject(summary: str, sentence: Doc | Span) -> bool:
    """Whether a clause's summary opens with its subject, not with a verb or an auxiliary
    (what a parse error leaves: "Pledged $2 billion ...")."""
    first = summary.split()[0].lower() if summary.split() else ""
    return not any(t.lower_ == first and t.pos_ in ("VERB", "AUX") for t in sentence)


def note_subject(token: Token, words: EventWords, discourse: Discourse) -> None:
    """Remember the clause's own named subject for later pronouns, without summarizing it."""
    subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
    if subject is not None and subject.pos_ != "PRON":
        discourse.note(subject, subject_text(subject, words, discourse))
