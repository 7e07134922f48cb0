"""Entity aliases for linking: one spelling per country, whatever the text calls it.

A question says "North Korea"; the story says "Pyongyang", "North Korean" or "the DPRK". Two passes:
1. `canonical` (both sides): demonyms and multi-word names become one name token ("North Korean" →
   "NorthKorea"), so "South Korea" is one name, not "South" and "Korea";
2. `expand` (story side only): a capital standing for its government also mentions the country
   ("Pyongyang" → "Pyongyang NorthKorea"), and a capitalised phrase also mentions its acronym
   ("General Security of Military Information Agreement" → "… GSOMIA"). The question side stays as
   written, so a question about Seoul itself (its local elections) still needs a story that names Seoul.
"""

from __future__ import annotations

import re

__all__ = ["canonical", "expand"]

# longest forms first: "Democratic People's Republic of Korea" before "Republic of Korea"
_CANONICAL: tuple[tuple[str, str], ...] = (
    (r"North Koreans?|DPRK|Democratic People['’]s Republic of Korea", "NorthKorea"),
    (r"South Koreans?|Republic of Korea|ROK", "SouthKorea"),
    (r"Japanese|Japan", "Japan"),
    (r"United States|U\.S\.A?\.?|USA|US|Americans?", "UnitedStates"),
    (r"United Kingdom|U\.K\.|UK|Britain|British", "Britain"),
    (r"Iranians?|Iran", "Iran"),
    (r"Chinese|China", "China"),
    (r"Chileans?|Chile", "Chile"),
    (r"Haitians?|Haiti", "Haiti"),
    (r"Indonesians?|Indonesia", "Indonesia"),
    (r"Australians?|Australia", "Australia"),
    (r"Russians?|Russia", "Russia"),
    (r"French|France", "France"),
)
# a capital that stands for its government ("Tokyo and Seoul agreed"); London and Washington are left
# out: they are as often the city itself (the London bombings, the Washington summit)
_CAPITALS = {"Tokyo": "Japan", "Seoul": "SouthKorea", "Pyongyang": "NorthKorea", "Tehran": "Iran"}

_CANONICAL_RE = [(re.compile(rf"(?<![\w.])(?:{pattern})(?![\w])"), canon) for pattern, canon in _CANONICAL]
_CAPITAL_RE = re.compile(rf"\b({'|'.join(_CAPITALS)})\b")
_SMALL = frozenset({"of", "and", "the", "for", "on", "in"})
_PHRASE = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:(?:of|and|the|for|on|in)\s+)*[A-Z][a-z]+){2,}")


def canonical(text: str) -> str:
    """`text` with country names, demonyms and multi-word names written one way, as one word."""
    for pattern, canon in _CANONICAL_RE:
        text = pattern.sub(canon, text)
    return text


def _acronyms(phrase: str) -> set[str]:
    words = phrase.split()
    full = "".join(w[0].upper() for w in words)
    capitals = "".join(w[0] for w in words if w not in _SMALL)
    return {full, capitals}


def expand(text: str) -> str:
    """`canonical(text)` plus, after it, the countries its capitals stand for and the acronyms of its
    capitalised phrases: more mentions for the story side, never fewer."""
    extra = [_CAPITALS[m.group(1)] for m in _CAPITAL_RE.finditer(text)]
    for match in _PHRASE.finditer(text):
        extra.extend(a for a in sorted(_acronyms(match.group(0))) if len(a) >= 3)
    text = canonical(text)
    return text + ("\n" + " ".join(extra) if extra else "")
