"""The discourse state: story time, the news frame, and mentions resolved once each.

Narrative cases as sentences live in ``tests/corpus/narrative.tsv``; here are the rules
themselves, the explanations resolution gives, and inputs that once broke it.
"""
from __future__ import annotations

from datetime import date, datetime

import pytest

import timeline
from timeline.discourse import Discourse, quoted
from timeline.periods import Period, bc_year
from timeline.tense import Tense

PUBLISHED = "2024-05-20"


def _discourse(published: datetime | None, *dates: tuple[date, str, str, bool]) -> Discourse:
    """A discourse that has seen ``dates``: (day, granularity, label, dated by the text)."""
    discourse = Discourse(published)
    for day, granularity, label, story in dates:
        if story:
            discourse.note_story(label, "none")
        discourse.mention(Period.containing(day, granularity), label)
    return discourse


PAST = Tense("past", "was", 3)
FUTURE = Tense("future", "will", 3)


def test_without_a_publication_date_the_story_anchors() -> None:
    discourse = _discourse(None, (date(1914, 6, 28), "day", "a", True))
    story = discourse.story_anchor(lambda: PAST)
    assert story is not None and story.label == "a"


def test_a_story_far_from_the_publication_date_anchors_unless_told_in_the_future() -> None:
    discourse = _discourse(datetime(2024, 5, 20), (date(1914, 6, 28), "day", "a", True))
    assert discourse.story_anchor(lambda: PAST) is not None
    assert discourse.story_anchor(lambda: FUTURE) is None


def test_a_story_near_the_publication_date_leaves_the_anchor_to_publication() -> None:
    discourse = _discourse(datetime(2024, 5, 20), (date(2023, 9, 1), "day", "a", True))
    assert discourse.story_anchor(lambda: PAST) is None


def test_once_the_narrator_speaks_from_publication_a_background_year_dates_nothing() -> None:
    discourse = _discourse(datetime(2024, 5, 20), (date(1987, 1, 1), "year", "a", True))
    assert discourse.story_anchor(lambda: PAST) is not None
    discourse.speaks_from_publication()
    assert discourse.story_anchor(lambda: PAST) is None


def test_a_text_that_told_several_distant_dates_first_is_a_history_not_news() -> None:
    discourse = _discourse(datetime(2024, 5, 20), (date(1987, 1, 1), "year", "a", True),
                           (date(1995, 1, 1), "year", "b", True))
    assert not discourse.history
    discourse.mention(Period.containing(date(2023, 1, 1), "year"), "near")  # counted from publication
    discourse.note_story("c", "none")
    discourse.mention(Period.containing(date(2001, 1, 1), "year"), "c")
    assert discourse.history
    discourse.speaks_from_publication()
    assert not discourse.news
    assert _discourse(None).history


def test_news_stays_news_after_more_background() -> None:
    discourse = _discourse(datetime(2024, 5, 20), (date(1987, 1, 1), "year", "a", True))
    discourse.speaks_from_publication()
    for year, label in ((1990, "b"), (1995, "c"), (2001, "d")):
        discourse.note_story(label, "none")
        discourse.mention(Period.containing(date(year, 1, 1), "year"), label)
    assert discourse.news and not discourse.history


def _history_near_publication() -> Discourse:
    """A history (three dates far from its publication) whose story has come within a year of it."""
    return _discourse(datetime(2024, 5, 20), *((date(year, 1, 1), "year", str(year), True)
                                               for year in (1901, 1923, 1950, 2023)))


def test_a_history_near_its_publication_says_this_year_from_the_publication() -> None:
    discourse = _history_near_publication()
    assert discourse.history
    assert discourse.story_anchor(lambda: PAST) is not None  # "In March": still the story's
    assert discourse.story_anchor(lambda: PAST, present=True) is None  # "this year": the writer's


def test_a_story_far_from_its_publication_keeps_this_year_for_the_story() -> None:
    discourse = _discourse(datetime(2009, 12, 19), *((date(year, 1, 1), "year", str(year), True)
                                                     for year in (1761, 1777, 1781)))
    story = discourse.story_anchor(lambda: PAST, present=True)  # "in diesem Jahr" of a narrative
    assert story is not None and story.label == "1781"


