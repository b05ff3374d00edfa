"""Web pages as documents: the article's own text and metadata, never the page around it.

trafilatura finds the main text (navigation, cookie banners, share buttons, comment
sections and "Leave a Reply" forms are left out) and the title, author and site;
htmldate finds the original publication date.  The date is searched in the order of
trust, and its source is kept so a reader can judge it:

- ``html-metadata``: the page's markup says so (``<meta property="article:published_time">``,
  JSON-LD ``datePublished``, ``<time datetime>``, ``<abbr>``);
- ``url``: the address holds the date (``/2024/05/16/``);
- ``text``: a date written in the page (a byline "May 16, 2024"), htmldate's extensive search.

The text handed on holds no markup: entities are decoded, non-breaking spaces are
spaces, and any tag-like rest (markup shown as text on the page) is removed.
"""
from __future__ import annotations

import html
import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

HTML_SUFFIXES = (".html", ".htm")
PUBLISHED_SOURCES = ("given", "html-metadata", "url", "text")
#: htmldate's earliest plausible date: older dates in a page are rarely its publication.
EARLIEST = date(1995, 1, 1)
#: Fewer words and characters than these is no article ("Home", "Accept"); scripts without
#: spaces between words (Chinese, Japanese) are counted by characters.
MIN_WORDS = 4
MIN_CHARS = 40
NO_ARTICLE = "no article text was found in the page"

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u200b\ufeff]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_SENTENCE_END = frozenset(".!?:;…。！？\"'”’»)")


