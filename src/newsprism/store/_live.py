"""The live loop's tables (cycles, feed_errors, live_feeds) behind typed methods returning frozen
records; reads are batched (one query for every listed cycle's errors, not one per cycle)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.store._repository import Repository

__all__ = ["CycleRow", "FeedRecord", "FeedRow", "LiveRepository"]

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


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
class FeedRecord:
    """One feed's fetch in a cycle, as the loop logs it: `errors` are (url, reason) of what failed."""

    url: str
    outlet: str | None
    status: str | None
    error: str | None
    new: int
    errors: tuple[tuple[str, str], ...]


class LiveRepository(Repository):
    """The live loop's log of one store (`store.live`)."""

    def start_cycle(self, feeds: int) -> int:
        with self._store.transaction() as db:
            return int(db.execute("INSERT INTO cycles (feeds) VALUES (?)", (feeds,)).lastrowid or 0)

    def record_feeds(self, cycle: int, records: Sequence[FeedRecord]) -> None:
        with self._store.transaction() as db:
            for record in records:
                db.executemany("INSERT INTO feed_errors (cycle_id, feed, url, reason) VALUES (?,?,?,?)",
                               [(cycle, record.url, url, reason) for url, reason in record.errors])
                failed = record.error is not None
                db.execute(
                    "INSERT INTO live_feeds (url, outlet, last_fetched, last_ok, last_status, last_error,"
                    f" errors_in_row, articles) VALUES (?, ?, {_NOW}, CASE WHEN ? THEN NULL ELSE"
                    f" {_NOW} END, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET outlet = excluded.outlet,"
                    " last_fetched = excluded.last_fetched, last_ok = coalesce(excluded.last_ok, last_ok),"
                    " last_status = excluded.last_status, last_error = excluded.last_error,"
                    " errors_in_row = CASE WHEN ? THEN errors_in_row + 1 ELSE 0 END,"
                    " articles = articles + excluded.articles",
                    (record.url, record.outlet, failed, record.status,
                     record.error or (record.errors[0][1] if record.errors else None), int(failed),
                     record.new, failed))

    def finish_cycle(self, cycle: int, status: str, new_articles: int, stories_changed: int, failures: int,
                     seconds: float, stages: dict[str, float]) -> None:
        with self._store.transaction() as db:
            db.execute(f"UPDATE cycles SET finished_at = {_NOW}, status = ?, new_articles = ?,"
                       " stories_changed = ?, failures = ?, seconds = ?, stages = ? WHERE id = ?",
                       (status, new_articles, stories_changed, failures, seconds, json.dumps(stages), cycle))

    def recent_cycles(self, last: int) -> list[CycleRow]:
        """The last `last` cycles, newest first, each with its errors, as stored (status unchanged)."""
        rows = self._db.execute("SELECT * FROM cycles ORDER BY id DESC LIMIT ?", (last,)).fetchall()
        errors: dict[int, list[tuple[str, str]]] = {}
        if rows:
            marks = ",".join("?" * len(rows))
            found = self._db.execute(f"SELECT cycle_id, url, reason FROM feed_errors"
                                     f" WHERE cycle_id IN ({marks}) ORDER BY rowid", [r["id"] for r in rows])
            for e in found:
                errors.setdefault(int(e["cycle_id"]), []).append((e["url"], e["reason"]))
        return [CycleRow(row["id"], row["started_at"], row["finished_at"], row["status"], row["new_articles"],
                         row["stories_changed"], row["failures"], row["seconds"],
                         json.loads(row["stages"] or "{}"), tuple(errors.get(int(row["id"]), ())))
                for row in rows]

    def failing_feeds(self) -> list[FeedRow]:
        """Feeds whose latest fetch failed, most errors in a row first."""
        return [FeedRow(r["url"], r["outlet"], r["last_status"], r["last_error"], r["errors_in_row"],
                        r["last_ok"], r["articles"])
                for r in self._db.execute("SELECT * FROM live_feeds WHERE last_error IS NOT NULL"
                                          " ORDER BY errors_in_row DESC, url")]

    def counts(self) -> tuple[int, int, int]:
        """(articles, stories, feeds) in the store."""
        def count(sql: str) -> int:
            return int(self._db.execute(sql).fetchone()[0])

        return (count("SELECT count(*) FROM articles"), count("SELECT count(*) FROM stories"),
                count("SELECT count(*) FROM live_feeds"))
