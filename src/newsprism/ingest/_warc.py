"""WARC / WARC.gz archives (warcio), as in Common Crawl News: each HTML response is a page."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._html import article_from_html
from newsprism.types import Rejection


def read_warc(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data)):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            source = f"{path}#{url}"
            status = record.http_headers.get_statuscode()
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in content_type:
                continue  # images, scripts, robots.txt: not pages, not failures either
            n += 1
            if not status or not status.startswith("2"):
                yield Rejection(source, f"HTTP {status} response")
                continue
            page = article_from_html(str(path), record.content_stream().read(), ctx, url=url)
            date = record.rec_headers.get_header("WARC-Date")
            if isinstance(page, Rejection):
                yield Rejection(source, page.reason)
            else:
                yield replace(page, extra={**page.extra, "crawled": date}) if date else page
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as err:
        yield Rejection(str(path), f"malformed WARC: {err}")
        return
    if n == 0:
        yield Rejection(str(path), "WARC holds no HTML responses")
