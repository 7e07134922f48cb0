"""One live cycle: fetch and ingest the feeds → prune (with `retention_days`) → build → rewrite the static
site; and the loop around it.

A cycle is a few steps that each commit their own work (ingest per group of articles, build per step),
so a cycle killed anywhere leaves a store the next cycle simply continues: nothing is lost or doubled.
Its row in `cycles` then stays 'running', which `newsprism status` reports as interrupted. A stop asked
for (Ctrl-C, SIGTERM) is honoured between feeds and between steps.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from newsprism import pipeline
from newsprism.errors import ConfigError
from newsprism.ingest import FeedSource, FeedsReport, ingest_feeds
from newsprism.retention import PruneReport, cutoff_day, prune
from newsprism.settings import Settings
from newsprism.store import FeedRecord, Store, StoreTables

__all__ = ["CycleReport", "StopFlag", "parse_every", "run_cycle", "run_loop"]

# How much nicer than the server a cycle's work runs when `run --serve` serves meanwhile: fetch, ingest and
# build never make a reader wait (with the build at the server's priority, 50 clients saw 2-3 s answers;
# at +10, under 1 s: docs/measurements.md, "While build writes").
CYCLE_NICE = 10
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """Seconds in "30m", "2h", "90s", "1d" or a bare number of seconds."""
    match = _EVERY.match(text)
    if match is None or float(match[1]) <= 0:
        raise ConfigError(f"not a period: {text!r} (e.g. 30m, 2h, 90s)")
    return float(match[1]) * _UNIT[match[2]]


class StopFlag:
    """Set by a signal or a caller; a cycle looks at it between feeds and steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleeps up to `seconds`; True when stopped meanwhile."""
        return self._event.wait(seconds)


@dataclass(frozen=True)
class CycleReport:
    id: int
    feeds: FeedsReport
    stories_changed: int
    seconds: float
    stages: dict[str, float] = field(default_factory=dict)
    status: str = "done"  # done | stopped
    pruned: PruneReport | None = None  # with `retention_days`: what this cycle's prune deleted

    @property
    def new_articles(self) -> int:
        return self.feeds.ingested

    @property
    def failures(self) -> int:
        return self.feeds.failures

    def summary(self) -> str:
        """The one line a cycle prints."""
        read = sum(f.status == "ok" for f in self.feeds.feeds)
        unchanged = sum(f.status == "not modified" for f in self.feeds.feeds)
        pruned = (f"{self.pruned.count('articles')} articles and {self.pruned.count('stories')} stories"
                  " pruned, ") if self.pruned is not None and self.pruned.deleted else ""
        line = (f"cycle {self.id}: {self.new_articles} new articles, "
                f"{self.stories_changed} stories changed, {pruned}{self.failures} failures "
                f"({read} feeds read, {unchanged} unchanged) in {self.seconds:.1f} s")
        return line if self.status == "done" else f"{line} [stopped early]"


def _record_feeds(store: StoreTables, cycle: int, feeds: FeedsReport, outlets: dict[str, str | None]) -> None:
    records = []
    for result in feeds.feeds:
        errors = ([(result.url, result.error)] if result.error else []) + [
            (r.source, r.reason) for r in result.failures]
        records.append(FeedRecord(result.url, outlets.get(result.url), result.status, result.error,
                                  result.new, tuple(errors)))
    store.live.record_feeds(cycle, records)


def _write_site(store: Store, settings: Settings, site: Path) -> None:
    """Writes the site next to `site` and swaps it in, so a reader never sees half a site. The site's
    `Reader` reads the SQLite file (or copies an in-memory one), so this takes the concrete `Store`."""
    from newsprism.publish import Reader, export_site

    fresh = site.with_name(site.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    export_site(Reader(store), fresh, settings.site_title)
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    fresh.rename(site)
    shutil.rmtree(old, ignore_errors=True)


def run_cycle(store: Store, settings: Settings, feeds: Sequence[FeedSource], *, site: Path | None = None,
              stop: Callable[[], bool] = lambda: False) -> CycleReport:
    """Fetches and ingests `feeds`, builds, and rewrites `site` (when given); logs the cycle in the store."""
    start = time.perf_counter()
    cycle = store.live.start_cycle(len(feeds))
    stages: dict[str, float] = {}
    report = ingest_feeds(feeds, store, settings, stop=stop)
    stages["fetch+ingest"] = round(time.perf_counter() - start, 3)
    _record_feeds(store, cycle, report, {f.url: f.outlet for f in feeds})
    changed = 0
    status = "stopped" if report.stopped else "done"
    pruned = None
    if settings.retention_days > 0 and not stop():
        # before building: an old item a feed still lists is dropped before anyone analyses it
        lap = time.perf_counter()
        pruned = prune(store, cutoff_day(settings.retention_days))
        stages["prune"] = round(time.perf_counter() - lap, 3)
    if not stop():
        built = pipeline.build(store, settings, progress=False, timings=stages)
        changed = built.composed
    else:
        status = "stopped"
    if site is not None and not stop():
        lap = time.perf_counter()
        _write_site(store, settings, site)
        stages["site"] = round(time.perf_counter() - lap, 3)
    elif site is not None:
        status = "stopped"
    seconds = time.perf_counter() - start
    result = CycleReport(cycle, report, changed, seconds, stages, status, pruned)
    store.live.finish_cycle(cycle, status, result.new_articles, changed, result.failures, round(seconds, 3),
                            stages)
    return result


@contextmanager
def stop_on_signals(flag: StopFlag) -> Iterator[None]:
    """SIGINT and SIGTERM set `flag` (a second Ctrl-C interrupts at once); handlers restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[signal.Signals, Any] = {}

    def handler(number: int, frame: FrameType | None) -> None:
        if number == signal.SIGINT and flag():
            raise KeyboardInterrupt
        flag.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextmanager
