"""Sentence units of a story: every body sentence and caption sentence, with what the composer reads
from it (source group, position, neutrality, whether it is interpretation or a quote)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsprism.analyse import (
    Mentions,
    Span,
    outside_captions,
    sentence_mentions,
    sentence_text,
    split_sentences,
)
from newsprism.compose._furniture import fragment_reason, furniture_reason, lowercase_share
from newsprism.compose._lexicon import arousal, is_interpretive, loaded_words, subjectivity
from newsprism.compose._opinion import opinion_article, voice_of
from newsprism.compose._quotes import quoted_share
from newsprism.types import Article, Evidence

if TYPE_CHECKING:
    from newsprism.analyse import Analysis

__all__ = ["Unit", "build_units", "source_groups"]

_NO_MENTIONS = Mentions()

_CREDIT = re.compile(r"\((?:Image|Photo)(?: Credit)?:|\bPhoto(?:graph)?: |/(?:AP|AFP|Reuters|Getty)\b", re.I)
_START = re.compile(r"^[\"'“‘(\[]?[A-Z0-9$£€]")
_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# Sentences that lean on a previous one for their subject make poor stand-alone facts.
_DANGLING = (
    "he ",
    "she ",
    "they ",
    "it ",
    "this ",
    "that ",
    "these ",
    "those ",
    "but ",
    "however",
    "also ",
    "and ",
    "meanwhile",
    "still ",
    "instead",
)


@dataclass(frozen=True)
class Unit:
    """One sentence of one article (or of one of its captions)."""

    article: int  # index into the story's articles
    start: int
    end: int
    text: str
    position: int  # sentence number within the article body (captions: 1000+)
    caption: int | None
    source: int  # independent source group
    words: int
    subjectivity: float
    arousal: float
    loaded: int
    interpretive: str | None
    quoted: float
    photo: bool = False  # a photo caption, in the body or not: describes a picture, not the event
    place: str | None = None  # the dateline cut off the sentence's start ("LONDON (AP) —")
    agency: str | None = None
    furniture: str | None = None  # why it is page furniture (caption, link, prompt, ...): never content
    opinion: str | None = None  # why its article is opinion/analysis: it feeds narratives, never facts
    voice: str | None = None  # question, imperative, second or first person outside quotes
    fragment: str | None = None  # why it has a page's shape, not a sentence's (menu, run-together blocks)
    mentions: Mentions = _NO_MENTIONS  # its resolved dates and its quantities, offsets into `text`

    @property
    def complete(self) -> bool:
        """A whole sentence: it starts as a sentence starts and ends as one ends (a heading, a menu, a
        wrapped line's tail or a cut lead is no fact)."""
        return bool(_START.match(self.text) and _END.search(self.text))

    @property
    def supports(self) -> bool:
        """Whether it may stand as evidence that an outlet states a fact."""
        return not (self.photo or self.furniture or self.opinion)

    @property
    def dangling(self) -> bool:
        return self.text.lower().startswith(_DANGLING)

    @property
    def fact_candidate(self) -> bool:
        """Plain statements of fact: not a caption, quote, question, opinion, prediction or motive."""
        return (
            self.supports
            and self.voice is None
            and self.fragment is None
            and self.complete
            and 6 <= self.words <= 60
            and self.quoted < 0.3
            and self.interpretive is None
            and not self.text.rstrip().endswith("?")
        )

    @property
    def stand_in(self) -> bool:
        """A reporting sentence that may stand in for facts when no plain fact exists (a lead cut
        mid-sentence still reads as prose; a menu, a link list or a time stamp does not)."""
        return (
            self.supports
            and self.words >= 6
            and self.quoted < 0.5
            and self.fragment is None
            and (self.complete or lowercase_share(self.text) >= 0.4)
        )

    @property
    def narrative_candidate(self) -> bool:
        """Interpretation: evaluation, prediction, attributed motive, or a quote of opinion."""
        if self.photo or self.furniture or self.words < 6:
            return False
        return self.interpretive is not None or (self.quoted >= 0.5 and self.subjectivity >= 0.3)

    def evidence(self, articles: Sequence[Article]) -> Evidence:
        article = articles[self.article]
        source = article.text if self.caption is None else article.captions[self.caption]
        # the exact characters (a rejoined hard-wrapped sentence keeps its line breaks there)
        return Evidence(article.id, self.start, self.end, source[self.start : self.end], article.outlet,
                        self.caption)


def source_groups(articles: Sequence[Article], independent: Mapping[str, str] | None) -> list[int]:
    """Independent-source group of each article: `independent[article.id]` when given, else the outlet
    (the same outlet twice is one source), else the article itself."""
    keys: dict[str, int] = {}
    groups = []
    for article in articles:
        key = (independent or {}).get(article.id) or (f"outlet:{article.outlet}" if article.outlet else None)
        key = key or f"article:{article.id}"
        groups.append(keys.setdefault(key, len(keys)))
    return groups


def _unit(
    a: int,
    span: Span,
    position: int,
    caption: int | None,
    source: int,
    photo: bool,
    opinion: str | None,
    mentions: Mentions,
) -> Unit:
    start, end = span.start, span.end
    text = sentence_text(span.text)
    furniture = furniture_reason(text)
    return Unit(
        article=a,
        start=start,
        end=end,
        text=text,
        position=position,
        caption=caption,
        source=source,
        words=len(text.split()),
        subjectivity=subjectivity(text),
        arousal=arousal(text),
        loaded=len(loaded_words(text)),
        interpretive=is_interpretive(text),
        quoted=quoted_share(text),
        photo=photo or caption is not None or bool(_CREDIT.search(text)) or furniture == "caption",
        place=span.place,
        agency=span.agency,
        furniture=furniture,
        opinion=opinion,
        voice=voice_of(text),
        fragment=fragment_reason(text),
        mentions=mentions,
    )


def _body_sentences(article: Article, analysis: Analysis | None) -> list[tuple[Span, Mentions | None]]:
    """The body sentences with their dates and quantities as analysis stored them (None where it did
    not: the caller reads them)."""
    if analysis is not None and (stored := analysis.mentions_of(article)) is not None:
        return list(zip(analysis.sentences, stored, strict=True))
    # stored spans are used only while they are still this text's: an analysis made of another version
    # of the article is split again rather than trusted
    if analysis is not None and analysis.sentences and analysis.reads(article):
        spans = analysis.sentences
    else:
        spans = tuple(split_sentences(article.text))
    return [(span, None) for span in spans]


def build_units(articles: Sequence[Article], groups: Sequence[int],
                analyses: Mapping[str, Analysis] | None = None) -> list[Unit]:
    """Units of all articles in order: body sentences, then caption sentences not already in the body.
    `analyses` are the stored analyses by article id: their sentences, dates and quantities (of the body
    and of the captions outside it) are used where they still fit the article (split and read here when
    absent)."""
    units: list[Unit] = []
    for a, article in enumerate(articles):
        opinion = opinion_article(article)
        in_body = [(i, i + len(c)) for c in article.captions if c and (i := article.text.find(c)) >= 0]
        analysis = (analyses or {}).get(article.id)
        body = _body_sentences(article, analysis)
        for position, (span, stored) in enumerate(body):
            photo = any(s <= span.start < e for s, e in in_body)
            units.append(_unit(a, span, position, None, groups[a], photo, opinion,
                               stored if stored is not None else _read(span, article)))
        stored_captions = analysis.caption_mentions_of(article) if analysis is not None else {}
        # the body already holds the other captions, with body offsets
        for c, caption in outside_captions(article):
            read = stored_captions.get(c)
            if read is None:
                read = [(span, _read(span, article)) for span in split_sentences(caption)]
            for span, mentions in read:
                units.append(_unit(a, span, 1000 + c, c, groups[a], True, opinion, mentions))
    return units


def _read(span: Span, article: Article) -> Mentions:
    # The fallback for text no stored analysis covers (articles composed from files or in tests,
    # analyses older than MENTIONS_VERSION, or of another publication date): the very reading analysis
    # stores, so both paths give the same units.
    return sentence_mentions(sentence_text(span.text), article.published)
