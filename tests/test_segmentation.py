"""The faster tokenizer and sentencizer of :mod:`timeline.segmentation` give exactly spaCy's
tokens and sentences: same token texts, whitespace, norms and offsets (``doc.text`` is the
input), same sentence starts, on the seed articles, on tricky whitespace and on random text,
also once their caches are warm.  And the tokenizer's cache really fills, within its bound.
Whitespace-free chunks longer than ``LONGEST_PIECE`` are tokenized in pieces: the text and every
offset stay exact, tokens stay short, and expressions glued to such a chunk are still read.
"""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.pipeline import Sentencizer as SpacySentencizer
from spacy.tokenizer import Tokenizer

import timeline
from timeline.pipeline import Extractor, make_pipeline
from timeline.segmentation import LONGEST_CHUNK, LONGEST_PIECE, CachingTokenizer, Sentencizer, pieces
from timeline.syntax import load_parser

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
PUBLISHED = "2024-05-16"

TRICKY = [
    "", " ", "  ", "\n", "\n\n", "\t", " \n ", "\u00a0", "x", " leading space", "trailing space ",
    "  two leading", "two trailing  ", "double  space", "tab\there", "line\nbreak", "para\n\nbreak",
    "mixed \n\t \u00a0 runs", "non\u00a0breaking space", "line\u2028separator", "carriage\r\nreturn",
    "emoji 😀 here 👍🏽.", "Visit https://example.com/a?b=1&c=2, or www.example.org.",
    "Mr. Smith (U.S.) said: \"don't\" - can't, won't; it's 5:30 p.m. on Jan. 5, 2024!",
    "(Mr. Putin's) 'U.S.-China' ties... ?!", "\"Quoted.\" Then \u201ccurly\u201d and \u2018single\u2019.",
    "$1.5bn, 26%, 3-4, 1990s, '90s, 2024-05-16, 10:00-11:00",
    "  \n  Heading\n\nBody text. More text!\n\n\n  ",
]

# Random text that hits the tokenizer's special cases, affixes and whitespace handling.
PIECES = ["Mr.", "U.S.", "don't", "can't", "it's", "Dr.", "e.g.", "Jan.", "p.m.", "(", ")", "\"", "'", "\u2019",
          "\u201c", "\u201d", ",", ".", "...", "!", "?", ";", ":", "-", "--", "\u2014", "$", "%", "5", "1990s",
          "2024-05-16", "well-known", "https://example.com/x", "😀", "Putin", "Beijing", "talks", "the"]
SPACES = [" ", " ", " ", "  ", "\n", "\n\n", "\t", " \n", "\u00a0", "\r\n", "\u2028", ""]
random_text = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(SPACES), st.text(max_size=6)),
                       max_size=40).map("".join)


def plain_tokenizer(nlp: spacy.Language) -> Tokenizer:
    """spaCy's own tokenizer with the pipeline's settings and (spaCy >= 3.8) no cache at all:
    the reference."""
    tokenizer = nlp.tokenizer
    no_cache = {"max_cache_size": 0} if hasattr(tokenizer, "max_cache_size") else {}
    return Tokenizer(nlp.vocab, rules=tokenizer.rules, prefix_search=tokenizer.prefix_search,
                     suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                     token_match=tokenizer.token_match, url_match=tokenizer.url_match, **no_cache)


def tokens(doc) -> list[tuple[str, str, str, int, int]]:
    return [(t.text, t.whitespace_, t.norm_, t.orth, t.idx) for t in doc]


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return make_pipeline()


@pytest.fixture(scope="module")
def reference(nlp) -> Tokenizer:
    return plain_tokenizer(nlp)


def short_chunks(text: str) -> bool:
    """Whether spaCy tokenizes ``text`` whole (no chunk is cut into pieces)."""
    return all(len(chunk) <= LONGEST_PIECE for chunk in text.split())


def assert_same_tokens(tokenizer, reference, text: str) -> None:
    doc = tokenizer(text)
    assert doc.text == text
    assert tokens(doc) == tokens(reference(text))


