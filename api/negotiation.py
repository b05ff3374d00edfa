"""Which representation of the timeline a client asked for: ``?format=`` first, else ``Accept``.

``POST /timeline`` answers JSON by default; the export formats of
:mod:`timeline.formats` are chosen by name (``?format=csv``) or by media type
(``Accept: text/csv``).  TimeML is one ``.tml`` file per document: one document gives
XML, several a ZIP archive (``Accept: application/zip`` asks for the archive always).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Request
from werkzeug.exceptions import BadRequest, NotAcceptable

from timeline.formats import FORMATS, MEDIA_TYPES, ZIP_MEDIA_TYPE

JSON = "json"
NAMES = (JSON, *FORMATS)


@dataclass(frozen=True)
class Choice:
    """The format asked for; ``archive`` forces a ZIP of TimeML files, ``strict`` refuses to
    answer a ZIP when XML was asked for by media type."""

    format: str
    archive: bool = False
    strict: bool = False

    @property
    def key(self) -> str:
        """What tells answers to the same body apart in the response cache."""
        return f"{self.format}{'+zip' if self.archive else ''}{'+strict' if self.strict else ''}"


# Media types in the order a wildcard (*/*, text/*) picks them: JSON first.
_BY_MEDIA_TYPE: dict[str, Choice] = {
    "application/json": Choice(JSON),
    MEDIA_TYPES["timelinejs"]: Choice("timelinejs"),
    MEDIA_TYPES["csv"]: Choice("csv"),
    MEDIA_TYPES["ics"]: Choice("ics"),
    MEDIA_TYPES["timeml"]: Choice("timeml", strict=True),
    "text/xml": Choice("timeml", strict=True),
    ZIP_MEDIA_TYPE: Choice("timeml", archive=True),
}
MEDIA_TYPE_NAMES = tuple(_BY_MEDIA_TYPE)


def choose(request: Request) -> Choice:
    """The client's choice; 400 for an unknown ``format``, 406 when no Accept type is offered."""
    name = request.args.get("format")
    if name is not None:
        if name not in NAMES:
            raise BadRequest(f"Unknown format {name!r} in the query; choose from {', '.join(NAMES)}.")
        return Choice(name)
    if not request.accept_mimetypes:
        return Choice(JSON)
    best = request.accept_mimetypes.best_match(MEDIA_TYPE_NAMES)
    if best is None:
        raise NotAcceptable(f"No representation matches the Accept header; offered: {', '.join(MEDIA_TYPE_NAMES)} "
                            f"(or ?format= with one of {', '.join(NAMES)}).")
    return _BY_MEDIA_TYPE[best]
