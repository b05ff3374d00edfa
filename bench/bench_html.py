"""How fast web pages are read: main text, metadata, publication date and language, per page.

Generates ``--pages`` news pages of about ``--size`` bytes each in the shapes news sites use
(a JSON-LD NewsArticle, OpenGraph meta tags, a ``<time>`` byline, a dated address, a dated
byline in the text), around the seed articles: a large navigation menu, a cookie banner,
inline scripts and styles, related-article lists, share labels and a comment section, as
real pages carry.  Then reads every page as ``timeline build`` does
(:func:`timeline.documents.html_document`: trafilatura, htmldate, language identification),
in this process on one core, and reports pages per second of wall time and of this process's CPU
time (the figure for one core, which other processes on a busy machine do not change; best of
``--rounds``), the share of
pages whose publication day was found, and the peak resident memory.  Model loads are
excluded (one warm-up page first).  Run ``python bench/bench_html.py --help`` for options.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timeline.documents import Document, html_document  # noqa: E402

SEEDS = ROOT / "seeds"
SHAPES = ("json-ld", "opengraph", "time", "address", "byline")
WORDS = ("markets", "climate", "election", "football", "health", "science", "travel", "culture", "business",
         "technology", "opinion", "weather", "education", "housing", "energy", "transport")


def _articles() -> list[str]:
    index = json.loads((SEEDS / "index.json").read_text(encoding="utf-8"))["documents"]
    return [(SEEDS / entry["id"]).read_text(encoding="utf-8") for entry in index]


def _filler(rng: random.Random, size: int) -> str:
    """Page chrome up to ``size`` characters: menus, scripts, styles, related lists."""
    parts: list[str] = []
    total = 0
    while total < size:
        kind = rng.choice(("menu", "script", "style", "related"))
        if kind == "menu":
            part = "<ul class='menu'>" + "".join(f"<li><a href='/{w}/{rng.randint(1, 999)}'>{w.title()}</a></li>"
                                                for w in rng.sample(WORDS, 10)) + "</ul>"
        elif kind == "script":
            part = ("<script>window.__STATE__=" + json.dumps({w: [rng.random() for _ in range(8)]
                                                               for w in rng.sample(WORDS, 6)}) + ";</script>")
        elif kind == "style":
            part = "<style>" + "".join(f".c{rng.randint(0, 9999)}{{margin:{rng.randint(0, 40)}px;color:#"
                                       f"{rng.randint(0, 0xFFFFFF):06x}}}" for _ in range(20)) + "</style>"
        else:
            part = ("<aside class='related'><h3>Related</h3>" + "".join(
                f"<div class='teaser'><a href='/{w}'>{w.title()} story {rng.randint(1, 99)}</a></div>"
                for w in rng.sample(WORDS, 5)) + "</aside>")
        parts.append(part)
        total += len(part)
    return "".join(parts)


def make_page(rng: random.Random, text: str, shape: str, day: date, size: int) -> str:
    """One news page of about ``size`` characters around ``text``, dated ``day`` the ``shape`` way."""
    stamp = f"{day.isoformat()}T{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}:00Z"
    head = {
        "json-ld": ('<script type="application/ld+json">' + json.dumps(
            {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Putin visits Beijing",
             "datePublished": stamp, "author": {"@type": "Person", "name": "A. Writer"}}) + "</script>"),
        "opengraph": f'<meta property="article:published_time" content="{stamp}">',
        "address": f'<link rel="canonical" href="https://news.example.com/world/{day:%Y/%m/%d}/putin-beijing">',
    }.get(shape, "")
    byline = {"time": f'<p class="byline">By A. Writer <time datetime="{stamp}">{day:%d %B %Y}</time></p>',
              "byline": f'<p class="byline">By A. Writer. Published {day:%B} {day.day}, {day.year}</p>'}.get(shape, "")
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
    comments = "".join(f"<li class='comment'><p>Comment {n}: posted {day - timedelta(days=400 + n):%d %B %Y}</p></li>"
                       for n in range(5))
    chrome = size - len(paragraphs) - 2000
    return (f"<!DOCTYPE html><html lang='en'><head><title>Putin visits Beijing | Example News</title>"
            f"<meta property='og:site_name' content='Example News'>{head}{_filler(rng, chrome // 2)}</head><body>"
            f"<nav>{_filler(rng, chrome // 4)}</nav><div class='cookie-banner'>We use cookies. Accept all</div>"
            f"<main><article><h1>Putin visits Beijing</h1>{byline}{paragraphs}"
            f"<div class='share'>Share on Facebook Share on X Copy link</div></article>"
            f"<section class='comments'><h3>Leave a Reply</h3><ol>{comments}</ol></section>"
            f"{_filler(rng, chrome // 4)}</main><footer>© 2019 Example News</footer></body></html>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100, help="pages to generate (default 100)")
    parser.add_argument("--size", type=int, default=100_000, help="characters per page (default 100,000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the best is reported (default 3)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = _articles()
    days = [date(2023, 1, 1) + timedelta(days=rng.randint(0, 700)) for _ in range(args.pages)]
    pages = [make_page(rng, articles[n % len(articles)], SHAPES[n % len(SHAPES)], days[n], args.size)
             for n in range(args.pages)]
    html_document("warm-up", pages[0], {}, None)  # loads trafilatura, htmldate and the language model
    best = best_cpu = float("inf")
    found = 0
    for _ in range(args.rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        documents = [html_document(f"p{n}", markup, {}, None) for n, markup in enumerate(pages)]
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
        found = sum(1 for document, day in zip(documents, days, strict=True)
                    if isinstance(document, Document) and document.published is not None
                    and document.published.date() == day)
    figures = {
        "pages": args.pages,
        "mean_page_chars": round(sum(map(len, pages)) / len(pages)),
        "pages_per_second": round(args.pages / best, 1),
        "pages_per_cpu_second": round(args.pages / best_cpu, 1),
        "cpu_ms_per_page": round(best_cpu / args.pages * 1000, 1),
        "publication_day_found": f"{found}/{args.pages}",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name:<24}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
