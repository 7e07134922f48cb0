"""The `outlets` table (name, data JSON) behind typed methods. The store keeps the JSON; the outlets
stage owns the `OutletProfile` record and the merge rule (the store imports no stage)."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.store._repository import Repository

__all__ = ["OutletRepository"]


class OutletRepository(Repository):
    """Outlet profiles of one store (`store.outlets`)."""

    def all_data(self) -> list[str]:
        """The JSON of every stored profile, in the order they were first stored."""
        return [str(r[0]) for r in self._store.connection.execute("SELECT data FROM outlets ORDER BY rowid")]

    def put(self, rows: Sequence[tuple[str, str]]) -> None:
        """Inserts or replaces (name, data JSON) rows, in order."""
        with self._store.transaction() as db:
            db.executemany("INSERT INTO outlets (name, data) VALUES (?, ?)"
                           " ON CONFLICT(name) DO UPDATE SET data = excluded.data", rows)
