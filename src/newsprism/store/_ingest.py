"""The ingest writer's tables behind typed methods: fetch validators, the near-duplicate index's
minhashes, the rows each commit group writes in bulk (one executemany per table), rejections.

Every method runs on the store's one connection, inside whatever transaction the caller holds open:
the writer's commit groups (`Store.transaction()`) decide what is committed together, not this class.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsprism.store._repository import Repository

__all__ = ["IngestRepository"]

# Crash-safe in WAL mode (synchronous=NORMAL loses no committed transaction on a process kill); they only
# give SQLite more memory for pages and temporary b-trees during a bulk load.
# A larger autocheckpoint means fewer checkpoints (the only fsyncs under synchronous=NORMAL).
_BULK_PRAGMAS = ("PRAGMA cache_size=-65536", "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=16384")


class IngestRepository(Repository):
    """What ingest writes and checks against (`store.ingest`): validators, minhashes, commit groups,
    rejections."""

    def bulk_mode(self) -> None:
        """Gives the connection the memory settings of a bulk load (safe: see `_BULK_PRAGMAS`)."""
        for pragma in _BULK_PRAGMAS:
            self._db.execute(pragma)

    def minhashes(self) -> Iterator[tuple[str, bytes]]:
        """(article id, signature) of every stored article, in ingest order, streamed."""
        rows = self._db.execute("SELECT article_id, signature FROM minhashes ORDER BY rowid")
        return ((r[0], r[1]) for r in rows)

    def validators(self, url: str) -> tuple[str | None, str | None] | None:
        """The stored (ETag, Last-Modified) of `url`, or None."""
        row = self._db.execute(
            "SELECT etag, last_modified FROM fetch_cache WHERE url = ?", (url,)).fetchone()
        return None if row is None else (row[0], row[1])

    def put_validators(self, rows: Sequence[tuple[str, str | None, str | None, str]]) -> None:
        """(url, etag, last_modified, fetched_at) rows, replacing older ones; call inside the transaction
        that stores their pages."""
        if rows:
            self._db.executemany(
                "INSERT OR REPLACE INTO fetch_cache (url, etag, last_modified, fetched_at) VALUES (?,?,?,?)",
                rows)

    def handled(self, url: str, retried_prefix: str) -> bool:
        """True when `url` was seen, or rejected for a reason not starting with `retried_prefix`."""
        db = self._db
        found = db.execute("SELECT 1 FROM sightings WHERE url = ? LIMIT 1", (url,)).fetchone()
        if found is None:
            found = db.execute("SELECT 1 FROM rejections WHERE source = ? AND reason NOT LIKE ? LIMIT 1",
                               (url, retried_prefix + "%")).fetchone()
        return found is not None

    def has_rejection(self, source: str, reason: str) -> bool:
        return self._db.execute("SELECT 1 FROM rejections WHERE source = ? AND reason = ?",
                                              (source, reason)).fetchone() is not None

    def write_group(self, search: Sequence[tuple[str, str, str, str]], minhashes: Sequence[tuple[str, bytes]],
                    near: Sequence[tuple[str, str, float]]) -> None:
        """A commit group's batched rows: search rows (id, title, text, outlet), minhashes, and
        near-duplicate links (article, original, similarity), one executemany each."""
        db = self._db
        db.executemany("INSERT INTO articles_fts (id, title, text, outlet) VALUES (?,?,?,?)", search)
        db.executemany("INSERT INTO minhashes (article_id, signature) VALUES (?, ?)", minhashes)
        db.executemany(
            "INSERT OR IGNORE INTO near_duplicates (article_id, original_id, similarity) VALUES (?,?,?)",
            near)

    def put_analysis(self, article_id: str, data: str, vectors: Sequence[tuple[str, str, bytes]]) -> None:
        """An article's analysis JSON and its (embedder, kind, vector) rows, replacing older ones; the batch
        driver calls it inside the article's commit group."""
        db = self._db
        db.execute("INSERT OR REPLACE INTO analyses (article_id, data) VALUES (?, ?)", (article_id, data))
        db.executemany("INSERT OR REPLACE INTO embeddings (key, model, kind, vector) VALUES (?,?,?,?)",
                       [(article_id, *v) for v in vectors])