# --- tokens ---------------------------------------------------------------------------------------

def test_make_pipeline_uses_the_caching_tokenizer_with_the_url_matcher_off(nlp):
    assert isinstance(nlp.tokenizer, CachingTokenizer)
    assert nlp.tokenizer.url_match is None
    assert nlp.tokenizer.rules == spacy.blank("en").tokenizer.rules


@pytest.mark.parametrize("text", SEEDS, ids=[f"seed{i}" for i in range(len(SEEDS))])
def test_seed_articles_tokenize_as_spacy_does_cold_and_warm(nlp, reference, text):
    assert_same_tokens(nlp.tokenizer, reference, text)
    assert_same_tokens(nlp.tokenizer, reference, text)  # from the warm cache


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_whitespace_and_punctuation_tokenize_as_spacy_does(nlp, reference, text):
    fresh = CachingTokenizer.like(nlp.tokenizer)
    assert_same_tokens(fresh, reference, text)
    assert_same_tokens(fresh, reference, text)
    assert_same_tokens(nlp.tokenizer, reference, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(random_text, min_size=1, max_size=4))
def test_random_texts_tokenize_as_spacy_does(nlp, reference, texts):
    assume(all(map(short_chunks, texts)))
    # One tokenizer across examples: later texts meet chunks cached by earlier ones.
    for text in texts:
        assert_same_tokens(nlp.tokenizer, reference, text)


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(random_text, min_size=1, max_size=8))
def test_a_small_cache_bound_is_kept_and_changes_no_token(nlp, reference, texts):
    assume(all(map(short_chunks, texts)))
    tokenizer = CachingTokenizer.like(nlp.tokenizer, max_cache_size=5)
    for text in texts:
        assert_same_tokens(tokenizer, reference, text)
        assert len(tokenizer._warmed) <= 5


def count_calls(search):
    calls = []

    def counted(text: str):
        calls.append(text)
        return search(text)
    return counted, calls


def test_the_cache_fills_even_after_a_special_case():
    """spaCy alone stops caching after "Mr." and re-splits every later word on the next call;
    the caching tokenizer splits nothing the second time."""
    text = "Mr. Smith went to Washington yesterday, and talked (briefly) with reporters."
    base = spacy.blank("en").tokenizer
    plain_search, plain_calls = count_calls(base.prefix_search)
    plain = Tokenizer(base.vocab, rules=base.rules, prefix_search=plain_search, suffix_search=base.suffix_search,
                      infix_finditer=base.infix_finditer, token_match=base.token_match)
    caching_search, caching_calls = count_calls(base.prefix_search)
    caching = CachingTokenizer.like(base, prefix_search=caching_search)
    for tokenizer in (plain, caching):
        tokenizer(text)
    del plain_calls[:], caching_calls[:]
    assert tokens(plain(text)) == tokens(caching(text))
    assert len(plain_calls) > 10
    assert caching_calls == []


def test_warming_stops_at_the_cache_bound_and_skips_long_chunks(nlp):
    tokenizer = CachingTokenizer.like(nlp.tokenizer, max_cache_size=3)
    tokenizer("one two three four five " + "x" * (LONGEST_CHUNK + 1))
    assert tokenizer._warmed == {"one", "two", "three"}
    tokenizer = CachingTokenizer.like(nlp.tokenizer)
    tokenizer("short " + "y" * (LONGEST_CHUNK + 1))
    assert tokenizer._warmed == {"short"}


def test_changing_the_rules_flushes_spacy_cache_and_the_warm_record(nlp):
    tokenizer = CachingTokenizer.like(nlp.tokenizer)
    assert [t.text for t in tokenizer("gonna wait")] == ["gon", "na", "wait"]
    assert tokenizer._warmed
    tokenizer.add_special_case("wait", [{"ORTH": "wa"}, {"ORTH": "it"}])
    assert not tokenizer._warmed
    assert [t.text for t in tokenizer("gonna wait")] == ["gon", "na", "wa", "it"]


