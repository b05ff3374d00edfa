"""Rules of the event layer checked on parses written by hand (timeline.predicates, dating, summaries).

A trained parser errs differently from one model to the next.  These tests give each rule the
parse it is meant for, right or wrong the way parsers are, so that they hold whatever model is
shipped: a participle the tagger calls a participle, a verb hung on the wrong clause, an
auxiliary hung on the copula.  The sentences are invented for these tests.
"""
from __future__ import annotations

from datetime import datetime

import spacy
from spacy.tokens import Doc

from timeline.dating import Dating, StoryClock
from timeline.grammar import load_grammar
from timeline.pipeline import Extractor
from timeline.predicates import bare_participle, candidates, shared_auxiliaries
from timeline.summaries import Discourse, simple_past, summarize
from timeline.timexes import Interval

WORDS = load_grammar("en").events
VOCAB = spacy.blank("en").vocab
PUBLISHED = datetime(2024, 5, 16)


def _doc(rows: str) -> Doc:
    """A parse from lines "word POS dep head lemma [morph]" (head: the 0-based index; the root its own)."""
    table = [line.split() for line in rows.strip().splitlines()]
    return Doc(VOCAB, words=[r[0] for r in table], spaces=[True] * (len(table) - 1) + [False],
               pos=[r[1] for r in table], deps=[r[2] for r in table], heads=[int(r[3]) for r in table],
               lemmas=[r[4] for r in table], morphs=[r[5] if len(r) > 5 else "" for r in table])


def _candidate(doc: Doc, word: str):
    return next(c for c in candidates(doc, [], 0, WORDS, WORDS.end_bounds) if c.token.text == word)


# "The treaty was signed, and old rivalries revived towards the border": "revived" tagged a
# participle, made a paratactic clause with a subject by the parse.
DESCRIBING = _doc("""
The DET det 1 the Definite=Def|PronType=Art
treaty NOUN nsubj:pass 3 treaty Number=Sing
was AUX aux:pass 3 be Mood=Ind|Tense=Past|VerbForm=Fin
signed VERB ROOT 3 sign Tense=Past|VerbForm=Part|Voice=Pass
, PUNCT punct 8 ,
and CCONJ cc 8 and
old ADJ amod 7 old Degree=Pos
rivalries NOUN nsubj 8 rivalry Number=Plur
revived VERB parataxis 3 revive Tense=Past|VerbForm=Part|Voice=Pass
towards ADP case 11 towards
the DET det 11 the Definite=Def|PronType=Art
border NOUN obl 8 border Number=Sing
""")


def test_a_bare_participle_below_the_root_tells_no_past_event() -> None:
    revived = _candidate(DESCRIBING, "revived")
    assert bare_participle(revived.token)
    assert StoryClock(PUBLISHED).date(revived, "revived").basis == "undated"


# "She also voiced concern and repeated her offer": the tagger calls both verbs participles.
MISTAGGED = _doc("""
She PRON nsubj 2 she Case=Nom|Number=Sing|Person=3|PronType=Prs
also ADV advmod 2 also
voiced VERB ROOT 2 voice Tense=Past|VerbForm=Part|Voice=Pass
concern NOUN obj 2 concern Number=Sing
and CCONJ cc 5 and
repeated VERB conj 2 repeat Tense=Past|VerbForm=Part|Voice=Pass
her PRON nmod:poss 7 her Gender=Fem|Poss=Yes|PronType=Prs
offer NOUN obj 5 offer Number=Sing
""")


def test_a_root_with_a_subject_and_its_coordinated_verb_are_past_whatever_the_tag() -> None:
    for word in ("voiced", "repeated"):
        candidate = _candidate(MISTAGGED, word)
        assert not bare_participle(candidate.token)
        assert StoryClock(PUBLISHED).date(candidate, word).basis == "publication"


