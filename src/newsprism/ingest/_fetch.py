"""Polite downloads for `--fetch`: robots.txt, a per-host rate limit, timeouts, retries, conditional GET.

Only feed items and OPML feed lists ask for this, and only when the user passed `--fetch`. ETags and
Last-Modified dates live in a `Validators` store: in memory by default, in the store's `fetch_cache`
table during `ingest_paths`, so conditional GETs work across runs.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

import httpx

from newsprism.ingest._context import FetchResult

if TYPE_CHECKING:
    from newsprism.store import IngestRepository

__all__ = ["MemoryValidators", "PoliteFetcher", "StoredValidators", "Validators"]

USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
_RETRY_STATUS = {429, 500, 502, 503, 504}


class Validators(Protocol):
    """(ETag, Last-Modified) of URLs fetched before."""

    def get(self, url: str) -> tuple[str | None, str | None] | None: ...

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None: ...


class MemoryValidators:
    """Validators of this process only."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[str | None, str | None]] = {}

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        return self._known.get(url)

    def put(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self._known[url] = (etag, last_modified)


class StoredValidators(MemoryValidators):
    """Validators in the store's `fetch_cache` table.

    New ones are held until `flush()`, which the ingest calls inside the transaction that commits the
    articles of those pages: a kill before that commit must not leave a validator whose 304 would make
    the rerun skip a page that was never stored.
    """

    def __init__(self, tables: IngestRepository) -> None:
        super().__init__()
        self._tables = tables

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        held = super().get(url)
        if held is not None:
            return held
        return self._tables.validators(url)

    @property
    def held(self) -> bool:
        return bool(self._known)

    def flush(self) -> None:
        """Writes the held validators (call inside the transaction that stores their pages)."""
        if self._known:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            self._tables.put_validators([(url, *pair, now) for url, pair in self._known.items()])
        self._known.clear()

    def take(self, url: str) -> tuple[str | None, str | None] | None:
        """Removes and returns the held validators of `url` (a caller that commits them itself, later)."""
        return self._known.pop(url, None)

    def discard(self) -> None:
        self._known.clear()


class PoliteFetcher:
    """Fetches URLs one host at a time: `min_interval` seconds apart, robots.txt obeyed, ETags reused."""

    def __init__(self, *, min_interval: float = 1.0, timeout: float = 10.0, retries: int = 2,
                 backoff: float = 0.5, max_bytes: int = 20_000_000,
                 client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep,
                 validators: Validators | None = None) -> None:
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True,
                                              headers={"User-Agent": USER_AGENT})
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self.validators: Validators = validators or MemoryValidators()
        # bodies fetched in this run, for a 304 to the same URL later in the run; across runs a 304 has no
        # body (pages are not kept), which callers read as "unchanged since it was ingested"
        self._bodies: dict[str, bytes] = {}

    def close(self) -> None:
        self._client.close()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = self.min_interval - (time.monotonic() - last)
            if delay > 0:
                self._sleep(delay)
        self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
            try:
                self._wait(parts.netloc)
                response = self._client.get(origin + "/robots.txt")
                if response.status_code >= 400:
                    parser = None  # no robots.txt: everything allowed
                else:
                    assert parser is not None
                    parser.parse(response.text.splitlines())
            except httpx.HTTPError:
                parser = None
            self._robots[origin] = parser
        robots = self._robots[origin]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> FetchResult:
        """The body of `url`, or a reason; known validators make repeats conditional GETs.

        On 304 the result is `not_modified`, with the body when this run fetched it already, else None.
        """
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchResult(url, None, "not an http(s) URL")
        if not self.allowed(url):
            return FetchResult(url, None, "disallowed by robots.txt")
        headers: dict[str, str] = {}
        cached = self.validators.get(url)
        if cached:
            if cached[0]:
                headers["If-None-Match"] = cached[0]
            if cached[1]:
                headers["If-Modified-Since"] = cached[1]
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff * 2 ** (attempt - 1))
            self._wait(urlsplit(url).netloc)
            try:
                response = self._client.get(url, headers=headers)
            except httpx.TimeoutException:
                reason = "timed out"
                continue
            except httpx.HTTPError as err:
                reason = f"HTTP error: {type(err).__name__}"
                continue
            if response.status_code == 304 and cached:
                return FetchResult(url, self._bodies.get(url), "not modified since it was last fetched",
                                   not_modified=True)
            if response.status_code in _RETRY_STATUS:
                reason = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                return FetchResult(url, None, f"HTTP {response.status_code}")
            body = response.content
            if len(body) > self.max_bytes:
                return FetchResult(url, None, f"response too large ({len(body)} bytes)")
            etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
            if etag or modified:
                self.validators.put(url, etag, modified)
                self._bodies[url] = body
            return FetchResult(url, body)
        return FetchResult(url, None, reason or "failed")