def test_inside_a_memory_zone_nothing_is_warmed():
    nlp = make_pipeline()
    if not hasattr(nlp, "memory_zone"):
        pytest.skip("memory zones came with spaCy 3.8")
    with nlp.memory_zone():
        doc = nlp.tokenizer("Mr. Smith arrived on Tuesday.")
        assert doc.text == "Mr. Smith arrived on Tuesday."
    assert not nlp.tokenizer._warmed


def test_the_pipeline_still_serializes_and_pickles(nlp):
    copy = make_pipeline()
    copy.from_bytes(nlp.to_bytes())
    assert isinstance(copy.tokenizer, CachingTokenizer)
    assert tokens(copy.tokenizer(SEEDS[0])) == tokens(nlp.tokenizer(SEEDS[0]))
    unpickled = pickle.loads(pickle.dumps(nlp.tokenizer))
    assert isinstance(unpickled, CachingTokenizer)
    assert [t.text for t in unpickled(TRICKY[23])] == [t.text for t in nlp.tokenizer(TRICKY[23])]


# --- long chunks ------------------------------------------------------------------------------------

# Chunks that spaCy's prefix/suffix loop strips one character at a time (time in length squared).
PATHOLOGICAL = {
    "ampersands": lambda n: "&" * n, "parentheses": lambda n: "(" * n, "emoji": lambda n: "\U0001f600" * n,
    "letters": lambda n: "a" * n, "url": lambda n: "http://" + "x/" * (n // 2), "mixed": lambda n: ("a&(1-" * n)[:n],
}


@pytest.fixture(scope="module")
def parser() -> spacy.Language:
    return load_parser(None)


@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_long_chunks_keep_the_text_and_give_short_tokens(nlp, parser, make):
    text = f"Before {make(3000)}  after\n{make(LONGEST_PIECE + 1)} end"
    for tokenizer in (nlp.tokenizer, parser.tokenizer):
        doc = tokenizer(text)
        assert doc.text == text
        assert all(text[t.idx:t.idx + len(t)] == t.text for t in doc)
        assert max(len(t) for t in doc) <= LONGEST_PIECE
        assert (doc[0].text, doc[0].whitespace_, doc[-1].text) == ("Before", " ", "end")


def test_pieces_join_to_the_text_and_cut_at_word_edges():
    text = "x " + "&" * 250 + "on 16 May 2024"
    found = pieces(text)
    assert "".join(found) == text
    assert found == ["x ", "&" * 100, "&" * 100, "&" * 50 + "on ", "16 May 2024"]
    assert pieces("short text only") == ["short text only"]
    assert pieces("") == [""]


# Runs that spaCy splits into one token per character anyway: cut or not, the tokens are spaCy's.
long_runs = st.tuples(st.sampled_from("&(\U0001f600"), st.integers(LONGEST_PIECE + 1, 4 * LONGEST_PIECE),
                      st.sampled_from(["", "on", "May", "16"])).map(lambda run: run[0] * run[1] + run[2])
SEPARATORS = st.sampled_from([space for space in SPACES if space])


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.tuples(random_text, SEPARATORS, long_runs, SEPARATORS), min_size=1, max_size=3))
def test_long_runs_of_split_characters_tokenize_as_spacy_does(nlp, reference, parts):
    text = "".join("".join(part) for part in parts)
    assert_same_tokens(nlp.tokenizer, reference, text)


@pytest.mark.parametrize("run", ["&" * 5000, "\U0001f600" * 3000, "(" * 400 + "x" * 400])
def test_a_timex_after_a_long_chunk_is_found_at_its_offsets(run):
    text = run + "on 16 May 2024, and " + run + " 17 May 2024" + run
    timexes = timeline.extract(text, "2024-05-20")
    found = [(t.value, t.text, text[t.start:t.end]) for t in timexes]
    assert found == [("2024-05-16", "16 May 2024", "16 May 2024"), ("2024-05-17", "17 May 2024", "17 May 2024")]