def test_a_history_that_reached_its_present_and_speaks_from_it_is_news() -> None:
    discourse = _history_near_publication()
    discourse.speaks_from_publication()
    assert discourse.news and not discourse.history
    assert discourse.story_anchor(lambda: PAST) is None


def test_a_history_that_names_a_day_of_the_publication_week_is_news() -> None:
    published = datetime(2024, 5, 16)
    far = ((date(year, 1, 1), "year", str(year), True) for year in (1987, 1995, 2001))
    discourse = _discourse(published, *far)
    discourse.speaks_from_publication(Period.containing(date(2024, 5, 16), "day"))  # "today a museum"
    discourse.speaks_from_publication(Period.containing(date(2024, 1, 1), "year"))  # "will ... this year"
    assert discourse.history and not discourse.news
    discourse.speaks_from_publication(Period.containing(date(2024, 5, 14), "day"))  # "said on Tuesday"
    assert discourse.news and not discourse.history


def test_this_year_after_several_past_dates_is_the_publication_year_in_news() -> None:
    text = ("The pipes were laid in 1895 and relaid in 1962. Two burst in 1995, none in 1997, and three "
            "again this year: one on 2 May, two on Monday evening.")
    found = {t.text: t for t in timeline.extract(text, published="1998-06-17")}
    assert found["this year"].value == "1998" and found["this year"].resolution.anchor == "publication"
    assert found["2 May"].value == "1998-05-02"
    assert found["Monday evening"].value == "1998-06-15TEV"


def test_a_date_counted_from_publication_ends_the_story() -> None:
    discourse = _discourse(None, (date(1914, 6, 28), "day", "a", True), (date(2024, 5, 19), "day", "b", False))
    assert discourse.story_time() is None


def test_a_year_that_repeats_a_finer_dates_year_leaves_the_story_at_that_date() -> None:
    discourse = _discourse(None, (date(1941, 12, 7), "day", "a", True), (date(1941, 1, 1), "year", "b", True))
    story = discourse.story_time()
    assert story is not None and story.label == "a"


def test_a_look_back_does_not_move_the_story() -> None:
    discourse = _discourse(None, (date(1936, 11, 30), "day", "a", True))
    discourse.note_story("b", "a")
    discourse.mention(Period.containing(date(1935, 1, 1), "year"), "b", moves=False)
    story = discourse.story_time()
    assert story is not None and story.label == "a"
    assert discourse.reference("year") == (Period.containing(date(1935, 1, 1), "year"), "b")


@pytest.mark.parametrize(("text", "inside"), [
    ('He said: "We leave today', True),
    ('He said: "We leave" today', False),
    ("He said: \u201cWe leave today", True),
    ("He said: \u201cWe leave\u201d today", False),
    ("He said: ``We leave today", True),
    ('"We leave," he said.\nToday', False),  # a quotation does not run past its paragraph
])
def test_quoted(text: str, inside: bool) -> None:
    assert quoted(text, text.lower().rindex("today")) is inside


def test_a_story_anchor_is_named_and_explained() -> None:
    timexes = timeline.extract("Napoleon landed in France on 1 March 1815. On 20 March he entered Paris.",
                               published=PUBLISHED)
    landed, entered = timexes
    assert entered.value == "1815-03-20"
    assert entered.resolution.anchor == f"timex:{landed.id}"
    assert entered.resolution.anchor_value == "1815-03-01"
    assert "story time" in entered.resolution.reason


def test_news_of_the_day_keeps_the_publication_anchor() -> None:
    text = "The firm, founded in 1987, said on Tuesday it would cut jobs. In March, it sold a plant."
    timexes = timeline.extract(text, published=PUBLISHED)
    march = next(t for t in timexes if t.text == "March")
    assert march.value == "2024-03"
    assert march.resolution.anchor == "publication"


