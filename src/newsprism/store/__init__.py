"""The store: one SQLite file (WAL), schema migrations, transactional writes.

The store owns its tables: stages ask typed repositories (`Store.stories`, the article methods here)
for frozen records, and the SQL lives in this package. `StoreTables` is the protocol of those repositories
(the local `Store` is one). Stages hold transactions open with `Store.transaction()` but run no SQL
(tests/test_store_tables.py checks it); only the site's read side (`publish/queries.py`) and the lab
still read `Store.connection`. A composed story is saved here by local compose and by the batch driver
alike.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from pathlib import Path
from typing import Protocol

from newsprism.errors import NotFound, StoreError, UsageError
from newsprism.store import migrations as _migrations
from newsprism.store._analyses import AnalysisRepository, EmbeddingRepository
from newsprism.store._forecasts import ForecastRepository
from newsprism.store._ingest import IngestRepository
from newsprism.store._live import CycleRow, FeedRecord, FeedRow, LiveRepository
from newsprism.store._outlets import OutletRepository
from newsprism.store._retention import RetentionRepository
from newsprism.store._stories import (
    LineMember,
    LiveArticle,
    StoryMember,
    StoryRepository,
    StorySpan,
    WindowMember,
)
from newsprism.store._transfer import TransferRepository
from newsprism.store.migrations import MIGRATIONS as _MIGRATIONS
from newsprism.types import Article, Rejection, normalize_text

__all__ = [
    "AnalysisRepository",
    "CycleRow",
    "EmbeddingRepository",
    "FeedRecord",
    "FeedRow",
    "ForecastRepository",
    "IngestRepository",
    "LineMember",
    "LiveArticle",
    "LiveRepository",
    "OutletRepository",
    "RetentionRepository",
    "Store",
    "StoreTables",
    "StoryMember",
    "StoryRepository",
    "StorySpan",
    "TransferRepository",
    "WindowMember",
    "add_story_search",
    "delete_story_search",
    "fts_rowids",
    "text_hash",
]


class StoreTables(Protocol):
    """What a stage needs of the store: its repositories and its article table. Stages take this, not
    the concrete class; the local SQLite `Store` is one implementation, a test double or another
    backend can be another. Only what reads the SQLite file itself (the site's `Reader`, the live
    cycle that exports the site, the CLI that opens it) names `Store`."""

    @property
    def path(self) -> str: ...

    @property
    def stories(self) -> StoryRepository: ...

    @property
    def forecasts(self) -> ForecastRepository: ...

    @property
    def analyses(self) -> AnalysisRepository: ...

    @property
    def embeddings(self) -> EmbeddingRepository: ...

    @property
    def outlets(self) -> OutletRepository: ...

    @property
    def live(self) -> LiveRepository: ...

    @property
    def retention(self) -> RetentionRepository: ...

    @property
    def ingest(self) -> IngestRepository: ...

    @property
    def transfer(self) -> TransferRepository: ...

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def has_article(self, article_id: str) -> bool: ...

    def find_by_text_hash(self, digest: str) -> str | None: ...

    def add_article(self, article: Article, source: str | None = None, *, digest: str | None = None,
                    data: str | None = None, search: bool = True) -> bool: ...

    def add_sighting(self, article_id: str, source: str, outlet: str | None, url: str | None) -> None: ...

    def add_rejection(self, rejection: Rejection) -> None: ...

    def articles_with_ingest_time(self, article_ids: Iterable[str]) -> dict[str, tuple[Article, str]]: ...

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]: ...

    def originals_of(self, article_ids: Sequence[str]) -> list[tuple[str, str]]: ...

    def outlets_of(self, article_id: str) -> list[str]: ...

    def dirty_stories(self) -> list[tuple[str, str | None]]: ...

    def save_composed(self, story_id: str, composed: str, headline: str, body: str) -> None: ...


def text_hash(text: str) -> str:
    """Exact-duplicate key of an article body."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:32]


