"""`status`: what the live loop has done, read from the store (last cycles, failing feeds, store size)."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, replace
from typing import Any

from newsprism.store import CycleRow, FeedRow, StoreTables

__all__ = ["CycleRow", "FeedRow", "Status", "live_status"]


@dataclass(frozen=True)
class Status:
    db: str
    bytes: int
    articles: int
    stories: int
    feeds: int
    cycles: tuple[CycleRow, ...]
    failing_feeds: tuple[FeedRow, ...]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _size(path: str) -> int:
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def live_status(store: StoreTables, *, last: int = 5) -> Status:
    """The last `last` cycles (newest first), the feeds whose latest fetch failed, and the store's size."""
    cycles = []
    for n, row in enumerate(store.live.recent_cycles(last)):
        if row.status == "running" and n > 0:
            row = replace(row, status="interrupted")  # a later cycle started: this one's process died
        cycles.append(row)
    articles, stories, feeds = store.live.counts()
    return Status(store.path, _size(store.path) if store.path != ":memory:" else 0,
                  articles, stories, feeds, tuple(cycles), tuple(store.live.failing_feeds()))
