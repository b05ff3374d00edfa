"""Web pages, addresses and languages: pages composed here in the shapes news sites use, read
through every interface (library, CLI, API), fetched from a local server, never the network."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline import fetching
from timeline.cli import main
from timeline.documents import Document, load_documents, validate_record
from timeline.fetching import Fetcher, FetchError, FetchPolicy, is_public
from timeline.grammar import GRAMMAR_DIR
from timeline.languages import identify, supported_languages
from timeline.webpages import clean_text, read_html

# -- the pages ---------------------------------------------------------------------------------

STORY = """
<p>On Tuesday the trade ministry announced new tariffs on imported steel.&nbsp;The measure takes effect on 1 June.</p>
<p>Industry groups affirmed on Thursday that prices would rise &amp; exporters would suffer.</p>
<p>The minister said last week that talks with exporters had failed.</p>
"""

CHROME = """
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li>Published</li></ul></nav>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on our website.
 By continuing to browse you agree to our use of cookies.</p><button>Accept all cookies</button></div>
"""

AFTER = """
<div class="share-buttons"><a>Share on Facebook</a> <a>Share on Twitter</a> <a>Copy link</a></div>
</article>
<section id="comments" class="comments-area"><h2 class="comments-title">2 thoughts on this story</h2>
<ol class="comment-list"><li class="comment"><div class="comment-body"><p>Terrible decision, I said so on
 3 January 2023 already.</p></div></li></ol>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3>