# "Rossi said that the firms have weathered the crisis and made progress", with "made" hung on "said".
NEARER = _doc("""
Rossi PROPN nsubj 1 Rossi Number=Sing
said VERB ROOT 1 say Mood=Ind|Tense=Past|VerbForm=Fin
that SCONJ mark 5 that
firms NOUN nsubj 5 firm Number=Plur
have AUX aux 5 have Mood=Ind|Tense=Pres|VerbForm=Fin
weathered VERB ccomp 1 weather Tense=Past|VerbForm=Part
the DET det 7 the Definite=Def|PronType=Art
crisis NOUN obj 5 crisis Number=Sing
and CCONJ cc 9 and
made VERB conj 1 make Tense=Past|VerbForm=Part
progress NOUN obj 9 progress Number=Sing
""")


def test_a_verb_after_a_complement_clause_shares_that_clause_s_auxiliary() -> None:
    made = _candidate(NEARER, "made")
    assert [t.text for t in shared_auxiliaries(made.token)] == ["have"]
    assert made.aspect == "perfect"
    assert StoryClock(PUBLISHED).date(made, "made").basis == "undated"  # a result now, not an event of the day


# "There will be a parade in Lyon": "there" and "will" hung on the copula, not on "parade".
def test_an_existential_with_its_auxiliary_on_the_copula_is_a_planned_happening() -> None:
    doc = _doc("""
There PRON expl 2 there
will AUX aux 2 will VerbForm=Fin
be AUX cop 4 be VerbForm=Inf
a DET det 4 a Definite=Ind|PronType=Art
parade NOUN ROOT 4 parade Number=Sing
in ADP case 6 in
Lyon PROPN nmod 4 Lyon Number=Sing
""")
    parade = _candidate(doc, "parade")
    assert (parade.event_class, parade.factuality, parade.tense) == ("occurrence", "planned", "future")
    assert summarize(parade, WORDS, Discourse(), "future")[0] == "There will be a parade in Lyon"


def test_a_noun_subject_of_an_existential_reads_with_it() -> None:
    doc = _doc("""
There PRON expl 1 there
was AUX ROOT 1 be Mood=Ind|Tense=Past|VerbForm=Fin
no DET det 3 no PronType=Neg
strike NOUN nsubj 1 strike Number=Sing
""")
    strike = _candidate(doc, "strike")
    assert summarize(strike, WORDS, Discourse())[0] == "There was no strike"


# "as shown by the falling steel exports to Canada": the noun is the event, described by a gerund.
GERUND = _doc("""
the DET det 3 the Definite=Def|PronType=Art
falling VERB amod 3 fall VerbForm=Ger
steel NOUN compound 3 steel Number=Sing
exports NOUN ROOT 3 export Number=Plur
to ADP case 5 to
Canada PROPN nmod 3 Canada Number=Sing
""")


def test_a_noun_described_by_a_gerund_reads_as_a_clause_in_the_tense_of_its_date() -> None:
    exports = _candidate(GERUND, "exports")
    assert summarize(exports, WORDS, Discourse(), "past")[0] == "The steel exports to Canada were falling"
    assert summarize(exports, WORDS, Discourse(), "future")[0] == "The steel exports to Canada will be falling"


def test_a_participle_that_classifies_its_noun_stays_in_the_phrase() -> None:
    doc = _doc("""
the DET det 2 the Definite=Def|PronType=Art
opening VERB amod 2 open VerbForm=Ger
ceremony NOUN ROOT 2 ceremony Number=Sing
""")
    assert summarize(_candidate(doc, "ceremony"), WORDS, Discourse())[0] == "The opening ceremony"


# "Lindqvist's visit, her first since starting a second term, ended": who started is the visit's owner.
OWNER = _doc("""
Lindqvist PROPN nmod:poss 2 Lindqvist Number=Sing
's PART case 0 's
visit NOUN nsubj 10 visit Number=Sing
, PUNCT punct 5 ,
since SCONJ mark 5 since
starting VERB advcl 10 start VerbForm=Ger
a DET det 8 a Definite=Ind|PronType=Art
second ADJ amod 8 second
term NOUN obj 5 term Number=Sing
, PUNCT punct 5 ,
ended VERB ROOT 10 end Mood=Ind|Tense=Past|VerbForm=Fin
""")


