"""`prune`: drop the articles and stories older than a cutoff day, with everything derived from them.

What goes, one transaction per batch of old articles (a kill between batches leaves a consistent store;
a rerun finds what is left and goes on):

1. a story goes when every one of its articles is old, with all its articles, the stories merged into it
   (`retired_into`, recursively), its merge/split events, its splits, its summary and search row, and its
   storyline once no story is left in it;
2. an old article in no story goes; an old article of a story that also has newer ones stays ("spared"):
   a story is never cut in two, which would change its page under its readers and need a recompose;
3. with an article go its sightings, near-duplicate links, MinHash, analysis, search row and embeddings
   (its article and title vectors, and the sentence vectors composing it stored: `sentence_keys`).

An article is old when it was published before the cutoff day (the date as its outlet wrote it, as the
day pages read it); an undated article, when it was stored before it. Every step is an index lookup:
the old articles are read in (date, seq) order from an index range, never by a scan of the store.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from newsprism.errors import ConfigError
from newsprism.store import Store, fts_rowids
from newsprism.types import Article

if TYPE_CHECKING:
    from newsprism.analyse import Span

__all__ = ["PRUNED_TABLES", "PruneReport", "cutoff_day", "parse_age", "prune"]

# The tables a prune deletes from, in the order the report lists them.
PRUNED_TABLES = (
    "articles", "sightings", "near_duplicates", "minhashes", "analyses", "embeddings", "articles_fts",
    "stories", "story_articles", "story_events", "story_splits", "story_summaries", "stories_fts",
    "storylines",
)
_AGE = re.compile(r"^\s*(\d+)\s*([dwy]?)\s*$")
_DAYS = {"": 1, "d": 1, "w": 7, "y": 365}
_CHUNK = 500  # ids per IN (...): below SQLite's bound-parameter limit


def parse_age(text: str) -> int:
    """Days in "90d", "12w", "1y" or a bare number of days."""
    match = _AGE.match(text)
    if match is None or int(match[1]) <= 0:
        raise ConfigError(f"not an age: {text!r} (e.g. 90d, 12w, 1y)")
    return int(match[1]) * _DAYS[match[2]]


def cutoff_day(days: int, now: datetime | None = None) -> str:
    """The first day kept when keeping `days` days up to today (UTC): everything before it goes."""
    today = (now or datetime.now(UTC)).date()
    return (today - timedelta(days=days - 1)).isoformat()


@dataclass(frozen=True)
class PruneReport:
    """What a prune deleted (or, with `dry_run`, would delete), table by table."""

    cutoff: str  # YYYY-MM-DD: what is dated before this day is old
    dry_run: bool
    counts: tuple[tuple[str, int], ...]
    spared: int  # old articles kept because their story has newer ones

    def count(self, table: str) -> int:
        return dict(self.counts).get(table, 0)

    @property
    def deleted(self) -> int:
        return sum(n for _, n in self.counts)

    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        parts = ", ".join(f"{n} {table}" for table, n in self.counts if n) or "nothing"
        spared = f"; {self.spared} old articles kept with their newer stories" if self.spared else ""
        return f"before {self.cutoff}: {verb} {parts}{spared}"

    def to_json(self) -> dict[str, Any]:
        return {"cutoff": self.cutoff, "dry_run": self.dry_run, "counts": dict(self.counts),
                "spared": self.spared}


class _Rollback(Exception):
    """Raised inside a dry run's transaction so everything it did is rolled back."""


# (the articles, their stored body sentences by id) -> the sentence-vector keys composing them used
KeysOf = Callable[[Sequence[Article], Mapping[str, Sequence["Span"]]], set[str]]


def _sentence_keys(articles: Sequence[Article], sentences: Mapping[str, Sequence[Span]]) -> set[str]:
    from newsprism.compose.pending import sentence_keys

    return sentence_keys(articles, sentences)


