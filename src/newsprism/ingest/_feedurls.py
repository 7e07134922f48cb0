"""`ingest_feeds`: feed URLs into the store, one feed at a time, reporting each feed's outcome.

The live loop (`newsprism run`) calls it every cycle. The steps, and what keeps them polite and kill-safe:
  1. every feed is fetched with the polite fetcher (robots.txt, per-host interval, retries, conditional
     GET), hosts in parallel, one request at a time per host; a 304 means nothing new in it;
  2. per batch of feeds, a first read lists the pages to fetch: items without full text whose link is
     neither stored nor rejected for its content; those pages are fetched, hosts in parallel, while
     step 3 works on the batch before;
  3. a second read builds the articles and stores them, feed by feed, on this thread only;
  4. a feed's own ETag/Last-Modified is committed only after all its items are committed and none of its
     pages failed: a kill mid-feed, or a page that timed out, makes the next cycle read the feed again
     (step 2 makes that cheap) instead of a 304 hiding the items it never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from newsprism.ingest._context import FetchResult, ReadContext
from newsprism.ingest._feeds import read_feed
from newsprism.ingest._fetch import MemoryValidators, PoliteFetcher, StoredValidators
from newsprism.ingest._writer import ArticleWriter
from newsprism.settings import Settings
from newsprism.store import IngestRepository, StoreTables
from newsprism.types import Article, Rejection

if TYPE_CHECKING:
    from newsprism.outlets import Registry

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


class _Recorder:
    """First read of a feed: notes the pages it would fetch (links not handled in an earlier cycle)."""

    def __init__(self, tables: IngestRepository) -> None:
        self._tables = tables
        self.urls: list[str] = []

    def known(self, url: str) -> bool:
        # a page rejected for what it holds (too short, no text) stays so; a failed fetch is retried
        return self._tables.handled(url, _FETCH_FAILED)

    def get(self, url: str) -> FetchResult:
        if not self.known(url):
            self.urls.append(url)
        return FetchResult(url, None, "recorded", not_modified=True)


class _Prefetched:
    """Second read of a feed: pages answered from the batch fetched beforehand; links not fetched were
    handled in an earlier cycle ("unchanged"). New validators are handed to the writer with the page."""

    def __init__(self, pages: dict[str, FetchResult], fresh: MemoryValidators, writer: ArticleWriter) -> None:
        self.pages = pages
        self._fresh = fresh
        self._writer = writer
        self.failed = 0

    def get(self, url: str) -> FetchResult:
        result = self.pages.get(url)
        if result is None:
            return FetchResult(url, None, "already stored", not_modified=True)
        validators = self._fresh.get(url)
        if validators is not None:
            self._writer.validators.put(url, *validators)
        self.failed += result.body is None and not result.not_modified
        return result


def _by_host(urls: Sequence[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for url in urls:
        groups.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    return list(groups.values())


def _fetch_all(fetcher: PoliteFetcher, urls: Sequence[str], workers: int) -> dict[str, FetchResult]:
    """Every URL fetched; hosts in parallel, each host's URLs one after another (the per-host interval)."""
    results: dict[str, FetchResult] = {}

    def one_host(group: list[str]) -> None:
        for url in group:
            results[url] = fetcher.get(url)

    groups = _by_host(urls)
    if len(groups) <= 1 or workers <= 1:
        for group in groups:
            one_host(group)
        return results
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        for future in [pool.submit(one_host, g) for g in groups]:
            future.result()
    return results


def _with_outlet(article: Article, outlet: str | None, registry: Registry) -> Article:
    # The feed list names the outlet; it wins over a page's or feed's own spelling unless that one is
    # already a registry outlet. `registry` is the one compose and the site read (shipped + imported rows).
    if not outlet or (article.outlet and registry.resolve(article.outlet) is not None):
        return article
    profile = registry.resolve(outlet)
    return replace(article, outlet=profile.name if profile is not None else article.outlet or outlet)


