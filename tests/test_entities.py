"""Entity timelines: which names find an entity, which do not, and ``about`` in the library,
the command line and the API."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.cli import main
from timeline.entities import check_names, entity
from timeline.grammar import load_grammar

ENGLISH = load_grammar("en").entities


def found(name: str, text: str, documents: tuple[str, ...] = ()) -> bool:
    return entity(name, ENGLISH, documents).found_in(text)


@pytest.mark.parametrize(("name", "text"), [
    ("Airbus", "Airbus delivered the first jet"),
    ("Airbus", "Airbus's chief executive resigned"),
    ("Airbus", "Airbus\u2019s order book grew"),
    ("Airbus", "Airbus Group reported a loss"),          # a company suffix in the text
    ("Boeing Co.", "Boeing delivered 30 jets"),          # the name without its suffix
    ("Boeing", "shares of Boeing Co. fell"),
    ("Vladimir Putin", "President Vladimir Putin landed in Beijing"),
    ("Vladimir Putin", "Putin's visit ended"),           # surname, possessive
    ("President Vladimir Putin", "Putin landed"),
    ("Steve Jobs", "Jobs' health worsened"),             # possessive of a name ending in s
    ("European Union", "the EU imposed tariffs"),        # initials of the name
    ("EU", "the European Union's leaders met"),          # the name the initials stand for
    ("EU", "The European Union said"),                   # "The" is no part of the name
    ("Federal Bureau of Investigation", "the FBI said"),
    ("iPhone 4", "the iPhone 4 went on sale"),
    ("iTunes store", "the iTunes Store opened"),         # a lower-case word of the name, any case
    ("Airbus|the European planemaker", "the European planemaker said"),  # an alias given with |
])
def test_forms_that_name_the_entity(name: str, text: str) -> None:
    assert found(name, text)


@pytest.mark.parametrize(("name", "text"), [
    ("Airbus", "Airbusiness grew"),                      # a word that only begins with the name
    ("Apple", "Apple Corps sued"),                       # another name that begins with it
    ("Apple", "the apple harvest"),                      # a name is not a lower-case word
    ("iPhone", "the iPhone 4 went on sale"),             # a number continues the name
    ("Steve Jobs", "Apple cut 500 jobs"),
    ("European Union", "the Soviet Union collapsed"),   # an organization has no surname
    ("Vladimir Putin", "VP of sales"),                   # a person has no initials
    ("EU", "Europe's Union"),                            # a possessive breaks the run of initials
    ("EU", "South European Union"),                      # the run is part of a longer name
    ("US", "us and them"),                               # capitals are matched case-sensitively
    ("iPod", "the ipod"),
    ("Xi Jinping", "Xi met Putin"),                      # a family name first: known from the documents (below)
    ("Beatles Apple Corps", "Apple Corps lost"),         # unless the documents teach it (below)
    ("!!!", "!!! happened"),                             # a name without a word finds nothing
])
def test_no_false_matches(name: str, text: str) -> None:
    assert not found(name, text)


def test_an_owners_possessive_in_the_documents_teaches_the_owned_name() -> None:
    documents = ("The Beatles' Apple Corps has filed a lawsuit against Apple Computer.",)
    assert found("Beatles Apple Corps", "Apple Corps lost its court case", documents)
    assert not found("Beatles Apple Corps", "Apple lost its court case", documents)
    assert found("Xi Jinping|Xi", "Xi met Putin")


def test_a_family_name_written_first_is_learnt_from_the_documents() -> None:
    chinese = ("President Xi Jinping welcomed Putin.", "Xi said the talks were candid.", "Xi's wife sang.")
    assert found("Xi Jinping", "Xi met Putin", chinese)
    american = ("Steve Jobs unveiled the phone.", "Jobs said it was magical.", "Steve Wozniak smiled.")
    assert not found("Steve Jobs", "Steve met Tim", american)    # the last name is used alone: it is the surname
    assert found("Steve Jobs", "Jobs met Tim", american)


def test_check_names_accepts_one_name_or_a_list() -> None:
    assert check_names("Airbus") == ["Airbus"]
    assert check_names(["Airbus", "Boeing"]) == ["Airbus", "Boeing"]
    for bad, message in (([], "at least one"), ("  ", "blank"), (5, "a name or a list"), (["a", 3], "a name or"),
                         ("x" * 201, "longer than 200")):
        with pytest.raises(ValueError, match=message):
            check_names(bad)


AIRLINES = [
    {"id": "a", "published": "2024-05-16",
     "text": "On Tuesday, Airbus's chief executive resigned. On Wednesday, the board of Boeing named a new chair."},
    {"id": "b", "published": "2024-05-16",
     "text": "Last year, Airbus Group delivered 735 jets. On Monday, Ryanair cancelled flights to Rome."},
]


def test_build_about_keeps_the_entitys_events_and_renumbers_them() -> None:
    everything = timeline.build(AIRLINES)
    assert len(everything.events) == 4
    story = timeline.build(AIRLINES, about="Airbus")
    assert [(e.id, e.to_dict()["date"]["value"], e.summary) for e in story.events] == [
        ("e1", "2023", "Airbus Group delivered 735 jets"),
        ("e2", "2024-05-14", "Airbus's chief executive resigned"),
    ]
    both = timeline.build(AIRLINES, about=["Airbus", "Boeing Co."])
    assert [e.summary for e in both.events] == [
        "Airbus Group delivered 735 jets", "Airbus's chief executive resigned", "Board of Boeing named a new chair"]
    assert timeline.build(AIRLINES, about="Lufthansa").events == []
    with pytest.raises(ValueError, match="blank"):
        timeline.build(AIRLINES, about=" ")


def _jsonl(path: Path) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in AIRLINES), encoding="utf-8")
    return path


def test_cli_about_is_repeatable_and_works_with_the_export_formats(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(_jsonl(tmp_path / "airlines.jsonl"))
    assert main(["build", source, "--about", "Ryanair", "--about", "Boeing", "--format", "json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert [(e["id"], e["summary"]) for e in events] == [
        ("e1", "Ryanair cancelled flights to Rome"), ("e2", "Board of Boeing named a new chair")]
    assert main(["build", source, "--about", "Airbus", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 3 and all("Airbus" in row for row in rows[1:])
    assert main(["build", source, "--about", "Airbus"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 events from 2 documents"


def test_cli_about_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(_jsonl(tmp_path / "airlines.jsonl"))
    with pytest.raises(SystemExit) as exit_:
        main(["build", source, "--about", " "])
    assert exit_.value.code == 2 and "blank" in capsys.readouterr().err
    assert main(["build", source, "--about", "Airbus", "--format", "timeml", "--output", str(tmp_path / "t")]) == 2
    assert "--format timeml writes no events" in capsys.readouterr().err


@pytest.fixture(scope="module")
def client() -> Any:
    api = pytest.importorskip("api")
    return api.create_app().test_client()


def test_api_about_string_or_list(client: Any) -> None:
    one = client.post("/timeline", json={"documents": AIRLINES, "about": "Airbus"}).get_json()
    assert [e["summary"] for e in one["events"]] == ["Airbus Group delivered 735 jets",
                                                     "Airbus's chief executive resigned"]
    several = client.post("/timeline", json={"documents": AIRLINES, "about": ["Ryanair", "Boeing"]}).get_json()
    assert [e["id"] for e in several["events"]] == ["e1", "e2"]
    ics = client.post("/timeline?format=ics", json={"documents": AIRLINES, "about": ["Ryanair"]})
    assert ics.status_code == 200 and ics.get_data(as_text=True).count("BEGIN:VEVENT") == 1


@pytest.mark.parametrize(("about", "message"), [
    ([], "at least one"), ("", "blank"), (["Airbus", 7], "a name or a list"), (None, "null"),
    (["x"] * 21, "At most 20"), ("x" * 201, "longer than 200"),
])
def test_api_about_validation_is_a_422_problem(client: Any, about: Any, message: str) -> None:
    response = client.post("/timeline", json={"documents": AIRLINES, "about": about})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert message in " ".join(response.get_json()["errors"]["about"])


def test_api_about_does_not_apply_to_timeml(client: Any) -> None:
    """TimeML holds the documents' timexes, no events: the same XML with or without about."""
    plain = client.post("/timeline?format=timeml", json={"documents": AIRLINES[:1]})
    about = client.post("/timeline?format=timeml", json={"documents": AIRLINES[:1], "about": "Ryanair"})
    assert about.status_code == 200 and about.data == plain.data and b"TIMEX3" in about.data
