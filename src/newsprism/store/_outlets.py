"""The `outlets` table (name, data JSON) behind typed methods, and the lean stored on each outlet's
articles (0021_article_lean). The store keeps the JSON; the outlets stage owns the `OutletProfile`
record, the merge rule and the lean of a name (the store imports no stage)."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.store._repository import Repository

__all__ = ["OutletRepository"]


class OutletRepository(Repository):
    """Outlet profiles of one store (`store.outlets`)."""

    def all_data(self) -> list[str]:
        """The JSON of every stored profile, in the order they were first stored."""
        return [str(r[0]) for r in self._store.connection.execute("SELECT data FROM outlets ORDER BY rowid")]

    def rows(self) -> list[tuple[str, str]]:
        """(name, data JSON) of every stored profile, in the order they were first stored."""
        return [(str(r[0]), str(r[1])) for r in self._store.connection.execute(
            "SELECT name, data FROM outlets ORDER BY rowid")]

    def put(self, rows: Sequence[tuple[str, str]]) -> None:
        """Inserts or replaces (name, data JSON) rows, in order."""
        with self._store.transaction() as db:
            db.executemany("INSERT INTO outlets (name, data) VALUES (?, ?)"
                           " ON CONFLICT(name) DO UPDATE SET data = excluded.data", rows)

    def article_spellings(self) -> list[str]:
        """Every outlet name stored articles carry (from `outlet_counts`: a row per name, not per article)."""
        rows = self._store.connection.execute(
            "SELECT outlet FROM outlet_counts WHERE articles > 0 ORDER BY outlet")
        return [str(r[0]) for r in rows]

    def set_article_leans(self, rows: Sequence[tuple[str, str | None, float | None]]) -> int:
        """Sets (outlet name, lean, lean score) on every article of that outlet name whose stored lean
        differs; returns the articles changed. The `articles_outlet` index holds the lean, so an outlet
        whose articles already carry it costs an index range, not a read of its rows."""
        changed = 0
        with self._store.transaction() as db:
            for outlet, lean, score in rows:
                changed += db.execute(
                    "UPDATE articles SET lean = ?, lean_score = ? WHERE outlet = ?"
                    " AND (lean IS NOT ? OR lean_score IS NOT ?)",
                    (lean, score, outlet, lean, score)).rowcount
        return changed

    def leans_mark(self) -> int | None:
        """The mark of the shipped outlet table the stored leans were resolved against (`set_leans_mark`)."""
        row = self._store.connection.execute(
            "SELECT value FROM counters WHERE name = 'article_leans_shipped'").fetchone()
        return None if row is None else int(row[0])

    def set_leans_mark(self, mark: int) -> None:
        with self._store.transaction() as db:
            db.execute("INSERT INTO counters (name, value) VALUES ('article_leans_shipped', ?)"
                       " ON CONFLICT(name) DO UPDATE SET value = excluded.value", (mark,))