_WHOLE_PAGE = re.compile(r"\A\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>])",
                         re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """Whether a "text" is in fact a whole web page (it starts as one), to be read as a page."""
    return bool(_WHOLE_PAGE.match(text[:4096]))


class HtmlError(ValueError):
    """The input is not a page an article can be read from (empty, not HTML, no text)."""


@dataclass(frozen=True)
class Page:
    """What was read from one web page."""

    text: str
    title: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    published: datetime | None = None
    published_source: str | None = None
    #: What a reader must know, e.g. that no article text was found (the date may still be).
    warnings: tuple[str, ...] = ()
    #: The language the page declares (``<html lang="de-AT">`` gives "de"), if any.
    language: str | None = None


def clean_text(text: str) -> str:
    """Plain text with no markup: entities decoded (twice-escaped ones too), tags removed,
    non-breaking and zero-width spaces made plain spaces, lines trimmed."""
    for _ in range(2):  # "&amp;nbsp;" is an escaped "&nbsp;"
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = _TAG.sub(" ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _tree(markup: str | bytes) -> Any:
    from trafilatura.utils import load_html

    if isinstance(markup, str):
        markup = markup.removeprefix("\ufeff")
    if not markup or not markup.strip():
        raise HtmlError("the page is empty")
    try:
        tree = load_html(markup)
    except (ValueError, TypeError) as error:
        raise HtmlError(f"the page could not be parsed as HTML: {error}") from None
    if tree is None:
        raise HtmlError("the page could not be parsed as HTML")
    return tree


def publication_date(tree: Any, url: str | None, latest: date | None = None) -> tuple[date | None, str | None]:
    """The page's original publication day and where it was found (see the module's order).

    ``latest`` is the last plausible day (htmldate's ``max_date``; by default htmldate's today).
    """
    from htmldate import find_date
    from htmldate.core import examine_abbr_elements, examine_header, examine_time_elements, json_search
    from htmldate.extractors import extract_url_date
    from htmldate.utils import Extractor

    options = Extractor(False, datetime.combine(latest or date.today(), time.max), datetime.combine(EARLIEST, time()),
                        True, "%Y-%m-%d")
    found = examine_header(tree, options) or json_search(tree, options)
    if found:
        return date.fromisoformat(found), "html-metadata"
    article = _without_asides(tree)  # <time> and <abbr> of comments and related articles are not its own
    found = examine_abbr_elements(article, options) or examine_time_elements(article, options)
    if found:
        return date.fromisoformat(found), "html-metadata"
    if url is None:
        canonical = tree.find('.//link[@rel="canonical"]')
        url = canonical.get("href") if canonical is not None else None
    found = extract_url_date(url, options) if url else None
    if found:
        return date.fromisoformat(found), "url"
    found = find_date(article, extensive_search=True, original_date=True, url="",
                      min_date=EARLIEST.isoformat(), max_date=(latest.isoformat() if latest else None))
    if found:
        return date.fromisoformat(found), "text"
    return None, None


# Parts of a page whose dates are not the article's: comments ("posted on 3 January 2023"),
# footers (copyright years), navigation, sidebars, scripts (a build date).
_ASIDES = ("//footer|//nav|//aside|//form|//script|//style|//noscript|//template"
           "|//*[contains(translate(@id, 'COMENTRSP', 'comentrsp'), 'comment')]"
           "|//*[contains(translate(@class, 'COMENTRSP', 'comentrsp'), 'comment')]"
           "|//*[@id='respond' or contains(@class, 'related') or contains(@class, 'sidebar')]")


_CONTAINERS = frozenset({"html", "body", "main", "article"})  # a class "has-comments" on them is no comment


def _without_asides(tree: Any) -> Any:
    """A copy of the page without the parts whose dates are not the article's."""
    copy = deepcopy(tree)
    for element in copy.xpath(_ASIDES):
        if element.getparent() is not None and element.tag not in _CONTAINERS:
            element.getparent().remove(element)
    return copy


def read_html(markup: str | bytes, url: str | None = None, latest: date | None = None) -> Page:
    """The article in ``markup``: main text, title, author, site and publication date.

    A page without article text gives an empty ``text`` and a warning (its date and title may
    still be found); :class:`HtmlError` is raised only for what cannot be read as a page at all.
    """
    from trafilatura import extract

    tree = _tree(markup)
    try:
        published, source = publication_date(tree, url, latest)
    except Exception:  # noqa: BLE001 -- an odd page may trip the date search: it loses its date, not its text
        published, source = None, None
    try:
        # Dates and metadata are read first: trafilatura's extraction prunes the tree it is given.
        title, author, site = _metadata(tree)
        body = extract(tree, url=url, fast=True, include_comments=False, include_tables=False,
                       include_images=False, include_links=False, favor_precision=True, output_format="txt",
                       deduplicate=False)
    except Exception as error:  # noqa: BLE001 -- any page from the web: a clear error, never a crash
        raise HtmlError(f"the page could not be read: {type(error).__name__}: {error}") from None
    text = _sentences(clean_text(body or ""))
    warnings: tuple[str, ...] = ()
    if len(text.split()) < MIN_WORDS and len(text) < MIN_CHARS:  # a menu item or a button label is no article
        text, warnings = "", (NO_ARTICLE,)
    return Page(text=text, title=_plain(title), author=_plain(author), site=_plain(site), url=url,
                published=datetime.combine(published, time()) if published else None, published_source=source,
                warnings=warnings, language=_declared_language(tree))


def _declared_language(tree: Any) -> str | None:
    """The primary language subtag of ``<html lang>`` (or ``xml:lang``), lower case."""
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    subtag = declared.strip().split("-")[0].split("_")[0].lower()
    return subtag if subtag.isalpha() and 2 <= len(subtag) <= 3 else None


def _metadata(tree: Any) -> tuple[str | None, str | None, str | None]:
    """Title, author and site from the page's meta tags and JSON-LD (trafilatura's readers), the
    title and site also from the page itself.  trafilatura's ``extract_metadata`` would also
    search dates (done by :func:`publication_date`), categories and bylines in the body, which
    cost more than the rest of the reading together."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_sitename, extract_title

    metadata = examine_meta(tree)
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001 -- malformed JSON-LD is common; the meta tags still count
        pass
    author = metadata.author if metadata.author and " " in metadata.author else None  # a handle is no name
    return (metadata.title or extract_title(tree), author,
            (metadata.sitename or extract_sitename(tree) or "").lstrip("@") or None)


def _sentences(text: str) -> str:
    """Each line ends a sentence: a headline or list item without a full stop gets one, so the
    sentence splitter never joins it to the paragraph after it."""
    return "\n".join(line + "." if line and line[-1] not in _SENTENCE_END else line for line in text.split("\n"))


def _plain(value: str | None) -> str | None:
    return clean_text(value) or None if value else None