<form><textarea name="comment"></textarea></form></div></section>
<footer><p>Copyright 2019 Example Media. All rights reserved.</p></footer>
<script>var build = {"date": "2001-01-01", "updated": "January 1, 2001"};</script>
</body></html>
"""


def page(head: str = "", byline: str = "", story: str = STORY, lang: str = "en",
         headline: str = "Ministry announces new tariffs on steel") -> str:
    """A news page: head metadata, navigation, a cookie banner, the article with a byline,
    share labels, comments, a reply form and a script holding a date string."""
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{headline} | Example News</title>{head}</head><body>{CHROME}"
            f"<article><h1>{headline}</h1>{byline}{story}{AFTER}")


JSON_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
           '"headline": "Ministry announces new tariffs on steel", "datePublished": "2024-05-16T09:30:00+02:00", '
           '"dateModified": "2024-05-18T10:00:00+02:00", "author": {"@type": "Person", "name": "Jane Doe"}, '
           '"publisher": {"@type": "Organization", "name": "Example News"}}</script>')
OPEN_GRAPH = ('<meta property="og:site_name" content="Example News">'
              '<meta property="og:title" content="Ministry announces new tariffs on steel">'
              '<meta property="article:published_time" content="2024-05-16T07:30:00Z">')
TIME_BYLINE = '<p class="byline">By Jane Doe | <time datetime="2024-05-16T09:30">16 May 2024</time></p>'
TEXT_BYLINE = '<p class="byline">By Jane Doe. Published May 16, 2024</p>'
CANONICAL = '<link rel="canonical" href="https://news.example.com/world/2024/05/16/steel-tariffs">'

PAGES = {
    "json-ld.html": page(JSON_LD),
    "opengraph.html": page(OPEN_GRAPH),
    "time.html": page(byline=TIME_BYLINE),
    "address.html": page(CANONICAL),
    "byline.html": page(byline=TEXT_BYLINE),
}
SOURCES = {"json-ld.html": "html-metadata", "opengraph.html": "html-metadata", "time.html": "html-metadata",
           "address.html": "url", "byline.html": "text"}
GERMAN = page(JSON_LD, lang="de", headline="Ministerium kündigt neue Zölle auf Stahl an", story="""
<p>Am Dienstag kündigte das Handelsministerium neue Zölle auf importierten Stahl an. Die Maßnahme tritt am
 1. Juni in Kraft.</p><p>Die Industrieverbände bekräftigten am Donnerstag, dass die Preise steigen würden,
 und die Exporteure befürchten schwere Verluste in den kommenden Monaten.</p>""")
# A language without a grammar: its page is identified and named in a warning, and gives no dates
# (no date in it is written out in full, which is all dateparser would read).
ITALIAN = page(JSON_LD, lang="it", headline="Il ministero annuncia nuovi dazi sull'acciaio", story="""
<p>Martedì il ministero del commercio ha annunciato nuovi dazi sull'acciaio importato. La misura entrerà in
 vigore il primo giugno.</p><p>Le associazioni industriali hanno confermato giovedì che i prezzi saliranno,
 e gli esportatori temono gravi perdite nei prossimi mesi.</p>""")
BOILERPLATE = ("cookies", "Accept all", "Share on", "Copy link", "Leave a Reply", "Terrible decision", "Home",
               "Copyright", "2001")


def _no_markup(text: str) -> None:
    assert "<" not in text and ">" not in text and "&nbsp;" not in text and "&amp;" not in text, text
    assert "\xa0" not in text, text


# -- reading a page --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_shape_of_page_gives_its_publication_day_and_where_it_was_found(name: str) -> None:
    read = read_html(PAGES[name])
    assert read.published == datetime(2024, 5, 16)
    assert read.published_source == SOURCES[name]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_only_the_article_is_read(name: str) -> None:
    read = read_html(PAGES[name])
    assert "On Tuesday the trade ministry announced new tariffs on imported steel. The measure" in read.text
    assert "prices would rise & exporters" in read.text
    for words in BOILERPLATE:
        assert words not in read.text, (words, read.text)
    _no_markup(read.text)


def test_title_author_and_site_come_from_the_markup() -> None:
    read = read_html(page(JSON_LD + OPEN_GRAPH, byline=TIME_BYLINE))
    assert read.title == "Ministry announces new tariffs on steel"
    assert read.author == "Jane Doe"
    assert read.site == "Example News"


def test_a_headline_is_a_sentence_of_its_own() -> None:
    text = read_html(PAGES["json-ld.html"]).text
    assert text.startswith("Ministry announces new tariffs on steel.\n")


def test_a_page_without_a_date_has_none() -> None:
    read = read_html(page())
    assert read.published is None and read.published_source is None


def test_a_date_after_the_latest_plausible_day_is_not_the_publication() -> None:
    read = read_html(PAGES["opengraph.html"], latest=date(2024, 5, 1))
    assert read.published != datetime(2024, 5, 16)


def test_a_page_without_an_article_keeps_its_date_and_says_why() -> None:
    read = read_html(f"<html><head>{OPEN_GRAPH}</head><body><nav>Home</nav></body></html>")
    assert read.text == "" and read.warnings == ("no article text was found in the page",)
    assert read.published == datetime(2024, 5, 16) and read.site == "Example News"


def test_an_article_without_spaces_between_words_is_an_article() -> None:
    story = "<p>周二，贸易部宣布对进口钢铁征收新的关税。该措施将于六月一日生效。行业团体周四表示，价格将会上涨。</p>"
    read = read_html(page(JSON_LD, lang="zh", headline="贸易部宣布对钢铁征收新关税", story=story))
    assert "贸易部宣布对进口钢铁征收新的关税" in read.text and not read.warnings
    assert identify(read.text).language == "zh"


def test_clean_text_decodes_entities_and_drops_tags() -> None:
    assert clean_text("a&nbsp;b &amp;nbsp;c <p>d</p> <!-- e --> &lt;br&gt;f") == "a b c d f"


# -- documents from pages: given dates win, every reader ------------------------------------------

def _folder(tmp_path: Path, pages: dict[str, str], index: list[dict[str, Any]] | None = None) -> Path:
    for name, markup in pages.items():
        (tmp_path / name).write_text(markup, encoding="utf-8")
    if index is not None:
        (tmp_path / "index.json").write_text(json.dumps({"documents": index}), encoding="utf-8")
    return tmp_path


def test_a_given_date_overrides_the_page(tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"a.html": PAGES["json-ld.html"], "b.html": PAGES["byline.html"]},
                     [{"id": "a.html", "published": "2024-05-20"}])
    a, b = load_documents(folder, published="2020-01-01")
    assert isinstance(a, Document) and a.published == datetime(2024, 5, 20) and a.published_source == "given"
    # --published only dates what has no date of its own: the page has one
    assert isinstance(b, Document) and b.published == datetime(2024, 5, 16) and b.published_source == "text"


def test_published_applies_to_a_page_without_a_date(tmp_path: Path) -> None:
    (tmp_path / "x.html").write_text(page(), encoding="utf-8")
    [document] = load_documents(tmp_path / "x.html", published="2024-05-16")
    assert isinstance(document, Document)
    assert document.published == datetime(2024, 5, 16) and document.published_source == "given"


def test_json_lines_records_may_hold_html() -> None:
    document = validate_record({"id": "p", "html": PAGES["opengraph.html"]})
    assert isinstance(document, Document)
    assert document.published == datetime(2024, 5, 16) and document.site == "Example News"
    both = validate_record({"id": "p", "html": "<p>x</p>", "text": "x"})
    assert not isinstance(both, Document) and "not both" in both.reason


def test_a_page_without_an_article_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    [document] = load_documents(tmp_path / "empty.html")
    assert isinstance(document, Document) and document.text == ""
    assert document.warnings and "no article text" in document.warnings[0]


# -- languages --------------------------------------------------------------------------------------

def test_supported_languages_are_the_shipped_grammars() -> None:
    assert supported_languages() == tuple(sorted(path.stem for path in GRAMMAR_DIR.glob("*.toml")))
    assert "en" in supported_languages()


@pytest.mark.parametrize(("text", "language"), [
    ("Am Dienstag kündigte das Handelsministerium neue Zölle auf importierten Stahl an.", "de"),
    ("Mardi, le ministère du commerce a annoncé de nouveaux droits de douane sur l'acier importé.", "fr"),
    ("On Tuesday the trade ministry announced new tariffs on imported steel.", "en"),
])
def test_languages_are_identified(text: str, language: str) -> None:
    found = identify(text)
    assert (found.language, found.source) == (language, "identified")


def test_a_text_too_short_to_tell_gets_the_default_language() -> None:
    assert (identify("Prices rose.").language, identify("Prices rose.").source) == ("en", "default")


def test_a_given_language_is_not_second_guessed() -> None:
    text = "Am Dienstag kündigte das Handelsministerium neue Zölle auf importierten Stahl an."
    given = validate_record({"id": "x", "text": text, "language": "en"})
    found = validate_record({"id": "x", "text": text})
    assert isinstance(given, Document) and given.language == "en"
    assert isinstance(found, Document) and found.language == "de"


# -- the whole path: CLI and library ------------------------------------------------------------------

def test_build_a_folder_of_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path, {**PAGES, "german.html": GERMAN, "italian.html": ITALIAN})
    assert main(["build", str(folder), "--format", "json"]) == 4  # a document no grammar reads
    out, err = capsys.readouterr()
    data = json.loads(out)
    notes = {note["id"]: note for note in data["documents"]}
    assert set(notes) == {*PAGES, "german.html", "italian.html"}
    for name, source in SOURCES.items():
        assert notes[name]["published"] == "2024-05-16T00:00:00" and notes[name]["published_source"] == source
        assert notes[name]["language"] == "en" and notes[name]["timexes"] > 0 and notes[name]["warnings"] == []
    german = notes["german.html"]  # read with the German grammar
    assert german["language"] == "de" and german["published"] == "2024-05-16T00:00:00"
    assert german["timexes"] > 0 and german["warnings"] == []
    italian = notes["italian.html"]
    assert italian["language"] == "it" and italian["timexes"] == 0 and italian["event_mentions"] == 0
    assert "'it'" in italian["warnings"][0]
    assert any("italian.html" in warning and "'it'" in warning for warning in data["warnings"])
    assert "italian.html" in err
    for event in data["events"]:
        assert "italian.html" not in event["sources"]
        assert not event["date"]["value"].startswith("2001")  # the script's date string is no event
        for mention in event["mentions"]:
            _no_markup(mention["sentence"])
            assert not any(words in mention["sentence"] for words in BOILERPLATE)
    tuesday = [e for e in data["events"] if "tariffs" in e["summary"].lower()]
    assert tuesday and tuesday[0]["date"]["value"] == "2024-05-14"


def test_text_output_names_pages_by_site_and_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "story.html"
    target.write_text(page(JSON_LD + OPEN_GRAPH), encoding="utf-8")
    assert main(["build", str(target)]) == 0
    out = capsys.readouterr().out
    assert "14 May 2024" in out and "2024-05-14" not in out
    assert "sources: Example News: Ministry announces new tariffs on steel" in out
    assert "story.html" not in out


def test_timexes_of_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "story.html"
    target.write_text(PAGES["time.html"], encoding="utf-8")
    assert main(["timexes", "--input", str(target)]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    values = {timex["text"]: timex["value"] for timex in record["timexes"]}
    assert values["Tuesday"] == "2024-05-14" and values["last week"] == "2024-W19"
    assert "2001-01-01" not in values.values() and "2023-01-03" not in values.values()


def test_library_build_reads_pages(tmp_path: Path) -> None:
    story = timeline.build(_folder(tmp_path, {"a.html": PAGES["json-ld.html"]}))
    assert story.documents[0]["published_source"] == "html-metadata"
    assert any(event.to_dict()["date"]["value"] == "2024-05-14" for event in story.events)


# -- fetching ----------------------------------------------------------------------------------------

class _Site(BaseHTTPRequestHandler):
    """A small news site on 127.0.0.1: an article, redirects, a big page, a JSON file."""

    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Site.hits[self.path] = _Site.hits.get(self.path, 0) + 1
        if self.path == "/2024/05/16/steel.html":
            self._send(200, PAGES["opengraph.html"].encode())
        elif self.path == "/moved":
            self._redirect("/2024/05/16/steel.html")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/to-localhost":
            self._redirect(f"http://localhost:{self.server.server_address[1]}/2024/05/16/steel.html")
        elif self.path == "/big":
            self._send(200, b"<html><body>" + b"<p>steel</p>" * 20000 + b"</body></html>")
        elif self.path == "/data.json":
            self._send(200, b"{}", "application/json")
        else:
            self._send(404, b"not found")

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


LOCAL = FetchPolicy(allow_private=True, timeout=5)


def test_the_guard_refuses_loopback_by_default(site: str) -> None:
    with pytest.raises(FetchError, match="127.0.0.1, which is not a public internet address"):
        Fetcher().fetch(f"{site}/2024/05/16/steel.html")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254",
                                     "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1",
                                     "100.64.0.1"])
def test_addresses_that_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert is_public(address)


def test_every_redirect_is_checked_again(site: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.1 is let through for the first hop only; its redirect to localhost is refused."""
    real = fetching.resolve

    def first_hop_only(host: str, port: int, allow_private: bool) -> str:
        return real(host, port, allow_private or host == "127.0.0.1")
    monkeypatch.setattr(fetching, "resolve", first_hop_only)
    with pytest.raises(FetchError, match="localhost resolves to"):
        Fetcher().fetch(f"{site}/to-localhost")


