"""The `forecasts` table (id, platform, data JSON) behind typed methods. The store keeps the JSON; the
forecasts stage owns the `Question` record and its merge rule (the store imports no stage)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsprism.store._repository import Repository

__all__ = ["ForecastRepository"]


class ForecastRepository(Repository):
    """Forecast questions of one store (`store.forecasts`)."""

    def data_of(self, question_ids: Iterable[str]) -> dict[str, str]:
        """The stored JSON of those of `question_ids` stored, by id (one query per 500 ids)."""
        ids = list(dict.fromkeys(question_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update((str(i), str(d)) for i, d in self._db.execute(
                f"SELECT id, data FROM forecasts WHERE id IN ({marks})", chunk))
        return found

    def put(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """Inserts or replaces (id, platform, data JSON) rows; when any, every composed story is marked
        dirty: forecast links are part of each composed page, so the next build relinks every story."""
        if not rows:
            return
        with self._store.transaction() as db:
            db.executemany(
                "INSERT INTO forecasts (id, platform, data) VALUES (?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET platform = excluded.platform, data = excluded.data",
                rows,
            )
            db.execute("UPDATE stories SET dirty = 1 WHERE composed IS NOT NULL")

    def all_data(self, platform: str | None = None) -> list[str]:
        """The JSON of every stored question (of `platform`, when given), by id."""
        sql, args = "SELECT data FROM forecasts", []
        if platform is not None:
            sql, args = sql + " WHERE platform = ?", [platform]
        return [str(r[0]) for r in self._db.execute(sql + " ORDER BY id", args)]

    def latest_updated(self, platform: str) -> str | None:
        """The newest `updated` stamp stored for `platform`."""
        row = self._db.execute(
            "SELECT max(json_extract(data, '$.updated')) FROM forecasts WHERE platform = ?", (platform,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def composed_story(self, story_id: str) -> str | None:
        """A story's composed JSON, None when it is absent or not composed."""
        row = self._db.execute("SELECT composed FROM stories WHERE id = ?", (story_id,)).fetchone()
        return None if row is None or row[0] is None else str(row[0])
