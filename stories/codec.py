"""Event mentions to and from JSON, so a document's analysis is stored once and reused.

An :class:`~timeline.events.EventMention` is encoded field by field (its dataclass fields,
so a field added to it is stored too); timexes keep their span, value, interval and
resolution.  ``document_index`` is not stored: it is the document's place in its story,
given back when the mention is read.
"""
from __future__ import annotations

import dataclasses
import json
import typing
from datetime import datetime
from functools import lru_cache
from typing import Any

from timeline.events import EventMention
from timeline.timexes import Interval, Resolution, Timex

_SKIPPED = ("document_index",)


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def encode_timex(timex: Timex) -> dict[str, Any]:
    data = {f.name: getattr(timex, f.name) for f in dataclasses.fields(timex)}
    data["resolution"] = dataclasses.asdict(timex.resolution)
    interval = timex.interval
    data["interval"] = None if interval is None else {
        "start": interval.start.isoformat() if interval.start else None,
        "end": interval.end.isoformat() if interval.end else None, "granularity": interval.granularity}
    return data


def decode_timex(data: dict[str, Any]) -> Timex:
    interval = data.get("interval")
    return Timex(**{**data, "resolution": Resolution(**data["resolution"]),
                    "interval": None if interval is None else Interval(
                        _moment(interval["start"]), _moment(interval["end"]), interval["granularity"])})


def _encode(value: Any) -> Any:
    if isinstance(value, Timex):
        return encode_timex(value)
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, (tuple, list)):
        return [_encode(item) for item in value]
    return value


def _decoder(hint: Any) -> Any:
    """How to rebuild a field from JSON, from its type hint."""
    text = str(hint)
    if "Timex" in text:
        if "tuple" in text or "list" in text:
            return lambda value: tuple(decode_timex(item) for item in value)
        return lambda value: None if value is None else decode_timex(value)
    if "frozenset" in text:
        return frozenset
    if "tuple" in text:
        return tuple
    return None


_HINTS = typing.get_type_hints(EventMention)
_DECODERS = {f.name: _decoder(_HINTS[f.name]) for f in dataclasses.fields(EventMention) if f.name not in _SKIPPED}


def encode_mention(mention: EventMention) -> str:
    return json.dumps({f.name: _encode(getattr(mention, f.name)) for f in dataclasses.fields(mention)
                       if f.name not in _SKIPPED}, ensure_ascii=False, separators=(",", ":"))


#: Decoded mentions kept per process (about 2 KB each): merging and writing events read the
#: same mentions again and again, and a stored mention never changes (a new analysis is new rows).
CACHED_MENTIONS = 1 << 15


@lru_cache(maxsize=CACHED_MENTIONS)
def decode_mention(text: str, document_index: int) -> EventMention:
    """The stored mention, placed at ``document_index`` (its document's place in the story)."""
    data = json.loads(text)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in _DECODERS:
            continue  # a field the code no longer has (stored by an older version)
        decoder = _DECODERS[name]
        values[name] = decoder(value) if decoder is not None and value is not None else value
    return EventMention(document_index=document_index, **values)
