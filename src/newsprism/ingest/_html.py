"""`.html`/`.htm` pages: trafilatura finds the article, htmldate the date when trafilatura has none.

Always given the HTML: a URL in the page is metadata, never something to download here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import htmldate
import trafilatura

from newsprism.ingest._article import build_article
from newsprism.ingest._context import Item, ReadContext
from newsprism.ingest._decode import Unreadable, decode_bytes
from newsprism.types import Rejection

_HEADING = re.compile(r"^#{1,6}\s+")
_MARKUP = re.compile(r"\*\*|__|(?<!\w)_(?=\w)|(?<=\w)_(?!\w)")
_LOOKS_HTML = re.compile(rb"<\s*(?:html|head|body|p|div|article|!doctype)\b", re.I)


_NEW_YEAR = re.compile(r"jan(?:uary)?\.?\s+0?1(?:st)?\b|\b0?1(?:st)?\s+(?:of\s+)?jan|\b0?1[/.]0?1[/.]\d{4}"
                       r"|\d{4}[-/.]01[-/.]01", re.I)


def _bare_year_guess(published: str, html: str) -> bool:
    """True for a January 1st the page never writes as a full date: htmldate's reading of a bare year
    in the text ("would open in 2024"), which is no publication date."""
    return published[5:10] == "01-01" and not _NEW_YEAR.search(html)


def read_html(path: Path, data: bytes, ctx: ReadContext) -> Iterator[Item]:
    yield article_from_html(str(path), data, ctx)


def article_from_html(source: str, data: bytes, ctx: ReadContext, *, url: str | None = None) -> Item:
    """One article from an HTML page, or why the page holds none."""
    text = decode_bytes(data)
    if isinstance(text, Unreadable):
        return Rejection(source, text.reason)
    if not _LOOKS_HTML.search(data[:100_000]):
        return Rejection(source, "malformed HTML: no HTML elements found")
    try:
        doc = trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=False,
                                          include_formatting=True, include_tables=True)
    except Exception as err:  # lxml raises many types on broken markup; all mean "unparseable"
        return Rejection(source, f"malformed HTML: {type(err).__name__}")
    if doc is None:
        return Rejection(source, "no article text found in HTML")
    meta = doc if isinstance(doc, dict) else doc.as_dict()
    title = str(meta.get("title") or "")
    paragraphs: list[str] = []
    subheadings: list[str] = []
    subheading_at: list[int] = []
    for line in str(meta.get("text") or "").splitlines():
        line = _MARKUP.sub("", line).strip().removeprefix("- ").strip()
        if not line:
            continue
        if _HEADING.match(line):
            heading = _HEADING.sub("", line)
            if heading.casefold() != title.casefold():
                subheadings.append(heading)
                subheading_at.append(len(paragraphs))
            continue
        paragraphs.append(line)
    published = meta.get("date")
    if not published:
        try:
            published = htmldate.find_date(text, extensive_search=False, original_date=True)
        except Exception:  # htmldate fails on odd markup; no date is the honest answer
            published = None
    if published and _bare_year_guess(str(published), text):
        published = None
    author = str(meta.get("author") or "") or None
    return build_article(
        source,
        title=title,
        paragraphs=paragraphs,
        min_words=ctx.min_words,
        outlet=str(meta.get("sitename") or "") or None,
        url=url or meta.get("url"),
        byline=author,
        published=published,
        language=meta.get("language"),
        subheadings=subheadings,
        authors=[a.strip() for a in author.split(";")] if author else (),
        extra={"subheading_at": subheading_at} if subheadings else {},
    )
