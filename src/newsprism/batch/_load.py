"""`load_result`: a batch result directory into a store, so the site serves it and `build` continues it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from newsprism.batch._output import MAIN_TABLES, read_table_rows
from newsprism.errors import InputError, StoreError
from newsprism.outlets import store_leans
from newsprism.store import StoreTables
from newsprism.types import Story

__all__ = ["LoadReport", "load_result"]

# Parents before children (foreign keys); articles_fts/stories_fts are rebuilt, never copied.
_ORDER = ("articles", "sightings", "near_duplicates", "minhashes", "rejections", "analyses", "embeddings",
          "storylines", "stories", "story_articles", "story_events")


@dataclass(frozen=True)
class LoadReport:
    articles: int
    stories: int
    storylines: int


def _path(result: Path, table: str) -> Path:
    return result / f"{table}.parquet" if table in MAIN_TABLES else result / "tables" / f"{table}.parquet"


def _story_body(composed: str | None) -> tuple[str, str]:
    from newsprism.compose.pending import story_body

    if not composed:
        return "", ""
    story = Story.from_json(json.loads(composed))
    return story.headline, story_body(story)


def load_result(result: Path, store: StoreTables) -> LoadReport:
    """Adds everything in `result` to `store` in one transaction. Articles already stored are kept;
    a story id that already exists is an error (load batch results into a store of their own)."""
    if not (result / "articles.parquet").is_file():
        raise InputError(f"{result} is not a batch result (no articles.parquet)")
    tables = store.transfer
    counts = dict.fromkeys(_ORDER, 0)
    with store.transaction():
        for table in _ORDER:
            path = _path(result, table)
            if not path.is_file():
                continue
            for row in read_table_rows(path):
                if table == "articles":
                    row.pop("seq")  # the target store numbers its own ingest order
                if table == "stories" and tables.has_story(row["id"]):
                    raise StoreError(f"story {row['id']} is already in the store; load into a fresh store")
                added = tables.insert(table, row)
                counts[table] += added
                if table == "articles" and added:
                    tables.add_article_search(row["id"], row["title"], row["text"], row["outlet"] or "")
                if table == "stories":
                    tables.add_story_search(row["id"], *_story_body(row.get("composed")))
        counters = _path(result, "counters")
        if counters.is_file():
            for row in read_table_rows(counters):
                # keep id counters ahead of every loaded id, so the next build never reuses one
                tables.raise_counter(row["name"], row["value"])
        # the loaded articles carry the leans of the run's registry (or none, from a result written
        # before 0021_article_lean): this store's registry decides, as for the articles it ingests
        store_leans(store)
    return LoadReport(counts["articles"], counts["stories"], counts["storylines"])
