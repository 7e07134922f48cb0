"""RSS/Atom feeds (feedparser) and OPML lists of feeds.

An item with full content (content:encoded, Atom content, or a long description) is an article by
itself; otherwise its linked page is downloaded only when a fetcher was given (`--fetch`), and never
without one. OPML entries are feed files next to the OPML (relative paths) or URLs fetched with `--fetch`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser

from newsprism.ingest._article import build_article, is_short_item, normalize_published, split_paragraphs
from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._html import article_from_html
from newsprism.types import Rejection

_TAGS = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|div|h\d|li|blockquote)>|<br\s*/?>", re.I)


def _html_to_paragraphs(html: str) -> tuple[str, ...]:
    import html as html_lib

    return split_paragraphs(html_lib.unescape(_TAGS.sub("", _BLOCK_END.sub("\n\n", html))))


def read_feed(path: Path, data: bytes, ctx: ReadContext, *, source: str | None = None) -> Iterator[Item]:
    name = source or str(path)
    parsed: Any = feedparser.parse(data)
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
        error = parsed.get("bozo_exception")
        why = f": {type(error).__name__}" if error else ""
        yield Rejection(name, f"not an RSS/Atom feed{why}")
        return
    feed_title = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        item_source = f"{name}#{n}"
        link = entry.get("link")
        contents = [c.get("value", "") for c in entry.get("content", [])]
        html = max(contents, key=len) if contents else entry.get("summary", "")
        paragraphs = _html_to_paragraphs(html or "")
        published = entry.get("published") or entry.get("updated")
        words = sum(len(p.split()) for p in paragraphs)
        # full text, or (offline) a headline-and-lead item: both are articles; online, a short item's
        # linked page is fetched for its full text
        if words >= ctx.min_words or (ctx.fetcher is None and is_short_item(entry.get("title", ""), words)):
            authors = [a.get("name", "") for a in entry.get("authors", [])] or (
                [entry["author"]] if entry.get("author") else [])
            article = build_article(
                str(path), title=entry.get("title", ""), paragraphs=paragraphs, min_words=ctx.min_words,
                outlet=feed_title, url=link, byline=", ".join(authors) or None, published=published,
                authors=authors, extra={"feed": name},
            )
            yield Rejection(item_source, article.reason) if isinstance(article, Rejection) else article
        elif ctx.fetcher is None:
            yield Rejection(item_source, "feed item has no full text (--fetch downloads the linked page)")
        elif not link:
            yield Rejection(item_source, "feed item has no full text and no link")
        else:
            fetched = ctx.fetcher.get(link)
            if fetched.body is None and fetched.not_modified:
                continue  # unchanged since an earlier run stored it
            if fetched.body is None:
                yield Rejection(link, f"fetch failed: {fetched.reason}")
                continue
            page = article_from_html(str(path), fetched.body, ctx, url=link)
            if isinstance(page, Rejection):
                yield Rejection(link, page.reason)
            else:
                yield replace(page, outlet=page.outlet or feed_title,
                              published=page.published or normalize_published(published),
                              extra={**page.extra, "feed": name})


def read_opml(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        yield Rejection(str(path), f"malformed OPML/XML: {err}")
        return
    outlines = [o for o in root.iter("outline") if o.get("xmlUrl")]
    if not outlines:
        yield Rejection(str(path), "OPML lists no feeds (no outline with xmlUrl)")
        return
    for outline in outlines:
        ref = outline.get("xmlUrl", "")
        if re.match(r"^https?://", ref):
            if ctx.fetcher is None:
                yield Rejection(ref, "feed URL in OPML not fetched (use --fetch)")
                continue
            fetched = ctx.fetcher.get(ref)
            if fetched.body is None and fetched.not_modified:
                continue  # the feed is unchanged since an earlier run read it
            if fetched.body is None:
                yield Rejection(ref, f"fetch failed: {fetched.reason}")
                continue
            yield from read_feed(path, fetched.body, ctx, source=ref)
            continue
        local = (path.parent / ref.removeprefix("file://")).resolve()
        if not local.is_file():
            yield Rejection(str(local), "feed file listed in OPML not found")
            continue
        body = local.read_bytes()
        if len(body) > ctx.max_bytes:
            yield Rejection(str(local), f"file too large ({len(body)} bytes > limit {ctx.max_bytes})")
            continue
        yield from read_feed(local, body, ctx)