def test_a_gerund_clause_without_a_subject_names_who_does_it() -> None:
    starting = _candidate(OWNER, "starting")
    assert summarize(starting, WORDS, Discourse(), "past")[0] == "Lindqvist started a second term"
    assert summarize(starting, WORDS, Discourse(), "future")[0] == "Lindqvist will be starting a second term"


def _participle(word: str, lemma: str):
    return _doc(f"{word} VERB ROOT 0 {lemma} VerbForm=Ger")[0]


def test_the_simple_past_of_a_participle_only_where_the_grammar_can_tell_it() -> None:
    told = {word: simple_past(_participle(word, lemma), WORDS) for word, lemma in [
        ("commencing", "commence"), ("meeting", "meet"), ("running", "run"), ("applying", "apply"),
        ("staying", "stay"), ("agreeing", "agree"), ("visiting", "visit"), ("stopping", "stop"),
        ("making", "mak"), ("signing", "sign")]}
    assert told == {"commencing": "commenced", "meeting": "met", "running": "ran", "applying": "applied",
                    "staying": "stayed", "agreeing": "agreed", "signing": "signed",
                    "visiting": None, "stopping": None,  # the spelling does not say: "visited", "stopped"
                    "making": None}  # a lemma that does not account for the word


# "Haas, opening the fair on Monday, visited the stands": a gerund clause without a subject
# keeps its progressive where the simple past is not certain from the spelling ("open").
def test_a_gerund_clause_keeps_its_progressive_where_the_past_is_uncertain() -> None:
    doc = _doc("""
Haas PROPN nsubj 8 Haas Number=Sing
, PUNCT punct 2 ,
opening VERB advcl 8 open VerbForm=Ger
the DET det 4 the Definite=Def|PronType=Art
fair NOUN obj 2 fair Number=Sing
on ADP case 6 on
Monday PROPN obl 2 Monday Number=Sing
, PUNCT punct 2 ,
visited VERB ROOT 8 visit Mood=Ind|Tense=Past|VerbForm=Fin
the DET det 10 the Definite=Def|PronType=Art
stands NOUN obj 8 stand Number=Plur
""")
    assert summarize(_candidate(doc, "opening"), WORDS, Discourse(), "past")[0] == "Haas was opening the fair on Monday"


# "Brandt expressed support for the plan": the verb made a modifier of its object, the subject
# hung on the noun.
HUNG_ON_OBJECT = _doc("""
Brandt PROPN nsubj 2 Brandt Number=Sing
expressed VERB amod 2 express Tense=Past|VerbForm=Part|Voice=Pass
support NOUN ROOT 2 support Number=Sing
for ADP case 5 for
the DET det 5 the Definite=Def|PronType=Art
plan NOUN nmod 2 plan Number=Sing
""")


def test_a_verb_hung_on_its_object_heads_its_clause_and_is_past() -> None:
    expressed = _candidate(HUNG_ON_OBJECT, "expressed")
    assert expressed.main and not bare_participle(expressed.token)
    assert StoryClock(PUBLISHED).date(expressed, "expressed").basis == "publication"
    assert summarize(expressed, WORDS, Discourse())[0] == "Brandt expressed support for the plan"


def test_a_participle_auxiliary_carries_no_tense() -> None:
    """"has it been so entwined", the parse losing "has": "been" alone makes no past tense."""
    doc = _doc("""
it PRON nsubj:pass 3 it Case=Nom|Number=Sing|Person=3|PronType=Prs
been AUX aux:pass 3 be Tense=Past|VerbForm=Part
so ADV advmod 3 so
entwined VERB ROOT 3 entwine Tense=Past|VerbForm=Part|Voice=Pass
""")
    entwined = _candidate(doc, "entwined")
    assert entwined.tense is None
    assert StoryClock(PUBLISHED).date(entwined, "entwined").basis == "undated"


