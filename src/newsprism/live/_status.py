"""`status`: what the live loop has done, read from the store (last cycles, failing feeds, store size)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from newsprism.store import Store

__all__ = ["CycleRow", "FeedRow", "Status", "live_status"]


@dataclass(frozen=True)
class CycleRow:
    id: int
    started_at: str
    finished_at: str | None
    status: str  # done | stopped | running | interrupted (a 'running' row that is not the newest)
    new_articles: int
    stories_changed: int
    failures: int
    seconds: float | None
    stages: dict[str, float]
    errors: tuple[tuple[str, str], ...]  # (url, reason) of what failed in the cycle


@dataclass(frozen=True)
class FeedRow:
    url: str
    outlet: str | None
    last_status: str | None
    last_error: str | None
    errors_in_row: int
    last_ok: str | None
    articles: int


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


def live_status(store: Store, *, last: int = 5) -> Status:
    """The last `last` cycles (newest first), the feeds whose latest fetch failed, and the store's size."""
    db = store.connection
    rows = db.execute("SELECT * FROM cycles ORDER BY id DESC LIMIT ?", (last,)).fetchall()
    cycles = []
    for n, row in enumerate(rows):
        errors = tuple((e["url"], e["reason"]) for e in db.execute(
            "SELECT url, reason FROM feed_errors WHERE cycle_id = ? ORDER BY rowid", (row["id"],)))
        status = row["status"]
        if status == "running" and n > 0:
            status = "interrupted"  # a later cycle started: this one's process died
        cycles.append(CycleRow(row["id"], row["started_at"], row["finished_at"], status, row["new_articles"],
                               row["stories_changed"], row["failures"], row["seconds"],
                               json.loads(row["stages"] or "{}"), errors))
    failing = tuple(FeedRow(r["url"], r["outlet"], r["last_status"], r["last_error"], r["errors_in_row"],
                            r["last_ok"], r["articles"])
                    for r in db.execute("SELECT * FROM live_feeds WHERE last_error IS NOT NULL"
                                        " ORDER BY errors_in_row DESC, url"))

    def count(sql: str) -> int:
        return int(db.execute(sql).fetchone()[0])

    return Status(store.path, _size(store.path) if store.path != ":memory:" else 0,
                  count("SELECT count(*) FROM articles"), count("SELECT count(*) FROM stories"),
                  count("SELECT count(*) FROM live_feeds"), tuple(cycles), failing)
