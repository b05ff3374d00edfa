"""Entity timelines: the events a named entity takes part in (``timeline build --about NAME``).

An entity is asked for by its name ("Airbus", "Boeing Co.", "Vladimir Putin", "European
Union"), with aliases after ``|`` when the writer knows them ("Airbus|the European
planemaker").  It is looked for in what an event says of who takes part: each mention's
participants and its summary (the clause that tells the event).  Its **forms** are:

- the name itself, word for word, case folded; a possessive does not hide it ("Airbus's",
  "Jobs'"), and neither does one inside it ("The Beatles' Apple Corps");
- the name without a company suffix ("Boeing Co." → "Boeing"); the text may add one too
  ("Airbus Group" for "Airbus");
- a person's surname: "Vladimir Putin" → "Putin", found in "President Vladimir Putin"; or
  the first name when the documents use it alone and never the last ("Xi Jinping" → "Xi");
- initials: "European Union" ↔ "EU" (capitals only, matched case-sensitively);
- a name after an owner's possessive in the documents: "The Beatles' Apple Corps" makes
  "Apple Corps" a form of "Beatles Apple Corps".

A form is found only as whole words and only where the name ends: a capitalized word or a
number right after it continues another name ("Apple" is not in "Apple Corps", "iPhone" is
not in "iPhone 4"), and a capitalized form is not found in lower case ("Jobs" is not
"jobs").  The words that decide (company suffixes, organization words) are language data,
the ``[entities]`` section of the grammar.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .chronology import Event, Timeline
from .grammar import EntityWords

# A word: letters and digits, with inner periods, apostrophes, hyphens and ampersands
# ("U.S", "Wal-Mart", "AT&T", "Airbus's"); a final period or apostrophe stays outside.
_WORD = re.compile(r"[^\W_](?:[\w&]|[.'\u2019-](?=[^\W_]))*")
_ALIAS_SEPARATOR = "|"
_NON_SPACE = re.compile(r"\S")  # also the pattern of ``about`` in openapi.yaml
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Word:
    """One word of a text: where it is, how it is written (possessive folded) and its key."""

    start: int
    end: int  # after a possessive ending, if any
    text: str
    possessive: bool

    @property
    def key(self) -> str:
        return self.text.casefold()

    @property
    def capitalized(self) -> bool:
        """Written as a name: an upper-case letter or a digit in it ("Apple", "iPhone", "3G", "4")."""
        return any(c.isupper() or c.isdigit() for c in self.text)


def words(text: str, vocabulary: EntityWords) -> list[Word]:
    """The words of ``text``, possessive endings folded into a flag."""
    found = []
    for match in _WORD.finditer(text):
        word, end, possessive = match.group(), match.end(), False
        for ending in sorted(vocabulary.possessive_endings, key=len, reverse=True):
            if len(ending) > 1 and word.endswith(ending) and len(word) > len(ending):
                word, possessive = word[:-len(ending)], True
                break
        if not possessive and text[end:end + 1] in vocabulary.possessive_endings \
                and not text[end + 1:end + 2].isalnum() and word[-1:] in "sS":
            end, possessive = end + 1, True  # "Jobs' health"
        found.append(Word(match.start(), end, word, possessive))
    return found


def _adjacent(text: str, left: Word, right: Word) -> bool:
    """Whether ``right`` follows ``left`` with only spacing between: one run of words."""
    return not text[left.end:right.start].strip()


@dataclass(frozen=True)
class Form:
    """One way of writing an entity: its words, and why it stands for the entity."""

    words: tuple[str, ...]
    kind: str  # "name", "alias", "short", "surname", "initials", "owned"

    def same(self, index: int, word: Word) -> bool:
        """Whether ``word`` is this form's word at ``index``: case folded, but a capitalized
        form word needs a capitalized text word, and initials need capitals."""
        expected = self.words[index]
        if word.key != expected.casefold():
            return False
        if self.kind == "initials" or expected.isupper() and len(expected) > 1:
            return word.text == expected
        return word.capitalized or not any(c.isupper() for c in expected)


@dataclass(frozen=True)
class Entity:
    """A name asked for, with the forms it is found by."""

    name: str
    forms: tuple[Form, ...]
    initials: str | None  # the name is an acronym ("EU"): a run of words with these initials matches
    vocabulary: EntityWords

    def found_in(self, text: str) -> bool:
        """Whether ``text`` names the entity (see the module's rules)."""
        found = words(text, self.vocabulary)
        for index in range(len(found)):
            if any(self._form_at(form, found, index, text) for form in self.forms):
                return True
            if self.initials and self._initials_at(found, index, text):
                return True
        return False

    def _form_at(self, form: Form, found: list[Word], index: int, text: str) -> bool:
        if index + len(form.words) > len(found):
            return False
        for offset in range(len(form.words)):
            word = found[index + offset]
            if not form.same(offset, word):
                return False
            if offset and not _adjacent(text, found[index + offset - 1], word):
                return False
        return self._ends_name(found, index + len(form.words) - 1, text)

    def _initials_at(self, found: list[Word], index: int, text: str) -> bool:
        """A run of capitalized words (connectors allowed inside) whose initials spell the acronym."""
        assert self.initials is not None
        before = found[index - 1] if index else None
        if before is not None and _adjacent(text, before, found[index]) and before.capitalized \
                and not before.possessive and before.key not in self.vocabulary.name_connectors:
            return False  # inside a longer name ("The European Union" is not)
        letters = ""
        position = index
        while position < len(found) and len(letters) < len(self.initials):
            word = found[position]
            if position > index and (not _adjacent(text, found[position - 1], word) or found[position - 1].possessive):
                return False
            if word.key in self.vocabulary.name_connectors and position > index:
                position += 1
                continue
            if not word.text[:1].isupper():
                return False
            letters += word.text[0]
            position += 1
        return letters == self.initials and len(letters) > 1 and self._ends_name(found, position - 1, text)

    def _ends_name(self, found: list[Word], last: int, text: str) -> bool:
        """Whether the name ends at word ``last``: company suffixes may follow, another name's word not."""
        while not found[last].possessive and last + 1 < len(found) and _adjacent(text, found[last], found[last + 1]):
            following = found[last + 1]
            if following.key.rstrip(".") in self.vocabulary.company_suffixes:
                last += 1
                continue
            return not following.capitalized
        return True

    def in_event(self, event: Event) -> bool:
        """Whether the entity takes part in ``event``: named among a mention's participants or in
        its summary, the clause that tells the event."""
        return any(self.found_in(text) for text in _event_texts(event))


def _event_texts(event: Event) -> Iterable[str]:
    """The participants (of the event or of each mention, names or objects with a text) and summaries."""
    participants = list(getattr(event, "participants", ()))
    for mention in event.mentions:
        participants += getattr(mention, "participants", ())
        yield mention.summary
    for participant in participants:
        yield participant if isinstance(participant, str) else str(getattr(participant, "text", participant))


def _is_person_like(names: list[Word], vocabulary: EntityWords) -> bool:
    """Two to four capitalized words, the last not an organization word: a person's name, with a surname."""
    return (2 <= len(names) <= 4 and all(w.text[:1].isupper() and not w.text.isupper() and w.text.isalpha()
                                         for w in names)
            and names[-1].key not in vocabulary.organization_words)


def entity(name: str, vocabulary: EntityWords, texts: Sequence[str] = ()) -> Entity:
    """The entity asked for as ``name`` ("Airbus", "Airbus|the European planemaker"), with its
    forms; ``texts`` (the documents) may add a form owned by a possessive ("Beatles' Apple Corps")
    and a family name written first ("Xi" for "Xi Jinping")."""
    aliases = [part.strip() for part in name.split(_ALIAS_SEPARATOR) if part.strip()]
    forms: list[Form] = []

    def add(found: Sequence[Word] | Sequence[str], kind: str) -> None:
        spelled = tuple(w if isinstance(w, str) else w.text for w in found)
        if spelled and all(f.words != spelled for f in forms):
            forms.append(Form(spelled, kind))

    initials: str | None = None
    for number, alias in enumerate(aliases):
        found = words(alias, vocabulary)
        if not found:
            continue  # "!!!": a name without a word, found nowhere
        while len(found) > 1 and found[0].key in vocabulary.name_connectors:
            found = found[1:]  # "the European planemaker"
        add(found, "name" if number == 0 else "alias")
        core = list(found)
        while len(core) > 1 and core[-1].key.rstrip(".") in vocabulary.company_suffixes:
            core.pop()
        add(core, "short")
        if _is_person_like(core, vocabulary):
            add(core[-1:], "surname")
            if _family_name_first(core, texts, vocabulary):
                add(core[:1], "surname")
        capitals = [w for w in core if w.key not in vocabulary.name_connectors]
        if len(capitals) >= 2 and all(w.text[:1].isupper() for w in capitals) \
                and (len(capitals) >= 3 or not _is_person_like(core, vocabulary)):
            add(["".join(w.text[0] for w in capitals)], "initials")
        if len(core) == 1 and core[0].text.isupper() and core[0].text.isalpha() and 2 <= len(core[0].text) <= 6:
            initials = core[0].text
        for owned in _owned_forms(core, texts, vocabulary):
            add(owned, "owned")
    return Entity(name.strip(), tuple(forms), initials, vocabulary)


def _family_name_first(name: list[Word], texts: Sequence[str], vocabulary: EntityWords) -> bool:
    """Whether the documents use a person's first word alone and never the last: the family
    name comes first ("Xi Jinping", later "Xi")."""
    first, last = name[0].key, name[-1].key
    first_alone = last_alone = False
    for text in texts:
        found = words(text, vocabulary)
        for index, word in enumerate(found):
            if not word.capitalized or word.key not in (first, last):
                continue
            following = found[index + 1] if index + 1 < len(found) else None
            joined = following is not None and not word.possessive and _adjacent(text, word, following)
            if word.key == first and not (joined and following is not None and following.capitalized):
                first_alone = True
            preceding = found[index - 1] if index else None
            if word.key == last and not (preceding is not None and _adjacent(text, preceding, word)
                                         and preceding.key == name[-2].key):
                last_alone = True
            if last_alone:
                return False
    return first_alone


def _owned_forms(name: list[Word], texts: Sequence[str], vocabulary: EntityWords) -> list[tuple[str, ...]]:
    """Ends of ``name`` that the texts write after an owner's possessive: "The Beatles' Apple
    Corps" for "Beatles Apple Corps" gives ("Apple", "Corps")."""
    if len(name) < 2:
        return []
    keys = [w.key for w in name]
    owned: list[tuple[str, ...]] = []
    for text in texts:
        found = words(text, vocabulary)
        for index in range(len(found) - len(keys) + 1):
            window = found[index:index + len(keys)]
            if [w.key for w in window] != keys or not all(w.capitalized for w in window):
                continue
            for split, word in enumerate(window[:-1], 1):
                if word.possessive and tuple(w.text for w in name[split:]) not in owned:
                    owned.append(tuple(w.text for w in name[split:]))
    return owned


def takes_part(names: Sequence[str], vocabulary: EntityWords, texts: Iterable[str] = ()) -> Callable[[Event], bool]:
    """Whether one of the entities ``names`` takes part in an event: :func:`about`'s test, for
    events that come one at a time (a stored story's)."""
    texts = list(texts)
    wanted = [entity(name, vocabulary, texts) for name in names]
    return lambda event: any(e.in_event(event) for e in wanted)


def about(timeline: Timeline, names: Sequence[str], vocabulary: EntityWords,
          texts: Iterable[str] = ()) -> Timeline:
    """The timeline cut down to the events in which one of the entities ``names`` takes part,
    renumbered ``e1``, ``e2`` … in the same order.  ``texts`` (the documents' texts) let an
    owner's possessive teach a form (see :func:`entity`)."""
    chosen = takes_part(names, vocabulary, texts)
    kept = [event for event in timeline.events if chosen(event)]
    events = [replace(event, id=f"e{number}") for number, event in enumerate(kept, 1)]
    return replace(timeline, events=events)


def check_names(names: Any) -> list[str]:
    """``names`` as a list of entity names, or ValueError saying what is wrong: the API and the
    command line accept one name or a non-empty list, each name with a non-space character and
    at most MAX_NAME_LENGTH characters."""
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise ValueError("about must be a name or a list of names")
    if not names:
        raise ValueError("about must name at least one entity")
    for name in names:
        if not _NON_SPACE.search(name):
            raise ValueError(f"entity name {name!r} is blank")
        if len(name) > MAX_NAME_LENGTH:
            raise ValueError(f"entity name is longer than {MAX_NAME_LENGTH} characters")
    return list(names)
