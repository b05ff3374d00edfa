"""The page at / and the embed at /embed, in a real headless Chromium (Debian's ``chromium``,
driven by Playwright's Python package; no browser is downloaded).

The browser comes from the project's test setup (``tests/install-browser``, run by the
README's test command and ``.ci/run``).  Without it these tests skip, except under CI,
where a missing browser is a failure.  Screenshots go to ``test-artifacts/`` (or
``$TIMELINE_ARTIFACTS``).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("flask")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TIMELINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("TIMELINE_ARTIFACTS") or ROOT / "test-artifacts")
# As root in a sandbox with no network: no setuid sandbox, no GPU, no calls home.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-extensions"]
MAX_CHARS = 20_000  # above the seed articles' lengths; a test pastes a longer text
CONFLICTING_PAIR = [
    ("kerrow-herald", "2024-03-20",
     "The Kerrow river bridge collapsed on Monday, killing two workers, the county engineer said."),
    ("valley-post", "2024-03-20",
     "The Kerrow river bridge collapsed on Sunday, killing two workers, the county engineer said."),
]


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; the test setup (tests/install-browser) should have installed it")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API on a loopback port, in a thread of this process, with a story database of its own."""
    from werkzeug.serving import make_server

    from api import create_app

    database = f"sqlite:///{tmp_path_factory.mktemp('stories') / 'stories.db'}"
    httpd = make_server("127.0.0.1", 0, create_app({"MAX_CHARS": MAX_CHARS, "DATABASE_URL": database}),
                        threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Answers of 4xx are logged by Chromium as failed loads; the page handles them, so only
    # script errors count.
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def _screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def test_seed_story_shows_merged_events_and_their_evidence(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.get_by_role("button", name="Open the seed story").click()
    page.wait_for_selector("#events li.event")
    assert "events from 5 articles" in page.locator("#result-summary").inner_text()
    entries = page.locator("#events li.event")
    assert entries.count() >= 20
    # The articles were put in the form, dates included, so they can be edited and rebuilt.
    assert page.locator("#articles .article").count() == 5
    assert page.locator("#articles [name=published]").first.input_value() == "2024-05-16"

    visit = page.locator("li.event", has=page.locator("time", has_text="16 May 2024")).filter(
        has=page.locator(".badge.merged")).first
    assert visit.locator(".badge.source").count() >= 2
    entry = visit.locator("button.entry")
    assert entry.get_attribute("aria-expanded") == "false"
    entry.click()
    assert entry.get_attribute("aria-expanded") == "true"
    panel = visit.locator(".evidence")
    assert panel.is_visible()
    marks = panel.locator("mark").all_inner_texts()
    assert marks, "the temporal expression is highlighted in its sentence"
    reasons = panel.locator(".reason").all_inner_texts()
    # In words: the date as people write it, the anchor as a day, no rule names or TIMEX values.
    assert any(" is 16 May 2024: " in reason for reason in reasons), reasons
    assert any("publication (Thursday 16 May 2024)" in reason for reason in reasons), reasons
    assert not any(re.search(r"\b(weekday|date|period)\.[a-z_]+|\d{4}-\d{2}-\d{2}", reason) for reason in reasons)
    # The timeline comes first; the articles are folded away below it, one click from editing.
    assert not page.locator("#inputs").evaluate("details => details.open")
    assert "Articles (5)" in page.locator("#inputs-summary").inner_text()
    assert page.locator("#result").bounding_box()["y"] < page.locator("#inputs").bounding_box()["y"]
    _screenshot(page, "page-seed-story.png")

    # Keyboard: the entry is a button; Enter closes the panel again.
    entry.focus()
    page.keyboard.press("Enter")
    assert entry.get_attribute("aria-expanded") == "false" and not panel.is_visible()


def test_pasted_articles_that_disagree_show_a_conflict(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.get_by_role("button", name="Add an article").click()
    articles = page.locator("#articles .article")
    for index, (name, published, text) in enumerate(CONFLICTING_PAIR):
        article = articles.nth(index)
        article.get_by_label("Name").fill(name)
        article.get_by_label("Published").fill(published)
        article.get_by_label("Text").fill(text)
    page.get_by_role("button", name="Build the timeline").click()
    conflict = page.locator("li.event.conflicting").first
    conflict.wait_for()
    assert conflict.locator(".badge.conflict").inner_text() == "Conflicting dates"
    assert conflict.locator("time").inner_text() in ("18 March 2024", "17 March 2024")
    conflict.locator("button.entry").click()
    disagreement = conflict.locator(".evidence .dates").inner_text()
    assert "18 March 2024 (kerrow-herald)" in disagreement and "17 March 2024 (valley-post)" in disagreement
    assert conflict.locator(".evidence mark").all_inner_texts() == ["Monday", "Sunday"]
    _screenshot(page, "page-conflict.png")

    with page.expect_download() as download_info:
        page.locator(".downloads").get_by_role("button", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "timeline.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {row["document"] for row in rows} == {"kerrow-herald", "valley-post"}


def test_invalid_input_is_explained_next_to_the_field(page: Any, server: str) -> None:
    page.goto(server + "/")
    page.get_by_role("button", name="Build the timeline").click()
    problem = page.get_by_role("alert")
    assert "No article yet" in problem.inner_text()
    page.get_by_role("button", name="Add an article").click()
    for index in range(2):
        article = page.locator("#articles .article").nth(index)
        article.get_by_label("Name").fill("same-name")
        article.get_by_label("Text").fill("The talks ended on Friday.")
    page.get_by_role("button", name="Build the timeline").click()
    page.wait_for_selector("#problem h3:has-text('Unprocessable')")
    assert "'same-name' is repeated" in problem.inner_text()

    second = page.locator("#articles .article").nth(1)
    second.get_by_label("Name").fill("too-long")
    second.get_by_label("Text").fill("The talks ended on Friday. " * (MAX_CHARS // 20))
    page.get_by_role("button", name="Build the timeline").click()
    page.wait_for_selector("#problem li:has-text('Article 2 (text)')")
    text = second.get_by_label("Text")
    assert text.get_attribute("aria-invalid") == "true"
    message = page.locator(f"#{text.get_attribute('aria-describedby')}").inner_text()
    assert str(MAX_CHARS) in message.replace(",", "")
    assert page.locator("#result").is_hidden()


def test_page_fits_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_role("button", name="Open the seed story").click()
    page.wait_for_selector("#events li.event")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    page.locator("li.event button.entry").first.tap()
    assert page.locator("li.event .evidence").first.is_visible()
    _screenshot(page, "page-phone.png")
    context.close()


def test_embed_draws_the_seed_story_and_posted_articles(page: Any, server: str) -> None:
    page.goto(server + "/embed?story=seeds")
    page.wait_for_selector("#events li.event")
    assert page.locator("#articles-form").count() == 0  # the timeline alone
    assert page.locator("#events li.event").count() >= 20
    _screenshot(page, "embed-seed-story.png")

    page.goto(server + "/embed")
    documents = [{"id": name, "published": published, "text": text} for name, published, text in CONFLICTING_PAIR]
    page.evaluate("documents => window.postMessage({type: 'timeline', documents}, '*')", documents)
    page.wait_for_selector("li.event.conflicting")
    assert "1 with conflicting dates" in page.locator("#result-summary").inner_text()


def test_stored_stories_are_listed_opened_and_followed_in_the_embed(browser: Any, server: str) -> None:
    import json
    import urllib.request

    def send(method: str, path: str, body: Any) -> None:
        request = urllib.request.Request(server + path, json.dumps(body).encode(), method=method,
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).close()

    send("PUT", "/stories/kerrow", {"title": "Kerrow bridge"})
    name, published, text = CONFLICTING_PAIR[0]
    send("POST", "/stories/kerrow/documents", {"documents": [{"id": name, "published": published, "text": text}]})
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_role("button", name="Kerrow bridge (kerrow)").click()
    page.wait_for_selector("#events li.event")
    assert "1 event from 1 article" in page.locator("#result-summary").inner_text()
    _screenshot(page, "page-stored-story.png")

    page.goto(server + "/embed?story=kerrow&poll=2")
    page.wait_for_selector("#events li.event")
    assert page.locator("li.event.conflicting").count() == 0
    name, published, text = CONFLICTING_PAIR[1]
    send("POST", "/stories/kerrow/documents", {"documents": [{"id": name, "published": published, "text": text}]})
    page.wait_for_selector("li.event.conflicting", timeout=15_000)  # the next poll brings the new article
    page.goto(server + "/embed?story=nowhere")
    page.wait_for_selector("#problem:not([hidden])")
    assert "nowhere" in page.locator("#problem").inner_text()
    context.close()


def test_uploaded_web_pages_are_read_and_unread_ones_named(page: Any, server: str) -> None:
    from test_webpages import ITALIAN, JSON_LD, OPEN_GRAPH
    from test_webpages import page as news_page

    page.goto(server + "/")
    page.locator("#upload").set_input_files([
        {"name": "steel.html", "mimeType": "text/html", "buffer": news_page(JSON_LD + OPEN_GRAPH).encode()},
        {"name": "acciaio.html", "mimeType": "text/html", "buffer": ITALIAN.encode()},
    ])
    page.locator("#articles .article").nth(1).wait_for()  # the files are read asynchronously
    assert page.locator("#articles .article").count() == 2
    page.get_by_role("button", name="Build the timeline").click()
    page.wait_for_selector("#events li.event")
    notice = page.get_by_role("note")
    assert "1 article was not read" in notice.inner_text() and "'it'" in notice.inner_text()
    badges = page.locator("li.event .badge.source").all_inner_texts()
    assert "Example News: Ministry announces new tariffs on steel" in badges
    page.locator("#sources summary").click()
    sources = page.locator("#sources li").all_inner_texts()
    assert any("published 16 May 2024 (date from the page's metadata)" in line for line in sources), sources
    tuesday = page.locator("li.event", has=page.locator("time", has_text="14 May 2024")).first
    tuesday.locator("button.entry").click()
    quote = tuesday.locator(".evidence blockquote").first.inner_text()
    assert "<" not in quote and "nbsp" not in quote


# -- who may post to /embed (issue 14 item 9) ---------------------------------------------------------

def _serve(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def _embedding_site(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A dashboard that frames the /embed given in its query and posts two articles to it."""
    from urllib.parse import parse_qs

    embed = parse_qs(environ.get("QUERY_STRING", ""))["embed"][0]
    documents = [{"id": name, "published": published, "text": text} for name, published, text in CONFLICTING_PAIR]
    html = (f'<!doctype html><title>Dashboard</title><iframe id="story" src="{embed}"></iframe><script>'
            'const frame = document.getElementById("story");'
            'frame.addEventListener("load", () => frame.contentWindow.postMessage('
            f'{{type: "timeline", documents: {json.dumps(documents)}}}, "*"));</script>')
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [html.encode()]


@pytest.fixture(scope="module")
def dashboard() -> Iterator[str]:
    yield from _serve(_embedding_site)


@pytest.fixture(scope="module")
def intruder() -> Iterator[str]:
    yield from _serve(_embedding_site)  # the same page, at another origin (another port)


@pytest.fixture(scope="module")
def framed_server(dashboard: str) -> Iterator[str]:
    """A server that any site may frame, but whose /embed takes articles only from the dashboard."""
    from api import create_app

    yield from _serve(create_app({"MAX_CHARS": MAX_CHARS, "EMBED_ANCESTORS": "*", "EMBED_ORIGINS": dashboard}))


def test_embed_takes_articles_from_its_embed_origins_only(page: Any, framed_server: str, dashboard: str,
                                                          intruder: str) -> None:
    # /embed drew the articles of any page that framed it.
    page.goto(f"{intruder}/?embed={framed_server}/embed")
    frame = page.frame_locator("#story")
    frame.locator("#status").filter(has_text=f"Ignored a message from {intruder}").wait_for()
    assert frame.locator("#events li.event").count() == 0

    page.goto(f"{dashboard}/?embed={framed_server}/embed")
    frame = page.frame_locator("#story")
    frame.locator("li.event.conflicting").first.wait_for()
    assert "1 with conflicting dates" in frame.locator("#result-summary").inner_text()
