"""What retention deletes, table by table, behind typed methods (`store.retention`): the old articles in
keyset pages, their stories, and every row that refers to them. The rule of what may go (a story with a
newer article stays) is the retention stage's; the SQL is here. Reads and deletes go in chunks of
500 ids (below SQLite's bound-parameter limit)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from newsprism.store._repository import Repository

__all__ = ["RetentionRepository"]

_CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


class RetentionRepository(Repository):
    """Deletion by age of one store."""

    def _select(self, sql: str, ids: Sequence[str], *extra: object) -> list[sqlite3.Row]:
        """`sql` (with one `{marks}` for the ids) over `ids` in chunks; `extra` parameters come first."""
        rows: list[sqlite3.Row] = []
        for chunk in _chunks(ids):
            rows += self._db.execute(sql.format(marks=_marks(chunk)), (*extra, *chunk)).fetchall()
        return rows

    def _delete(self, sql: str, ids: Sequence[str], repeat: int = 1) -> int:
        """`sql` (a DELETE with `{marks}` `repeat` times) over `ids` in chunks; rows deleted."""
        done = 0
        for chunk in _chunks(ids):
            done += self._db.execute(sql.format(marks=_marks(chunk)), chunk * repeat).rowcount
        return done

    def old_articles(self, cut: str, batch: int) -> Iterator[list[str]]:
        """Ids of articles dated before day `cut`, `batch` at a time, dated ones by (published, seq) then
        undated ones by (ingested_at, seq): keyset pages over two index ranges, so deleting as we go
        never skips one."""
        queries = (
            "SELECT published, seq, id FROM articles WHERE published < :cut"
            " AND (published, seq) > (:at, :seq) ORDER BY published, seq LIMIT :n",
            "SELECT ingested_at, seq, id FROM articles WHERE published IS NULL AND ingested_at < :cut"
            " AND (ingested_at, seq) > (:at, :seq) ORDER BY ingested_at, seq LIMIT :n",
        )
        for sql in queries:
            at, seq = "", 0
            while True:
                rows = self._db.execute(sql, {"cut": cut, "at": at, "seq": seq, "n": batch}).fetchall()
                if not rows:
                    break
                at, seq = str(rows[-1][0]), int(rows[-1][1])
                yield [str(r[2]) for r in rows]

    def story_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The story of each of `article_ids` that is in one."""
        return {str(r[0]): str(r[1]) for r in self._select(
            "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})", article_ids)}

    def members(self, story_ids: Sequence[str]) -> list[str]:
        """The articles of `story_ids`."""
        return [str(r[0]) for r in self._select(
            "SELECT article_id FROM story_articles WHERE story_id IN ({marks})", story_ids)]

    def with_newer_articles(self, story_ids: Sequence[str], cut: str) -> set[str]:
        """Those of `story_ids` with at least one article not dated before day `cut`."""
        newer = "NOT (a.published < ? OR (a.published IS NULL AND a.ingested_at < ?))"
        return {str(r[0]) for r in self._select(
            "SELECT DISTINCT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            f" WHERE {newer} AND sa.story_id IN ({{marks}})", story_ids, cut, cut)}

    def with_retired(self, story_ids: Sequence[str]) -> list[str]:
        """`story_ids` and every story merged into one of them, through any chain of merges."""
        found = list(story_ids)
        seen = set(found)
        frontier = list(story_ids)
        while frontier:
            merged = [str(r[0]) for r in self._select(
                "SELECT id FROM stories WHERE retired_into IN ({marks})", frontier)]
            frontier = [s for s in merged if s not in seen]
            seen.update(frontier)
            found += frontier
        return found

    def mark_pruned(self) -> None:
        """Bumps the counter every cached page's version includes (see 0014_editions)."""
        with self._store.transaction() as db:
            db.execute("UPDATE counters SET value = value + 1 WHERE name = 'publish_pruned'")

    def delete(self, articles: Sequence[str], stories: Sequence[str], sentence_keys: Sequence[str]
               ) -> Counter[str]:
        """Deletes `stories` and `articles` and everything that refers to them, children first, and the
        sentence vectors under `sentence_keys`; rows deleted by table."""
        from newsprism.store import delete_story_search, fts_rowids

        n: Counter[str] = Counter()
        with self._store.transaction() as db:
            rowids = fts_rowids(db, "articles_fts", articles)
            for rowid in rowids:
                db.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
            n["articles_fts"] += len(rowids)
            rowids = fts_rowids(db, "stories_fts", stories)
            delete_story_search(db, rowids)
            n["stories_fts"] += len(rowids)
            n["story_articles"] += self._delete("DELETE FROM story_articles WHERE article_id IN ({marks})",
                                                articles)
            n["story_events"] += self._delete(
                "DELETE FROM story_events WHERE story_id IN ({marks}) OR other_id IN ({marks})", stories, 2)
            n["story_splits"] += self._delete(
                "DELETE FROM story_splits WHERE story_id IN ({marks}) OR new_story_id IN ({marks})",
                stories, 2)
            storylines = sorted({str(r[0]) for r in self._select(
                "SELECT storyline_id FROM stories WHERE storyline_id IS NOT NULL AND id IN ({marks})",
                stories)})
            n["stories"] += self._delete("DELETE FROM stories WHERE id IN ({marks})", stories)
            n["story_summaries"] += self._delete("DELETE FROM story_summaries WHERE story_id IN ({marks})",
                                                 stories)
            for line in storylines:
                n["storylines"] += db.execute(
                    "DELETE FROM storylines WHERE id = ? AND NOT EXISTS"
                    " (SELECT 1 FROM stories WHERE storyline_id = ?)", (line, line)).rowcount
            n["sightings"] += self._delete("DELETE FROM sightings WHERE article_id IN ({marks})", articles)
            n["near_duplicates"] += self._delete(
                "DELETE FROM near_duplicates WHERE article_id IN ({marks}) OR original_id IN ({marks})",
                articles, 2)
            n["minhashes"] += self._delete("DELETE FROM minhashes WHERE article_id IN ({marks})", articles)
            n["analyses"] += self._delete("DELETE FROM analyses WHERE article_id IN ({marks})", articles)
            n["embeddings"] += self._delete("DELETE FROM embeddings WHERE key IN ({marks})", articles)
            # sentence vectors are a cache keyed by text: one another article shares is recomputed if needed
            n["embeddings"] += self._delete(
                "DELETE FROM embeddings WHERE kind = 'sentence' AND key IN ({marks})", sentence_keys)
            n["articles"] += self._delete("DELETE FROM articles WHERE id IN ({marks})", articles)
        return n
