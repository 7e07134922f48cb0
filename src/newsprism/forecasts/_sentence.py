"""One plain sentence per linked question, in the style of the story page's "nerd narrative":
"There's a 72% chance that … will have … by …, according to the Metaculus prediction community
(probability as of …)."
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
    suspend withdraw surpass still ever actually wear keep let put name report deliver pledge lift
    contribute grow accept""".split()  # noqa: SIM905 - a word list reads better as text
)


_PARTICIPLE = {
    "be": "been", "have": "had", "win": "won", "hold": "held", "top": "topped", "become": "become",
    "hit": "hit", "leave": "left", "meet": "met", "ban": "banned", "cut": "cut", "fall": "fallen",
    "rise": "risen", "beat": "beaten", "lose": "lost", "see": "seen", "get": "got", "make": "made",
    "go": "gone", "come": "come", "sell": "sold", "buy": "bought", "lead": "led", "build": "built",
    "take": "taken", "give": "given", "withdraw": "withdrawn", "put": "put", "let": "let",
}  # fmt: skip
_ADVERBS = frozenset({"fully", "still", "ever", "actually", "finally", "officially"})
_MONTH_NAMES = "January February March April May June July August September October November December".split()  # noqa: SIM905 - a word list reads better as text
_DEADLINE = re.compile(
    r"\s+(?P<word>before|by)\s+(?:(?P<month>[A-Z][a-z]+)\s+(?:(?P<day>\d{1,2}),?\s+)?)?(?P<year>\d{4})$"
)


def _participle(verb: str) -> str:
    if verb in _PARTICIPLE:
        return _PARTICIPLE[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def _by(predicate: str) -> str | None:
    """A predicate ending in "before <deadline>" in the future perfect, with the deadline as the seed page
    says it: "test a Tomahawk missile before July 1, 2027" → "have tested a Tomahawk missile by
    mid-2027"; None when the predicate has no such deadline (or its verb is "be": a state, not an event)."""
    match = _DEADLINE.search(predicate)
    words = predicate[: match.start()].split() if match else []
    at = 1 if words and words[0].lower() in _ADVERBS else 0
    if not match or len(words) <= at or words[at].lower() in ("be", "still", "remain"):
        return None
    words[at] = _participle(words[at].lower())
    year, month, day = int(match.group("year")), match.group("month"), match.group("day")
    if month is not None and month not in _MONTH_NAMES:
        return None
    if match.group("word") == "by":  # "by March 2005" already says "by the end of"
        return f"have {' '.join(words)} {predicate[match.start() :].strip()}"
    if month is None or (month == "January" and day in (None, "1")):
        when = f"the end of {year - 1}"
    elif month == "July" and day == "1":
        when = f"mid-{year}"
    elif day in (None, "1"):
        when = f"the end of {_MONTH_NAMES[_MONTH_NAMES.index(month) - 1]} {year}"
    else:
        return f"have {' '.join(words)} before {month} {day}, {year}"
    return f"have {' '.join(words)} by {when}"


def statement(title: str) -> str | None:
    """ "Will X <verb> Y before <date>?" as "X will have <verbed> Y by <date>", and "Will X <verb> Y?" as
    "X will <verb> Y"; None for titles of another form."""
    match = re.match(r"^\s*Will\s+(.+?)\s*\?*\s*$", title)
    if not match:
        return None
    words = match.group(1).split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower() in _PREDICATE:
            subject = " ".join(words[:index])
            if subject[:1].isupper() and subject.split()[0].lower() in ("the", "a", "an"):
                subject = subject[0].lower() + subject[1:]
            predicate = " ".join(words[index:])
            return f"{subject} will {_by(predicate) or predicate}"
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