def prune(store: Store, before: str | date, *, dry_run: bool = False, batch: int = 500,
          keys_of: KeysOf = _sentence_keys) -> PruneReport:
    """Deletes what is older than the day `before` (see the module docstring); with `dry_run`, the
    same work in one transaction rolled back, so the counts are exact and nothing changes."""
    cut = before.isoformat() if isinstance(before, date) else date.fromisoformat(before).isoformat()
    counts: Counter[str] = Counter()
    spared = 0

    def run() -> None:
        nonlocal spared
        for ids in _old_articles(store.connection, cut, batch):
            with store.transaction() as db:
                done, kept = _prune_batch(store, db, ids, cut, keys_of)
                if any(done.values()) and not dry_run:
                    # every cached page's version includes this counter (see 0014_editions)
                    db.execute("UPDATE counters SET value = value + 1 WHERE name = 'publish_pruned'")
            counts.update(done)
            spared += kept

    if dry_run:
        try:
            with store.transaction():
                run()
                raise _Rollback
        except _Rollback:
            pass
    else:
        run()
    return PruneReport(cut, dry_run, tuple((t, counts[t]) for t in PRUNED_TABLES), spared)


def _old_articles(db: sqlite3.Connection, cut: str, batch: int) -> Iterable[list[str]]:
    """Ids of old articles, `batch` at a time, dated ones by (published, seq) then undated ones by
    (ingested_at, seq): keyset pages over two index ranges, so deleting as we go never skips one."""
    queries = (
        "SELECT published, seq, id FROM articles WHERE published < :cut AND (published, seq) > (:at, :seq)"
        " ORDER BY published, seq LIMIT :n",
        "SELECT ingested_at, seq, id FROM articles WHERE published IS NULL AND ingested_at < :cut"
        " AND (ingested_at, seq) > (:at, :seq) ORDER BY ingested_at, seq LIMIT :n",
    )
    for sql in queries:
        at, seq = "", 0
        while True:
            rows = db.execute(sql, {"cut": cut, "at": at, "seq": seq, "n": batch}).fetchall()
            if not rows:
                break
            at, seq = str(rows[-1][0]), int(rows[-1][1])
            yield [str(r[2]) for r in rows]


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start:start + _CHUNK])


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


def _select(db: sqlite3.Connection, sql: str, ids: Sequence[str], *extra: object) -> list[sqlite3.Row]:
    """`sql` (with one `{marks}` for the ids) over `ids` in chunks; `extra` parameters come first."""
    rows: list[sqlite3.Row] = []
    for chunk in _chunks(ids):
        rows += db.execute(sql.format(marks=_marks(chunk)), (*extra, *chunk)).fetchall()
    return rows


def _delete(db: sqlite3.Connection, sql: str, ids: Sequence[str], repeat: int = 1) -> int:
    """`sql` (a DELETE with `{marks}` `repeat` times) over `ids` in chunks; rows deleted."""
    done = 0
    for chunk in _chunks(ids):
        done += db.execute(sql.format(marks=_marks(chunk)), chunk * repeat).rowcount
    return done


def _prune_batch(store: Store, db: sqlite3.Connection, ids: Sequence[str], cut: str,
                 keys_of: KeysOf) -> tuple[Counter[str], int]:
    """Deletes the old articles `ids` that may go and the stories that go with them; (counts, spared)."""
    story_of = {str(r[0]): str(r[1]) for r in _select(
        db, "SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})", ids)}
    candidates = sorted(set(story_of.values()))
    kept = _kept_stories(db, candidates, cut)
    doomed = [s for s in candidates if s not in kept]
    stories = _with_retired(db, doomed)
    members = [str(r[0]) for r in _select(
        db, "SELECT article_id FROM story_articles WHERE story_id IN ({marks})", stories)]
    articles = sorted({a for a in ids if a not in story_of} | set(members))
    spared = sum(1 for a in ids if story_of.get(a) in kept)
    return _delete_all(store, db, articles, stories, keys_of), spared


