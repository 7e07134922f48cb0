"""Word lists that tell facts from framing: arousal, loaded words, opinion, prediction and motive cues.

The arousal lexicon is our own (Apache-2.0, written for newsprism): NRC-VAD, which the NeuS framing
metric uses, is not available offline and its licence forbids redistribution. Scores are 0..1 and were
assigned by hand in four bands, following the categories that framing-bias studies (BASIL, NeuS) find in
loaded news wording:

- 0.9  violence and catastrophe hyperbole ("slaughter", "carnage", "bloodbath")
- 0.75 combat metaphors for politics and emotional verbs ("slams", "blasts", "outrage", "furious")
- 0.6  evaluative intensifiers and sensational adjectives ("landmark", "historic", "stunning", "massive")
- 0.45 milder loaded nouns and adjectives ("pawn", "regime", "aggression", "might")

Neutral words score 0. Ordinary event verbs such as "attack" or "killed" are left out on purpose: facts
need them, and a lexicon that punishes the event itself would push facts toward vagueness.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import cast

__all__ = [
    "AROUSAL",
    "arousal",
    "is_interpretive",
    "loaded_words",
    "polarity",
    "subjectivity",
    "tokens",
]

_BANDS: dict[float, str] = {
    0.9: """
        annihilate annihilation apocalypse apocalyptic atrocity atrocities bloodbath bloodthirsty butcher
        butchered carnage catastrophe catastrophic decimate decimated devastate devastating devastation
        genocidal holocaust horrific horrifying massacre massacred nightmare obliterate obliterated
        savage savagery slaughter slaughtered terrifying terrorize unspeakable barbaric monstrous
        """,
    0.75: """
        slam slams slammed slamming blast blasts blasted blasting rip rips ripped lash lashes lashed
        outrage outraged outrageous fury furious rage raging enraged infuriate infuriating infuriated
        scathing blistering assail assailed bash bashed skewer skewered torch torched hammer hammered
        explosive firestorm meltdown chaos chaotic turmoil frenzy frantic panic panicked shocking shock
        shocked stunned stunning alarming alarmed alarmingly menacing menace threatening fearmongering
        vicious ruthless reckless disgrace disgraceful shameful shameless humiliating humiliation
        betrayal betray betrayed crushing crushed destroy destroyed destroys crackdown onslaught
        groining sabre-rattling saber-rattling warmonger warmongering belligerent bellicose
        provocative provocation provocations hysteria hysterical insane crazy disaster disastrous
        """,
    0.6: """
        landmark historic historical-first unprecedented momentous monumental dramatic dramatically
        sweeping massive huge enormous staggering soaring skyrocket skyrocketing plunge plunged plunging
        spectacular sensational explosive bombshell blockbuster extraordinary remarkable astonishing
        incredible unbelievable amazing brilliant triumphant triumph victory humiliate grave dire
        desperate desperately fierce fiercely bitter bitterly heated surge surged aggressive aggressively
        hardline radical extremist extreme notorious
        infamous controversial fiasco debacle scandal scandalous slash slashed gut gutted spree
        bold boldly daring defiant defiance tout touted fence-mending
        """,
    0.45: """
        pawn puppet regime regimes aggression might muscle flex flexing posturing rogue hawkish dovish
        rival rivals rivalry animosity hostile hostility feud feuding spat row clash clashed clashes
        embattled beleaguered troubled struggling woes crisis crises threat threats threaten
        threatened looming mounting growing-threat vital crucial critical urgent indispensable
        vow vows vowed hail hailed applaud applauded blame blamed condemn condemned denounce denounced
        tense tensions escalating escalate escalation
        strongman dictator authoritarian violent illegal illegitimate propaganda lavish
        """,
}

AROUSAL: dict[str, float] = {word: score for score, words in _BANDS.items() for word in words.split()}

# Loaded words: framing we keep out of facts and headlines (a subset of the high bands plus editorial
# labels that are not intense but take a side).
_LOADED_EXTRA = {"regime", "pawn", "puppet", "landmark", "historic", "groining", "slams", "fence-mending"}
LOADED: frozenset[str] = frozenset({w for w, s in AROUSAL.items() if s >= 0.6} | _LOADED_EXTRA)

# Cues of interpretation: predictions, speculation, attributed motives, evaluation. A sentence with one
# of these is narrative material, not a fact (the issue: "opinions, predictions, motives ... are not facts").
_PREDICTION = re.compile(
    r"\b(will likely|is likely|are likely|likely to|is expected to|are expected to|could|might|may well|"
    r"is set to|are set to|would likely|is poised|are poised|is speculated|it is speculated|"
    r"is feared|analysts say|experts say|is predicted|forecast to|chance that|"
    r"expected to)\b",
    re.IGNORECASE,
)
_MOTIVE = re.compile(
    r"\b(in order to|seeks? to|seeking to|aims? to|aiming to|in a bid to|in an effort to|"
    r"motivated by|because (?:it|they|he|she) (?:wants?|fears?|hopes?)|"
    r"to serve|to counter|as a way to|designed to|intended to|meant to|so as to)\b",
    re.IGNORECASE,
)
_EVALUATION = re.compile(
    r"\b(should|must|ought to|needs to|need to|it is (?:clear|obvious|important|vital|essential)|"
    r"means little|means much|no other option|suggests that|suggests|signals|signal that|"
    r"critics|supporters|in our view|we believe|i believe|arguably|clearly|obviously|undoubtedly|"
    r"unfortunately|fortunately|sadly|rightly|wrongly|risk(?:s|ing)? (?:infuriating|alienating)|"
    r"perceived|seen as|viewed as|regarded as|hinted)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters, apostrophes, inner hyphens)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _score(word: str) -> float:
    if word in AROUSAL:
        return AROUSAL[word]
    # strip a plural or past-tense ending before giving up, so "slashes"/"hailing" still count
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and word[: -len(suffix)] in AROUSAL:
            return AROUSAL[word[: -len(suffix)]]
    return 0.0


def arousal(words: Iterable[str] | str) -> float:
    """Mean arousal of the words (0 = neutral). Accepts a text or already-tokenized words."""
    items = tokens(words) if isinstance(words, str) else list(words)
    if not items:
        return 0.0
    return sum(_score(w) for w in items) / len(items)


def loaded_words(text: str) -> list[str]:
    """The loaded words of `text`, in order, as they appear (lower-cased)."""
    return [w for w in tokens(text) if w in LOADED or (w.rstrip("s") in LOADED and len(w) > 4)]


@lru_cache(maxsize=1)
def _pattern_sentiment() -> Callable[[str], tuple[float, float]]:
    # textblob's Pattern lexicon (offline: it ships with textblob), called directly: PatternAnalyzer
    # wraps the same call but builds a namedtuple class on every call, a third of the composer's time
    from textblob.en import sentiment

    return cast(Callable[[str], tuple[float, float]], sentiment)


@lru_cache(maxsize=65536)
def _sentiment(text: str) -> tuple[float, float]:
    """(polarity, subjectivity) as `PatternAnalyzer().analyze(text)` gives them."""
    polarity, subjectivity = _pattern_sentiment()(text)
    return float(polarity), float(subjectivity)


def subjectivity(text: str) -> float:
    """textblob (Pattern lexicon) subjectivity in 0..1; runs offline."""
    return _sentiment(text)[1]


def polarity(text: str) -> float:
    """textblob (Pattern lexicon) polarity in -1..1; runs offline."""
    return _sentiment(text)[0]


def is_interpretive(text: str) -> str | None:
    """Why `text` is interpretation rather than fact ("prediction", "motive", "evaluation",
    "subjective"), or None when it reads as a plain statement of fact."""
    if _PREDICTION.search(text):
        return "prediction"
    if _MOTIVE.search(text):
        return "motive"
    if _EVALUATION.search(text):
        return "evaluation"
    if subjectivity(text) >= 0.5:
        return "subjective"
    return None