def test_a_date_on_an_infinitive_of_purpose_dates_the_verb_above() -> None:
    """"affirmed their commitment to strengthen ties on Thursday", the infinitive hung on the verb."""
    doc = _doc("""
Leaders NOUN nsubj 1 leader Number=Plur
affirmed VERB ROOT 1 affirm Mood=Ind|Tense=Past|VerbForm=Fin
their PRON nmod:poss 3 their Number=Plur|Poss=Yes|PronType=Prs
commitment NOUN obj 1 commitment Number=Sing
to PART mark 5 to
strengthen VERB advcl 1 strengthen VerbForm=Inf
ties NOUN obj 5 tie Number=Plur
on ADP case 8 on
Thursday PROPN obl 5 Thursday Number=Sing
""")
    timexes, _ = Extractor().analyze(doc.text, PUBLISHED)
    dated = [c.token.text for c in candidates(doc, timexes, 0, WORDS, WORDS.end_bounds) if c.timex is not None]
    assert dated == ["affirmed"]


def test_that_opening_a_reported_clause_is_no_determiner_of_its_subject() -> None:
    doc = _doc("""
Rossi PROPN nsubj 1 Rossi Number=Sing
said VERB ROOT 1 say Mood=Ind|Tense=Past|VerbForm=Fin
that DET det 3 that Number=Sing|PronType=Dem
inflation NOUN nsubj 5 inflation Number=Sing
would AUX aux 5 would VerbForm=Fin
fall VERB ccomp 1 fall VerbForm=Inf
""")
    assert summarize(_candidate(doc, "fall"), WORDS, Discourse())[0] == "Inflation would fall"


def test_the_phase_of_a_happening_is_an_event_its_date_dates() -> None:
    """"Since the initiation of hostilities in 2022, Russia has found ...", the date hung on
    "initiation": the start of the hostilities is what 2022 dates, not the finding."""
    doc = _doc("""
Since SCONJ mark 9 since
the DET det 2 the Definite=Def|PronType=Art
initiation NOUN nsubj 9 initiation Number=Sing
of ADP case 4 of
hostilities NOUN nmod 2 hostility Number=Plur
in ADP case 6 in
2022 NUM nmod 2 2022 NumType=Card
Russia PROPN nsubj 9 Russia Number=Sing
has AUX aux 9 have Mood=Ind|Tense=Pres|VerbForm=Fin
found VERB ROOT 9 find Tense=Past|VerbForm=Part
""")
    timexes, _ = Extractor().analyze(doc.text, PUBLISHED)
    dated = [c for c in candidates(doc, timexes, 0, WORDS, WORDS.end_bounds) if c.timex is not None]
    assert [(c.token.text, c.event_class) for c in dated] == [("initiation", "aspectual")]


def test_a_subject_borrowed_from_a_relative_clause_is_its_antecedent() -> None:
    """"Rossi, whose firm has grown, praised staff, noting record sales", the parse making the
    relative clause a root: who notes is Rossi, not "whose firm"."""
    doc = _doc("""
Rossi PROPN ROOT 0 Rossi Number=Sing
, PUNCT punct 5 ,
whose PRON nmod:poss 3 whose Poss=Yes|PronType=Rel
firm NOUN nsubj 5 firm Number=Sing
has AUX aux 5 have Mood=Ind|Tense=Pres|VerbForm=Fin
grown VERB ROOT 5 grow Tense=Past|VerbForm=Part
, PUNCT punct 7 ,
praised VERB conj 5 praise Mood=Ind|Tense=Past|VerbForm=Fin
staff NOUN obj 7 staff Number=Sing
, PUNCT punct 10 ,
noting VERB advcl 7 note Tense=Pres|VerbForm=Part
record NOUN compound 12 record Number=Sing
sales NOUN obj 10 sale Number=Plur
""")
    assert summarize(_candidate(doc, "noting"), WORDS, Discourse())[0] == "Rossi noted record sales"


# "Ahead of the vote, Rossi resigned.": "ahead" hung on the verb, the vote on "ahead".
AHEAD = _doc("""
Ahead ADV advmod 5 ahead
of ADP case 3 of
the DET det 3 the Definite=Def|PronType=Art
vote NOUN obl 0 vote Number=Sing
, PUNCT punct 5 ,
resigned VERB ROOT 5 resign Mood=Ind|Tense=Past|VerbForm=Fin
""")
# "After the vote, Rossi resigned.": told after, which the publication day does not contradict.
AFTER = _doc("""
After ADP case 2 after
the DET det 2 the Definite=Def|PronType=Art
vote NOUN obl 5 vote Number=Sing
, PUNCT punct 5 ,
Rossi PROPN nsubj 5 Rossi Number=Sing
resigned VERB ROOT 5 resign Mood=Ind|Tense=Past|VerbForm=Fin
""")


