"""WARC / WARC.gz archives (warcio), as in Common Crawl News: each HTML response is a page.

Archives are streamed from the file record by record, so memory follows the size limit, not the
archive: a record whose content is over `ctx.max_bytes` is rejected unread, and a record cut short (a
truncated download) is reported as truncated while the whole records before it are kept.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._html import article_from_html
from newsprism.types import Rejection


def read_warc(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
    yield from read_warc_stream(path, io.BytesIO(data), ctx)


def stream_warc_file(path: Path, ctx: ReadContext) -> Iterator[Item]:
    """The pages of the WARC file at `path`, read from disk record by record."""
    try:
        with open(path, "rb") as handle:
            truncated = False
            for item in read_warc_stream(path, handle, ctx):
                truncated = truncated or (isinstance(item, Rejection) and item.reason.startswith("truncated"))
                yield item
            if not truncated and path.suffix.lower() == ".gz":
                handle.seek(0)
                if not _gzip_complete(handle):
                    # warcio stops quietly at a cut gzip member: the records it gave are whole, the rest lost
                    yield Rejection(str(path), "truncated WARC: the archive ends mid-record "
                                               "(the whole records before the break kept)")
    except OSError as err:
        yield Rejection(str(path), f"cannot read file: {err.strerror or err}")


def _gzip_complete(handle: IO[bytes]) -> bool:
    """True when every gzip member in `handle` ends with its end-of-stream marker (read in bounded
    chunks, output discarded, so a bomb costs time, never memory)."""
    member, fed = zlib.decompressobj(wbits=31), False
    try:
        while chunk := handle.read(1 << 20):
            while chunk:
                fed = True
                member.decompress(chunk, 1 << 20)
                chunk = member.unconsumed_tail
                if member.eof:
                    chunk = member.unused_data
                    member, fed = zlib.decompressobj(wbits=31), False
    except zlib.error:
        return False
    return not fed


def read_warc_stream(path: Path, handle: IO[bytes], ctx: ReadContext) -> Iterator[Item]:
    for _, item in _warc_items(str(path), handle, ctx):
        yield item


def warc_pages(handle: IO[bytes], *, source: str, min_words: int,
               max_bytes: int = ReadContext.max_bytes) -> Iterator[tuple[int, Item]]:
    """(record offset, article or rejection) of each HTML response in the WARC stream `handle`, named
    after `source`, by the rules of ingest's WARC reader (batch runs read their splits with it)."""
    yield from _warc_items(source, handle, ReadContext(min_words=min_words, max_bytes=max_bytes))


def _warc_items(path: str, handle: IO[bytes], ctx: ReadContext) -> Iterator[tuple[int, Item]]:
    n = 0
    try:
        records = ArchiveIterator(handle)
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            source = f"{path}#{url}"
            status = record.http_headers.get_statuscode()
            content_type = (record.http_headers.get_header("Content-Type") or "").lower()
            if "html" not in content_type:
                continue  # images, scripts, robots.txt: not pages, not failures either
            n += 1
            # asked only once the content is read: warcio finds the offset by reading the record to its end
            offset = records.get_record_offset
            if not status or not status.startswith("2"):
                yield offset(), Rejection(source, f"HTTP {status} response")
                continue
            if (record.length or 0) > ctx.max_bytes:
                too_large = f"record too large ({record.length} bytes > limit {ctx.max_bytes})"
                yield offset(), Rejection(source, too_large)
                continue
            body = record.content_stream().read(ctx.max_bytes + 1)
            if len(body) > ctx.max_bytes:  # chunked or compressed content that grew past the limit
                yield offset(), Rejection(source, f"record over the size limit {ctx.max_bytes} when decoded")
                continue
            if getattr(record.raw_stream, "limit", 0):
                yield -1, Rejection(source, "truncated WARC: the archive ends inside this record")
                return
            page = article_from_html(path, body, ctx, url=url)
            date = record.rec_headers.get_header("WARC-Date")
            if isinstance(page, Rejection):
                yield offset(), Rejection(source, page.reason)
            else:
                yield offset(), replace(page, extra={**page.extra, "crawled": date}) if date else page
    except EOFError:
        yield -1, Rejection(path, "truncated WARC: the archive ends mid-stream (records before it kept)")
        return
    except (ArchiveLoadFailed, ValueError, OSError) as err:
        yield -1, Rejection(path, f"malformed WARC: {err}")
        return
    if n == 0:
        yield -1, Rejection(path, "WARC holds no HTML responses")
