"""Claims to watch: forward-looking statements in articles, with the date they refer to.

A sentence is a claim to watch when it says something will or may happen (a cue below) *and* either
names when (a month, year, "next week", "two weeks from now", …) or uses a strong cue (expected,
speculated, plans, scheduled). Bare "will" without a time ("disputes will not cease overnight") is
opinion, not something a later story can check. Month names without a year resolve to their next
occurrence on or after the article's publication date ("in May" on 2023-03-16 → 2023-05): dates are
resolved by `newsprism.analyse.resolve_dates`, reading the sentence as looking ahead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from newsprism.analyse import DatedMention, publication_day, resolve_dates
from newsprism.types import Article, ClaimToWatch, Evidence

__all__ = ["claims_to_watch", "refers_to"]

_STRONG = (
    r"is (?:widely )?expected to|are expected to|is speculated|it is speculated|is likely to|are likely to|"
    r"plans? to|is planning to|are planning to|is set to|are set to|is scheduled to|are scheduled to|"
    r"intends? to|is poised to|vowed to|pledged to|is due to|are due to"
)
_WEAK = r"will|may|might|could|shall|would|is to|are to"
_STRONG_RE = re.compile(rf"\b(?:{_STRONG})\b", re.I)
# "(?!\s+\d)": the month in "on May 25" is not the verb "may"
_CUE_RE = re.compile(rf"\b(?:{_STRONG}|{_WEAK})\b(?!\s+\d)", re.I)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)")
# A date that the words around it put in the past, though the sentence has a future cue elsewhere:
# "Earlier this week the government rejected…", "On Tuesday Tony Blair said … would", "the announcement
# on Wednesday that he was releasing…", "on May 4, the search was extended to May 25".
_PAST_BEFORE = re.compile(r"\b(?:earlier|announcement|statement|remarks|interview)\s+(?:on\s+|in\s+)?$", re.I)
_PAST_AFTER = re.compile(
    r"^[^.;:]{0,80}?\b(?:said|announced|told|confirmed|declared|stated|rejected|reported|was|were|had)\b"
)
_DAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|[A-Z][a-z]+ \d{1,2})\b")


def refers_to(sentence: str, published: date | None) -> str | None:
    """The date a forward-looking sentence refers to (YYYY-MM-DD, YYYY-MM or YYYY), if it says: of its date
    mentions read as looking ahead (`resolve_dates`), the most precise one not before publication, the
    first written among equals; failing that the most precise one, which the caller sees is past."""
    mentions = [m for m in resolve_dates(sentence, published, ahead=True) if not _looks_back(sentence, m)]
    if not mentions:
        return None
    today = published.isoformat() if published else ""
    return max(mentions, key=lambda m: (m.value >= today[: len(m.value)], len(m.value), -m.start)).value


def _looks_back(sentence: str, mention: DatedMention) -> bool:
    """True when the words around a mention say it is past: "earlier this week", "announcement on
    Wednesday", or a weekday/day opening a clause whose verb is past ("On Tuesday Blair said")."""
    if _PAST_BEFORE.search(sentence[: mention.start]):
        return True
    text = sentence[mention.start : mention.end]
    return bool(_DAY.search(text) and _PAST_AFTER.search(sentence[mention.end :]))


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > 20:
            yield start, end


def claims_to_watch(articles: Sequence[Article], *, limit: int = 5) -> tuple[ClaimToWatch, ...]:
    """Forward-looking statements of `articles` with evidence and the date they refer to; ones that name
    a date first, then in article order; one per distinct sentence text, at most `limit`."""
    found: list[tuple[int, ClaimToWatch]] = []
    seen: set[str] = set()
    for article in articles:
        published = publication_day(article.published)
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
