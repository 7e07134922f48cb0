"""Render once, serve many: an ASGI layer that keeps rendered responses by the version of what they show.

A news site is read-mostly: a story page changes only when its story (or its storyline, or the outlet
table) changes, the front page only when some story does. Each cacheable GET is answered like this:

1. its version is read from the store (`Reader.versions()` / `story_version()`: a few indexed reads of
   `story_summaries` and `counters`, microseconds, on a connection that never waits for a lock);
2. a response kept for the same URL, variant (preference cookie, host) and version is sent from memory,
   compressed when the client takes it (brotli where the `Brotli` package is installed, else gzip; both
   made once, when the response is kept), or a 304 when the client's ETag / Last-Modified still holds;
3. otherwise the app renders it (its handlers run in the thread pool) and the result is kept, unless
   it sets a cookie or says `Cache-Control: no-store` (a search cut short by a busy server). One
   render per URL, variant and version at a time: requests that miss while it runs wait for it and are
   answered from what it kept (see `PageCache._render_once`).

Pages that read the reader's cookie are kept per what they read of it: a story page per preference
bucket (sliders and filters), the lists (`FILTERED`: front page, day pages, storylines, blind spots,
search) per filter set only. Those of readers with filters or tilted sliders sit in a pool of their own,
so no flood of distinct cookies can evict the pages everyone shares. Every version includes the prune
counter (`Versions.pruned`): deleting old stories can leave the other numbers where they were.

Static assets are read once at start and served from memory; a fingerprinted URL
(`/v/<hash>/static/…`, as `Links.static` writes it) is immutable for a year. Anything else (forms,
the preferences page, errors) passes through.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import mimetypes
import sqlite3
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

import anyio
import anyio.to_thread
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:  # optional: brotli-6 is 11% smaller than gzip-6 on the demo's pages; without it, gzip alone
    import brotli
except ImportError:  # pragma: no cover - the package is a dependency; a trimmed install still serves gzip
    brotli = None

from newsprism.publish.prefs import COOKIE, Prefs
from newsprism.publish.queries import Reader
from newsprism.publish.render import STATIC_DIR, asset_fingerprint

__all__ = ["PageCache"]

COMPRESS_MIN_BYTES = 256  # smaller bodies gain less than the header costs
BROTLI_QUALITY = 6  # once per version, off the event loop: 11 is 13% smaller again but ~9x the CPU (3.5 ms)
PAGE_CACHE_CONTROL = b"no-cache"  # keep it, but ask each time: a 304 is cheap and a build shows at once
IMMUTABLE = b"public, max-age=31536000, immutable"
KNOWN_PATHS = 8192  # URLs whose versions are remembered between two commits to the store
Version = tuple[object, ...]


@dataclass(frozen=True)
class _Entry:
    version: Version
    headers: tuple[tuple[bytes, bytes], ...]  # the app's headers, without length and validators
    body: bytes
    gzipped: bytes | None
    brotlied: bytes | None
    etag: bytes
    modified_at: float

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"") + len(self.brotlied or b"")

    @property
    def compressed(self) -> bool:
        return self.gzipped is not None or self.brotlied is not None


@dataclass
class _Pool:
    """Entries kept in least-recently-used order, bounded by count and bytes."""

    max_entries: int
    max_bytes: int
    entries: OrderedDict[tuple[object, ...], _Entry] = field(default_factory=OrderedDict)
    bytes: int = 0


def _etag(*parts: object) -> bytes:
    # Versions are store-wide counters, so every worker gives one version of one URL the same ETag.
    return b'W/"' + hashlib.sha1(repr(parts).encode()).hexdigest()[:20].encode() + b'"'


def _packed(body: bytes) -> tuple[bytes | None, bytes | None]:
    """The body gzipped and brotli-compressed (None: too small to gain, or brotli not installed)."""
    if len(body) < COMPRESS_MIN_BYTES:
        return None, None
    packed = bytes(brotli.compress(body, quality=BROTLI_QUALITY)) if brotli is not None else None
    return gzip.compress(body, 6, mtime=0), packed


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


@lru_cache(maxsize=256)
def _codings(accept_encoding: str) -> frozenset[str]:
    """The content codings an Accept-Encoding header takes (q > 0; `*` for any not named). Remembered
    per header: browsers send one of a few."""
    taken: set[str] = set()
    refused: set[str] = set()
    for token in accept_encoding.split(","):
        coding, _, params = token.strip().partition(";")
        coding = coding.strip().lower()
        q = params.strip().lower()
        zero = q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000")
        (refused if zero else taken).add(coding)
    if "*" in taken:
        taken |= {"gzip", "br"} - refused
    return frozenset(taken - refused)


@lru_cache(maxsize=1024)
def _buckets(cookie_header: str) -> tuple[str, bool, str, bool]:
    """What the cache reads of a Cookie header: (the preference bucket, sliders neutral, the filter
    set's key, no filter set). Remembered per header: parsing it was a fifth of a cached page's cost,
    and most readers send one of a few headers (none at all, most of them)."""
    prefs = Prefs.parse(cookie_parser(cookie_header).get(COOKIE))
    return prefs.cookie(), prefs.neutral, prefs.filters.key(), not prefs.filters.active


def _not_modified(scope: Scope, entry: _Entry) -> bool:
    """RFC 9110: If-None-Match decides when present; If-Modified-Since only without it. The date is
    honoured only when it is past the second the response was made, so two versions made within one
    second are never confused."""
    tags = _header(scope, b"if-none-match")
    if tags:
        wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
        return "*" in wanted or entry.etag.decode().removeprefix("W/") in wanted
    since = _header(scope, b"if-modified-since")
    if not since:
        return False
    try:
        stamp = parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    return stamp >= math.ceil(entry.modified_at)


class PageCache:
    """The cache in front of the site's app (see the module docstring). Bounded by entries and bytes."""

    def __init__(self, app: ASGIApp, reader: Reader, *, max_entries: int = 4096,
                 max_bytes: int = 64 * 2**20) -> None:
        self.app = app
        self.reader = reader
        # Pages for readers with filters (or tilted sliders) live in a pool of their own, a quarter of
        # the size: any number of distinct cookies can only churn that pool, never evict the pages
        # every other reader shares.
        self._shared = _Pool(max_entries, max_bytes)
        self._personal = _Pool(max(1, max_entries // 4), max(1, max_bytes // 4))
        self._static = self._load_static()
        self.renders = 0  # responses rendered by the app (the rest came from memory); for tests and benches
        self._stamp: tuple[int, int] | None = None  # the store's data_version the paths below were read at
        self._known: dict[str, tuple[str, Version] | None] = {}
        self._rendering: dict[tuple[object, ...], anyio.Event] = {}  # (key, version) being rendered now

    # --- what each URL shows --------------------------------------------------------------

    def _version(self, path: str) -> tuple[str, Version] | None:
        """`_lookup(path)`, remembered until anything commits to the store. A cached answer then costs
        one `PRAGMA data_version` instead of two or three queries: the version reads were half of what a
        cached story page cost beyond a static file (issue 15: at most twice a static file's CPU)."""
        stamp = self.reader.data_version()
        if stamp != self._stamp:
            self._stamp = stamp
            self._known.clear()
        try:
            return self._known[path]
        except KeyError:
            pass
        found = self._lookup(path)
        if len(self._known) >= KNOWN_PATHS:  # a flood of made-up URLs: start over, never grow unbounded
            self._known.clear()
        self._known[path] = found
        return found

    def _lookup(self, path: str) -> tuple[str, Version] | None:
        """(what the URL is, the version of what it shows), or None for URLs that are not cached
        (or whose thing does not exist: the app answers those)."""
        parts = path.split("/")[1:]
        r = self.reader
        if len(parts) == 2 and parts[0] == "story" and parts[1]:
            found = r.story_version(parts[1])
            if found is None:
                return None
            v = r.versions()
            return ("story", (*found, v.outlets, v.pruned))
        if len(parts) == 2 and parts[0] == "storyline" and parts[1]:
            v = r.versions()  # the outlets too: the reader's filters read the outlet table
            return ("storyline", (r.storyline_version(parts[1]), v.outlets, v.pruned))
        if len(parts) == 3 and parts[0] == "api" and parts[1] == "story" and parts[2]:
            found = r.story_version(parts[2])
            return None if found is None else ("api/story", (found[0],))
        if len(parts) == 3 and parts[0] == "api" and parts[1] == "storyline" and parts[2]:
            return ("api/storyline", (r.storyline_version(parts[2]), r.versions().pruned))
        if parts[0] in ("section", "api") and len(parts) in (2, 3) and parts[-1]:
            # a section's page, feed and API list show its stories: the store's story version
            v = r.versions()
            if parts[0] == "section" and (len(parts) == 2 or parts[2] == "feed.xml"):
                return ("section" if len(parts) == 2 else "section/feed.xml", (v.stories, v.pruned))
            if parts[0] == "api" and len(parts) == 3 and parts[1] == "section":
                return ("api/section", (v.stories, v.pruned))
        name = "/".join(parts)
        if len(parts) == 2 and parts[0] in ("outlet", "day") and parts[1]:
            name = parts[0]
        depends = _DEPENDS.get(name)
        if depends is None:
            return None
        v = r.versions()
        return (name, tuple(getattr(v, field) for field in depends))

    # --- ASGI -----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(("/static/", "/v/")):
            await self._serve_static(scope, receive, send)
            return
        try:
            found = self._version(path)
        except sqlite3.Error:  # a store busy or mid-migration: the app answers, uncached
            found = None
        if found is None:
            await self.app(scope, receive, send)
            return
        kind, version = found
        variant: object = None
        shared = True
        if kind == "story" or kind in FILTERED:
            bucket, neutral, filters, unfiltered = _buckets(_header(scope, b"cookie"))
            if kind == "story":
                # the page orders its articles by the reader's sliders and leaves out what the
                # reader's filters hide: one entry per preference bucket
                variant, shared = bucket, neutral and unfiltered
            else:
                # lists leave out what the filters hide; the sliders do not change them
                variant, shared = filters, unfiltered
        elif kind in ("feed.xml", "blindspots.xml", "section/feed.xml"):
            variant = (scope.get("scheme"), _header(scope, b"host"))  # the feed's links are absolute
        key = (path, scope.get("query_string", b""), variant)
        pool = self._shared if shared else self._personal
        entry = pool.entries.get(key)
        if entry is not None and entry.version == version:
            pool.entries.move_to_end(key)
        else:
            entry = await self._render_once(scope, receive, send, key, version, pool, shared=shared)
            if entry is None:
                return
        await self._respond(scope, send, entry)

    async def _render_once(self, scope: Scope, receive: Receive, send: Send, key: tuple[object, ...],
                           version: Version, pool: _Pool, *, shared: bool) -> _Entry | None:
        """`_render`, once for concurrent misses of one key and version: the others wait for it and take
        what it kept. Without this, a new build (every version moves) or a worker's first request of a
        page sent every connection waiting on that page into the thread pool to render the same thing:
        at 50 clients, 25 renders of the front page per worker at once, all slowed by each other."""
        flight = (key, version)
        while (running := self._rendering.get(flight)) is not None:
            await running.wait()
            kept = pool.entries.get(key)
            if kept is not None and kept.version == version:
                pool.entries.move_to_end(key)
                return kept
            # the render kept nothing (not a 200, a cookie set): this request renders for itself
        done = self._rendering[flight] = anyio.Event()
        try:
            return await self._render(scope, receive, send, key, version, shared=shared)
        finally:
            del self._rendering[flight]
            done.set()

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: tuple[object, ...],
                      version: Version, *, shared: bool = True) -> _Entry | None:
        """Runs the app for a GET and keeps a 200 answer; anything else is sent on as the app gave it."""
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)

        await self.app({**scope, "method": "GET"}, receive, keep)
        self.renders += 1
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        # a response that sets a cookie belongs to one reader, one the app marks no-store (a search cut
        # short by a busy server) holds for this moment only: neither is kept
        if start is None or start["status"] != 200 or any(
                k.lower() == b"set-cookie" or (k.lower() == b"cache-control" and b"no-store" in v.lower())
                for k, v in start.get("headers", [])):
            for message in messages:
                await send(message)
            return None
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
        skip = {b"content-length", b"etag", b"last-modified", b"cache-control"}
        headers = tuple((k, v) for k, v in start.get("headers", []) if k.lower() not in skip)
        gzipped, brotlied = await anyio.to_thread.run_sync(_packed, body)  # work: off the event loop
        entry = _Entry(version, headers, body, gzipped, brotlied, _etag(key, version), time.time())
        self._keep(key, entry, self._shared if shared else self._personal)
        return entry

    def _keep(self, key: tuple[object, ...], entry: _Entry, pool: _Pool) -> None:
        old = pool.entries.pop(key, None)
        if old is not None:
            pool.bytes -= old.size
        pool.entries[key] = entry
        pool.bytes += entry.size
        while pool.entries and (len(pool.entries) > pool.max_entries or pool.bytes > pool.max_bytes):
            _, dropped = pool.entries.popitem(last=False)
            pool.bytes -= dropped.size

    async def _respond(self, scope: Scope, send: Send, entry: _Entry,
                       cache_control: bytes = PAGE_CACHE_CONTROL) -> None:
        private = any(k == b"vary" and b"cookie" in v.lower() for k, v in entry.headers)
        control = b"private, " + cache_control if private else cache_control
        modified = formatdate(entry.modified_at, usegmt=True).encode()
        validators = [(b"etag", entry.etag), (b"last-modified", modified), (b"cache-control", control)]
        vary = [(b"vary", b"Accept-Encoding")] if entry.compressed else []
        if _not_modified(scope, entry):
            kept = [(k, v) for k, v in entry.headers if k.lower() == b"vary"]
            await send({"type": "http.response.start", "status": 304, "headers": [*validators, *kept, *vary]})
            await send({"type": "http.response.body", "body": b""})
            return
        body, coding = entry.body, []
        if entry.compressed:
            taken = _codings(_header(scope, b"accept-encoding"))
            if entry.brotlied is not None and "br" in taken:  # the smaller, where both are taken
                body, coding = entry.brotlied, [(b"content-encoding", b"br")]
            elif entry.gzipped is not None and "gzip" in taken:
                body, coding = entry.gzipped, [(b"content-encoding", b"gzip")]
        headers = [*entry.headers, *validators, *vary, *coding, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    # --- static assets --------------------------------------------------------------------

    @staticmethod
    def _load_static() -> dict[str, _Entry]:
        files: dict[str, _Entry] = {}
        for file in sorted(Path(STATIC_DIR).rglob("*")):
            if not file.is_file():
                continue
            rel = file.relative_to(STATIC_DIR).as_posix()
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
                kind += "; charset=utf-8"
            gzipped, brotlied = _packed(body) if not kind.startswith(("image/", "font/")) else (None, None)
            files[rel] = _Entry((), ((b"content-type", kind.encode()),), body, gzipped, brotlied,
                                b'"' + asset_fingerprint(rel).encode() + b'"', file.stat().st_mtime)
        return files

    async def _serve_static(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        stamp = ""
        if path.startswith("/v/"):
            stamp, _, path = path[3:].partition("/")
            path = "/" + path
        entry = self._static.get(path.removeprefix("/static/")) if path.startswith("/static/") else None
        rel = path.removeprefix("/static/")
        if entry is None:
            await self.app(scope, receive, send)  # the app's StaticFiles says 404
            return
        # an old fingerprint still gets the file, but only the current one is immutable
        fingerprinted = stamp == asset_fingerprint(rel)
        await self._respond(scope, send, entry, IMMUTABLE if fingerprinted else b"public, no-cache")


# Which `Versions` fields each whole-site URL shows (story and storyline URLs have their own versions);
# every one includes `pruned`, since a prune deletes rows and can lower the others.
_SPOTS = ("stories", "outlets", "articles", "pruned")
_DEPENDS: dict[str, tuple[str, ...]] = {
    # the outlets are in it because the reader's filters read the outlet table
    "": ("stories", "outlets", "pruned"),
    "feed.xml": ("stories", "pruned"),
    "api/stories": ("stories", "pruned"),
    "day": ("stories", "outlets", "pruned"),
    "archive": ("stories", "pruned"),
    "outlets": ("outlets", "articles", "pruned"),
    "api/outlets": ("outlets", "articles", "pruned"),
    "outlet": _SPOTS,
    "blindspots": _SPOTS,
    "blindspots.xml": _SPOTS,
    "api/blindspots": _SPOTS,
    "forecasts": ("stories", "forecasts", "pruned"),
    "api/forecasts": ("stories", "forecasts", "pruned"),
    # keyed by the whole query string too: a popular search is answered from memory until a build
    "search": _SPOTS,
    "api/search": _SPOTS,
}
# Pages that leave out what the reader's filters hide (`filters.Filters`): kept per filter set.
FILTERED = frozenset({"", "day", "storyline", "blindspots", "search"})