def _serving(settings: Settings, address: str | None) -> Iterator[None]:
    if address is None:
        yield
        return
    import uvicorn

    from newsprism.publish import create_app

    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"--serve wants HOST:PORT, got {address!r}")
    server = uvicorn.Server(uvicorn.Config(create_app(settings.db, settings), host=host, port=int(port),
                                           log_level="warning"))
    # uvicorn leaves signals alone outside the main thread: ours decide when to stop
    thread = threading.Thread(target=server.run, name="newsprism-serve", daemon=True)
    thread.start()
    _lower_own_priority(CYCLE_NICE)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _lower_own_priority(by: int) -> None:
    """Makes the calling thread (and the threads it starts later: spaCy's, onnxruntime's) `by` nicer.
    Linux keeps a nice value per thread, so the server thread started before keeps its own; elsewhere
    the call would slow the whole process, server included, so it is left out."""
    if sys.platform != "linux":
        return
    me = threading.get_native_id()
    with suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + by))


def run_loop(settings: Settings, feeds: Sequence[FeedSource], *, every: float, once: bool = False,
             site: Path | None = None, serve: str | None = None, stop: StopFlag | None = None,
             report: Callable[[CycleReport], None] = lambda r: None) -> list[CycleReport]:
    """Runs cycles every `every` seconds until stopped, serving the site meanwhile when `serve` is
    HOST:PORT; with `once`, one cycle (then, when serving, serves until stopped)."""
    flag = stop or StopFlag()
    cycles: list[CycleReport] = []
    with stop_on_signals(flag), Store(settings.db) as store, _serving(settings, serve):
        while not flag():
            began = time.monotonic()
            cycle = run_cycle(store, settings, feeds, site=site, stop=flag)
            cycles.append(cycle)
            report(cycle)
            if once:
                while serve is not None and not flag.wait(3600):
                    pass  # one cycle, then keep serving until stopped
                break
            flag.wait(max(0.0, every - (time.monotonic() - began)))
    return cycles