def ingest_feeds(feeds: Sequence[FeedSource], store: StoreTables, settings: Settings, *,
                 stop: Callable[[], bool] = lambda: False, commit_every: int = 200,
                 feeds_per_batch: int = 25, workers: int = 16) -> FeedsReport:
    """Fetches every feed and its items' pages politely and stores the new articles; never raises for a
    feed or page that fails (each `FeedResult` says what happened). `stop()` is asked between feeds.

    Network work runs on `workers` threads, one host per thread at a time; the store is only touched
    by this thread. Pages are fetched `feeds_per_batch` feeds at a time, which bounds the memory held
    (two batches' pages); within a batch an outlet's n new pages take n × `fetch_min_interval` seconds,
    so larger batches let big outlets' waits overlap.
    """
    from newsprism.outlets import load_registry

    writer = ArticleWriter(store, settings, commit_every)
    registry = load_registry(store)
    # the threads read and write validators in memory; this thread loads them from the store beforehand
    # and passes new ones to the writer, which commits them with the articles of their pages
    fresh = MemoryValidators()
    fetcher = PoliteFetcher(min_interval=settings.fetch_min_interval, timeout=settings.fetch_timeout,
                            retries=settings.fetch_retries, max_bytes=settings.max_file_bytes,
                            validators=fresh)
    stored = StoredValidators(store.ingest)
    known = MemoryValidators()

    def load(urls: Iterable[str]) -> None:
        for url in urls:
            pair = stored.get(url)
            if pair is not None:
                fresh.put(url, *pair)
                known.put(url, *pair)

    def plan(batch: Sequence[FeedSource], bodies: dict[str, FetchResult]) -> list[str]:
        """The pages a batch of feeds needs (first read of each feed), their validators loaded."""
        recorders = [_Recorder(store.ingest) for _ in batch]
        for feed, recorder in zip(batch, recorders, strict=True):
            body = bodies[feed.url].body
            if body is not None:
                ctx = ReadContext(settings.min_article_words, settings.max_file_bytes, recorder)
                for _ in read_feed(Path(feed.url), body, ctx, source=feed.url):
                    pass
        wanted = list(dict.fromkeys(u for r in recorders for u in r.urls))
        load(wanted)
        return wanted

    size = max(1, feeds_per_batch)
    batches = [feeds[i:i + size] for i in range(0, len(feeds), size)]
    results: list[FeedResult] = []
    stopped = False
    # the next batch's pages download while this thread extracts and stores the current batch
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fetch-ahead")
    try:
        load(f.url for f in feeds)
        bodies = _fetch_all(fetcher, [f.url for f in feeds], workers)
        upcoming = ahead.submit(_fetch_all, fetcher, plan(batches[0], bodies), workers) if batches else None
        for k, batch in enumerate(batches):
            if stop():
                stopped = True
                break
            assert upcoming is not None  # submitted for batch k by the step before
            pages = upcoming.result()
            upcoming = (ahead.submit(_fetch_all, fetcher, plan(batches[k + 1], bodies), workers)
                        if k + 1 < len(batches) else None)
            for feed in batch:
                if stop():
                    stopped = True
                    break
                results.append(_one_feed(feed, bodies[feed.url], fresh, known, pages, writer, settings,
                                          registry))
            if stopped:
                break
    except BaseException:
        writer.abort()
        raise
    finally:
        ahead.shutdown(wait=False, cancel_futures=True)
        fetcher.close()
    return FeedsReport(tuple(results), stopped)


def _one_feed(feed: FeedSource, fetched: FetchResult, fresh: MemoryValidators, known: MemoryValidators,
              pages: dict[str, FetchResult], writer: ArticleWriter, settings: Settings,
              registry: Registry) -> FeedResult:
    if fetched.body is None and fetched.not_modified:
        return FeedResult(feed.url, "not modified")
    if fetched.body is None:
        return FeedResult(feed.url, "failed", error=fetched.reason)
    new, dupes = writer.ingested, writer.duplicates
    fetcher = _Prefetched(pages, fresh, writer)
    ctx = ReadContext(settings.min_article_words, settings.max_file_bytes, fetcher)
    failures: list[Rejection] = []
    items = 0
    for item in read_feed(Path(feed.url), fetched.body, ctx, source=feed.url):
        items += 1
        if isinstance(item, Article):
            writer.article(_with_outlet(item, feed.outlet, registry))
        else:
            writer.rejection(item)
            failures.append(item)
    writer.flush()
    validators = fresh.get(feed.url)
    if validators is not None and validators != known.get(feed.url) and not fetcher.failed:
        writer.validators.put(feed.url, *validators)
        writer.flush()
    if items == 1 and failures and failures[0].source == feed.url:  # the body is not a feed at all
        return FeedResult(feed.url, "failed", items=0, error=failures[0].reason)
    return FeedResult(feed.url, "ok", writer.ingested - new, writer.duplicates - dupes, items,
                      tuple(failures))
