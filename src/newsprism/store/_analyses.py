"""The `analyses` and `embeddings` tables behind typed methods. The store keeps an analysis as JSON (the
analyse stage owns the `Analysis` record; the store imports no stage) and a vector as little-endian
float32 bytes, read back as numpy arrays. Reads are batched: one query per 500 keys."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newsprism.store._repository import Repository
from newsprism.types import Article

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


__all__ = ["AnalysisRepository", "EmbeddingRepository"]


def _chunks(keys: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):  # SQLite caps bound parameters per statement
        yield list(keys[start:start + size])


class AnalysisRepository(Repository):
    """Per-article analyses of one store (`store.analyses`)."""

    def data_of(self, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored analysis JSON (decoded) of those of `article_ids` analysed, by id."""
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            for article_id, data in self._db.execute(
                f"SELECT article_id, data FROM analyses WHERE article_id IN ({marks})", chunk
            ):
                out[str(article_id)] = json.loads(data)
        return out

    def pending_count(self) -> int:
        """Articles without an analysis."""
        return int(self._db.execute(
            "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM analyses)").fetchone()[0])

    def pending_articles(self) -> Iterator[Article]:
        """Articles without an analysis, in ingest order (the set is read at the first call; each article
        is decoded as it is taken, so a caller that writes analyses meanwhile sees the same list)."""
        rows = self._db.execute(
            "SELECT data FROM articles WHERE id NOT IN (SELECT article_id FROM analyses) ORDER BY seq"
        ).fetchall()
        return (Article.from_json(json.loads(r[0])) for r in rows)

    def put(self, rows: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Stores (article id, analysis JSON) rows, replacing any earlier analysis of the article."""
        with self._store.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO analyses (article_id, data) VALUES (?, ?)",
                           [(a, json.dumps(data, ensure_ascii=False)) for a, data in rows])


class EmbeddingRepository(Repository):
    """Stored vectors of one store (`store.embeddings`), keyed by (key, model, kind)."""

    def get(self, model: str, kind: str, keys: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """The stored vectors of those of `keys` that have one, by key (nothing is computed)."""
        import numpy as np  # here: importing the store must not load numpy (fast start)

        found: dict[str, npt.NDArray[np.float32]] = {}
        for chunk in _chunks(list(dict.fromkeys(keys))):
            marks = ",".join("?" * len(chunk))
            for key, blob in self._store.connection.execute(
                f"SELECT key, vector FROM embeddings WHERE model = ? AND kind = ? AND key IN ({marks})",
                (model, kind, *chunk),
            ):
                found[str(key)] = np.frombuffer(blob, dtype="<f4")
        return found

    def put(self, model: str, kind: str, rows: Sequence[tuple[str, npt.NDArray[np.float32]]]) -> None:
        """Stores (key, vector) rows as little-endian float32, replacing earlier ones."""
        with self._store.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings (key, model, kind, vector) VALUES (?,?,?,?)",
                           [(key, model, kind, vector.astype("<f4").tobytes()) for key, vector in rows])
