"""Polite downloads for `--fetch`: robots.txt, a per-host rate limit, timeouts, retries, conditional GET.

Only feed items and OPML feed lists ask for this, and only when the user passed `--fetch`.
"""

from __future__ import annotations

import time
import urllib.robotparser
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from newsprism.ingest._context import FetchResult

__all__ = ["PoliteFetcher"]

USER_AGENT = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
_RETRY_STATUS = {429, 500, 502, 503, 504}


class PoliteFetcher:
    """Fetches URLs one host at a time: `min_interval` seconds apart, robots.txt obeyed, ETags reused."""

    def __init__(self, *, min_interval: float = 1.0, timeout: float = 10.0, retries: int = 2,
                 backoff: float = 0.5, max_bytes: int = 20_000_000,
                 client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self._client = client or httpx.Client(timeout=timeout, follow_redirects=True,
                                              headers={"User-Agent": USER_AGENT})
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        # url -> (etag, last-modified, body): a second run in the same process sends a conditional GET
        self._validators: dict[str, tuple[str | None, str | None, bytes]] = {}

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
        """The body of `url`, or a reason; cached validators make repeats conditional GETs."""
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchResult(url, None, "not an http(s) URL")
        if not self.allowed(url):
            return FetchResult(url, None, "disallowed by robots.txt")
        headers: dict[str, str] = {}
        cached = self._validators.get(url)
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
                return FetchResult(url, cached[2], not_modified=True)
            if response.status_code in _RETRY_STATUS:
                reason = f"HTTP {response.status_code}"
                continue
            if response.status_code >= 400:
                return FetchResult(url, None, f"HTTP {response.status_code}")
            body = response.content
            if len(body) > self.max_bytes:
                return FetchResult(url, None, f"response too large ({len(body)} bytes)")
            headers_in = response.headers
            self._validators[url] = (headers_in.get("etag"), headers_in.get("last-modified"), body)
            return FetchResult(url, body)
        return FetchResult(url, None, reason or "failed")
