"""Whole tables in and out, for the batch result (`export_store`, `load_result`): declared columns, rows
streamed in chunks, and row inserts that keep what is already stored.

Table and column names come from the batch package's fixed table lists and from result files it wrote;
they must be plain identifiers, as SQLite cannot bind names as parameters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from newsprism.errors import InputError
from newsprism.store._repository import Repository

__all__ = ["TransferRepository"]


def _name(name: str) -> str:
    if not name.isidentifier():
        raise InputError(f"not a table or column name: {name!r}")
    return name


class TransferRepository(Repository):
    """Whole tables in and out of one store (`store.transfer`), for the batch runner."""

    def columns(self, table: str) -> list[tuple[str, str]]:
        """(name, declared type) of each column of `table`, in order."""
        rows = self._db.execute(f"PRAGMA table_info({_name(table)})").fetchall()
        return [(str(c[1]), str(c[2])) for c in rows]

    def chunks(self, table: str, size: int) -> Iterator[list[tuple[Any, ...]]]:
        """Every row of `table` in rowid order, `size` rows at a time."""
        cursor = self._db.execute(f"SELECT * FROM {_name(table)} ORDER BY rowid")
        while rows := cursor.fetchmany(size):
            yield [tuple(r) for r in rows]

    def composed_stories(self) -> Iterator[tuple[str, str]]:
        """(id, composed JSON) of every live composed story, by id."""
        rows = self._db.execute(
            "SELECT id, composed FROM stories WHERE composed IS NOT NULL AND retired_into IS NULL"
            " ORDER BY id")
        return ((str(r[0]), str(r[1])) for r in rows)

    def has_story(self, story_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM stories WHERE id = ?",
                                              (story_id,)).fetchone() is not None

    def insert(self, table: str, row: Mapping[str, Any]) -> int:
        """Adds `row` to `table` unless its key is stored already; returns the rows added (0 or 1)."""
        names = ",".join(_name(n) for n in row)
        marks = ",".join("?" * len(row))
        cursor = self._db.execute(
            f"INSERT OR IGNORE INTO {_name(table)} ({names}) VALUES ({marks})", tuple(row.values()))
        return cursor.rowcount

    def add_article_search(self, article_id: str, title: str, text: str, outlet: str) -> None:
        self._db.execute("INSERT INTO articles_fts (id, title, text, outlet) VALUES (?,?,?,?)",
                                       (article_id, title, text, outlet))

    def add_story_search(self, story_id: str, headline: str, body: str) -> None:
        from newsprism.store import add_story_search

        add_story_search(self._db, story_id, headline, body)

    def raise_counter(self, name: str, value: int) -> None:
        """Sets counter `name` to at least `value`."""
        self._db.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
            " SET value = max(value, excluded.value)", (name, value))