def test_a_happening_told_before_another_is_dated_before_it_not_on_the_publication_day() -> None:
    resigned = _candidate(AHEAD, "resigned")
    assert resigned.before is not None and resigned.before.text == "vote"
    assert _candidate(AFTER, "resigned").before is None
    clock = StoryClock(PUBLISHED)
    undated = clock.date(resigned, "resigned", ("the vote", clock.told_of(["vote"])))
    assert undated.basis == "undated" and "not of the publication day" in undated.reason
    day = Interval(datetime(2024, 5, 14), datetime(2024, 5, 15), "day")
    clock.tell(["vote"], Dating("publication", "the publication date", day))
    dating = clock.date(resigned, "resigned", ("the vote", clock.told_of(["vote"])))
    assert (dating.basis, dating.mod, dating.value) == ("publication", "BEFORE", "2024-05-14")
    assert dating.interval == Interval(None, datetime(2024, 5, 14), "day")
    assert "before 'the vote'" in dating.reason


def test_an_eventive_noun_its_possessor_does_reads_as_a_clause() -> None:
    doc = _doc("""
Haas PROPN nmod:poss 2 Haas Number=Sing
's PART case 0 's
visit NOUN ROOT 2 visit Number=Sing
to ADP case 4 to
Oslo PROPN nmod 2 Oslo Number=Sing
""")
    visit = _candidate(doc, "visit")
    assert summarize(visit, WORDS, Discourse(), "past")[0] == "Haas visited Oslo"
    assert summarize(visit, WORDS, Discourse(), "future")[0] == "Haas will visit Oslo"
    assert summarize(visit, WORDS, Discourse(), "present")[0] == "Haas's visit to Oslo"  # ongoing: as written
    # "After their meeting, the ministers left": the pronoun's owner named after it
    doc = _doc("""
After ADP case 2 after
their PRON nmod:poss 2 their Number=Plur|Person=3|Poss=Yes|PronType=Prs
meeting NOUN obl 6 meeting Number=Sing
, PUNCT punct 6 ,
the DET det 5 the Definite=Def|PronType=Art
ministers NOUN nsubj 6 minister Number=Plur
left VERB ROOT 6 leave Mood=Ind|Tense=Past|VerbForm=Fin
""")
    assert summarize(_candidate(doc, "meeting"), WORDS, Discourse(), "past")[0] == "The ministers met"


def test_an_eventive_noun_stays_a_phrase_where_no_clause_is_certain() -> None:
    # a word between possessor and noun: "Haas's first visit to Oslo" is not "Haas first visited Oslo"
    doc = _doc("""
Haas PROPN nmod:poss 3 Haas Number=Sing
's PART case 0 's
first ADJ amod 3 first Degree=Pos|NumType=Ord
visit NOUN ROOT 3 visit Number=Sing
to ADP case 5 to
Oslo PROPN nmod 3 Oslo Number=Sing
""")
    assert summarize(_candidate(doc, "visit"), WORDS, Discourse(), "past")[0] == "Haas's first visit to Oslo"
    # no complement the verb can take as its object: "Haas visited" would leave it out
    doc = _doc("""
Haas PROPN nmod:poss 2 Haas Number=Sing
's PART case 0 's
visit NOUN ROOT 2 visit Number=Sing
""")
    assert summarize(_candidate(doc, "visit"), WORDS, Discourse(), "past")[0] == "Haas's visit"
    # a noun its possessor undergoes is not in the grammar's table: "Haas's arrest" is no "Haas arrested"
    doc = _doc("""
Haas PROPN nmod:poss 2 Haas Number=Sing
's PART case 0 's
arrest NOUN ROOT 2 arrest Number=Sing
""")
    assert summarize(_candidate(doc, "arrest"), WORDS, Discourse(), "past")[0] == "Haas's arrest"


