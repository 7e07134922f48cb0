"""`.txt`: raw text scraped from a web page, through the cleaner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsprism.ingest._article import build_article
from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._decode import Unreadable, decode_bytes
from newsprism.ingest.clean import clean_text
from newsprism.types import Rejection


def read_text(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
    text = decode_bytes(data)
    if isinstance(text, Unreadable):
        yield Rejection(str(path), text.reason)
        return
    yield article_from_text(str(path), text, ctx)


def article_from_text(source: str, text: str, ctx: ReadContext, *, url: str | None = None) -> Item:
    """One cleaned article from scraped page text."""
    cleaned = clean_text(text, url=url)  # the URL slug helps find the title
    return build_article(
        source,
        title=cleaned.title,
        paragraphs=cleaned.paragraphs,
        min_words=ctx.min_words,
        outlet=cleaned.outlet,
        url=url,
        byline=cleaned.byline,
        published=cleaned.published,
        subheadings=cleaned.subheadings,
        captions=cleaned.captions,
        boilerplate=cleaned.boilerplate,
        authors=(cleaned.byline,) if cleaned.byline else (),
        extra={"subheading_at": list(cleaned.subheading_at)} if cleaned.subheadings else {},
    )