def _kept_stories(db: sqlite3.Connection, stories: Sequence[str], cut: str) -> set[str]:
    """Those of `stories` with at least one article that is not old."""
    newer = "NOT (a.published < ? OR (a.published IS NULL AND a.ingested_at < ?))"
    return {str(r[0]) for r in _select(
        db, "SELECT DISTINCT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
        f" WHERE {newer} AND sa.story_id IN ({{marks}})", stories, cut, cut)}


def _with_retired(db: sqlite3.Connection, stories: Sequence[str]) -> list[str]:
    """`stories` and every story merged into one of them, through any chain of merges."""
    found = list(stories)
    seen = set(found)
    frontier = list(stories)
    while frontier:
        merged = [str(r[0]) for r in _select(
            db, "SELECT id FROM stories WHERE retired_into IN ({marks})", frontier)]
        frontier = [s for s in merged if s not in seen]
        seen.update(frontier)
        found += frontier
    return found


def _delete_all(store: Store, db: sqlite3.Connection, articles: Sequence[str], stories: Sequence[str],
                keys_of: KeysOf) -> Counter[str]:
    """Deletes `stories` and `articles` and everything that refers to them, children first."""
    n: Counter[str] = Counter()
    keys: list[str] = []
    if articles:
        from newsprism.analyse import load_analyses

        # only an analysed article was ever composed (analysis comes before clustering), so only its
        # sentences can have vectors; its stored sentences spare splitting its text again
        analysed = {i: a.sentences for i, a in load_analyses(store, articles).items()}
        if analysed:
            keys = sorted(keys_of(store.get_articles(list(analysed)), analysed))
    for table, ids in (("articles_fts", articles), ("stories_fts", stories)):
        rowids = fts_rowids(db, table, ids)
        for rowid in rowids:
            db.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        n[table] += len(rowids)
    n["story_articles"] += _delete(db, "DELETE FROM story_articles WHERE article_id IN ({marks})", articles)
    n["story_events"] += _delete(
        db, "DELETE FROM story_events WHERE story_id IN ({marks}) OR other_id IN ({marks})", stories, 2)
    n["story_splits"] += _delete(
        db, "DELETE FROM story_splits WHERE story_id IN ({marks}) OR new_story_id IN ({marks})", stories, 2)
    storylines = sorted({str(r[0]) for r in _select(
        db, "SELECT storyline_id FROM stories WHERE storyline_id IS NOT NULL AND id IN ({marks})", stories)})
    n["stories"] += _delete(db, "DELETE FROM stories WHERE id IN ({marks})", stories)
    n["story_summaries"] += _delete(db, "DELETE FROM story_summaries WHERE story_id IN ({marks})", stories)
    for line in storylines:
        n["storylines"] += db.execute(
            "DELETE FROM storylines WHERE id = ? AND NOT EXISTS"
            " (SELECT 1 FROM stories WHERE storyline_id = ?)", (line, line)).rowcount
    n["sightings"] += _delete(db, "DELETE FROM sightings WHERE article_id IN ({marks})", articles)
    n["near_duplicates"] += _delete(
        db, "DELETE FROM near_duplicates WHERE article_id IN ({marks}) OR original_id IN ({marks})",
        articles, 2)
    n["minhashes"] += _delete(db, "DELETE FROM minhashes WHERE article_id IN ({marks})", articles)
    n["analyses"] += _delete(db, "DELETE FROM analyses WHERE article_id IN ({marks})", articles)
    n["embeddings"] += _delete(db, "DELETE FROM embeddings WHERE key IN ({marks})", articles)
    # sentence vectors are a cache keyed by text: one another article shares is recomputed if needed
    n["embeddings"] += _delete(db, "DELETE FROM embeddings WHERE kind = 'sentence' AND key IN ({marks})",
                               keys)
    n["articles"] += _delete(db, "DELETE FROM articles WHERE id IN ({marks})", articles)
    return n
