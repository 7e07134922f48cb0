"""The dates and quantities of a sentence as the composer reads them, and their place in the article.

`sentence_mentions` is the one reading: `analyse` runs it on every body sentence and every sentence of a
caption outside the body, and stores the result with offsets into the text read (`article_mentions`); the
composer maps the stored values back onto its sentence units (`span_mentions`) and calls
`sentence_mentions` itself only for text no stored analysis covers (articles composed straight from files
or tests, analyses stored by older versions).

A sentence is read as the composer shows it, whitespace collapsed ("last\\nnight" is "last night"), and
dates are resolved per sentence because the sentence's own wording ("will", "next") says whether it looks
ahead (`resolve_dates`). Offsets move between the collapsed sentence and the article text through its
words, which both share (`_Words`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from newsprism.analyse._dates import DatedMention, resolve_dates
from newsprism.analyse._entities import Entity, extract_quantities
from newsprism.analyse._sentences import Span

__all__ = ["Mentions", "article_mentions", "sentence_mentions", "sentence_text", "span_mentions"]


@dataclass(frozen=True, slots=True)
class Mentions:
    """The resolved dates and the quantities of one sentence, offsets into its (collapsed) text."""

    dates: tuple[DatedMention, ...] = ()
    quantities: tuple[Entity, ...] = ()


def sentence_text(text: str) -> str:
    """A sentence as readers show it: its whitespace collapsed (a span may hold line breaks)."""
    return " ".join(text.split())


def sentence_mentions(sentence: str, published: date | str | None) -> Mentions:
    """Dates of `sentence` resolved against `published` (`resolve_dates`) and its quantities
    (`extract_quantities`)."""
    return Mentions(tuple(resolve_dates(sentence, published)), tuple(extract_quantities(sentence)))


@dataclass(frozen=True)
class _Words:
    """Where each word of a span starts in the span's text (`raw`) and in its collapsed text."""

    start: int  # the span's offset in the article
    raw: tuple[int, ...]
    collapsed: tuple[int, ...]
    ends: tuple[int, ...]  # where each word ends in the span's text

    @classmethod
    def of(cls, span: Span) -> _Words:
        raw, ends, collapsed, at, pos = [], [], [], 0, 0
        for word in span.text.split():
            at = span.text.index(word, at)
            raw.append(at)
            collapsed.append(pos)
            at += len(word)
            ends.append(at)
            pos += len(word) + 1
        return cls(span.start, tuple(raw), tuple(collapsed), tuple(ends))

    def to_article(self, p: int) -> int:
        """The article offset of collapsed offset `p` (a word's end, or the space after it, is the end
        of that word in the text)."""
        k = max(0, bisect_right(self.collapsed, p) - 1)
        return self.start + (self.raw[k] + p - self.collapsed[k] if self.raw else 0)

    def to_sentence(self, a: int) -> int:
        """The collapsed offset of article offset `a` (the inverse of `to_article` on its values)."""
        r = a - self.start
        k = max(0, bisect_right(self.raw, r) - 1)
        if not self.raw:
            return 0
        return self.collapsed[k] + min(r, self.ends[k]) - self.raw[k]


def article_mentions(
    text: str, spans: Sequence[Span], published: date | str | None
) -> tuple[tuple[Entity, ...], tuple[Entity, ...]]:
    """(dates, quantities) of the body sentences `spans` of `text`, each read by `sentence_mentions`
    and stored with offsets into `text`: a date's `value` is the resolved ISO date."""
    dates: list[Entity] = []
    quantities: list[Entity] = []
    for span in spans:
        found = sentence_mentions(sentence_text(span.text), published)
        if not (found.dates or found.quantities):
            continue
        words = _Words.of(span)
        for d in found.dates:
            s, e = words.to_article(d.start), words.to_article(d.end)
            dates.append(Entity(text[s:e], "DATE", s, e, d.value))
        for q in found.quantities:
            s, e = words.to_article(q.start), words.to_article(q.end)
            quantities.append(Entity(text[s:e], q.label, s, e, q.value))
    # in text order, which `span_mentions` bisects (spans are in order, so this only guards it)
    return tuple(sorted(dates, key=lambda e: e.start)), tuple(sorted(quantities, key=lambda e: e.start))


def span_mentions(span: Span, dates: Sequence[Entity], quantities: Sequence[Entity]) -> Mentions:
    """The stored `dates` and `quantities` (`article_mentions`, in text order) that lie inside `span`,
    with offsets into `sentence_text(span.text)`: exactly `sentence_mentions` of that sentence."""
    words = _Words.of(span)
    sentence = sentence_text(span.text)

    def inside(entities: Sequence[Entity]) -> Sequence[Entity]:
        starts = [e.start for e in entities]
        return entities[bisect_left(starts, span.start) : bisect_left(starts, span.end)]

    def moved(e: Entity) -> tuple[int, int]:
        return words.to_sentence(e.start), words.to_sentence(e.end)

    return Mentions(
        tuple(DatedMention(d.value or "", *moved(d)) for d in inside(dates)),
        tuple(Entity(sentence[s:e], q.label, s, e, q.value)
              for q in inside(quantities) for s, e in [moved(q)]),
    )
