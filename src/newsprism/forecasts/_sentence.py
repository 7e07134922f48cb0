"""One plain sentence per linked question, in the style of the story page's "nerd narrative":
"There's a 72% chance that … , according to the Metaculus prediction community (probability as of …)."
"""

from __future__ import annotations

import re

from newsprism.forecasts._question import Question

__all__ = ["forecast_sentence", "statement"]

_WHO = {
    "metaculus": "the Metaculus prediction community",
    "manifold": "forecasters on Manifold (play money)",
    "polymarket": "bettors on Polymarket",
}
# verbs (and adverbs) that start the predicate of a "Will <subject> <verb> …?" title; the subject is
# everything before the first of them, so "Will the Japan Self-Defense Forces test …" splits at "test"
_PREDICATE = frozenset(
    """be have test win hold launch release attend conduct produce ratify exceed top pass close sign land
    order restore fully become remain reach hit kill announce leave join invade visit meet approve ban
    default cut raise fall rise beat lose return resign happen see get make go come agree sell buy
    deploy start end lead finish open build publish invite receive face take give accept reject resume
    suspend withdraw surpass still ever actually""".split()  # noqa: SIM905 - a word list reads better as text
)


def statement(title: str) -> str | None:
    """ "Will X <verb> Y?" as "X will <verb> Y"; None for titles of another form."""
    match = re.match(r"^\s*Will\s+(.+?)\s*\?*\s*$", title)
    if not match:
        return None
    words = match.group(1).split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower() in _PREDICATE:
            subject = " ".join(words[:index])
            if subject[:1].isupper() and subject.split()[0].lower() in ("the", "a", "an"):
                subject = subject[0].lower() + subject[1:]
            return f"{subject} will {' '.join(words[index:])}"
    return None


def _percent(probability: float) -> str:
    value = 100 * probability
    if 0 < value < 1:
        return "less than 1%"
    if 99 < value < 100:
        return "more than 99%"
    return f"{round(value)}%"


def _a(chance: str) -> str:
    # "an 8%", "an 11%", "an 18%", "an 80%": the article follows the spoken number
    return "an" if re.match(r"(8|11%|18%|11\d\b)", chance) else "a"


def forecast_sentence(question: Question) -> str:
    """The sentence shown for `question`: its probability (or distribution), who says so, and when."""
    who = _WHO.get(question.platform, question.platform)
    when = question.as_of or "unknown date"
    said = statement(question.title)
    if question.probability is None:
        summary = question.summary or "no forecast yet"
        return f"{who[0].upper()}{who[1:]} forecast “{question.title}”: {summary} (as of {when})."
    chance = _percent(question.probability)
    if question.is_open:
        what = f"that {said}" if said else f"of yes to “{question.title}”"
        return f"There's {_a(chance)} {chance} chance {what}, according to {who} (probability as of {when})."
    what = f"that {said}" if said else f"of yes to “{question.title}”"
    return (
        f"{who[0].upper()}{who[1:]} gave {_a(chance)} {chance} chance {what} (final forecast, as of {when})."
    )
