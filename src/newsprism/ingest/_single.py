"""One input at a time: a JSON record, a JSON line or an HTML page to an `Article`, or why not.

The file readers (`read_inputs`) go through these same rules; this is the entry for callers that hold one
record already (batch executors reading a split of a JSONL or WARC file), so that an article made there
is the article local ingest makes.
"""

from __future__ import annotations

import json

from newsprism.ingest._context import ReadContext
from newsprism.ingest._decode import Unreadable, decode_bytes
from newsprism.ingest._html import article_from_html
from newsprism.ingest._records import record_to_article
from newsprism.types import Article, Rejection

__all__ = ["article_from_json_line", "article_from_page", "article_from_record"]


def article_from_record(record: object, *, source: str, path: str, min_words: int) -> Article | Rejection:
    """A parsed JSON record (`title`, `text`, `url`, `published`, … or their usual aliases) as an article
    whose `path` is the file it came from; a Rejection naming `source` when it is not one."""
    return record_to_article(source, record, ReadContext(min_words=min_words), path=path)


def article_from_json_line(line: bytes, *, source: str, path: str, min_words: int) -> Article | Rejection:
    """One JSONL line (any encoding `decode_bytes` reads) as an article, like `article_from_record`; a
    Rejection when the line is unreadable or not JSON."""
    text = decode_bytes(line)
    if isinstance(text, Unreadable):
        return Rejection(source, text.reason)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        return Rejection(source, f"malformed JSON line: {err.msg}")
    return article_from_record(record, source=source, path=path, min_words=min_words)


def article_from_page(
    html: bytes, *, source: str, min_words: int, url: str | None = None
) -> Article | Rejection:
    """The article of one HTML page (trafilatura; the page's own date, else htmldate's), with `source` as
    its path; `url` is where the page was served from, never fetched. A Rejection when it holds none."""
    return article_from_html(source, html, ReadContext(min_words=min_words), url=url)