# "Rossi said on Monday: “We will sell the bank, whatever the offer.”"
SAID = _doc("""
Rossi PROPN nsubj 1 Rossi Number=Sing
said VERB ROOT 1 say Mood=Ind|Tense=Past|VerbForm=Fin
on ADP case 3 on
Monday PROPN obl 1 Monday Number=Sing
: PUNCT punct 1 :
“ PUNCT punct 8 "
We PRON nsubj 8 we Case=Nom|Number=Plur|Person=1|PronType=Prs
will AUX aux 8 will VerbForm=Fin
sell VERB parataxis 1 sell VerbForm=Inf
the DET det 10 the Definite=Def|PronType=Art
bank NOUN obj 8 bank Number=Sing
, PUNCT punct 14 ,
whatever DET det 14 whatever
the DET det 14 the
offer NOUN obl 8 offer Number=Sing
. PUNCT punct 1 .
” PUNCT punct 1 "
""")
# "Rossi wrote in a letter published Monday: “We sold the bank.”": the letter dated, the report told.
WROTE = _doc("""
Rossi PROPN nsubj 1 Rossi Number=Sing
wrote VERB ROOT 1 write Mood=Ind|Tense=Past|VerbForm=Fin
in ADP case 4 in
a DET det 4 a Definite=Ind|PronType=Art
letter NOUN obl 1 letter Number=Sing
published VERB acl 4 publish Tense=Past|VerbForm=Part
Monday PROPN obl:tmod 5 Monday Number=Sing
: PUNCT punct 1 :
“ PUNCT punct 10 "
We PRON nsubj 10 we Case=Nom|Number=Plur|Person=1|PronType=Prs
sold VERB parataxis 1 sell Mood=Ind|Tense=Past|VerbForm=Fin
the DET det 12 the Definite=Def|PronType=Art
bank NOUN obj 10 bank Number=Sing
. PUNCT punct 1 .
” PUNCT punct 1 "
""")


def test_a_report_carries_the_direct_speech_it_opens() -> None:
    said = _candidate(SAID, "said")
    assert summarize(said, WORDS, Discourse())[0] == "Rossi said on Monday: “We will sell the bank …”"
    timexes, _ = Extractor().analyze(WROTE.text, PUBLISHED)
    [published] = [c for c in candidates(WROTE, timexes, 0, WORDS, WORDS.end_bounds) if c.timex is not None]
    assert published.token.text == "published"
    assert summarize(published, WORDS, Discourse())[0] == "Rossi wrote in a letter: “We sold the bank”"


def test_a_summary_keeps_the_quotation_marks_of_the_words_it_keeps_whole() -> None:
    kept = _doc("""
Rossi PROPN nsubj 1 Rossi Number=Sing
praised VERB ROOT 1 praise Mood=Ind|Tense=Past|VerbForm=Fin
the DET det 6 the Definite=Def|PronType=Art
“ PUNCT punct 4 "
warm ADJ amod 6 warm Degree=Pos
” PUNCT punct 4 "
talks NOUN obj 1 talk Number=Plur
""")
    assert summarize(_candidate(kept, "praised"), WORDS, Discourse())[0] == "Rossi praised the “warm” talks"
    # "Rossi called the plan “a step, but only a first one”.": the summary ends inside the quotation
    cut = _doc("""
Rossi PROPN nsubj 1 Rossi Number=Sing
called VERB ROOT 1 call Mood=Ind|Tense=Past|VerbForm=Fin
the DET det 3 the Definite=Def|PronType=Art
plan NOUN obj 1 plan Number=Sing
“ PUNCT punct 6 "
a DET det 6 a Definite=Ind|PronType=Art
step NOUN xcomp 1 step Number=Sing
, PUNCT punct 12 ,
but CCONJ cc 12 but
only ADV advmod 12 only
a DET det 12 a Definite=Ind|PronType=Art
first ADJ amod 12 first Degree=Pos|NumType=Ord
one NOUN conj 6 one Number=Sing
” PUNCT punct 6 "
""")
    assert summarize(_candidate(cut, "called"), WORDS, Discourse())[0] == "Rossi called the plan a step"
