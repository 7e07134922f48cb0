"""Walking inputs and dispatching each file to its format reader. Store-free: clustering and the
batch runners call `read_inputs` directly.

Dispatch order for one file: 1. JSON lines (`.jsonl`, `.ndjson`, `.jsonl.gz`) and WARC archives are
streamed, with the size limit per record, not per file  2. size limit  3. compressed `.gz` (only
`.json.gz`)  4. extension (.txt, .html/.htm, .json, .opml, .xml/.rss/.atom)  5. for .xml and
unknown extensions, the first bytes (feed, OPML, HTML) decide.
"""

from __future__ import annotations

import codecs
import gzip
import importlib
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from io import BufferedIOBase
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from newsprism.ingest._context import Item, ReadContext, Reader
from newsprism.ingest._records import read_record_lines, read_records
from newsprism.settings import Settings
from newsprism.types import Article, Rejection

if TYPE_CHECKING:
    from newsprism.ingest._fetch import Validators

__all__ = ["extract_file", "iter_files", "read_inputs"]


def _on_first_use(module: str, name: str) -> Reader:
    """The reader `name` of `module`, imported when a file of its format is read: extracting one text
    file must not load feedparser, warcio or trafilatura (`newsprism extract` start-up)."""
    def read(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
        reader: Reader = getattr(importlib.import_module(module), name)
        return reader(path, data, ctx)
    return read


read_text = _on_first_use("newsprism.ingest._text", "read_text")
read_html = _on_first_use("newsprism.ingest._html", "read_html")
read_warc = _on_first_use("newsprism.ingest._warc", "read_warc")
read_opml = _on_first_use("newsprism.ingest._feeds", "read_opml")
read_feed = _on_first_use("newsprism.ingest._feeds", "read_feed")


def looks_like_feed(head: bytes) -> bool:
    return bool(re.search(rb"<(?:rss|feed|rdf:RDF)\b", head))


def looks_like_opml(head: bytes) -> bool:
    return bool(re.search(rb"<opml\b", head))


_BY_SUFFIX: dict[str, Reader] = {
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_records,
    ".jsonl": read_records,
    ".ndjson": read_records,
    ".warc": read_warc,
    ".opml": read_opml,
    ".rss": read_feed,
    ".atom": read_feed,
}
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}


def iter_files(paths: Sequence[Path]) -> Iterator[Path | Rejection]:
    """Files under `paths` (recursively, sorted, hidden entries skipped), or a Rejection for a bad path."""
    for path in paths:
        path = Path(path)
        if not _printable(str(path)):
            yield Rejection(_shown(str(path)), _BAD_NAME)
        elif path.is_file():
            yield path
        elif path.is_dir():
            unreadable: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=unreadable.append):
                while unreadable:
                    err = unreadable.pop()
                    yield Rejection(_shown(str(err.filename or root)),
                                    f"unreadable folder: {err.strerror or err}")
                for d in dirs:
                    if not d.startswith(".") and not _printable(d):
                        unreadable.append(_BadFolderName(0, _BAD_FOLDER, str(Path(root) / d)))
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and _printable(d))
                for name in sorted(files):
                    if name.startswith(".") or name in _SKIP_NAMES:
                        continue
                    if _printable(name):
                        yield Path(root) / name
                    else:
                        yield Rejection(_shown(str(Path(root) / name)), _BAD_NAME)
            for err in unreadable:
                yield Rejection(_shown(str(err.filename)), f"unreadable folder: {err.strerror or err}")
        else:
            yield Rejection(_shown(str(path)), "no such file or folder")


_BAD_NAME = "cannot read file: its name is not valid UTF-8 (rename it to read it)"


def _printable(name: str) -> bool:
    """False for a name holding bytes the file system could not decode (surrogate escapes): it cannot
    be stored, printed or named in a report as it is."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    """`name` with undecodable bytes written as \\xNN, safe to store and print."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


class _BadFolderName(OSError):
    pass


_BAD_FOLDER = "its name is not valid UTF-8 (rename it to read it)"


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return "".join(suffixes) if suffixes[-1:] == [".gz"] else (suffixes[-1] if suffixes else "")


def _reader_for(path: Path, data: bytes) -> Reader | str:
    suffix = _suffix(path)
    if suffix in (".warc.gz", ".arc.gz"):
        return read_warc
    if suffix.endswith(".gz"):
        return "compressed file of an unsupported kind"
    reader = _BY_SUFFIX.get(suffix)
    if reader is not None:
        return reader
    head = data[:2048].lstrip()
    if looks_like_opml(head):
        return read_opml
    if looks_like_feed(head):
        return read_feed
    if suffix == ".xml":
        return "XML file that is neither an RSS/Atom feed nor OPML"
    if head[:1] == b"<" and b"html" in head.lower():
        return read_html
    return f"unsupported file type {suffix or '(no extension)'}"


_STREAMED = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 20


def _lines(handle: BufferedIOBase, limit: int) -> Iterator[bytes | None]:
    """The lines of `handle`, None for one longer than `limit` (skipped without holding it in memory)."""
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield None if len(line.rstrip(b"\r\n")) > limit else line


class LineParser(Protocol):
    """JSON lines (None: over the size limit) of the file `path` to whatever the caller consumes."""

    def __call__(self, path: Path, lines: Iterator[bytes | None], ctx: ReadContext) -> Iterator[Any]: ...