def fts_rowids(db: sqlite3.Connection, table: str, ids: Sequence[str]) -> list[int]:
    """The rowids of the rows of `table` ("articles_fts" or "stories_fts") whose `id` is one of `ids`.
    FTS5 indexes no `id`; its content table has an index on it (0014_editions), so this is a lookup
    per id, not a scan of every row's text. Delete FTS rows by these rowids."""
    if table not in ("articles_fts", "stories_fts"):
        raise UsageError(f"not a search table: {table}")
    found: list[int] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT id FROM {table}_content WHERE c0 IN ({marks})", chunk)
        found += [int(r[0]) for r in rows]
    return found


def add_story_search(db: sqlite3.Connection, story_id: str, headline: str, body: str) -> int:
    """Indexes a story for search, in `stories_fts` and in the index of its newest rows that search
    ranks in (`stories_recent_fts`, 0020_search_recent_stories), from which the row SEARCH_RECENT_STORIES
    older leaves; the row's rowid. Every writer of `stories_fts` goes through here."""
    rowid = db.execute("INSERT INTO stories_fts (id, headline, body) VALUES (?,?,?)",
                       (story_id, headline, body)).lastrowid
    assert rowid is not None
    db.execute("INSERT INTO stories_recent_fts (rowid, headline, body) VALUES (?,?,?)",
               (rowid, headline, body))
    db.execute("DELETE FROM stories_recent_fts WHERE rowid <= ?",
               (rowid - _migrations.SEARCH_RECENT_STORIES,))
    return rowid


def delete_story_search(db: sqlite3.Connection, rowids: Iterable[int]) -> None:
    """Drops rows of `stories_fts` (by rowid, `fts_rowids`) and of its recent index with them."""
    for rowid in rowids:
        db.execute("DELETE FROM stories_fts WHERE rowid = ?", (rowid,))
        db.execute("DELETE FROM stories_recent_fts WHERE rowid = ?", (rowid,))


