"""Headline neutrality: why a title should not head a story page (loaded words, clickbait, a question).

A title with any problem is passed over for one without; the composer falls back to its top fact when
no title is clean.
"""

from __future__ import annotations

import re

from newsprism.compose._lexicon import loaded_words

__all__ = ["compress_sentence", "headline_problems", "strip_title_furniture", "without_full_stop"]

_CLICKBAIT = re.compile(
    r"\b(you|your|you'll|here's|here is why|this is why|what we know|what you need|watch|live|breaking|"
    r"shocking|won't believe|jaw-dropping|mind-blowing|the truth about|everything you|must-see|"
    r"one thing|slams|destroys|epic)\b|\bupdates?:|\d+ (?:things|reasons|ways)\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?\s*$|^(?:is|are|can|could|will|would|should|does|do|did|why|how|what|who)\b", re.I)


def headline_problems(title: str) -> list[str]:
    """What keeps `title` from being a neutral headline; empty when nothing does."""
    problems = []
    if _QUESTION.search(title.strip()):
        problems.append("question")
    if "!" in title:
        problems.append("exclamation")
    if _CLICKBAIT.search(title):
        problems.append("clickbait")
    loaded = loaded_words(title)
    if loaded:
        problems.append("loaded: " + ", ".join(loaded))
    if sum(1 for w in re.findall(r"[A-Za-z]{3,}", title) if w.isupper()) >= 2:
        problems.append("shouting")
    return problems


# Labels that outlets put before a title: not part of what happened.
_LABEL = re.compile(
    r"^\s*(?:BREAKING(?: NEWS)?|WATCH|VIDEO|LIVE|UPDATE[D]?|EXCLUSIVE|JUST IN|DEVELOPING|REPORT|FACT CHECK|"
    r"PHOTOS?|AUDIO|LISTEN|EXPLAINER|ANALYSIS|INTERVIEW)\s*[:|\-—–]\s*",
    re.IGNORECASE,
)
_OPINION_LABEL = re.compile(
    r"^\s*(?:op-?ed|opinion|editorial|commentary|column|perspective|viewpoint|letters?|essay)\s*[:|\-—–]",
    re.IGNORECASE,
)


def strip_title_furniture(title: str) -> str | None:
    """`title` without a label ("BREAKING:", "WATCH:"), or None for an opinion title ("Op-Ed: ...")
    that may never head a story page."""
    if _OPINION_LABEL.match(title):
        return None
    return _untruncated(_LABEL.sub("", title).strip())


_ELLIPSIS = re.compile(r"\s*(?:\.{3}|…)\s*$")
_CLAUSE_BREAK = re.compile(r",\s|:\s|\s[-–—]\s")


def _untruncated(title: str) -> str:
    """A title an aggregator cut off ("... Leaked Excel  ...") ends at its last whole clause, since the
    words before the ellipsis may stop mid-phrase; kept as it is when that would leave under 4 words."""
    if not _ELLIPSIS.search(title):
        return title
    text = _ELLIPSIS.sub("", title)
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text) if len(text[: m.start()].split()) >= 4]
    return (text[: breaks[-1]] if breaks else text).strip(" ,:;-–—")


_LEADING = re.compile(
    r"^(?:(?:On|Late on|Early on|By|As of|In|After|Earlier|Later|Last|This|Since)\b[^,]{0,40},\s+)", re.I
)
_ATTRIBUTION = re.compile(  # ", officials said", ", the ministry said on Monday", ", according to X"
    r",\s+(?:according to [^,]+|(?:[\w.'’-]+\s+){0,5}(?:said|says|reported|announced|confirmed)"
    r"(?:\s+on\s+\w+|\s+\w+day)?)\.?$"
)
_CLAUSE = re.compile(
    r",\s+(?:which|who|where|while|after|as|amid|but|and|in a|with|according)\b|\s+[—–]\s+|;\s"
)


_INITIALISM_END = re.compile(r"\b(?:[A-Z]\.){2,}$")


def without_full_stop(text: str) -> str:
    """`text` without its closing full stop; an initialism keeps its own ("... in the U.S.")."""
    text = text.rstrip()
    if _INITIALISM_END.search(text):
        return text
    return text.rstrip(".")


def compress_sentence(sentence: str, max_words: int = 16) -> str:
    """A headline-length form of a fact sentence: a leading time phrase ("On Monday, "), a trailing
    attribution (", officials said") and, past `max_words`, the clauses after the main one are dropped;
    the words themselves are the source's, in its order."""
    text = without_full_stop(" ".join(sentence.split()))
    text = _ATTRIBUTION.sub("", text) or text
    shorter = _LEADING.sub("", text)
    if len(shorter.split()) >= 5:
        text = shorter[0].upper() + shorter[1:]
    if len(text.split()) > max_words:
        for match in _CLAUSE.finditer(text):
            if 6 <= len(text[: match.start()].split()) <= max_words + 4:
                text = text[: match.start()]
                break
    if len(text.split()) > max_words + 4:
        for match in re.finditer(r",\s", text):
            if 6 <= len(text[: match.start()].split()) <= max_words + 4:
                text = text[: match.start()]
                break
    return text.strip(" ,;")