def _stream_records(path: Path, ctx: ReadContext, parse: LineParser = read_record_lines) -> Iterator[Any]:
    """The records of a JSON-lines file (also gzipped), read line by line through `parse`."""
    gz = path.suffix.lower() == ".gz"
    named = path.with_suffix("") if gz else path  # records of a.jsonl.gz are named a.jsonl:LINE
    try:
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as handle:
            head = handle.peek(8192)[:8192] if isinstance(handle, gzip.GzipFile) else handle.read(8192)
            if not gz:
                handle.seek(0)
            if not head.strip():
                yield Rejection(str(path), "empty file")
                return
            if head.startswith(_WIDE_BOMS) or b"\x00" in head:
                # UTF-16/32 text (rare for JSON lines) or binary: the whole-file decoder says which
                yield from _read_whole(path, ctx, read_records, named)
                return
            yield from parse(named, _lines(handle, ctx.max_bytes), ctx)
    except OSError as err:  # gzip.BadGzipFile is an OSError
        reason = f"malformed gzip: {err}" if gz else f"cannot read file: {err.strerror or err}"
        yield Rejection(str(path), reason)
    except EOFError:
        yield Rejection(str(path), "truncated gzip: the file ends mid-stream (records before the break kept)")
    except zlib.error as err:
        yield Rejection(str(path), f"malformed gzip: {err}")


def _read_whole(path: Path, ctx: ReadContext, reader: Reader, path_for_reader: Path) -> Iterator[Item]:
    size = path.stat().st_size
    if size > ctx.max_bytes:
        yield Rejection(str(path), f"file too large ({size} bytes > limit {ctx.max_bytes})")
        return
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        data = zlib.decompressobj(wbits=31).decompress(data, ctx.max_bytes + 1)
        if len(data) > ctx.max_bytes:
            yield Rejection(str(path), f"decompressed file over the size limit {ctx.max_bytes}")
            return
    yield from reader(path_for_reader, data, ctx)


def is_streamed(path: Path) -> bool:
    """True for JSON-lines files, which are read record by record."""
    return _suffix(path) in _STREAMED


def _read_file(path: Path, ctx: ReadContext) -> Iterator[Item]:
    if is_streamed(path):
        yield from _stream_records(path, ctx)
        return
    if _suffix(path) in (".warc", ".warc.gz", ".arc.gz"):
        from newsprism.ingest._warc import stream_warc_file

        yield from stream_warc_file(path, ctx)  # the size limit applies per record
        return
    try:
        size = path.stat().st_size
        if size > ctx.max_bytes:
            yield Rejection(str(path), f"file too large ({size} bytes > limit {ctx.max_bytes})")
            return
        data = path.read_bytes()
    except OSError as err:
        yield Rejection(str(path), f"cannot read file: {err.strerror or err}")
        return
    if not data.strip():
        yield Rejection(str(path), "empty file")
        return
    suffix = _suffix(path)
    if suffix == ".json.gz":
        try:
            # The limit applies to what is decompressed too: a small gzip bomb must not fill memory.
            data = zlib.decompressobj(wbits=31).decompress(data, ctx.max_bytes + 1)
        except (zlib.error, gzip.BadGzipFile) as err:
            yield Rejection(str(path), f"malformed gzip: {err}")
            return
        if len(data) > ctx.max_bytes:
            yield Rejection(str(path), f"decompressed file over the size limit {ctx.max_bytes}")
            return
        reader: Reader | str = read_records
        path_for_reader = path.with_suffix("")
    else:
        reader = _reader_for(path, data)
        path_for_reader = path
    if isinstance(reader, str):
        yield Rejection(str(path), reader)
        return
    yield from reader(path_for_reader, data, ctx)


def _context(settings: Settings | None, fetch: bool, validators: Validators | None = None) -> ReadContext:
    settings = settings or Settings()
    fetcher = None
    if fetch:
        from newsprism.ingest._fetch import PoliteFetcher

        fetcher = PoliteFetcher(min_interval=settings.fetch_min_interval, timeout=settings.fetch_timeout,
                                retries=settings.fetch_retries, max_bytes=settings.max_file_bytes,
                                validators=validators)
    return ReadContext(min_words=settings.min_article_words, max_bytes=settings.max_file_bytes,
                       fetcher=fetcher)


def read_inputs(paths: Sequence[Path], *, fetch: bool = False, settings: Settings | None = None,
                context: ReadContext | None = None) -> Iterator[Article | Rejection]:
    """Cleaned articles and rejections from files and folders (recursively), in path order.

    Without `fetch` nothing touches the network; `context` overrides `settings`/`fetch` (tests pass
    their own fetcher).
    """
    ctx = context or _context(settings, fetch)
    for item in iter_files(paths):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from _read_file(item, ctx)


def extract_file(path: Path, *, settings: Settings | None = None) -> Article | Rejection:
    """The single article in one file (the first, for multi-article formats), or why there is none."""
    first_rejection: Rejection | None = None
    for item in _read_file(Path(path), _context(settings, False)):
        if isinstance(item, Article):
            return item
        first_rejection = first_rejection or item
    return first_rejection or Rejection(str(path), "no article found")
