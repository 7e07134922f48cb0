"""Record-level adapters onto newsprism.ingest's format readers.

ingest reads whole files (`_read_file`); a batch run must parse one JSONL line or one WARC record at a
time, on whichever executor holds it. These adapters call ingest's record-level functions
(`record_to_article`, `article_from_html`) with the same rules as its file readers, so an article
extracted here is the article local ingest would have made.
"""

from __future__ import annotations

import json
from dataclasses import replace

from newsprism.ingest._context import ReadContext
from newsprism.ingest._decode import Unreadable, decode_bytes
from newsprism.ingest._html import article_from_html
from newsprism.ingest._records import record_to_article
from newsprism.types import Article, Rejection

__all__ = ["article_from_json_line", "article_from_warc_response"]


def article_from_json_line(line: bytes, source: str, path: str, min_words: int) -> Article | Rejection:
    """One JSONL line as an article (`path` is the file it came from), or why not."""
    text = decode_bytes(line)
    if isinstance(text, Unreadable):
        return Rejection(source, text.reason)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        return Rejection(source, f"malformed JSON line: {err.msg}")
    return record_to_article(source, record, ReadContext(min_words=min_words), path=path)


def article_from_warc_response(path: str, url: str, status: str | None, html: bytes, warc_date: str | None,
                               min_words: int) -> Article | Rejection:
    """One HTML response of a WARC file as an article, as ingest's WARC reader makes it."""
    source = f"{path}#{url}"
    if not status or not status.startswith("2"):
        return Rejection(source, f"HTTP {status} response")
    page = article_from_html(path, html, ReadContext(min_words=min_words), url=url)
    if isinstance(page, Rejection):
        return Rejection(source, page.reason)
    return replace(page, extra={**page.extra, "crawled": warc_date}) if warc_date else page
