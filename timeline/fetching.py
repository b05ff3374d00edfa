"""Fetching a web page by its address, safely: for ``timeline build https://...`` and the API's ``url``.

A server that fetches what its clients name can be made to reach what only it can reach
(server-side request forgery).  So every address a host name resolves to is checked
before connecting, on every redirect too, and the connection goes to the address that
was checked (a second DNS answer cannot swap it): loopback, private, link-local,
multicast, reserved and unspecified addresses are refused unless the policy allows
them (``allow_private``: for tests on 127.0.0.1 and for intranets, never the default).
Only ``http`` and ``https``; a timeout per network operation and for the whole fetch,
a size limit, a redirect limit, and HTML only.  Pages fetched are kept in a small cache.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "timeline (news timeline extraction; +https://pypi.org/project/timeline/)"


class FetchError(ValueError):
    """The page could not be fetched, or was refused; the message says which and why."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch."""

    timeout: float = 10.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    #: Allow loopback, private and link-local addresses (tests on 127.0.0.1, intranets).
    allow_private: bool = False
    #: Pages kept (by address) for repeated fetches; 0 keeps none.
    cache_entries: int = 64


@dataclass(frozen=True)
class Fetched:
    """A fetched page: the address it was finally read from, and its bytes."""

    url: str
    body: bytes
    content_type: str


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to: every address ``host`` resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"cannot resolve {host!r}: {error}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchError(f"cannot resolve {host!r}")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise FetchError(f"refused: {host} resolves to {address}, which is not a public internet address "
                                 "(loopback, private, link-local or reserved)")
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with the certificate checked against the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class Fetcher:
    """Fetches pages under one :class:`FetchPolicy`, with a cache of recent pages (thread-safe)."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._cache: OrderedDict[str, Fetched] = OrderedDict()
        self._lock = threading.Lock()

    def fetch(self, url: str) -> Fetched:
        """The page at ``url``, following redirects; raises :class:`FetchError`."""
        with self._lock:
            if url in self._cache:
                self._cache.move_to_end(url)
                return self._cache[url]
        fetched = self._fetch(url)
        if self.policy.cache_entries > 0:
            with self._lock:
                self._cache[url] = fetched
                while len(self._cache) > self.policy.cache_entries:
                    self._cache.popitem(last=False)
        return fetched

    def _fetch(self, url: str) -> Fetched:
        deadline = time.monotonic() + self.policy.timeout
        current = url
        for _ in range(self.policy.max_redirects + 1):
            response, connection = self._request(current, deadline)
            try:
                if response.status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(f"{current}: redirect ({response.status}) without a Location")
                    current = urljoin(current, location)
                    continue
                if response.status != 200:
                    raise FetchError(f"{current}: the server answered {response.status} {response.reason}")
                content_type = (response.getheader("Content-Type") or "text/html").split(";")[0].strip().lower()
                if content_type not in HTML_TYPES:
                    raise FetchError(f"{current}: not a web page (Content-Type {content_type})")
                return Fetched(current, self._read(response, current, deadline), content_type)
            finally:
                connection.close()
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _request(self, url: str, deadline: float) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http and https addresses can be fetched")
        if parts.username or parts.password:
            raise FetchError(f"{url}: addresses with credentials are refused")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError(f"{url}: {error}") from None
        address = resolve(parts.hostname, port, self.policy.allow_private)
        remaining = max(0.1, deadline - time.monotonic())
        kind = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = kind(parts.hostname, address, port, min(remaining, self.policy.timeout))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5",
                                                     "Accept-Encoding": "identity"})
            return connection.getresponse(), connection
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise FetchError(f"{url}: {error or type(error).__name__}") from None

    def _read(self, response: http.client.HTTPResponse, url: str, deadline: float) -> bytes:
        limit = self.policy.max_bytes
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > limit:
            raise FetchError(f"{url}: the page is larger than the limit of {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: took longer than {self.policy.timeout:g} s")
                chunk = response.read(65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise FetchError(f"{url}: the page is larger than the limit of {limit} bytes")
                chunks.append(chunk)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(f"{url}: {error or type(error).__name__}") from None
        return b"".join(chunks)


def is_url(value: str) -> bool:
    """Whether a command-line input names a web address rather than a file."""
    return value.lower().startswith(("http://", "https://"))
