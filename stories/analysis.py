"""What is stored of one document: its text, a digest of its content, and its analysis.

A stored analysis is reused as long as the analysing code is the same: the fingerprint
digests the package version, every grammar file and the spaCy pipeline's name and version
(the trained model, when there is one).  A document analysed under another fingerprint is
analysed again (``timeline story rebuild``, or in the background by the server).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from timeline import __version__
from timeline.chronology import analyse_documents
from timeline.documents import Document
from timeline.events import EventMention
from timeline.grammar import GRAMMAR_DIR
from timeline.pipeline import Extractor
from timeline.syntax import default_parser


@lru_cache(maxsize=8)
def fingerprint(extractor: Extractor) -> str:
    """A digest of what decides a document's analysis: code version, grammars, pipeline."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(GRAMMAR_DIR.glob("*.toml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    meta = extractor.nlp.meta
    digest.update(json.dumps([meta.get("lang"), meta.get("name"), meta.get("version"), extractor.nlp.pipe_names],
                             sort_keys=True).encode())
    parser = default_parser()  # the event layer's trained parser, when there is one
    if parser is not None:
        digest.update(json.dumps([parser.meta.get("lang"), parser.meta.get("name"), parser.meta.get("version"),
                                  parser.pipe_names]).encode())
    return digest.hexdigest()


def content_hash(document: Document, html: str | None = None) -> str:
    """Same hash, same content: text (or HTML), title, url, language and publication date."""
    published = document.published.isoformat() if document.published else None
    fields = [html if html is not None else document.text, html is not None, document.title, document.url,
              document.language, published]
    return hashlib.blake2b(json.dumps(fields, ensure_ascii=False).encode(), digest_size=20).hexdigest()


@dataclass(frozen=True)
class Analysis:
    """One document's event mentions (its place in the story left at 0) and its timeline note:
    ``dated`` its entries (dated or not, as ``merge`` takes them), ``undated`` its sentences
    that may only support an event."""

    dated: list[EventMention]
    undated: list[EventMention]
    note: dict[str, Any]
    fingerprint: str


def analyse(document: Document, extractor: Extractor) -> Analysis:
    [(dated, undated, note)], _ = analyse_documents([document], extractor, default_parser())
    return Analysis(dated, undated, note, fingerprint(extractor))
