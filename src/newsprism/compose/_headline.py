"""Headline neutrality: why a title should not head a story page (loaded words, clickbait, a question).

A title with any problem is passed over for one without; the composer falls back to its top fact when
no title is clean.
"""

from __future__ import annotations

import re

from newsprism.compose._lexicon import loaded_words

__all__ = ["headline_problems"]

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
