"""Ingestion: files and folders of news in many formats → cleaned `Article`s → the store.

`read_inputs` and `extract_file` are store-free (other stages call them); `ingest_paths` stores, links
duplicates and near-duplicates, and records rejections; `ingest_feeds`
does the same for feed URLs, one feed at a time (the live loop). `clean_text` is the scraped-text cleaner.
`article_from_record`, `article_from_json_line` and `article_from_page` make one article from one JSON
record or HTML page, with the rules of the file readers (batch runs call them record by record), and
`warc_pages` the pages of a WARC stream. `ArticleWriter` is the one dedup writer every write path uses.

Names load on first use: `newsprism extract FILE` must not pay for dedup's MinHash/LSH (scipy) it never
calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism._lazy import lazy_getattr

if TYPE_CHECKING:
    from newsprism.ingest._feedurls import FeedResult, FeedSource, FeedsReport, ingest_feeds
    from newsprism.ingest._ingest import IngestReport, StrictStop, ingest_paths
    from newsprism.ingest._prepare import DedupKeys, dedup_keys
    from newsprism.ingest._read import extract_file, iter_files, read_inputs
    from newsprism.ingest._single import article_from_json_line, article_from_page, article_from_record
    from newsprism.ingest._warc import warc_pages
    from newsprism.ingest._writer import ArticleWriter
    from newsprism.ingest.clean import CleanedText, clean_text

__all__ = ["ArticleWriter", "CleanedText", "DedupKeys", "FeedResult", "FeedSource", "FeedsReport",
           "IngestReport", "StrictStop", "article_from_json_line", "article_from_page", "article_from_record",
           "clean_text", "dedup_keys", "extract_file", "ingest_feeds", "ingest_paths", "iter_files",
           "read_inputs", "warc_pages"]

_HOME = {
    "FeedResult": "newsprism.ingest._feedurls",
    "FeedSource": "newsprism.ingest._feedurls",
    "FeedsReport": "newsprism.ingest._feedurls",
    "ingest_feeds": "newsprism.ingest._feedurls",
    "IngestReport": "newsprism.ingest._ingest",
    "StrictStop": "newsprism.ingest._ingest",
    "ingest_paths": "newsprism.ingest._ingest",
    "extract_file": "newsprism.ingest._read",
    "iter_files": "newsprism.ingest._read",
    "read_inputs": "newsprism.ingest._read",
    "article_from_json_line": "newsprism.ingest._single",
    "article_from_page": "newsprism.ingest._single",
    "article_from_record": "newsprism.ingest._single",
    "DedupKeys": "newsprism.ingest._prepare",
    "dedup_keys": "newsprism.ingest._prepare",
    "warc_pages": "newsprism.ingest._warc",
    "ArticleWriter": "newsprism.ingest._writer",
    "CleanedText": "newsprism.ingest.clean",
    "clean_text": "newsprism.ingest.clean",
}

__getattr__ = lazy_getattr(__name__, _HOME)
