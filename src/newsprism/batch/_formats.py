"""Record-level adapters onto newsprism.ingest's one-record entry points.

ingest reads whole files; a batch run must parse one JSONL line or one WARC record at a time, on
whichever executor holds it. These adapters call ingest's public `article_from_json_line` and
`article_from_page`, which follow the rules of its file readers, so an article extracted here is the
article local ingest would have made.
"""

from __future__ import annotations

from dataclasses import replace

from newsprism.ingest import article_from_json_line as _article_from_json_line
from newsprism.ingest import article_from_page
from newsprism.types import Article, Rejection

__all__ = ["article_from_json_line", "article_from_warc_response"]


def article_from_json_line(line: bytes, source: str, path: str, min_words: int) -> Article | Rejection:
    """One JSONL line as an article (`path` is the file it came from), or why not."""
    return _article_from_json_line(line, source=source, path=path, min_words=min_words)


def article_from_warc_response(path: str, url: str, status: str | None, html: bytes, warc_date: str | None,
                               min_words: int) -> Article | Rejection:
    """One HTML response of a WARC file as an article, as ingest's WARC reader makes it."""
    source = f"{path}#{url}"
    if not status or not status.startswith("2"):
        return Rejection(source, f"HTTP {status} response")
    page = article_from_page(html, source=path, min_words=min_words, url=url)
    if isinstance(page, Rejection):
        return Rejection(source, page.reason)
    return replace(page, extra={**page.extra, "crawled": warc_date}) if warc_date else page
