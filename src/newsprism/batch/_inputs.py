"""Inputs of a batch run: listing JSONL and WARC(.gz) files (local or any pyarrow-reachable URI), cutting
plain JSONL into byte ranges, and the `extract` stage that turns one input split into articles.

Executors open the inputs themselves (pyarrow filesystems: local, `s3://`/`s3a://`, `hdfs://`, `gs://`),
so the stage is the same function for every runner and nothing is funnelled through the driver.
"""

from __future__ import annotations

import fnmatch
import gzip
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.exceptions import ArchiveLoadFailed

from newsprism.errors import InputError
from newsprism.ingest import article_from_json_line, warc_pages
from newsprism.types import Article, Rejection

__all__ = ["Extracted", "InputSplit", "extract_splits", "list_splits", "open_uri"]

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
SPLIT_BYTES = 64 << 20  # like an HDFS block: big enough to amortise a task, small enough to spread
MIN_SPLITS = 32  # a small corpus is still cut this finely, so every core of a cluster gets work
MIN_SPLIT_BYTES = 256 << 10


@dataclass(frozen=True)
class InputSplit:
    """Bytes [start, end) of one input (end -1: to the end). `index` orders inputs as given."""

    uri: str
    format: str  # "jsonl" | "warc"
    index: int
    start: int = 0
    end: int = -1


@dataclass(frozen=True)
class Extracted:
    """One input record's outcome. `ordinal` (input index, position) is the global input order, which
    decides which copy of a duplicate is the original, as ingest order does in local mode."""

    ordinal: tuple[int, int]
    item: Article | Rejection


def _is_remote(uri: str) -> bool:
    return "://" in uri and not uri.startswith("file://")


def _filesystem(uri: str) -> tuple[Any, str]:
    from pyarrow import fs

    # Hadoop's s3a/s3n schemes name the same objects as s3; pyarrow only knows s3
    for scheme in ("s3a://", "s3n://"):
        if uri.startswith(scheme):
            uri = "s3://" + uri[len(scheme):]
    filesystem, path = fs.FileSystem.from_uri(uri)
    return filesystem, str(path)


def open_uri(uri: str) -> IO[bytes]:
    """A binary stream of a local path, `file://` URI or remote URI."""
    if not _is_remote(uri):
        return open(uri.removeprefix("file://"), "rb")
    filesystem, path = _filesystem(uri)
    stream: IO[bytes] = filesystem.open_input_file(path)
    return stream


def _format_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    return None


def _expand(uri: str) -> list[tuple[str, int]]:
    """(file uri, size) of `uri`, or of the JSONL/WARC files under it when it is a folder."""
    if not _is_remote(uri):
        local = Path(uri.removeprefix("file://"))
        if local.is_dir():
            files = sorted(p for p in local.rglob("*") if p.is_file() and _format_of(p.name))
            return [(str(p), p.stat().st_size) for p in files]
        if not local.exists():
            raise InputError(f"no such input: {uri}")
        return [(str(local), local.stat().st_size)]
    from pyarrow import fs

    filesystem, path = _filesystem(uri)
    scheme = uri.split("://", 1)[0]
    if any(ch in path for ch in "*?["):
        # object stores have no shell to expand a wildcard: list the folder and match names here
        folder, pattern = path.rsplit("/", 1)
        infos = filesystem.get_file_info(fs.FileSelector(folder))
        return sorted((f"{scheme}://{i.path}", int(i.size or 0)) for i in infos
                      if i.type == fs.FileType.File and fnmatch.fnmatch(i.base_name, pattern))
    info = filesystem.get_file_info(path)
    if info.type == fs.FileType.Directory:
        infos = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
        return sorted((f"{scheme}://{i.path}", int(i.size or 0)) for i in infos
                      if i.type == fs.FileType.File and _format_of(i.path))
    if info.type == fs.FileType.NotFound:
        raise InputError(f"no such input: {uri}")
    return [(uri, int(info.size or 0))]


def list_splits(uris: Sequence[str], split_bytes: int = SPLIT_BYTES) -> list[InputSplit]:
    """Input splits of `uris` in input order; plain JSONL is cut every `split_bytes` (gzip cannot be),
    or finer when that would make fewer than MIN_SPLITS splits. Records keep their byte-offset ordinals
    whatever the cut, so the result does not depend on it."""
    files = [entry for uri in uris for entry in _expand(uri)]
    plain = sum(size for name, size in files
                if _format_of(name) == "jsonl" and not name.lower().endswith(".gz"))
    split_bytes = max(1, min(split_bytes, max(MIN_SPLIT_BYTES, plain // MIN_SPLITS)))
    splits: list[InputSplit] = []
    for index, (file_uri, size) in enumerate(files):
        kind = _format_of(file_uri)
        if kind is None:
            raise InputError(f"{file_uri}: not JSONL (.jsonl[.gz]) or WARC (.warc[.gz])")
        if kind == "jsonl" and not file_uri.lower().endswith(".gz") and size > split_bytes:
            splits.extend(InputSplit(file_uri, kind, index, start, min(start + split_bytes, size))
                          for start in range(0, size, split_bytes))
        else:
            splits.append(InputSplit(file_uri, kind, index))
    return splits


def _jsonl_lines(split: InputSplit) -> Iterator[tuple[int, bytes]]:
    """(position, line) of the lines that *start* in the split, as Hadoop's line reader does: a split
    skips its first partial line and reads past its end to finish its last one."""
    with open_uri(split.uri) as raw:
        if split.uri.lower().endswith(".gz"):
            with gzip.open(raw) as lines:
                yield from enumerate(lines)
            return
        raw.seek(max(0, split.start - 1))
        stream: IO[bytes] = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(
            raw, 1 << 20)  # type: ignore[type-var]
        position = max(0, split.start - 1)
        if split.start > 0:
            position += len(stream.readline())  # the rest of a line that started in the previous split
        while split.end < 0 or position < split.end:
            line = stream.readline()
            if not line:
                break
            yield position, line
            position += len(line)


def extract_splits(splits: list[InputSplit], min_words: int = 40) -> list[Extracted]:
    """The extract stage: every record of `splits` as an Article or a Rejection with its reason."""
    out: list[Extracted] = []
    for split in splits:
        try:
            if split.format == "jsonl":
                gz = split.uri.lower().endswith(".gz")
                # ingest names a gzipped JSONL's articles after the file without ".gz"; so do we, so that
                # article paths (and the story pages listing them) match local mode
                path = split.uri[:-3] if gz else split.uri
                for position, line in _jsonl_lines(split):
                    if line.strip():
                        # gzip is read whole, so its positions are line numbers; plain splits know bytes
                        source = f"{split.uri}:{position + 1}" if gz else f"{split.uri}@{position}"
                        item = article_from_json_line(line, source=source, path=path, min_words=min_words)
                        out.append(Extracted((split.index, position), item))
            else:
                with open_uri(split.uri) as raw:
                    out.extend(Extracted((split.index, offset), page)
                               for offset, page in warc_pages(raw, source=split.uri, min_words=min_words))
        except (OSError, EOFError, ValueError, ArchiveLoadFailed) as err:
            # a truncated gzip or an unreadable object fails that input, not the whole run
            out.append(Extracted((split.index, -1), Rejection(split.uri, f"cannot read input: {err}")))
    return out


