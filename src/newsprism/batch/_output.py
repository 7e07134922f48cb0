"""A batch result on disk: the store's tables as Parquet, and one story JSON file per story.

Layout of OUT:
  articles.parquet, stories.parquet, story_articles.parquet, storylines.parquet   what readers want
  tables/<table>.parquet   the rest of the store (sightings, near-duplicates, analyses, vectors, ...),
                           so `newsprism load` rebuilds a store that `newsprism build` can continue
  stories/<id>.json        `Story.to_json()` of each composed story, as the API serves it
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsprism.store import StoreTables, TransferRepository

__all__ = ["MAIN_TABLES", "STORE_TABLES", "export_store", "read_table_rows"]

MAIN_TABLES = ("articles", "stories", "story_articles", "storylines")
STORE_TABLES = ("sightings", "near_duplicates", "minhashes", "rejections", "analyses", "embeddings",
                "story_events", "counters")
_TYPES = {"TEXT": pa.string(), "INTEGER": pa.int64(), "REAL": pa.float64(), "BLOB": pa.binary()}
_ROWS_PER_GROUP = 10_000


def _schema(tables: TransferRepository, table: str) -> pa.Schema:
    # declared SQLite types give a fixed schema, so an all-NULL first chunk cannot mistype a column
    return pa.schema([(name, _TYPES.get(kind.upper(), pa.string())) for name, kind in tables.columns(table)])


def _write_table(tables: TransferRepository, table: str, path: Path) -> int:
    schema = _schema(tables, table)
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        for rows in tables.chunks(table, _ROWS_PER_GROUP):
            columns = list(zip(*rows, strict=True))
            writer.write_table(pa.table([pa.array(col, type=field.type) for col, field in zip(
                columns, schema, strict=True)], schema=schema))
            count += len(rows)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def export_store(store: StoreTables, out: Path) -> dict[str, int]:
    """Writes the store's batch result under `out`; returns rows written per table."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "tables").mkdir(exist_ok=True)
    stories = out / "stories"
    stories.mkdir(exist_ok=True)
    tables = store.transfer
    counts = {table: _write_table(tables, table, out / f"{table}.parquet") for table in MAIN_TABLES}
    counts |= {table: _write_table(tables, table, out / "tables" / f"{table}.parquet")
               for table in STORE_TABLES}
    for story_id, composed in tables.composed_stories():
        text = json.dumps(json.loads(composed), ensure_ascii=False, indent=1)
        (stories / f"{story_id}.json").write_text(text + "\n", "utf-8")
    return counts


def read_table_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of one Parquet file as dicts, a row group at a time."""
    parquet = pq.ParquetFile(path)
    for group in range(parquet.num_row_groups):
        yield from parquet.read_row_group(group).to_pylist()
