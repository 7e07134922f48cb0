"""The one dedup writer: new articles into the store, exact and near-duplicates linked, in commit groups.

Every write path uses it: `ingest_paths` (files), `ingest_feeds` (the live loop) and the batch driver
(`newsprism batch`), so an article is a duplicate by the same rules, with the same sighting key, whichever
path stored it. Each call that writes (`article`, `rejection`) opens its slot in the current commit group;
the group is committed when the next call finds it full (or at `flush`), so rows a caller adds right
after `article` (batch's analyses and vectors) share the article's transaction.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from typing import TYPE_CHECKING

from newsprism.ingest._article import canonical_outlet
from newsprism.ingest._fetch import StoredValidators
from newsprism.ingest._normal import body_hash
from newsprism.ingest._prepare import DedupKeys, article_json, dedup_keys
from newsprism.ingest.dedup import NearDuplicateIndex, from_blob
from newsprism.settings import Settings
from newsprism.store import StoreTables
from newsprism.types import Article, Rejection

if TYPE_CHECKING:
    from newsprism.outlets import Registry

__all__ = ["ArticleWriter", "sighting_source"]


def sighting_source(article: Article) -> str:
    # One file can hold many records (JSONL, feeds, WARC): the URL, else the content id, tells them apart.
    return article.url or f"{article.path}#{article.id}"


class ArticleWriter:
    """Stores articles and rejections in input order; `abort` undoes the open group, which a rerun redoes."""

    def __init__(self, store: StoreTables, settings: Settings, commit_every: int) -> None:
        self.store = store
        self.tables = store.ingest
        self.validators = StoredValidators(self.tables)
        self.tables.bulk_mode()
        self.commit_every = max(1, commit_every)
        self.pending = 0
        self.stack = ExitStack()
        # Rows written at the end of each commit group, inside its transaction, with one executemany each.
        self.search_rows: list[tuple[str, str, str, str]] = []
        self.minhash_rows: list[tuple[str, bytes]] = []
        self.near_rows: list[tuple[str, str, float]] = []
        self.index = NearDuplicateIndex(settings.near_duplicate_threshold, self.tables.minhashes())
        self.ingested = self.duplicates = self.near = 0
        self.undated: list[Rejection] = []
        # The readers name outlets by the shipped table (they need no store). Outlets imported into this
        # store can name more ("exdaily.example" -> "Example Daily"): then names are resolved again here,
        # against the one registry compose and the site read, whichever path brought the article.
        from newsprism.outlets import lean_lookup, load_registry, registry_lookup, sync_leans

        sync_leans(store)  # the stored leans follow a shipped table that changed since they were written
        self.registry: Registry | None = load_registry(store) if store.outlets.all_data() else None
        # The lean is resolved here, once, against that registry, and stored with the article: compose
        # and the site read it from the article (an outlet import rewrites it, `outlets.store_leans`).
        self.lean_of = lean_lookup(None) if self.registry is None else registry_lookup(self.registry)

    def _tick(self) -> None:
        if self.pending >= self.commit_every:
            self.flush()
        if self.pending == 0:
            self.stack.enter_context(self.store.transaction())
        self.pending += 1

    def flush(self) -> None:
        """Writes the group's batched rows and commits it."""
        if self.pending:
            self.tables.write_group(self.search_rows, self.minhash_rows, self.near_rows)
            self.validators.flush()
            self._clear()
            self.pending = 0
            self.stack.close()
        elif self.validators.held:
            with self.store.transaction():  # pages fetched, but nothing stored from them
                self.validators.flush()

    def abort(self) -> None:
        """Rolls the open group back: a rerun redoes it."""
        self._clear()
        self.pending = 0
        self.stack.__exit__(RuntimeError, RuntimeError("ingest aborted"), None)

    def _clear(self) -> None:
        self.validators.discard()
        self.search_rows.clear()
        self.minhash_rows.clear()
        self.near_rows.clear()

    def article(self, article: Article, prepared: DedupKeys | None = None) -> bool:
        """Stores `article`, or links it to the stored copy it duplicates. True when it was stored as new."""
        self._tick()
        if self.registry is not None:
            outlet = canonical_outlet(article.outlet, article.url, self.registry)
            if outlet != article.outlet:
                article = replace(article, outlet=outlet)
        ref = self.lean_of(article.outlet)
        if (ref.lean, ref.lean_score) != (article.lean, article.lean_score):
            article = replace(article, lean=ref.lean, lean_score=ref.lean_score)
        source = sighting_source(article)
        digest = prepared.digest if prepared else body_hash(article.text)
        if self.store.has_article(article.id):
            self.store.add_sighting(article.id, source, article.outlet, article.url)
            self.duplicates += 1
            return False
        if (same := self.store.find_by_text_hash(digest)) is not None:
            self.store.add_sighting(same, source, article.outlet, article.url)
            self.duplicates += 1
            return False
        prepared = prepared or dedup_keys(article)
        minhash = from_blob(prepared.signature)
        matches = self.index.matches(minhash)
        self.store.add_article(article, source, digest=digest, data=article_json(article), search=False)
        self.search_rows.append((article.id, article.title, article.text, article.outlet or ""))
        self.minhash_rows.append((article.id, prepared.signature))
        self.near_rows.extend((article.id, original, round(sim, 4)) for original, sim in matches)
        self.index.add(article.id, minhash)
        self.ingested += 1
        self.near += bool(matches)
        if reason := article.extra.get("undated_because"):
            self.undated.append(Rejection(source, f"{reason}; stored undated"))
        return True

    def rejection(self, rejection: Rejection) -> None:
        self._tick()
        # A rerun meets the same bad inputs again; one row per (source, reason) keeps reruns idempotent.
        if not self.tables.has_rejection(rejection.source, rejection.reason):
            self.store.add_rejection(rejection)
