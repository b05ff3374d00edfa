"""Event mentions to and from JSON, so a document's analysis is stored once and reused.

An :class:`~timeline.events.EventMention` is encoded field by field, and so are the
dataclasses inside it (its timexes with their resolution and interval, its trigger, its
dating with basis, reason, interval and anchor), following their type hints: a field added to
any of them is stored too, and a stored mention rebuilds equal to the one analysed.
``document_index`` is not stored: it is the document's place in its story, given back when
the mention is read.
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable

from timeline.events import EventMention

_SKIPPED = ("document_index",)


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a dataclass, in order; None for any other type."""
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
    return _FIELD_NAMES[cls]


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    names = _field_names(type(value))
    if names is not None:
        return {name: _encode(getattr(value, name)) for name in names}
    return value


Decoder = Callable[[Any], Any]


def _keep(value: Any) -> Any:
    return value


@lru_cache(maxsize=None)
def _decoder(hint: Any) -> Decoder:
    """How to rebuild a value of type ``hint`` from JSON."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(argument for argument in arguments if argument is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _decoder(arguments[0])
        return lambda value: tuple(item(element) for element in value)
    if origin is frozenset:
        return frozenset
    if hint is datetime:
        return datetime.fromisoformat
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    return _keep


def _dataclass_decoder(cls: type) -> Decoder:
    hints = typing.get_type_hints(cls)
    fields = {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}

    def decode(value: dict[str, Any]) -> Any:
        # a field the code no longer has (stored by an older version) is left out
        return cls(**{name: _decoder(fields[name])(item) for name, item in value.items() if name in fields})
    return decode


_HINTS = typing.get_type_hints(EventMention)
_DECODERS = {f.name: _decoder(_HINTS[f.name]) for f in dataclasses.fields(EventMention) if f.name not in _SKIPPED}


_STORED = tuple(f.name for f in dataclasses.fields(EventMention) if f.name not in _SKIPPED)


def encode_mention(mention: EventMention) -> str:
    return json.dumps({name: _encode(getattr(mention, name)) for name in _STORED}, ensure_ascii=False,
                      separators=(",", ":"))


def decode(text: str, document_index: int) -> EventMention:
    """The stored mention, placed at ``document_index`` (its document's place in the story), not kept."""
    data = json.loads(text)
    values = {name: _DECODERS[name](value) for name, value in data.items() if name in _DECODERS}
    return EventMention(document_index=document_index, **values)


#: Decoded mentions kept per process by their JSON (about 6 KB each with it), for the reads
#: that decode stored mentions (``about=``) and the writes that remove documents.  Placing an
#: added article's mentions keeps its own, by row (``stories.merging.MentionCache``), so it
#: need not read their JSON again.
CACHED_MENTIONS = 1 << 12


@lru_cache(maxsize=CACHED_MENTIONS)
def decode_mention(text: str, document_index: int) -> EventMention:
    """The stored mention, placed at ``document_index``: :func:`decode`, kept."""
    return decode(text, document_index)