class Store:
    """A newsprism database. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path | str = ":memory:", *, busy_wait: float = 600.0,
                 on_busy: Callable[[str], None] | None = None) -> None:
        """Opens (and migrates) the store. A write that finds another process writing waits up to
        `busy_wait` seconds, saying so once through `on_busy` (default: a line on stderr), then raises
        `StoreError("store is busy ...")`; `busy_wait=0` gives up at once."""
        self.path = str(path)
        self.busy_wait = busy_wait
        self._on_busy = on_busy or _say_busy
        self._depth = 0
        try:
            self.connection = sqlite3.connect(self.path, timeout=min(0.5, busy_wait), isolation_level=None)
            self.connection.row_factory = sqlite3.Row
            if self.path != ":memory:":
                self._while_busy(lambda: self.connection.execute("PRAGMA journal_mode=WAL"))
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            self.migrate()
        except sqlite3.Error as err:
            raise StoreError(f"cannot open store {self.path}: {err}") from err

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    # --- schema -------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Applies pending migrations; returns their names."""
        db = self.connection
        db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, at TEXT)")
        done = {row[0] for row in db.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in _MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                for statement in _statements(sql):
                    db.execute(statement)
                if name in _migrations.FILLS:
                    _fill(_migrations.FILLS[name])(self)
                db.execute(
                    "INSERT INTO schema_migrations VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))", (name,)
                )
            applied.append(name)
        return applied

    @property
    def schema_version(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM schema_migrations").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes; nested calls join the outer transaction."""
        db = self.connection
        if self._depth == 0:
            self._while_busy(lambda: db.execute("BEGIN IMMEDIATE"))
        self._depth += 1
        try:
            yield db
        except BaseException as err:
            self._depth -= 1
            if self._depth == 0 and db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise StoreError(f"store {self.path}: {err}") from err
            raise
        self._depth -= 1
        if self._depth == 0:
            try:
                self._while_busy(lambda: db.execute("COMMIT"))
            except StoreError:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    def _while_busy(self, step: Callable[[], object]) -> None:
        """Runs `step`, retrying while another process holds the write lock, up to `busy_wait` seconds."""
        started = time.monotonic()
        said = False
        while True:
            try:
                step()
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err):
                    raise StoreError(f"store {self.path}: {err}") from err
                waited = time.monotonic() - started
                if waited >= self.busy_wait:
                    raise StoreError(
                        f"store is busy: another process is writing to {self.path}"
                        f" (waited {waited:.0f} s); run again when it has finished") from err
                if not said:
                    self._on_busy(f"store is busy, waiting (up to {self.busy_wait:.0f} s) for another "
                                  f"process writing to {self.path}…")
                    said = True
                time.sleep(0.05)

    # --- articles -----------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        row = self.connection.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def find_by_text_hash(self, digest: str) -> str | None:
        row = self.connection.execute("SELECT id FROM articles WHERE text_hash = ?", (digest,)).fetchone()
        return None if row is None else str(row[0])

    def add_article(self, article: Article, source: str | None = None, *, digest: str | None = None,
                    data: str | None = None, search: bool = True) -> bool:
        """Stores `article` and a sighting from `source`; False when the id was already stored.

        Bulk writers may pass what they computed already: `digest` (= `text_hash(article.text)`) and `data`
        (the Article JSON). With `search=False` the caller adds the `articles_fts` row itself, in the same
        transaction (the ingest batches them per commit).
        """
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO articles (id, title, text, outlet, url, byline, published, language,"
                " path, data, text_hash, lean, lean_score) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id,
                    article.title,
                    article.text,
                    article.outlet,
                    article.url,
                    article.byline,
                    article.published,
                    article.language,
                    article.path,
                    data if data is not None else json.dumps(article.to_json(), ensure_ascii=False),
                    digest if digest is not None else text_hash(article.text),
                    article.lean,
                    article.lean_score,
                ),
            )
            added = cursor.rowcount == 1
            if added and search:
                db.execute(
                    "INSERT INTO articles_fts (id, title, text, outlet) VALUES (?,?,?,?)",
                    (article.id, article.title, article.text, article.outlet or ""),
                )
            self.add_sighting(article.id, source or article.path or article.url or "", article.outlet,
                              article.url)
        return added

    def add_sighting(self, article_id: str, source: str, outlet: str | None, url: str | None) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO sightings (article_id, source, outlet, url) VALUES (?,?,?,?)",
                (article_id, source, outlet, url),
            )

    def add_rejection(self, rejection: Rejection) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO rejections (source, reason) VALUES (?, ?)",
                       (rejection.source, rejection.reason))

    def get_article(self, article_id: str) -> Article:
        row = self.connection.execute("SELECT data, lean, lean_score FROM articles WHERE id = ?",
                                      (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article {article_id!r} in the store")
        return _stored_article(*row)

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        """The articles in the order asked, read in batches (one query per 500 ids, not one per id)."""
        ids = list(article_ids)
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, data, lean, score in self.connection.execute(
                f"SELECT id, data, lean, lean_score FROM articles WHERE id IN ({marks})", chunk
            ):
                found[str(article_id)] = _stored_article(data, lean, score)
        missing = [article_id for article_id in ids if article_id not in found]
        if missing:
            raise NotFound(f"no article {missing[0]!r} in the store ({len(missing)} of {len(ids)} missing)")
        return [found[article_id] for article_id in ids]

    def articles_with_ingest_time(self, article_ids: Iterable[str]) -> dict[str, tuple[Article, str]]:
        """(article, ingested_at) by id of those of `article_ids` stored (one query per 500 ids)."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, tuple[Article, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, data, at, lean, score in self.connection.execute(
                f"SELECT id, data, ingested_at, lean, lean_score FROM articles WHERE id IN ({marks})", chunk
            ):
                found[str(article_id)] = (_stored_article(data, lean, score), str(at))
        return found

    def iter_articles(self, after_seq: int = 0) -> Iterator[tuple[int, Article]]:
        """(seq, article) in ingest order, from `after_seq` on."""
        rows = self.connection.execute("SELECT seq, data, lean, lean_score FROM articles WHERE seq > ?"
                                       " ORDER BY seq", (after_seq,))
        for seq, data, lean, score in rows:
            yield int(seq), _stored_article(data, lean, score)

    def article_count(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM articles").fetchone()[0])

    def originals_of(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """(copy, original) of those of `article_ids` stored as near-duplicate copies (one query per 500
        ids)."""
        found: list[tuple[str, str]] = []
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start:start + 500])
            marks = ",".join("?" * len(chunk))
            found += [(str(a), str(o)) for a, o in self.connection.execute(
                f"SELECT article_id, original_id FROM near_duplicates WHERE article_id IN ({marks})", chunk)]
        return found

    def outlets_of(self, article_id: str) -> list[str]:
        """Every outlet that published this article or a near-duplicate copy of it."""
        rows = self.connection.execute(
            "SELECT DISTINCT outlet FROM sightings WHERE outlet IS NOT NULL AND article_id IN"
            " (SELECT ? UNION SELECT article_id FROM near_duplicates WHERE original_id = ?"
            "  UNION SELECT original_id FROM near_duplicates WHERE article_id = ?)",
            (article_id, article_id, article_id),
        )
        return [str(r[0]) for r in rows]

    # --- stories ------------------------------------------------------------------------

    @cached_property
    def analyses(self) -> AnalysisRepository:
        """Per-article analyses (their JSON; `newsprism.analyse` owns the record)."""
        return AnalysisRepository(self)

    @cached_property
    def embeddings(self) -> EmbeddingRepository:
        """Stored vectors by (key, embedder, kind)."""
        return EmbeddingRepository(self)

    @cached_property
    def retention(self) -> RetentionRepository:
        """Deletion by age: old articles, their stories, and every row that refers to them."""
        return RetentionRepository(self)

    @cached_property
    def outlets(self) -> OutletRepository:
        """The outlet profiles (their JSON; `newsprism.outlets` owns the record)."""
        return OutletRepository(self)

    @cached_property
    def live(self) -> LiveRepository:
        """The live loop's log: cycles, their feed errors, the feeds' latest state."""
        return LiveRepository(self)

    @cached_property
    def forecasts(self) -> ForecastRepository:
        """The forecast questions (their JSON; `newsprism.forecasts` owns the record)."""
        return ForecastRepository(self)

    @cached_property
    def ingest(self) -> IngestRepository:
        """The ingest writer's tables: fetch validators, minhashes, its batched rows, rejections."""
        return IngestRepository(self)

    @cached_property
    def transfer(self) -> TransferRepository:
        """Whole tables in and out, for batch results."""
        return TransferRepository(self)

    @cached_property
    def stories(self) -> StoryRepository:
        """The stories tables: clustering, merges, splits, storylines."""
        return StoryRepository(self)

    def dirty_stories(self) -> list[tuple[str, str | None]]:
        """(story id, storyline id) of every live story the clusterer marked for composing, by id."""
        rows = self.connection.execute(
            "SELECT id, storyline_id FROM stories WHERE dirty = 1 AND retired_into IS NULL ORDER BY id")
        return [(str(r[0]), None if r[1] is None else str(r[1])) for r in rows]

    def save_composed(self, story_id: str, composed: str, headline: str, body: str) -> None:
        """Stores a story's composed JSON (`Story.to_json()` as text) and its search row, and marks it
        clean; local compose and the batch driver both write through here."""
        with self.transaction() as db:
            db.execute("UPDATE stories SET composed = ?, dirty = 0,"
                       " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id = ?",
                       (composed, story_id))
            # by rowid: FTS5 indexes no `id`
            delete_story_search(db, fts_rowids(db, "stories_fts", [story_id]))
            add_story_search(db, story_id, headline, body)


def _stored_article(data: str, lean: str | None, lean_score: float | None) -> Article:
    """An article as stored: its JSON, and the lean its columns hold (the store's, rewritten by an
    outlet import, so never read from the JSON)."""
    fields = json.loads(data)
    fields["lean"], fields["lean_score"] = lean, lean_score
    return Article.from_json(fields)


def _fill(target: str) -> Callable[[Store], object]:
    """The function a `migrations.FILLS` entry names ("module:function"), imported when it runs."""
    import importlib

    module, function = target.split(":")
    found: Callable[[Store], object] = getattr(importlib.import_module(module), function)
    return found


def _say_busy(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _statements(sql: str) -> list[str]:
    # sqlite3's executescript would commit mid-migration; split ourselves (our SQL has no ';' in strings).
    # A piece is joined to the next until SQLite calls it complete, so a trigger's
    # `BEGIN ...; END` stays whole.
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    statements: list[str] = []
    pending = ""
    for piece in code.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip().removesuffix(";"))
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending.strip().removesuffix(";"))
    return statements
