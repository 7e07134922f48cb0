"""`.json`/`.jsonl` records: `id, url, title, text, source, published, authors, language`.

Aliases seen in real dumps are accepted (`date`, `source_url`, `body`, `content`, `outlet`, ...); every
other field is kept in `Article.extra`. A bad JSON line rejects that line only. JSON lines are streamed
(`read_record_lines`): memory stays flat whatever the file size, and the size limit applies per record.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsprism.ingest._article import build_article, outlet_from_url, split_paragraphs
from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._decode import Unreadable, decode_bytes
from newsprism.types import Rejection

# field -> accepted names, first present wins
_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "maintext"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "publisher", "site_name", "sitename", "source_name"),
    "source_url": ("source_url", "domain", "source_domain", "hostname"),
    "published": ("published", "date", "published_at", "date_publish", "pubdate", "datetime"),
    "authors": ("authors", "author", "byline"),
    "language": ("language", "lang"),
    "id": ("id",),
}
_USED = {name for names in _ALIASES.values() for name in names}


def read_records(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
    text = decode_bytes(data)
    if isinstance(text, Unreadable):
        yield Rejection(str(path), text.reason)
        return
    if path.suffix.lower() == ".json" and text.lstrip()[:1] in "[{":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError:
            loaded = None  # perhaps JSON lines saved as .json; read line by line below
        if loaded is not None:
            records = loaded if isinstance(loaded, list) else [loaded]
            for n, record in enumerate(records, 1):
                yield record_to_article(f"{path}#{n}", record, ctx, path=str(path))
            return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejection(f"{path}:{lineno}", f"malformed JSON line: {err.msg}")
            continue
        yield record_to_article(f"{path}:{lineno}", record, ctx, path=str(path))


def read_record_lines(path: Path, lines: Iterable[bytes | None], ctx: ReadContext, *,
                      first_line: int = 1) -> Iterator[Item]:
    """Articles from JSON lines given one at a time; None stands for a line over the size limit."""
    for lineno, raw in enumerate(lines, first_line):
        source = f"{path}:{lineno}"
        if raw is None:
            yield Rejection(source, f"record over the size limit {ctx.max_bytes}")
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = decode_bytes(raw)  # a Windows-1252 line, or why the line is unreadable
            if isinstance(decoded, Unreadable):
                yield Rejection(source, decoded.reason)
                continue
            line = decoded
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejection(source, f"malformed JSON line: {err.msg}")
            continue
        yield record_to_article(source, record, ctx, path=str(path))


def _first(record: Mapping[str, Any], field: str) -> Any:
    for name in _ALIASES[field]:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), f"a {type(value).__name__}")


def record_to_article(source: str, record: Any, ctx: ReadContext, *, path: str) -> Item:
    """One record to an article; `source` names the record in rejections."""
    if not isinstance(record, dict):
        return Rejection(source, f"JSON record is a {type(record).__name__}, not an object")
    text = _first(record, "text")
    if text is None:
        return Rejection(source, "record has no text field")
    for field_name, value in (("text", text), ("title", _first(record, "title")),
                              ("url", _first(record, "url")), ("source", _first(record, "source"))):
        if value is not None and not isinstance(value, str):
            return Rejection(source, f"record's {field_name} is {_kind(value)}, not text")
    authors = _first(record, "authors")
    if isinstance(authors, str):
        authors = [a.strip() for a in authors.replace(" and ", ",").split(",") if a.strip()]
    elif not isinstance(authors, list):
        authors = []
    extra = {k: v for k, v in record.items() if k not in _USED}
    if record.get("id") is not None:
        extra["record_id"] = record["id"]
    outlet = _first(record, "source") or outlet_from_url(_first(record, "source_url"))
    article = build_article(
        path,
        title=str(_first(record, "title") or ""),
        paragraphs=split_paragraphs(text),
        min_words=ctx.min_words,
        outlet=str(outlet) if outlet else None,
        url=str(_first(record, "url") or "") or None,
        byline=", ".join(str(a) for a in authors) or None,
        published=_first(record, "published"),
        language=str(_first(record, "language") or "") or None,
        authors=[str(a) for a in authors],
        extra=extra,
    )
    return Rejection(source, article.reason) if isinstance(article, Rejection) else article
