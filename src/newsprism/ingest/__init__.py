"""Ingestion: files and folders of news in many formats → cleaned `Article`s → the store.

`read_inputs` and `extract_file` are store-free (other stages call them); `ingest_paths` stores, links
duplicates and near-duplicates, and records rejections; `ingest_feeds`
does the same for feed URLs, one feed at a time (the live loop). `clean_text` is the scraped-text cleaner.
`article_from_record`, `article_from_json_line` and `article_from_page` make one article from one JSON
record or HTML page, with the rules of the file readers (batch runs call them record by record).

Names load on first use: `newsprism extract FILE` must not pay for dedup's MinHash/LSH (scipy) it never
calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsprism.ingest._feedurls import FeedResult, FeedSource, FeedsReport, ingest_feeds
    from newsprism.ingest._ingest import IngestReport, ingest_paths
    from newsprism.ingest._read import extract_file, iter_files, read_inputs
    from newsprism.ingest._single import article_from_json_line, article_from_page, article_from_record
    from newsprism.ingest.clean import CleanedText, clean_text

__all__ = ["CleanedText", "FeedResult", "FeedSource", "FeedsReport", "IngestReport", "article_from_json_line",
           "article_from_page", "article_from_record", "clean_text", "extract_file", "ingest_feeds",
           "ingest_paths", "iter_files", "read_inputs"]

_HOME = {
    "FeedResult": "_feedurls",
    "FeedSource": "_feedurls",
    "FeedsReport": "_feedurls",
    "ingest_feeds": "_feedurls",
    "IngestReport": "_ingest",
    "ingest_paths": "_ingest",
    "extract_file": "_read",
    "iter_files": "_read",
    "read_inputs": "_read",
    "article_from_json_line": "_single",
    "article_from_page": "_single",
    "article_from_record": "_single",
    "CleanedText": "clean",
    "clean_text": "clean",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
