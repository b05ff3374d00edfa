"""A per-process cache of answered requests: dashboards ask for the same story's timeline again and again.

The answer of ``POST /timeline`` and ``POST /timexes`` depends only on the request
body and the format asked for (the pipeline is deterministic), so a successful
response is kept under a digest of the body, the path and the format, least
recently used first out, within a byte budget (``CACHE_BYTES``; 0 turns the cache
off).  Only 200 answers are stored; a body that differs in any byte (even
whitespace) is another entry.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import NamedTuple


class Answer(NamedTuple):
    """A response body with what names it: its media type and, for downloads, a file name."""

    data: bytes
    media_type: str = "application/json"
    filename: str | None = None


class ResponseCache:
    """LRU map from (path and format, body digest) to answers, bounded by their bodies' total size."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def key(path: str, body: bytes) -> bytes:
        digest = hashlib.blake2b(path.encode(), digest_size=20)
        digest.update(b"\0")
        digest.update(body)
        return digest.digest()

    def get(self, key: bytes) -> Answer | None:
        if not self.max_bytes:
            return None
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: bytes, value: Answer) -> None:
        # An answer over a quarter of the budget would flush too much of the rest; it is not kept.
        if not self.max_bytes or len(value.data) > self.max_bytes // 4:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= len(previous.data)
            self._entries[key] = value
            self._size += len(value.data)
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.data)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._size