def test_a_local_page_with_the_test_allowance(site: str) -> None:
    fetched = Fetcher(LOCAL).fetch(f"{site}/moved")
    assert fetched.url == f"{site}/2024/05/16/steel.html" and b"trade ministry" in fetched.body


@pytest.mark.parametrize(("path", "reason"), [
    ("/loop", "more than 5 redirects"), ("/big", "larger than the limit"), ("/data.json", "not a web page"),
    ("/missing", "404"),
])
def test_limits(site: str, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        Fetcher(FetchPolicy(allow_private=True, timeout=5, max_bytes=100_000)).fetch(site + path)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "http://user:pw@example.com/"])
def test_only_plain_http_addresses(url: str) -> None:
    with pytest.raises(FetchError):
        Fetcher().fetch(url)


def test_fetched_pages_are_cached(site: str) -> None:
    fetcher = Fetcher(LOCAL)
    before = _Site.hits.get("/2024/05/16/steel.html", 0)
    first = fetcher.fetch(f"{site}/2024/05/16/steel.html")
    assert fetcher.fetch(f"{site}/2024/05/16/steel.html") is first
    assert _Site.hits["/2024/05/16/steel.html"] == before + 1


def test_build_an_address(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"{site}/2024/05/16/steel.html"
    assert main(["build", url, "--format", "json"]) == 1  # refused: the guard, reported per document
    assert "not a public internet address" in capsys.readouterr().err
    assert main(["build", url, "--format", "json", "--allow-private-addresses"]) == 0
    [note] = json.loads(capsys.readouterr().out)["documents"]
    assert note["id"] == url and note["url"] == url and note["published"] == "2024-05-16T00:00:00"


# -- the API -------------------------------------------------------------------------------------------

def _client(**config: Any) -> Any:
    pytest.importorskip("flask")
    from api import create_app

    return create_app(config or None).test_client()


@pytest.fixture(scope="module")
def client() -> Any:
    return _client()


def test_api_timeline_of_pages(client: Any) -> None:
    response = client.post("/timeline", json={"documents": [
        {"id": "a", "html": PAGES["json-ld.html"]},
        {"id": "b", "html": PAGES["byline.html"], "published": "2024-05-17"},
        {"id": "it", "html": ITALIAN},
    ]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    notes = {note["id"]: note for note in body["documents"]}
    assert (notes["a"]["published"], notes["a"]["published_source"]) == ("2024-05-16T00:00:00", "html-metadata")
    assert (notes["b"]["published"], notes["b"]["published_source"]) == ("2024-05-17T00:00:00", "given")
    assert notes["a"]["author"] == "Jane Doe" and notes["a"]["title"] == "Ministry announces new tariffs on steel"
    assert notes["it"]["language"] == "it" and notes["it"]["timexes"] == 0 and notes["it"]["warnings"]
    for event in body["events"]:
        for mention in event["mentions"]:
            _no_markup(mention["sentence"])


def test_api_timexes_of_a_page_give_the_text_the_offsets_point_into(client: Any) -> None:
    response = client.post("/timexes", json={"texts": [{"html": PAGES["opengraph.html"]},
                                                       {"text": ITALIAN_TEXT}]})
    assert response.status_code == 200, response.get_json()
    page_result, italian = response.get_json()["texts"]
    for timex in page_result["timexes"]:
        assert page_result["text"][timex["start"]:timex["end"]] == timex["text"]
    assert any(timex["value"] == "2024-05-14" for timex in page_result["timexes"])
    assert italian["timexes"] == [] and "'it'" in italian["warnings"][0] and "text" not in italian


ITALIAN_TEXT = "Martedì il ministero del commercio ha annunciato nuovi dazi sull'acciaio importato."


def test_api_does_not_fetch_by_default(client: Any, site: str) -> None:
    response = client.post("/timeline", json={"documents": [{"id": "u", "url": f"{site}/2024/05/16/steel.html"}]})
    assert response.status_code == 422
    assert "TIMELINE_FETCH_URLS" in response.get_json()["errors"]["documents"]["0"]["url"][0]


def test_api_fetch_refuses_loopback_unless_allowed(site: str) -> None:
    url = f"{site}/2024/05/16/steel.html"
    refused = _client(FETCH_URLS=True).post("/timeline", json={"documents": [{"id": "u", "url": url}]})
    assert refused.status_code == 422
    assert "not a public internet address" in refused.get_json()["errors"]["documents"]["0"]["url"][0]
    fetched = _client(FETCH_URLS=True, FETCH_PRIVATE_ADDRESSES=True).post(
        "/timeline", json={"documents": [{"id": "u", "url": url}]})
    assert fetched.status_code == 200, fetched.get_json()
    [note] = fetched.get_json()["documents"]
    assert note["url"] == url and note["published"] == "2024-05-16T00:00:00" and note["site"] == "Example News"


@pytest.mark.parametrize(("document", "name"), [
    (Document("a.html", "x", title="Tariffs", site="Example News"), "Example News: Tariffs"),
    (Document("a.html", "x", title="Example News: Tariffs", site="Example News"), "Example News: Tariffs"),
    (Document("kerrow-herald", "The bridge fell on Monday."), "kerrow-herald"),
    (Document("0a1b.txt", "By Jo Bloggs\nThe Kerrow river bridge collapsed on Monday, killing four people."),
     "\u201cThe Kerrow river bridge collapsed on Monday, killing\u2026\u201d"),
    (Document("https://example.org/a", "Bridge collapses in Kerrow after storm\nFour people died."),
     "\u201cBridge collapses in Kerrow after storm\u201d"),
])
def test_documents_are_named_for_readers(document: Document, name: str) -> None:
    from timeline.documents import display_name

    assert display_name(document) == name


def test_batch_records_may_hold_html() -> None:
    from timeline.batch import process_record

    record = process_record({"id": "p", "html": PAGES["json-ld.html"]})
    values = {timex["text"]: timex["value"] for timex in record["timexes"]}
    assert values["Tuesday"] == "2024-05-14"  # dated by the page's JSON-LD


def test_a_short_page_is_read_in_the_language_it_declares() -> None:
    short = page(JSON_LD, lang="es-MX", headline="Aranceles", story="<p>Nuevos aranceles al acero.</p>")
    document = validate_record({"id": "p", "html": short})
    assert isinstance(document, Document) and document.language == "es"


def test_timexes_of_a_page_come_with_the_text_they_point_into(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "story.html"
    target.write_text(PAGES["byline.html"], encoding="utf-8")
    assert main(["timexes", "--input", str(target)]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["timexes"] and all(record["text"][t["start"]:t["end"]] == t["text"] for t in record["timexes"])


def test_a_whole_page_given_as_text_is_read_as_a_page(tmp_path: Path) -> None:
    record = validate_record({"id": "p", "text": "\n  " + PAGES["json-ld.html"]})
    assert isinstance(record, Document) and record.from_html and record.published_source == "html-metadata"
    _no_markup(record.text)
    (tmp_path / "saved.txt").write_text(PAGES["time.html"], encoding="utf-8")
    [document] = load_documents(tmp_path / "saved.txt")
    assert isinstance(document, Document) and document.published == datetime(2024, 5, 16)
    plain = validate_record({"id": "q", "text": "The <p> tag starts a paragraph, said the editor on Tuesday."})
    assert isinstance(plain, Document) and not plain.from_html and "<p>" in plain.text  # a text about markup


def test_english_news_is_told_by_its_function_words_without_the_model() -> None:
    english = ("On Tuesday the trade ministry announced new tariffs on imported steel. The measure takes effect "
               "on 1 June, and exporters said that they would appeal against it.")
    german = ("Am Dienstag kündigte das Handelsministerium neue Zölle auf importierten Stahl an. Die Maßnahme "
              "tritt am 1. Juni in Kraft, und die Exporteure kündigten an, dagegen vorzugehen.")
    assert identify(english).source == "common-words" and identify(english).language == "en"
    # German ships its function words too; a language without a grammar is left to the model.
    assert identify(german).source == "common-words" and identify(german).language == "de"
    italian = ("Martedì il ministero del commercio ha annunciato nuovi dazi sull'acciaio importato. La misura "
               "entrerà in vigore il primo giugno, e gli esportatori hanno detto che faranno ricorso contro di essa.")
    assert identify(italian).source == "identified" and identify(italian).language == "it"