def test_an_event_after_a_long_chunk_keeps_its_offsets():
    text = "&" * 3000 + " The minister resigned on 16 May 2024."
    built = timeline.build([{"id": "d", "text": text, "published": "2024-05-20", "language": "en"}]).to_dict()
    mention = built["events"][0]["mentions"][0]
    trigger, timex = mention["trigger"], mention["timex"]
    assert text[trigger["start"]:trigger["end"]] == "resigned"
    assert text[timex["start"]:timex["end"]] == "16 May 2024"
    assert text[mention["sentence_start"]:mention["sentence_end"]] == "The minister resigned on 16 May 2024."


# --- sentences ------------------------------------------------------------------------------------

def spacy_sentencizer(nlp: spacy.Language) -> SpacySentencizer:
    ours = nlp.get_pipe("sentencizer")
    return SpacySentencizer(punct_chars=sorted(ours.punct_chars), overwrite=ours.overwrite)


def sentence_starts(doc) -> list[bool]:
    return [bool(t.is_sent_start) for t in doc]


def test_make_pipeline_keeps_the_component_name_and_settings(nlp):
    assert nlp.pipe_names == ["sentencizer", "timex"]
    component = nlp.get_pipe("sentencizer")
    assert isinstance(component, Sentencizer) and isinstance(component, SpacySentencizer)
    assert {"\n", "\n\n", "."} <= component.punct_chars


@pytest.mark.parametrize("text", SEEDS + TRICKY)
def test_sentences_are_spacy_sentences(nlp, text):
    ours, theirs = nlp.make_doc(text), nlp.make_doc(text)
    nlp.get_pipe("sentencizer")(ours)
    spacy_sentencizer(nlp)(theirs)
    assert sentence_starts(ours) == sentence_starts(theirs)
    if len(ours):
        assert [(s.start_char, s.end_char) for s in ours.sents] == [(s.start_char, s.end_char) for s in theirs.sents]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=random_text)
def test_random_text_gets_spacy_sentences(nlp, text):
    docs = [nlp.make_doc(text), nlp.make_doc(text)]
    assert nlp.get_pipe("sentencizer").predict(docs[:1]) == spacy_sentencizer(nlp).predict(docs[1:])


@settings(max_examples=100, deadline=None)
@given(text=random_text, punct_chars=st.one_of(st.none(), st.lists(st.sampled_from(PIECES + SPACES), max_size=6)))
def test_any_punctuation_setting_gives_spacy_sentences(nlp, text, punct_chars):
    doc = nlp.make_doc(text)
    ours = Sentencizer(punct_chars=punct_chars)
    theirs = SpacySentencizer(punct_chars=punct_chars)
    assert ours.predict([doc]) == theirs.predict([doc])


def test_changed_punctuation_is_read_again(nlp):
    doc = nlp.make_doc("One; two; three")
    sentencizer = Sentencizer(punct_chars=["."])
    assert sentencizer.predict([doc]) == [[True, False, False, False, False]]
    sentencizer.punct_chars = {";"}
    assert sentencizer.predict([doc]) == [[True, False, True, False, True]]


def test_the_factory_works_in_any_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("fast_sentencizer")
    assert [s.text for s in nlp("Hello there. How are you?").sents] == ["Hello there.", "How are you?"]


# --- the timex component --------------------------------------------------------------------------

def test_the_component_gives_the_same_timexes_with_or_without_the_text(nlp):
    text = SEEDS[0]
    given_text = nlp(text, component_cfg={"timex": {"published": PUBLISHED, "text": text}})
    read_text = nlp(text, component_cfg={"timex": {"published": PUBLISHED}})
    assert [t.to_dict() for t in given_text._.timexes] == [t.to_dict() for t in read_text._.timexes]
    assert [t.to_dict() for t in Extractor().extract(text, PUBLISHED)] == [t.to_dict() for t in read_text._.timexes]

