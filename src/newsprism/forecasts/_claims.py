"""Claims to watch: forward-looking statements in articles, with the date they refer to.

A sentence is a claim to watch when it says something will or may happen (a cue below) *and* either
names when (a month, year, "next week", "two weeks from now", …) or uses a strong cue (expected,
speculated, plans, scheduled). Bare "will" without a time ("disputes will not cease overnight") is
opinion, not something a later story can check. Month names without a year resolve to their next
occurrence on or after the article's publication date ("in May" on 2023-03-16 → 2023-05).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from newsprism.types import Article, ClaimToWatch, Evidence

__all__ = ["claims_to_watch", "refers_to"]

_STRONG = (
    r"is (?:widely )?expected to|are expected to|is speculated|it is speculated|is likely to|are likely to|"
    r"plans? to|is planning to|are planning to|is set to|are set to|is scheduled to|are scheduled to|"
    r"intends? to|is poised to|vowed to|pledged to|is due to|are due to"
)
_WEAK = r"will|may|might|could|shall|would|is to|are to"
_STRONG_RE = re.compile(rf"\b(?:{_STRONG})\b", re.I)
_CUE_RE = re.compile(rf"\b(?:{_STRONG}|{_WEAK})\b", re.I)
_MONTHS = [name.lower() for name in calendar.month_name[1:]]
_MONTH = r"(january|february|march|april|june|july|august|september|october|november|december|may)"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a": 1, "an": 1}
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)")


def _month_after(month: int, published: date) -> str:
    year = published.year if month >= published.month else published.year + 1
    return f"{year:04d}-{month:02d}"


def refers_to(sentence: str, published: date | None) -> str | None:
    """The date a forward-looking sentence refers to (YYYY-MM-DD, YYYY-MM or YYYY), if it says."""
    text = sentence.lower()
    m = re.search(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", text)
    if m:
        return f"{m.group(3)}-{_MONTHS.index(m.group(1)) + 1:02d}-{int(m.group(2)):02d}"
    m = re.search(rf"\b{_MONTH}\s+(\d{{4}})\b", text)
    if m:
        return f"{m.group(2)}-{_MONTHS.index(m.group(1)) + 1:02d}"
    m = re.search(r"\b(?:by|in|before|until|mid-|early|late|end of)\s*(20\d\d)\b", text)
    if m:
        return m.group(1)
    if published is None:
        return None
    m = re.search(
        rf"\b(?:in|on|by|until|before|this|next|late|early|mid-)\s*{_MONTH}\b(?:\s+(\d{{1,2}})\b)?", text
    )
    if m and not (m.group(1) == "may" and not re.search(r"\b(?:in|by|until|before|this|next) may\b", text)):
        month = _MONTHS.index(m.group(1)) + 1
        resolved = _month_after(month, published)
        return f"{resolved}-{int(m.group(2)):02d}" if m.group(2) else resolved
    m = re.search(
        r"\b(one|two|three|four|five|six|a|an|\d+)\s+(day|week|month)s?\s+(?:from now|later|time)\b", text
    )
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1)]
        days = {"day": 1, "week": 7, "month": 30}[m.group(2)] * n
        return (published + timedelta(days=days)).isoformat()
    if re.search(r"\bnext year\b", text):
        return str(published.year + 1)
    if re.search(r"\b(?:this year|later this year|by the end of the year)\b", text):
        return str(published.year)
    if re.search(r"\bnext month\b", text):
        nxt = (published.replace(day=1) + timedelta(days=32)).replace(day=1)
        return nxt.strftime("%Y-%m")
    if re.search(r"\b(?:next week|later this month|this month)\b", text):
        return published.strftime("%Y-%m")
    return None


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > 20:
            yield start, end


def _published(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published_date) if article.published_date else None
    except ValueError:
        return None


def claims_to_watch(articles: Sequence[Article], *, limit: int = 5) -> tuple[ClaimToWatch, ...]:
    """Forward-looking statements of `articles` with evidence and the date they refer to; ones that name
    a date first, then in article order; one per distinct sentence text, at most `limit`."""
    found: list[tuple[int, ClaimToWatch]] = []
    seen: set[str] = set()
    for article in articles:
        published = _published(article)
        for start, end in _sentences(article.text):
            sentence = article.text[start:end]
            if not _CUE_RE.search(sentence) or sentence in seen:
                continue
            when = refers_to(sentence, published)
            # a time must be named, or a strong cue used; a date in the past is reporting, not a claim
            if when is None and not _STRONG_RE.search(sentence):
                continue
            if when is not None and published is not None:
                today = published.isoformat()[: len(when)]
                if when < today or (len(when) == 10 and when == today):
                    continue
            seen.add(sentence)
            evidence = Evidence(
                article=article.id, start=start, end=end, text=sentence, outlet=article.outlet
            )
            found.append((0 if when else 1, ClaimToWatch(text=sentence, refers_to=when, evidence=evidence)))
    found.sort(key=lambda item: item[0])  # stable: article order within each group
    return tuple(claim for _, claim in found[:limit])
