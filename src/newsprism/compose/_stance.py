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

__all__ = ["cue_words", "stance"]

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
