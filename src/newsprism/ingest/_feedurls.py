"""`ingest_feeds`: feed URLs into the store, one feed at a time, reporting each feed's outcome.

The live loop (`newsprism run`) calls it every cycle. What keeps a cycle polite and kill-safe:
  1. each feed is fetched with the polite fetcher (robots.txt, per-host interval, retries, conditional GET);
     a 304 means nothing new in it;
  2. an item whose link is already stored, or was rejected for its content, is not fetched again;
  3. a feed's own ETag/Last-Modified is committed only after all its items are committed and none of its
     pages failed: a kill mid-feed, or a page that timed out, makes the next cycle read the feed again
     (step 2 makes that cheap) instead of a 304 hiding the items it never stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from newsprism.ingest._context import FetchResult, ReadContext
from newsprism.ingest._feeds import read_feed
from newsprism.ingest._fetch import PoliteFetcher
from newsprism.ingest._ingest import _Writer
from newsprism.settings import Settings
from newsprism.store import Store
from newsprism.types import Article, Rejection

__all__ = ["FeedResult", "FeedSource", "FeedsReport", "ingest_feeds"]

_FETCH_FAILED = "fetch failed"


@dataclass(frozen=True)
class FeedSource:
    """One feed of a feed list: its URL and the outlet it belongs to (the OPML outline's title)."""

    url: str
    outlet: str | None = None


@dataclass(frozen=True)
class FeedResult:
    """What one feed gave this time. `status`: "ok", "not modified" or "failed" (`error` says why)."""

    url: str
    status: str
    new: int = 0
    duplicates: int = 0
    items: int = 0
    failures: tuple[Rejection, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class FeedsReport:
    feeds: tuple[FeedResult, ...]
    stopped: bool = False  # asked to stop before every feed was read

    @property
    def ingested(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def failures(self) -> int:
        """Feeds that failed plus pages that could not be fetched."""
        return sum((f.error is not None) + sum(r.reason.startswith(_FETCH_FAILED) for r in f.failures)
                   for f in self.feeds)


class _KnownLinks:
    """The page fetcher of a cycle: links handled in an earlier cycle are answered "unchanged"."""

    def __init__(self, fetcher: PoliteFetcher, db: sqlite3.Connection) -> None:
        self._fetcher = fetcher
        self._db = db
        self.failed = 0

    def get(self, url: str) -> FetchResult:
        known = self._db.execute("SELECT 1 FROM sightings WHERE url = ? LIMIT 1", (url,)).fetchone()
        if known is None:
            # a page rejected for what it holds (too short, no text) stays so; a failed fetch is retried
            known = self._db.execute(
                "SELECT 1 FROM rejections WHERE source = ? AND reason NOT LIKE ? LIMIT 1",
                (url, _FETCH_FAILED + "%")).fetchone()
        if known is not None:
            return FetchResult(url, None, "already stored", not_modified=True)
        result = self._fetcher.get(url)
        self.failed += result.body is None and not result.not_modified
        return result


def _with_outlet(article: Article, outlet: str | None) -> Article:
    # The feed list names the outlet; it wins over a page's or feed's own spelling unless that one is
    # already a registry outlet.
    from newsprism.outlets import resolve_outlet

    if not outlet or (article.outlet and resolve_outlet(article.outlet) is not None):
        return article
    profile = resolve_outlet(outlet)
    return replace(article, outlet=profile.name if profile is not None else article.outlet or outlet)


def ingest_feeds(feeds: Sequence[FeedSource], store: Store, settings: Settings, *,
                 stop: Callable[[], bool] = lambda: False, commit_every: int = 200) -> FeedsReport:
    """Fetches every feed and its items' pages politely and stores the new articles; never raises for a
    feed or page that fails (each `FeedResult` says what happened). `stop()` is asked between feeds."""
    writer = _Writer(store, settings, commit_every)
    fetcher = PoliteFetcher(min_interval=settings.fetch_min_interval, timeout=settings.fetch_timeout,
                            retries=settings.fetch_retries, max_bytes=settings.max_file_bytes,
                            validators=writer.validators)
    pages = _KnownLinks(fetcher, store.connection)
    ctx = ReadContext(min_words=settings.min_article_words, max_bytes=settings.max_file_bytes, fetcher=pages)
    results: list[FeedResult] = []
    stopped = False
    try:
        for feed in feeds:
            if stop():
                stopped = True
                break
            results.append(_one_feed(feed, fetcher, pages, writer, ctx))
    except BaseException:
        writer.abort()
        raise
    finally:
        fetcher.close()
    return FeedsReport(tuple(results), stopped)


def _one_feed(feed: FeedSource, fetcher: PoliteFetcher, pages: _KnownLinks, writer: _Writer,
              ctx: ReadContext) -> FeedResult:
    fetched = fetcher.get(feed.url)
    held = writer.validators.take(feed.url)
    if fetched.body is None and fetched.not_modified:
        return FeedResult(feed.url, "not modified")
    if fetched.body is None:
        return FeedResult(feed.url, "failed", error=fetched.reason)
    new, dupes, failed_before = writer.ingested, writer.duplicates, pages.failed
    failures: list[Rejection] = []
    items = 0
    for item in read_feed(Path(feed.url), fetched.body, ctx, source=feed.url):
        items += 1
        if isinstance(item, Article):
            writer.article(_with_outlet(item, feed.outlet))
        else:
            writer.rejection(item)
            failures.append(item)
    writer.flush()
    if held is not None and pages.failed == failed_before:
        writer.validators.put(feed.url, *held)
        writer.flush()
    if items == 1 and failures and failures[0].source == feed.url:  # the body is not a feed at all
        return FeedResult(feed.url, "failed", items=0, error=failures[0].reason)
    return FeedResult(feed.url, "ok", writer.ingested - new, writer.duplicates - dupes, items,
                      tuple(failures))
