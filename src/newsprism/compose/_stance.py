"""Stance of an interpretive sentence toward the event: does it frame the event as a gain or a cost?

A small hand-written cue lexicon (Apache-2.0, newsprism's own), because general sentiment lexicons score
news framing near zero ("likely to boost tourism" and "will burden taxpayers" both read neutral to
Pattern). Cues value the event or its outcome: benefit, progress, relief against cost, risk, futility.
Words that describe the situation rather than judge the event ("threat", "violent") are left out on
purpose: a sentence can call a neighbour violent and still welcome the summit. A negator up to three
words before a cue flips it ("rarely pay off", "will not cease").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from newsprism.compose._lexicon import polarity

__all__ = ["actor_tones", "cue_words", "stance", "tone_distance"]

_POSITIVE = (
    "benefit benefits boost boosts catalyst opportunity opportunities relief ease eases easing improve"
    " improves improvement revitalize revive new-life investment progress breakthrough strengthen"
    " strengthens deepen deepening win welcome welcomed promising thrive gain gains growth help helps"
    " success successful vital incentives supporters ready compete jobs tourism stability stabilize"
    " renewal restore restored pay-off"
)
_NEGATIVE = (
    "burden burdens debt risk risks risky waste wasted wasteful giveaway poor costly overrun overruns"
    " higher-taxes temporary low-paid infuriating infuriate sacrificing sacrifice pawn destabilization"
    " destabilize harm harms damage undermine undermines loss losses worse doubt doubts concern concerns"
    " critics backlash anger fail fails failure little futile symbolic empty hollow insufficient"
    " questions"
)
_PHRASES = {
    "new life": "new-life",
    "higher taxes": "higher-taxes",
    "pay off": "pay-off",
    "low paid": "low-paid",
}
_CUES = {w: 1 for w in _POSITIVE.split()} | {w: -1 for w in _NEGATIVE.split()}
_NEGATORS = frozenset({"not", "never", "no", "rarely", "hardly", "little", "nothing", "without", "won't"})
_WORD = re.compile(r"[a-z][a-z'-]*")


def stance(text: str) -> int:
    """Net framing of `text`: > 0 frames the event as a gain, < 0 as a cost, 0 takes no side."""
    low = text.lower()
    for phrase, joined in _PHRASES.items():
        low = low.replace(phrase, joined)
    words = _WORD.findall(low)
    score = 0
    for k, word in enumerate(words):
        cue = _CUES.get(word, 0)
        if not cue:
            continue
        if any(w in _NEGATORS or w.endswith("n't") for w in words[max(0, k - 3) : k]):
            cue = -cue
        score += cue
    return score


def cue_words(text: str) -> set[str]:
    """The stance cue words of `text` (lower-cased, phrases joined), whichever way they point."""
    low = text.lower()
    for phrase, joined in _PHRASES.items():
        low = low.replace(phrase, joined)
    return {w for w in _WORD.findall(low) if w in _CUES}


# Capitalised words that name no actor: sentence openers, weekdays, pronouns.
_NOT_ACTORS = frozenset(
    {
        "The", "This", "That", "These", "Those", "But", "And", "In", "On", "At", "For", "With", "From",
        "After", "Before", "When", "While", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday", "He", "She", "They", "It", "We", "His", "Her", "Their", "Its",
    }
)
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")


def actor_tones(texts: Iterable[str]) -> dict[str, list[float]]:
    """Per actor named in `texts` (a capitalised word: "Biden", "Republicans", "Pfizer"), the tone of
    each sentence that names it: textblob polarity plus the event-stance cues. Who a source speaks of
    warmly or coldly is what "who is to blame" looks like in its sentences."""
    out: dict[str, list[float]] = {}
    for text in texts:
        tone = polarity(text) + 0.3 * stance(text)
        for name in set(_NAME.findall(text)) - _NOT_ACTORS:
            out.setdefault(name, []).append(tone)
    return out


def tone_distance(a: dict[str, list[float]], b: dict[str, list[float]]) -> float:
    """How differently two sources speak of the actors both name: the mean gap in tone, weighted by
    how often the rarer of the two names each actor (0 when they name none in common)."""
    shared = [name for name in a if name in b]
    if not shared:
        return 0.0
    gaps = [abs(float(np.mean(a[n])) - float(np.mean(b[n]))) for n in shared]
    return float(np.average(gaps, weights=[min(len(a[n]), len(b[n])) for n in shared]))