# --- issue 14 item 2: a chain of joined dates once recursed once per link ----------------------------
def test_a_long_chain_of_joined_dates_is_resolved_without_recursion() -> None:
    links = 300
    text = " to ".join(f"May {1 + n % 28}" for n in range(links))
    timexes = timeline.extract(text, published=PUBLISHED)  # raised RecursionError in resolution._adjoining
    assert [t.text for t in timexes] == [f"May {1 + n % 28}" for n in range(links)]
    assert all(t.value[4:] == f"-05-{1 + n % 28:02d}" for n, t in enumerate(timexes))
    # Each day is the start of a range ending on the next one, and is dated from it.
    for timex, following in zip(timexes, timexes[1:], strict=False):
        assert timex.resolution.anchor == f"timex:{following.id}"
        assert timex.value <= following.value
    assert timexes[-1].resolution.anchor == "publication"


@pytest.mark.parametrize("text", [
    "Sales rose in the quarter ended Sept. 30, from a year earlier.",
    "The festival runs 16\u201317 May 2024 and from 14 to 18 August.",
    "Shares fell in the first nine months of 1997; the comparable year-ago quarter, the second quarter "
    "ended Oct. 31, was weaker.",
])
def test_each_mention_is_resolved_once_even_when_joined_to_the_next(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mention joined to the next one reads that one's finished resolution: nothing is resolved
    early, and nothing twice."""
    from timeline import resolvers

    calls: list[int] = []
    for kind, resolver in list(resolvers.RESOLVERS.items()):
        def counted(mention, ctx, resolver=resolver):  # type: ignore[no-untyped-def]
            calls.append(mention.start)
            return resolver(mention, ctx)
        monkeypatch.setitem(resolvers.RESOLVERS, kind, counted)
    timexes = timeline.extract(text, published=PUBLISHED)
    assert any(t.resolution.anchor.startswith("timex:") for t in timexes)  # a joined run was read
    assert sorted(calls) == sorted(set(calls))
    assert len(calls) >= len(timexes)


def test_a_long_chain_of_joined_dates_is_served() -> None:
    api = pytest.importorskip("api")
    text = " to ".join(f"May {1 + n % 28}" for n in range(300))
    response = api.create_app().test_client().post(
        "/timexes", json={"texts": [{"id": "chain", "text": text, "published": PUBLISHED}]})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


# --- issue 14 item 10: one date repeated many times ----------------------------------------------------
def test_a_date_repeated_thousands_of_times_is_found_and_resolved_every_time() -> None:
    repeats = 4000  # about 28 KB: the growth itself is measured by bench/growth.py --repeated
    timexes = timeline.extract("May 16 " * repeats, published=PUBLISHED)
    assert len(timexes) == repeats
    assert {t.value for t in timexes} == {"2024-05-16"}
    assert {t.resolution.anchor for t in timexes} == {"publication"}


def test_a_publication_time_with_a_zone_is_compared_by_its_date() -> None:
    timexes = timeline.extract("The bonds mature on 1 March 2031. The war ended on 8 May 1945. In June, troops left.",
                               published="2024-05-20T09:30:00+02:00")
    assert [t.value for t in timexes] == ["2031-03-01", "1945-05-08", "1945-06"]


def test_a_story_before_the_common_era_is_counted_in_stand_in_years() -> None:
    bc = Period.containing(date(bc_year(490), 9, 12), "day")
    assert bc.before_common_era and bc.value() == "BC0490-09-12"
    assert bc.shift(366).value() == "BC0489-09-12"  # forward, towards the common era; 489 BC was leap
    assert Period.containing(bc.start, "year").shift(1).value() == "BC0489"
    assert Period.containing(date(bc_year(481), 1, 1), "decade").value() == "BC048"
    timexes = timeline.extract("Sparta fell in 371 BC. Nine years later, Thebes lost its leader.", published=PUBLISHED)
    assert [t.value for t in timexes] == ["BC0371", "BC0362"]
    assert timexes[1].interval is None and timexes[1].resolution.anchor == f"timex:{timexes[0].id}"
