"""Building an `Article` from what a format found, and the checks every format shares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsprism.ingest._dates import date_problem, iso_date
from newsprism.ingest._normal import fast_content_id
from newsprism.types import Article, Boilerplate, Rejection

if TYPE_CHECKING:
    from newsprism.outlets import Registry

__all__ = ["build_article", "canonical_outlet", "is_short_item", "outlet_from_url"]

# A short item (an RSS entry, a wire flash: a headline and a one-sentence lead of ~10-40 words) is an
# article: a headline of 3+ words and a lead of 8+ words (a sentence, not "Click here") pass whatever the
# length floor. Without a headline of its own a body still needs `min_words` words to count as news.
SHORT_TITLE_WORDS = 3
SHORT_LEAD_WORDS = 8

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def outlet_from_url(url: str | None) -> str | None:
    """The host of `url` without `www.`, e.g. "nytimes.com"; accepts bare hosts too."""
    if not url:
        return None
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def canonical_outlet(outlet: str | None, url: str | None, registry: Registry | None = None) -> str | None:
    """The registry's name for the outlet ("nytimes.com", "NYT" → "The New York Times"), so one outlet
    is one outlet at every later stage; else the name given, else the URL's host. `registry` defaults
    to the shipped table (the readers need no store)."""
    from newsprism.outlets import resolve_outlet

    profile = resolve_outlet(outlet, registry) if outlet else None
    if profile is None and url:
        profile = resolve_outlet(url, registry)
    if profile is not None:
        return profile.name
    return outlet or outlet_from_url(url)


def normalize_published(value: Any) -> str | None:
    """An ISO 8601 date or datetime string, or None for anything that is not a believable date."""
    return checked_published(value)[0]


def checked_published(value: Any) -> tuple[str | None, str | None]:
    """(ISO date or datetime, None), or (None, why the value was dropped); (None, None) when absent."""
    if value is None or isinstance(value, bool):
        return None, None
    if not isinstance(value, str | int | float):
        return None, f"published date is a {type(value).__name__}, not text"
    text = str(value).strip()
    if not text:
        return None, None
    found = text.replace(" ", "T") if _ISO.match(text) else iso_date(text)
    if found is None:
        return None, f"published date {text[:40]!r} is not a date"
    problem = date_problem(found)
    return (None, problem) if problem else (found, None)


class _Collapsed(tuple[str, ...]):
    """Paragraphs already whitespace-collapsed and non-empty: `build_article` need not split them again
    (each whitespace pass over a body is a visible share of a JSONL ingest)."""


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of a body given as plain text: blank-line separated, else one per line."""
    text = text.strip()
    blocks = [" ".join(b.split()) for b in _PARAGRAPH_BREAK.split(text)]
    if len(blocks) == 1 and "\n" in text:
        blocks = [" ".join(line.split()) for line in text.splitlines()]
    return _Collapsed(b for b in blocks if b)


def is_short_item(title: str, words: int) -> bool:
    """Whether a headline `title` and a body of `words` words make a headline-and-lead news item."""
    return len(title.split()) >= SHORT_TITLE_WORDS and words >= SHORT_LEAD_WORDS


def build_article(
    source: str,
    *,
    title: str,
    paragraphs: Sequence[str],
    min_words: int = 1,
    outlet: str | None = None,
    url: str | None = None,
    byline: str | None = None,
    published: Any = None,
    language: str | None = None,
    subheadings: Iterable[str] = (),
    captions: Iterable[str] = (),
    boilerplate: Iterable[Boilerplate] = (),
    authors: Iterable[str] = (),
    extra: Mapping[str, Any] | None = None,
) -> Article | Rejection:
    """An article with its content id, or a Rejection when there is no usable body: under `min_words`
    words, unless the input's own headline and lead make a short item (`is_short_item`)."""
    title = " ".join(title.split())
    if not isinstance(paragraphs, _Collapsed):
        paragraphs = tuple(p for p in (" ".join(p.split()) for p in paragraphs) if p)
    paragraphs = tuple(paragraphs)
    text = "\n\n".join(paragraphs)
    if not text:
        return Rejection(source, "no article text found")
    words = sum(p.count(" ") for p in paragraphs) + len(paragraphs)  # = len(text.split()): single spaces
    if words < min_words and not is_short_item(title, words):
        return Rejection(source, f"too short ({words} words < {min_words})")
    published, undated_because = checked_published(published)
    if undated_because:
        # kept, undated (ranked by when first seen); the reason travels with the article to the summary
        extra = {**(extra or {}), "undated_because": undated_because}
    if not title:
        # Later stages need a headline; the first sentence stands in when the input gives none.
        title = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0][:200]
    return Article(
        id=fast_content_id(title, text),
        title=title,
        text=text,
        outlet=canonical_outlet(outlet, url),
        url=url or None,
        byline=byline or None,
        published=published,
        language=language or None,
        path=source,
        paragraphs=paragraphs,
        subheadings=tuple(subheadings),
        captions=tuple(captions),
        boilerplate=tuple(boilerplate),
        authors=tuple(a for a in authors if a),
        extra=dict(extra or {}),
    )
